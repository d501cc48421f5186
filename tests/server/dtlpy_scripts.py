"""Scripts that drive the official ``dtlpy`` SDK against ``dlwidgets serve``; run by test_official_sdk.py.

Each runs in its own process (dtlpy reads its configuration at import and keeps state in
``$DATALOOP_PATH``), asserts what it sees, and prints one ``SUMMARY <json>`` line for the test to check
through ``dlwidgets``. Inputs come from the environment: ``DLW_URL`` (``http://127.0.0.1:PORT/api/v1``),
``DLW_TOKEN`` (a token signed by the workspace), ``DLW_EMAIL`` and ``DLW_INPUTS`` (JSON).

Usage: ``python dtlpy_scripts.py tutorial|read-dw|read-prompt|update-annotation|members|
annotate-as-annotator|example|read-geometries``
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

import dtlpy as dl
import numpy as np
from PIL import Image

SUMMARY = "SUMMARY "
URL = os.environ["DLW_URL"]
TOKEN = os.environ["DLW_TOKEN"]
EMAIL = os.environ["DLW_EMAIL"]
INPUTS: dict[str, Any] = json.loads(os.environ.get("DLW_INPUTS") or "{}")


def connect() -> None:
    """The recipe for a local server: register it once (with the token), switch to it, log in."""
    gate = URL.removesuffix("/api/v1")
    dl.add_environment(
        environment=URL, gate_url=gate, url=gate + "/", alias="local", verify_ssl=False, token=TOKEN
    )
    dl.setenv("local")
    dl.login_token(TOKEN)


def sha256(path: str | os.PathLike[str]) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def box_of(annotation: Any) -> list[float]:
    return [annotation.left, annotation.top, annotation.right, annotation.bottom]


def expect_error(kind: type[Exception], words: str, call: Any, **kwargs: Any) -> None:
    """``call(**kwargs)`` raises ``kind`` whose message holds ``words``."""
    try:
        call(**kwargs)
    except kind as e:
        assert words in str(getattr(e, "message", e)), (kind, words, e)
        return
    raise AssertionError(f"{call.__qualname__}(**{kwargs}) did not raise {kind.__name__}")


def tutorial() -> dict[str, Any]:
    """Sections 2 to 8 of the getting-started tutorial, with the tutorial's own calls."""
    # 1. Setup
    assert not dl.token_expired(), "the token is expired before the first call"
    assert dl.client_api.environment == URL
    assert dl.client_api.info()["user_email"] == EMAIL

    # 2. Projects
    user_email = dl.info()["user_email"]
    user_prefix = user_email.split("@")[0].replace(".", "").replace("-", "")
    project_name = f"{user_prefix}-sdk-getting-started"
    try:
        project = dl.projects.get(project_name=project_name)
        raise AssertionError(f"a fresh workspace already has project {project_name!r}")
    except dl.exceptions.NotFound:
        project = dl.projects.create(project_name=project_name)
    assert project.name == project_name
    assert dl.projects.get(project_name=project_name).id == project.id
    my_projects = dl.projects.list()
    my_projects.print()
    assert [p.name for p in my_projects] == [project_name]

    # 3. Datasets
    dataset_name = "my-sdk-dataset"
    try:
        dataset = project.datasets.get(dataset_name=dataset_name)
        raise AssertionError(f"a fresh project already has dataset {dataset_name!r}")
    except dl.exceptions.NotFound:
        dataset = project.datasets.create(dataset_name=dataset_name)
    assert dataset.name == dataset_name
    assert project.datasets.get(dataset_name=dataset_name).id == dataset.id
    datasets = project.datasets.list()
    datasets.print()
    assert [d.id for d in datasets] == [dataset.id]

    # 4. Recipe and ontology
    recipe = dataset.recipes.list()[0]
    assert recipe.title == f"{dataset_name} Default Recipe", recipe.title
    ontology = recipe.ontologies.list()[0]
    assert len(ontology.labels) == 0
    labels_to_add = {
        "Object1": "#FF0000",
        "CornerPoint": "#00FF00",
        "IndoorScene": "#0000FF",
        "MyTextLabel": "#FFFF00",
    }
    labels_updated = False
    existing_labels = [lbl.tag for lbl in ontology.labels]
    for label_name, color_hex in labels_to_add.items():
        if label_name not in existing_labels:
            ontology.add_label(label_name=label_name, color=color_hex)
            labels_updated = True
    attributes_label_name = "AttributedObject"
    if attributes_label_name not in existing_labels:
        ontology.add_label(label_name=attributes_label_name, color="#FFA500")
        labels_updated = True
    assert labels_updated
    ontology = ontology.update()
    assert len(ontology.labels) == 5
    ontology.update_attributes(
        key="occluded",
        title="Is Occluded?",
        attribute_type=dl.AttributesTypes.YES_NO,
        scope=[attributes_label_name],
    )
    ontology.update_attributes(
        key="size",
        title="Object Size",
        attribute_type=dl.AttributesTypes.RADIO_BUTTON,
        values=["small", "medium", "large"],
        scope=[attributes_label_name],
    )
    ontology.print()
    stored = dataset.recipes.list()[0].ontologies.list()[0]
    assert [lbl.tag for lbl in stored.labels] == [*labels_to_add, attributes_label_name]
    assert [lbl.color for lbl in stored.labels] == ["#ff0000", "#00ff00", "#0000ff", "#ffff00", "#ffa500"]
    attributes = {a["key"]: a for a in stored.metadata["attributes"]}
    assert attributes["occluded"]["type"] == "boolean"
    assert attributes["occluded"]["scope"] == [attributes_label_name]
    assert (attributes["size"]["type"], attributes["size"]["multi"], attributes["size"]["values"]) == (
        "options",
        False,
        ["small", "medium", "large"],
    )
    dataset.add_label(label_name="ShortcutLabel", color="#FFC0CB")
    labels = [lbl.tag for lbl in project.datasets.get(dataset_id=dataset.id).labels]
    assert labels == [*labels_to_add, attributes_label_name, "ShortcutLabel"], labels

    # 5.1 Upload
    data_dir = "data/getting_started_with_sdk"
    image_filepath = os.path.join(data_dir, "sample.jpg")
    text_filepath = os.path.join(data_dir, "sample.txt")
    os.makedirs(data_dir, exist_ok=True)
    Image.fromarray(np.random.randint(0, 256, (100, 150, 3), dtype=np.uint8)).save(image_filepath)
    with open(text_filepath, "w") as f:
        f.write("This is a sample text file for the Dataloop SDK getting started guide.")
    # dtlpy only logs a failed upload unless asked to raise.
    image_item: dl.Item = dataset.items.upload(
        local_path=image_filepath, remote_path="/images", overwrite=True, raise_on_error=True
    )
    text_item: dl.Item = dataset.items.upload(
        local_path=text_filepath, remote_path="/docs", overwrite=True, raise_on_error=True
    )
    assert isinstance(image_item, dl.Item) and isinstance(text_item, dl.Item), (image_item, text_item)
    assert (image_item.filename, text_item.filename) == ("/images/sample.jpg", "/docs/sample.txt")
    assert image_item.metadata["system"]["size"] == os.path.getsize(image_filepath)
    assert image_item.metadata["system"]["mimetype"] == "image/jpeg"
    assert image_item.stream == f"{URL}/items/{image_item.id}/stream"
    again = dataset.items.upload(
        local_path=image_filepath, remote_path="/images", overwrite=True, raise_on_error=True
    )
    assert again.id == image_item.id

    # 5.2 List
    all_items_page = dataset.items.list()
    all_items_page.print()
    assert all_items_page.items_count == 2
    filters = dl.Filters(resource=dl.FiltersResource.ITEM)
    filters.add(field="dir", values="/images")
    image_items_page = dataset.items.list(filters=filters)
    image_items_page.print()
    assert image_items_page.items_count == 1
    assert [i.filename for page in image_items_page for i in page] == ["/images/sample.jpg"]

    # 5.3 Get by path and id
    retrieved_image_item = dataset.items.get(filepath=image_item.filename)
    assert retrieved_image_item.id == image_item.id
    retrieved_text_item = dataset.items.get(item_id=text_item.id)
    assert retrieved_text_item.filename == "/docs/sample.txt"
    try:
        dataset.items.get(filepath="/images/missing.jpg")
        raise AssertionError("items.get found a file that was never uploaded")
    except dl.exceptions.NotFound:
        pass

    # 5.4 Metadata
    assert retrieved_image_item.system["mimetype"] == "image/jpeg"
    assert retrieved_image_item.metadata.get("user", {}) == {}
    if "user" not in retrieved_image_item.metadata or not isinstance(
        retrieved_image_item.metadata["user"], dict
    ):
        retrieved_image_item.metadata["user"] = {}
    retrieved_image_item.metadata["user"]["processed_by_script"] = True
    retrieved_image_item.metadata["user"]["custom_info"] = "This is from the SDK notebook"
    stamp = datetime.datetime.now(datetime.timezone.utc).isoformat()
    retrieved_image_item.metadata["user"]["run_timestamp"] = stamp
    retrieved_image_item = retrieved_image_item.update()
    user_metadata = {
        "processed_by_script": True,
        "custom_info": "This is from the SDK notebook",
        "run_timestamp": stamp,
    }
    assert retrieved_image_item.metadata["user"] == user_metadata
    assert dataset.items.get(item_id=image_item.id).metadata["user"] == user_metadata

    # 5.5 Download
    download_dir = "downloaded_data"
    os.makedirs(download_dir, exist_ok=True)
    download_path = os.path.join(download_dir, retrieved_image_item.name)
    filepath = retrieved_image_item.download(local_path=download_path)
    assert filepath is not None, "item.download failed (see the dtlpy log above)"
    assert sha256(filepath) == sha256(image_filepath)

    # 6. Prompt items
    prompt_item_obj = dl.PromptItem(name="my-first-prompt.json")
    user_prompt = dl.Prompt(key="user_query_1", role="user")
    user_prompt.add_element(mimetype=dl.PromptType.TEXT, value="Describe this image:")
    user_prompt.add_element(mimetype=dl.PromptType.IMAGE, value=retrieved_image_item.stream)
    prompt_item_obj.prompts.append(user_prompt)
    uploaded_prompt_item: dl.Item = dataset.items.upload(
        local_path=prompt_item_obj, remote_path="/prompts", overwrite=True, raise_on_error=True
    )
    assert uploaded_prompt_item.filename == "/prompts/my-first-prompt.json"
    assert "json" in uploaded_prompt_item.metadata["system"]["mimetype"]
    assert uploaded_prompt_item.metadata["system"]["shebang"]["dltype"] == "prompt"
    assert dataset.items.list().items_count == 3
    # Pages of 2, fetched by id (`id $gt <last id>`), as dtlpy does for long listings.
    two_per_page = dl.Filters(resource=dl.FiltersResource.ITEM)
    two_per_page.page_size = 2
    paged_ids = [i.id for page in dataset.items.list(filters=two_per_page) for i in page]
    assert paged_ids == sorted([image_item.id, text_item.id, uploaded_prompt_item.id]), paged_ids

    # 7. Annotations
    item_to_annotate = retrieved_image_item

    def build() -> Any:
        builder = item_to_annotate.annotations.builder()
        builder.add(
            annotation_definition=dl.Box(top=10, left=10, bottom=50, right=60, label="Object1"), object_id=1
        )
        builder.add(annotation_definition=dl.Point(x=75, y=75, label="CornerPoint"), object_id=2)
        builder.add(annotation_definition=dl.Classification(label="IndoorScene"))
        return builder

    # `delete(filters=None)` (commented out in the tutorial) raises inside dtlpy; 'all' is the working form.
    try:
        item_to_annotate.annotations.delete(filters=None)
        raise AssertionError("annotations.delete(filters=None) no longer raises")
    except dl.exceptions.BadRequest:
        pass
    assert len(item_to_annotate.annotations.upload(annotations=build())) == 3
    assert len(item_to_annotate.annotations.list()) == 3
    assert item_to_annotate.annotations.delete(annotation="all")
    assert len(item_to_annotate.annotations.list()) == 0
    uploaded_annotations = item_to_annotate.annotations.upload(annotations=build())
    assert len(uploaded_annotations) == 3
    annotations_on_item = item_to_annotate.annotations.list()
    annotations_on_item.print()
    by_type = {a.type: a for a in annotations_on_item}
    assert sorted(by_type) == ["box", "class", "point"]
    assert [(a.label, a.object_id) for a in (by_type["box"], by_type["point"])] == [
        ("Object1", "1"),
        ("CornerPoint", "2"),
    ]
    assert by_type["class"].label == "IndoorScene"
    assert box_of(by_type["box"]) == [10, 10, 60, 50]
    assert (by_type["point"].x, by_type["point"].y) == (75, 75)
    assert dataset.items.get(item_id=image_item.id).annotations_count == 3

    # 8. Tasks and assignments
    assignee_email = dl.info()["user_email"]
    due_date = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=7)
    task_name = f"SDK-GettingStarted-Task-{datetime.datetime.now().strftime('%Y%m%d-%H%M')}"
    task: dl.Task = dataset.tasks.create(
        task_name=task_name,
        due_date=due_date.timestamp(),
        assignee_ids=[assignee_email],
        items=[image_item],
    )
    assert task.name == task_name
    assignments = task.assignments.list()
    assignments.print()
    assert [a.annotator for a in assignments] == [assignee_email]

    # Refusals reach dtlpy as its own exceptions, with the server's message.
    expect_error(dl.exceptions.NotFound, "Project not found", dl.projects.get, project_id="f" * 24)
    expect_error(dl.exceptions.Conflict, project_name, dl.projects.create, project_name=project_name)
    expect_error(dl.exceptions.Conflict, dataset_name, project.datasets.create, dataset_name=dataset_name)
    expect_error(dl.exceptions.NotFound, "missing-task", dataset.tasks.get, task_id="missing-task")

    return {
        "project": {"id": project.id, "name": project.name},
        "dataset": {"id": dataset.id, "name": dataset.name},
        "items": {
            "image": {"id": image_item.id, "sha256": sha256(image_filepath)},
            "text": {"id": text_item.id, "sha256": sha256(text_filepath)},
            "prompt": {"id": uploaded_prompt_item.id},
        },
        "user_metadata": user_metadata,
        "annotations": {
            a.type: {"id": a.id, "label": a.label, "coordinates": a.coordinates} for a in annotations_on_item
        },
        "task": {"id": task.id, "name": task.name, "due_ms": due_date.timestamp() * 1000},
        "assignments": [{"id": a.id, "annotator": a.annotator} for a in assignments],
    }


