"""The official ``dtlpy`` SDK (pinned 1.126.5) against ``dlwidgets serve``, both ways.

dtlpy runs the getting-started tutorial in a subprocess (``dtlpy_scripts.py``) and what it made is read
back through ``dlwidgets``, over HTTP and in-process; then what ``dlwidgets`` wrote is read and changed
by dtlpy. dtlpy keeps its state under ``$DATALOOP_PATH`` and ``~``: both point into the test's temp dir.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import httpx
import numpy as np
import pytest
from everything import one_of_everything
from labelled import labelled_image
from official_sdk import EMAIL, run_dtlpy
from PIL import Image
from serving import serving

import dlwidgets as dw
from dlwidgets.server import create_token, workspace_secret
from dlwidgets.store import Store

pytest.importorskip("dtlpy", reason="the official SDK is in the 'test' extra: pip install -e '.[test]'")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_dtlpy_runs_the_tutorial_and_dlwidgets_reads_the_result(workspace_home: Path, tmp_path: Path) -> None:
    token = create_token(workspace_secret(workspace_home), EMAIL)
    sdk_dir = tmp_path / "dtlpy"
    with serving(workspace_home) as url:
        made = run_dtlpy("tutorial", url, token, sdk_dir)
        for client in (dw.connect(url, token=token), dw.connect(home=str(workspace_home))):
            project = client.projects.get(project_name=made["project"]["name"])
            assert project.id == made["project"]["id"]
            assert [p.id for p in client.projects.list()] == [project.id]
            dataset = project.datasets.get(dataset_name=made["dataset"]["name"])
            assert dataset.id == made["dataset"]["id"]
            assert [label.tag for label in dataset.labels] == [
                *("Object1", "CornerPoint", "IndoorScene", "MyTextLabel", "AttributedObject"),
                "ShortcutLabel",
            ]
            ontology = dataset.recipes.list()[0].ontologies.list()[0]
            size = next(a for a in ontology.attributes if a.key == "size")
            assert (size.type, size.values, size.scope) == (
                "options",
                ["small", "medium", "large"],
                ["AttributedObject"],
            )

            items = made["items"]
            assert sorted(i.filename for page in dataset.items.list() for i in page) == [
                "/docs/sample.txt",
                "/images/sample.jpg",
                "/prompts/my-first-prompt.json",
            ]
            image = dataset.items.get(item_id=items["image"]["id"])
            assert image.filename == "/images/sample.jpg"
            assert (image.width, image.height) == (150, 100)
            assert sha256(image.read()) == items["image"]["sha256"]
            assert sha256(dataset.items.get(item_id=items["text"]["id"]).read()) == items["text"]["sha256"]
            assert image.metadata["user"] == made["user_metadata"]
            prompt = json.loads(dataset.items.get(item_id=items["prompt"]["id"]).read())
            assert prompt["shebang"] == "dataloop"
            assert [e["mimetype"] for e in prompt["prompts"]["user_query_1"]] == [
                "application/text",
                "image/*",
                "metadata",
            ]

            annotations = {a.type: a for a in image.annotations.list()}
            assert {t: a.id for t, a in annotations.items()} == {
                t: a["id"] for t, a in made["annotations"].items()
            }
            assert annotations["box"].label == "Object1"
            assert annotations["box"].coordinates == [{"x": 10, "y": 10, "z": 0}, {"x": 60, "y": 50, "z": 0}]
            assert annotations["point"].coordinates == {"x": 75, "y": 75, "z": 0}
            assert annotations["class"].label == "IndoorScene"
            assert image.annotations_count == 3

            task = dataset.tasks.get(task_id=made["task"]["id"])
            assert task.name == made["task"]["name"]
            assert task.due_date == pytest.approx(made["task"]["due_ms"])
            assignments = task.assignments.list()
            assert [(a.id, a.annotator, a.total_items) for a in assignments] == [
                (a["id"], a["annotator"], 1) for a in made["assignments"]
            ]
            assert [i.id for i in assignments[0].get_items().all()] == [image.id]
            client.close()
    # The downloaded copy dtlpy checked is byte-identical to what it uploaded.
    image_bytes = (sdk_dir / "data/getting_started_with_sdk/sample.jpg").read_bytes()
    assert (sdk_dir / "downloaded_data/sample.jpg").read_bytes() == image_bytes


def test_dtlpy_reads_and_changes_what_dlwidgets_wrote(workspace_home: Path, tmp_path: Path) -> None:
    token = create_token(workspace_secret(workspace_home), EMAIL)
    client = dw.connect(home=str(workspace_home))
    project = client.projects.create(project_name="written-by-dlwidgets")
    dataset = project.datasets.create(dataset_name="dw-dataset")
    ontology = dataset.recipes.list()[0].ontologies.list()[0]
    ontology.add_label(label_name="cat", color="#ff0000")
    ontology.add_label(label_name="dog", color="#00ff00")
    ontology.update_attributes(
        key="color",
        title="Colour",
        attribute_type=dw.AttributesTypes.RADIO_BUTTON,
        values=["black", "white"],
        scope=["cat"],
    )
    pixels = np.random.default_rng(7).integers(0, 256, (40, 60, 3), dtype=np.uint8)
    image_path = tmp_path / "cat.png"
    Image.fromarray(pixels).save(image_path)
    image = dataset.items.upload(local_path=str(image_path), remote_path="/pets", overwrite=True)
    dataset.items.upload(local_path=b"just words", remote_path="/notes", remote_name="note.txt")
    assert isinstance(image, dw.Item)
    image.metadata["user"] = {"source": "dlwidgets"}
    image = image.update()
    builder = image.annotations.builder()
    builder.add(
        dw.Box(top=5, left=4, bottom=30, right=50, label="cat", attributes={"color": "black"}), object_id=1
    )
    builder.add(dw.Point(x=12, y=8, label="dog"))
    builder.add(dw.Classification(label="cat"))
    image.annotations.upload(annotations=builder)
    assignees = ["ann.lee@example.com", "bo.chen@example.com"]
    task = dataset.tasks.create(task_name="dw task", assignee_ids=assignees, items=[image])

    inputs = {
        "project": project.name,
        "dataset": dataset.name,
        "labels": [["cat", "#ff0000"], ["dog", "#00ff00"]],
        "attribute_values": ["black", "white"],
        "items": ["/pets/cat.png", "/notes/note.txt"],
        "image": "/pets/cat.png",
        "image_size": image_path.stat().st_size,
        "image_sha256": sha256(image_path.read_bytes()),
        "user_metadata": {"source": "dlwidgets"},
        "box": [4, 5, 50, 30],
        "box_attributes": {"color": "black"},
        "point": [12, 8],
        "class_label": "cat",
        "task_id": task.id,
        "task_name": "dw task",
        "assignees": assignees,
    }
    with serving(workspace_home) as url:
        seen = run_dtlpy("read-dw", url, token, tmp_path / "dtlpy", inputs)
        over_http = dw.connect(url, token=token)
        for reader in (over_http, client):
            again = reader.projects.get(project_id=project.id).datasets.get(dataset_id=dataset.id)
            stored = again.items.get(item_id=image.id)
            assert stored.metadata["user"] == {"source": "dlwidgets", "seen_by": "dtlpy"}
            assert sorted(a.type for a in stored.annotations.list()) == ["box", "class"]
            assert stored.annotations_count == 2
            with pytest.raises(dw.exceptions.NotFound):
                stored.annotations.get(seen["deleted_annotation"])
            assert (
                sorted(a.id for a in again.tasks.get(task_id=task.id).assignments.list())
                == (seen["assignments"])
            )
        over_http.close()
    client.close()


def test_dtlpy_reads_a_prompt_item_made_with_the_prompt_composer(
    workspace_home: Path, tmp_path: Path
) -> None:
    from dlwidgets.widgets.prompt_composer import PromptComposer

    token = create_token(workspace_secret(workspace_home), EMAIL)
    with serving(workspace_home) as url:
        client = dw.connect(url, token=token)  # over HTTP: the stream URLs are the server's
        dataset = client.projects.create(project_name="prompts").datasets.create(dataset_name="pets")
        jpeg = tmp_path / "cat.jpg"
        Image.fromarray(np.full((30, 40, 3), 120, dtype=np.uint8)).save(jpeg)
        image = dataset.items.upload(local_path=str(jpeg), remote_path="/images")
        audio = dataset.items.upload(
            local_path=b"RIFF....WAVE", remote_path="/sounds", remote_name="meow.wav"
        )
        assert isinstance(image, dw.Item) and isinstance(audio, dw.Item)

        composer = PromptComposer(dataset, remote_path="/prompts")
        composer._name.value = "about-the-cat"
        composer.add_text(0, "What is in this image?\nAnd what is this sound?")
        composer.add_image(0)  # the picker's first choice: the only image
        composer._picker.selected_ids = [audio.id]
        composer.add_audio(0)
        composer.add_prompt(role="assistant")
        composer.add_text(1, "A grey square, and a cat.")
        item = composer.upload()
        assert item is not None, composer._status.value
        composer.close()
        stored = json.loads(item.read())

        seen = run_dtlpy(
            "read-prompt",
            url,
            token,
            tmp_path / "dtlpy",
            {"project": "prompts", "dataset": "pets", "prompt_item_id": item.id},
        )
        client.close()
    text = {"mimetype": "application/text", "value": "What is in this image?\nAnd what is this sound?"}
    assert seen["prompts"] == [
        {
            "key": "1",
            "role": "user",
            "elements": [
                text,
                {"mimetype": "image/*", "value": image.stream},
                {"mimetype": "audio/*", "value": audio.stream},
            ],
        },
        {
            "key": "2",
            "role": "assistant",
            "elements": [{"mimetype": "application/text", "value": "A grey square, and a cat."}],
        },
    ]
    assert seen["referenced"] == {image.stream: "/images/cat.jpg", audio.stream: "/sounds/meow.wav"}
    # dtlpy's own serialisation of what it read is the JSON the composer uploaded.
    assert seen["json"] == stored


def test_dtlpy_answers_a_prompt_with_a_free_text_annotation(workspace_home: Path, tmp_path: Path) -> None:
    """The SDK labels an assistant's answer 'free-text', which no ontology holds: it is stored."""
    token = create_token(workspace_secret(workspace_home), EMAIL)
    with serving(workspace_home) as url:
        seen = run_dtlpy("prompt-response", url, token, tmp_path / "dtlpy")
    assert seen == {"annotations": [["text", "free-text", "Hello."]], "labels": []}


