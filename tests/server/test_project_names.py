"""Project names are unique per owner: a 409 on ``POST /projects`` speaks only of the caller's own
projects, and ``GET /projects/{name}/name`` finds the caller's own first."""

from __future__ import annotations

import sqlite3
import tarfile
from contextlib import closing
from pathlib import Path

import httpx
import pytest
from serving import serving

import dlwidgets as dw
from dlwidgets.server import create_token, workspace_secret

ANN, BOB, CAROL = "ann@example.com", "bob@example.com", "carol@example.com"
V1 = Path(__file__).parents[1] / "store" / "workspaces" / "v1.tar.gz"


def test_two_users_may_each_have_a_project_of_the_same_name(workspace_home: Path) -> None:
    secret = workspace_secret(workspace_home)
    with serving(workspace_home) as url:
        ann, bob, carol = (dw.connect(url, token=create_token(secret, who)) for who in (ANN, BOB, CAROL))
        anns = ann.projects.create(project_name="street")
        bobs = bob.projects.create(project_name="street")
        assert anns.id != bobs.id
        with pytest.raises(dw.exceptions.Conflict, match="you already have a project named 'street'"):
            bob.projects.create(project_name="street")
        # Ann shares hers with Bob and Carol: by name, Bob still gets his own, Carol gets Ann's.
        for who in (BOB, CAROL):
            ann.request("POST", f"/projects/{anns.id}/members/{who}", json={"role": "annotator"})
        assert bob.projects.get(project_name="street").id == bobs.id
        assert ann.projects.get(project_name="street").id == anns.id
        assert carol.projects.get(project_name="street").id == anns.id
        assert sorted(p.id for p in bob.projects.list()) == sorted([anns.id, bobs.id])
        # A name Carol has no project of is a 404 that names nothing of anyone else's.
        answer = httpx.get(
            f"{url}/projects/elsewhere/name",
            headers={"authorization": f"Bearer {create_token(secret, CAROL)}"},
        )
        assert answer.status_code == 404 and ann.projects.create(project_name="elsewhere")
        again = httpx.get(
            f"{url}/projects/elsewhere/name",
            headers={"authorization": f"Bearer {create_token(secret, CAROL)}"},
        )
        assert (again.status_code, again.content) == (404, answer.content)


def test_the_owner_is_one_whatever_the_case_of_the_email(workspace_home: Path) -> None:
    secret = workspace_secret(workspace_home)
    with serving(workspace_home) as url:
        dw.connect(url, token=create_token(secret, ANN)).projects.create(project_name="street")
        shouting = dw.connect(url, token=create_token(secret, ANN.upper()))
        with pytest.raises(dw.exceptions.Conflict):
            shouting.projects.create(project_name="street")


def test_an_older_workspace_is_upgraded_to_names_per_owner_with_its_projects_whole(tmp_path: Path) -> None:
    home = tmp_path / "v1"
    with tarfile.open(V1) as tar:
        tar.extractall(home, filter="data")
    with closing(sqlite3.connect(home / "workspace.sqlite")) as db:
        before = {
            t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("project_members", "datasets", "items")
        }
        (creator,) = db.execute("SELECT creator FROM projects WHERE name = 'upgraded'").fetchone()
    secret = workspace_secret(home)
    with serving(home) as url:
        other = dw.connect(url, token=create_token(secret, BOB))
        assert other.projects.create(project_name="upgraded").creator == BOB
        owner = dw.connect(url, token=create_token(secret, creator))
        with pytest.raises(dw.exceptions.Conflict):
            owner.projects.create(project_name="upgraded")
        assert owner.projects.get(project_name="upgraded").datasets.get(dataset_name="pets").items_count > 0
    with closing(sqlite3.connect(home / "workspace.sqlite")) as db:
        after = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in before}
    assert after == {**before, "project_members": before["project_members"] + 1}