def read_dw() -> dict[str, Any]:
    """What dlwidgets wrote (described by ``DLW_INPUTS``), read and changed with the official SDK."""
    expected = INPUTS
    project = dl.projects.get(project_name=expected["project"])
    assert [p.name for p in dl.projects.list()] == [expected["project"]]
    dataset = project.datasets.get(dataset_name=expected["dataset"])
    assert [d.id for d in project.datasets.list()] == [dataset.id]
    ontology = dataset.recipes.list()[0].ontologies.list()[0]
    assert [(lbl.tag, lbl.color) for lbl in ontology.labels] == [tuple(x) for x in expected["labels"]]
    attributes = {a["key"]: a for a in ontology.metadata["attributes"]}
    assert attributes["color"]["values"] == expected["attribute_values"], attributes
    assert sorted(lbl.tag for lbl in dataset.labels) == sorted(tag for tag, _ in expected["labels"])

    pages = dataset.items.list()
    assert pages.items_count == len(expected["items"])
    assert sorted(i.filename for page in pages for i in page) == sorted(expected["items"])
    image = dataset.items.get(filepath=expected["image"])
    assert image.metadata["system"]["size"] == expected["image_size"]
    assert image.metadata["user"] == expected["user_metadata"]
    path = image.download(local_path="downloads")
    assert path is not None, "item.download failed (see the dtlpy log above)"
    assert sha256(path) == expected["image_sha256"]

    annotations = image.annotations.list()
    by_type = {a.type: a for a in annotations}
    assert sorted(by_type) == ["box", "class", "point"]
    assert box_of(by_type["box"]) == expected["box"]
    assert by_type["box"].attributes == expected["box_attributes"]
    assert [by_type["point"].x, by_type["point"].y] == expected["point"]
    assert by_type["class"].label == expected["class_label"]
    # A single annotation is deleted with DELETE /annotations/{id} and a JSON body.
    assert image.annotations.delete(annotation_id=by_type["point"].id)
    assert sorted(a.type for a in image.annotations.list()) == ["box", "class"]

    task = dataset.tasks.get(task_id=expected["task_id"])
    assert task.name == expected["task_name"]
    assert [t.id for t in dataset.tasks.list()] == [task.id]
    assert dataset.tasks.get(task_name=expected["task_name"]).id == task.id
    assignments = task.assignments.list()
    assert sorted(a.annotator for a in assignments) == sorted(expected["assignees"])

    image.metadata["user"]["seen_by"] = "dtlpy"
    image = image.update()
    # A system update keeps working, but what the store measured from the bytes stays as it was.
    image.metadata["system"]["size"] = 1
    image.metadata["system"]["reviewed"] = True
    image = image.update(system_metadata=True)
    assert image.metadata["system"]["size"] == expected["image_size"], image.metadata["system"]
    assert image.metadata["system"]["reviewed"] is True
    assert sha256(image.download(local_path="again")) == expected["image_sha256"]
    return {
        "deleted_annotation": by_type["point"].id,
        "assignments": sorted(a.id for a in assignments),
    }


