"""Over HTTP a user sees only the projects they created or were added to; others' ids answer 404."""

from __future__ import annotations

import itertools
import re
import time
from pathlib import Path

import pytest
from serving import serving

import dlwidgets as dw
from dlwidgets.server import create_token, workspace_secret
from dlwidgets.store.ids import new_id

ANN, BOB = "ann@example.com", "bob@example.com"


def test_users_see_only_their_projects_until_shared(workspace_home: Path, make_jpeg_bytes: bytes) -> None:
    secret = workspace_secret(workspace_home)
    with serving(workspace_home) as url:
        ann = dw.connect(url, token=create_token(secret, ANN))
        bob = dw.connect(url, token=create_token(secret, BOB))
        project = ann.projects.create(project_name="ann-only")
        dataset = project.datasets.create(dataset_name="d")
        dataset.add_label("car", "#ff0000")
        item = dataset.items.upload(local_path=make_jpeg_bytes, remote_path="/i", remote_name="a.jpg")
        assert isinstance(item, dw.Item)
        builder = item.annotations.builder()
        builder.add(dw.Box(top=1, left=1, bottom=5, right=5, label="car"))
        (annotation,) = item.annotations.upload(builder)
        task = dataset.tasks.create(task_name="t", assignee_ids=[ANN], items=[item])
        bob.projects.create(project_name="bob-only")

        assert [p.name for p in bob.projects.list()] == ["bob-only"]
        assert [p.name for p in ann.projects.list()] == ["ann-only"]
        with pytest.raises(dw.exceptions.NotFound, match="ann-only"):
            bob.projects.get(project_name="ann-only")
        for path in (
            f"/projects/{project.id}",
            f"/datasets/{dataset.id}",
            f"/items/{item.id}",
            f"/items/{item.id}/stream",
            f"/annotations/{annotation.id}",
            f"/annotationtasks/{task.id}",
            f"/recipes/{dataset.recipe_ids[0]}",
        ):
            with pytest.raises(dw.exceptions.NotFound, match=r"not found: no \w+ has id"):
                bob.request("GET", path)
        with pytest.raises(dw.exceptions.NotFound):
            bob.request("POST", f"/datasets/{dataset.id}/query", json={"resource": "items"})
        bob_view = bob.json("POST", "/datasets/query", json={"filter": {}, "resource": "datasets"})
        assert bob_view["items"] == []
        assert bob.json("GET", "/assignments", params={"taskId": task.id})["items"] == []
        with pytest.raises(dw.exceptions.NotFound):
            bob.request("POST", f"/projects/{project.id}/members/{BOB}", json={"role": "owner"})

        ann.request("POST", f"/projects/{project.id}/members/{BOB}", json={"role": "annotator"})
        with pytest.raises(dw.exceptions.Forbidden, match="needs the role 'owner'"):
            bob.request("POST", f"/projects/{project.id}/members/carol@example.com", json={"role": "owner"})
        assert sorted(p.name for p in bob.projects.list()) == ["ann-only", "bob-only"]
        shared = bob.projects.get(project_name="ann-only").datasets.get(dataset_name="d")
        assert [i.id for i in shared.items.list().items] == [item.id]
        assert [a.id for a in shared.items.get(item_id=item.id).annotations.list()] == [annotation.id]


def test_ids_keep_their_order_but_cannot_be_guessed_from_a_neighbour(workspace_home: Path) -> None:
    secret = workspace_secret(workspace_home)
    with serving(workspace_home) as url:
        ann = dw.connect(url, token=create_token(secret, ANN))
        bob = dw.connect(url, token=create_token(secret, BOB))
        bob_project = bob.projects.create(project_name="bob")
        made = []
        for who, project in (
            (bob, bob_project),
            (ann, ann.projects.create(project_name="ann")),
            (bob, bob_project),
        ):
            made.append(who.json("POST", "/recipes", json={"title": "r", "projectIds": [project.id]})["id"])
        before, anns, after = made
        assert all(re.fullmatch(r"[0-9a-f]{24}", i) for i in made), made
        assert before < anns < after
        # Bob knows the id made just before Ann's; its tail tells him nothing of hers.
        tail = 1 << 40
        assert (
            min((int(anns, 16) - int(before, 16)) % tail, (int(before, 16) - int(anns, 16)) % tail) > 1 << 20
        )


def test_ids_made_at_once_are_ordered_and_their_tails_random() -> None:
    made = [new_id() for _ in range(20000)]
    assert made == sorted(made) and len(set(made)) == len(made)
    assert all(len(i) == 24 and int(i, 16) >= 0 for i in made)
    # The timestamp leads, as in an ObjectId: seconds since the epoch.
    assert abs(int(made[0][:8], 16) - time.time()) < 60
    steps = {int(b, 16) - int(a, 16) for a, b in itertools.pairwise(made)}
    assert len(steps) > len(made) // 2, "consecutive ids step by a guessable amount"


@pytest.fixture
def make_jpeg_bytes() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(buffer, format="JPEG")
    return buffer.getvalue()