def test_a_partial_annotation_update_keeps_the_fields_it_does_not_send(
    workspace_home: Path, tmp_path: Path
) -> None:
    """dtlpy's ``annotation.update()`` sends only what changed; the rest stays as stored (metadata keys
    merge), from dtlpy over HTTP as from ``dw`` in-process."""
    token = create_token(workspace_secret(workspace_home), EMAIL)
    client = dw.connect(home=str(workspace_home))
    _, image = labelled_image(client, "partial", "pets", ["cat", "dog"])
    builder = image.annotations.builder()
    builder.add(dw.Box(top=5, left=4, bottom=30, right=50, label="cat", attributes={"color": "black"}), 1)
    (box,) = image.annotations.upload(annotations=builder)
    inputs = {"project": "partial", "dataset": "pets", "item_id": image.id, "annotation_id": box.id}

    with serving(workspace_home) as url:
        seen = run_dtlpy("update-annotation", url, token, tmp_path / "dtlpy", inputs)
        assert seen == {
            "label": "dog",
            "attributes": {"color": "white"},
            "object_id": "1",
            "user": {"reviewed_by": "dtlpy"},
            "box": [4, 5, 50, 30],
        }
        # The same partial bodies from dw, in-process: an attribute, a user key, then the label.
        for patch in (
            {"metadata": {"system": {"attributes": {"color": "black"}}}},
            {"metadata": {"user": {"checked_by": "dw"}}},
            {"label": "cat"},
        ):
            client.json("PUT", f"/annotations/{box.id}", json=patch)
        over_http = dw.connect(url, token=token)
        for reader in (over_http, client):
            pets = reader.projects.get(project_name="partial").datasets.get(dataset_name="pets")
            stored = pets.items.get(item_id=image.id).annotations.get(box.id)
            assert (stored.label, stored.attributes, stored.object_id) == ("cat", {"color": "black"}, "1")
            assert stored.metadata["user"] == {"reviewed_by": "dtlpy", "checked_by": "dw"}
            assert stored.coordinates == [{"x": 4, "y": 5, "z": 0}, {"x": 50, "y": 30, "z": 0}]
        over_http.close()
    client.close()