def read_prompt() -> dict[str, Any]:
    """A prompt item written by dlwidgets' PromptComposer, read with ``dl.PromptItem.from_item``: its
    prompts (key, role, elements), and the items its media elements reference."""
    dataset = dl.projects.get(project_name=INPUTS["project"]).datasets.get(dataset_name=INPUTS["dataset"])
    item = dataset.items.get(item_id=INPUTS["prompt_item_id"])
    assert item.metadata["system"]["shebang"]["dltype"] == "prompt", item.metadata
    prompt_item = dl.PromptItem.from_item(item)
    assert prompt_item.name == item.name
    assert prompt_item.assistant_prompts == []  # no annotations on the item
    referenced = {}
    for prompt in prompt_item.prompts:
        for element in prompt.elements:
            if element["mimetype"] != dl.PromptType.TEXT:
                item_id = element["value"].rstrip("/").split("/")[-2]
                media = dataset.items.get(item_id=item_id)
                assert media.stream == element["value"], (media.stream, element["value"])
                referenced[element["value"]] = media.filename
    return {
        "prompts": [
            {"key": p.key, "role": p.metadata["role"], "elements": p.elements} for p in prompt_item.prompts
        ],
        "json": prompt_item.to_json(),
        "referenced": referenced,
    }


def update_annotation() -> dict[str, Any]:
    """``annotation.update()`` sends only what changed: an attribute, then user metadata, then the label;
    each later update keeps what the earlier ones stored. Returns what a fresh ``get`` reads back."""
    dataset = dl.projects.get(project_name=INPUTS["project"]).datasets.get(dataset_name=INPUTS["dataset"])
    item = dataset.items.get(item_id=INPUTS["item_id"])
    annotation = item.annotations.get(annotation_id=INPUTS["annotation_id"])
    annotation.attributes = {"color": "white"}
    annotation = annotation.update()
    annotation.metadata["user"] = {"reviewed_by": "dtlpy"}
    annotation = annotation.update()
    annotation.label = "dog"
    annotation = annotation.update()
    stored = item.annotations.get(annotation_id=INPUTS["annotation_id"])
    return {
        "label": stored.label,
        "attributes": stored.attributes,
        "object_id": stored.object_id,
        "user": stored.metadata.get("user"),
        "box": box_of(stored),
    }


def members() -> dict[str, Any]:
    """An owner shares a project with dtlpy's member calls and the platform's role names; the last owner
    cannot leave. Returns each member's role as ``list_members`` reads it."""
    project = dl.projects.get(project_name=INPUTS["project"])
    project.add_member(email=INPUTS["annotator"], role=dl.MemberRole.ANNOTATOR)
    project.add_member(email=INPUTS["manager"], role=dl.MemberRole.DEVELOPER)
    project.update_member(email=INPUTS["manager"], role=dl.MemberRole.ANNOTATION_MANAGER)
    expect_error(dl.exceptions.Conflict, "last owner", project.remove_member, email=EMAIL)
    assert dl.projects.get(project_name=INPUTS["project"]).role == dl.MemberRole.OWNER
    return {member.email: member.role for member in project.list_members()}


def annotate_as_annotator() -> dict[str, Any]:
    """An annotator (``DLW_TOKEN`` is hers) sets the status of an item of her assignment with
    ``item.update_status`` and reads it back with ``item.status``; deleting the dataset is refused."""
    item = dl.items.get(item_id=INPUTS["item_id"])
    item.update_status(status=dl.ItemStatus.COMPLETED, assignment_id=INPUTS["assignment_id"])
    item = dl.items.get(item_id=INPUTS["item_id"])
    dataset = dl.datasets.get(dataset_id=item.dataset_id)
    expect_error(dl.exceptions.Forbidden, "needs the role", dataset.delete, sure=True, really=True)
    assert dl.projects.get(project_id=dataset.project.id).role == dl.MemberRole.ANNOTATOR
    return {
        "assignment": item.status(assignment_id=INPUTS["assignment_id"]),
        "task": item.status(task_id=INPUTS["task_id"]),
    }