def test_every_error_body_is_json_with_a_message(
    workspace_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """dtlpy parses some error bodies before it looks at the status (``projects.get(project_id=)``), and
    shows ``message``: refusals from outside the store's routes, and a bug's 500, are JSON too."""
    headers = {"authorization": f"Bearer {create_token(workspace_secret(workspace_home), EMAIL)}"}
    with serving(workspace_home) as url:
        gate = url.removesuffix("/api/v1")
        outside = httpx.get(f"{gate}/projects", headers=headers)
        assert outside.status_code == 404
        assert outside.json()["message"] == "Not Found: GET /projects; this server's API is under /api/v1"
        not_allowed = httpx.request("OPTIONS", f"{url}/projects", headers=headers)
        assert not_allowed.status_code == 405
        assert not_allowed.json()["message"] == "Method Not Allowed: OPTIONS /api/v1/projects"
        assert "GET" in not_allowed.headers["allow"]

        def broken(self: Store, request: object) -> None:
            raise RuntimeError("the disk went away")

        monkeypatch.setattr(Store, "handle", broken)
        failed = httpx.get(f"{url}/projects/abc", headers=headers)
        assert failed.status_code == 500
        assert failed.json() == {
            "status": 500,
            "message": "internal error while serving GET /api/v1/projects/abc: "
            "RuntimeError: the disk went away",
        }


def test_dtlpy_shares_a_project_by_role_and_an_annotator_sets_a_status(
    workspace_home: Path, tmp_path: Path
) -> None:
    secret = workspace_secret(workspace_home)
    annotator, manager = "annie@example.com", "manager@example.com"
    with serving(workspace_home) as url:
        ids = one_of_everything(dw.connect(url, token=create_token(secret, EMAIL)), "roles", annotator)
        inputs = {"project": "roles", "annotator": annotator, "manager": manager}
        roles = run_dtlpy("members", url, create_token(secret, EMAIL), tmp_path / "owner", inputs)
        assert roles == {EMAIL: "owner", annotator: "annotator", manager: "annotationManager"}
        token = create_token(secret, annotator)
        statuses = run_dtlpy("annotate-as-annotator", url, token, tmp_path / "annotator", ids)
        assert statuses == {"assignment": "completed", "task": "completed"}