def prompt_response() -> dict[str, Any]:
    """A prompt item answered with ``PromptItem.add``: the SDK stores the assistant's text as a 'text'
    annotation labelled 'free-text', a label no ontology holds. Returns what the item's annotations are."""
    dataset = dl.projects.create(project_name="answers").datasets.create(dataset_name="chat")
    prompt_item = dl.PromptItem(name="question")
    item = dataset.items.upload(local_path=prompt_item, remote_path="/prompts", raise_on_error=True)
    prompt_item = dl.PromptItem.from_item(item)
    prompt_item.add(message={"role": "user", "content": [{"mimetype": dl.PromptType.TEXT, "value": "Hi?"}]})
    answer = {"role": "assistant", "content": [{"mimetype": dl.PromptType.TEXT, "value": "Hello."}]}
    prompt_item.add(message=answer, model_info={"name": "echo", "confidence": 1.0, "model_id": "m1"})
    stored = dataset.items.get(item_id=item.id)
    return {
        "annotations": [(a.type, a.label, a.coordinates) for a in stored.annotations.list()],
        "labels": [label.tag for label in dataset.labels],
    }


def read_geometries() -> list[dict[str, Any]]:
    """An item's annotations (``DLW_INPUTS``: project, dataset, filepath) as dtlpy's own annotation
    definitions read them: each one's type, label and geometry in image pixels."""
    project = dl.projects.get(project_name=INPUTS["project"])
    item = project.datasets.get(dataset_name=INPUTS["dataset"]).items.get(filepath=INPUTS["filepath"])
    read = []
    for annotation in item.annotations.list():
        definition = annotation.annotation_definition
        geometry: dict[str, Any] = {}
        if isinstance(definition, (dl.Polygon, dl.Polyline)):
            geometry = {"points": np.asarray(definition.geo, dtype=float).tolist()}
        elif isinstance(definition, dl.Ellipse):
            geometry = {k: float(getattr(definition, k)) for k in ("x", "y", "rx", "ry", "angle")}
        elif isinstance(definition, dl.Box):
            geometry = {k: float(getattr(definition, k)) for k in ("left", "top", "right", "bottom")}
            geometry["angle"] = float(definition.angle or 0)
        read.append({"type": annotation.type, "label": annotation.label, **geometry})
    return read


def example() -> Any:
    """One of ``tests/sdk/examples`` (``DLW_INPUTS["example"]``), run as written, signed in already; returns
    the ``result`` it leaves."""
    path = Path(INPUTS["example"])
    namespace: dict[str, Any] = {"__name__": "__example__", "__file__": str(path)}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    return namespace["result"]


if __name__ == "__main__":
    connect()
    steps = {
        "tutorial": tutorial,
        "read-dw": read_dw,
        "read-prompt": read_prompt,
        "update-annotation": update_annotation,
        "members": members,
        "annotate-as-annotator": annotate_as_annotator,
        "prompt-response": prompt_response,
        "example": example,
        "read-geometries": read_geometries,
    }
    print(SUMMARY + json.dumps(steps[sys.argv[1]]()), flush=True)
