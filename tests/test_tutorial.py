"""The getting-started tutorial, sections 2 to 8, cell by cell with ``import dlwidgets as dw``.

Written the way the tutorial's cells are and asserting what the tutorial prints, against a fresh
embedded workspace and against the same workspace served over real HTTP by ``dlwidgets serve``.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from serving import serving

import dlwidgets as dw
from dlwidgets.server import create_token, workspace_secret


@pytest.fixture(params=["local", "http"])
def client(request: pytest.FixtureRequest, workspace_home: Path) -> Iterator[dw.Client]:
    """The default client: the embedded workspace, or the same workspace through ``dlwidgets serve``."""
    if request.param == "local":
        yield dw.connect()
        return
    with serving(workspace_home) as url:
        yield dw.connect(url, token=create_token(workspace_secret(workspace_home), "ann.lee@example.com"))


def test_getting_started_tutorial(
    client: dw.Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.chdir(tmp_path)
    # 1. Setup
    assert dw.token_expired() is False
    assert dw.client_api.environment == client.environment
    assert dw.client_api.info()["user_email"] == "ann.lee@example.com"

    # 2. Projects
    user_email = dw.info()["user_email"]
    user_prefix = user_email.split("@")[0].replace(".", "").replace("-", "")
    project_name = f"{user_prefix}-sdk-getting-started"
    try:
        project = dw.projects.get(project_name=project_name)
    except dw.exceptions.NotFound:
        project = dw.projects.create(project_name=project_name)
    assert project.name == "annlee-sdk-getting-started"
    assert dw.projects.get(project_name=project_name).id == project.id
    my_projects = dw.projects.list()
    my_projects.print()
    assert [p.name for p in my_projects] == [project_name]

    # 3. Datasets
    dataset_name = "my-sdk-dataset"
    try:
        dataset = project.datasets.get(dataset_name=dataset_name)
    except dw.exceptions.NotFound:
        dataset = project.datasets.create(dataset_name=dataset_name)
    assert dataset.name == dataset_name
    datasets = project.datasets.list()
    datasets.print()
    assert [d.id for d in datasets] == [dataset.id]

    # 4. Recipe and ontology
    recipe = dataset.recipes.list()[0]
    assert recipe.title == "my-sdk-dataset Default Recipe"
    ontology = recipe.ontologies.list()[0]
    assert len(ontology.labels) == 0
    labels_to_add = {
        "Object1": "#FF0000",
        "CornerPoint": "#00FF00",
        "IndoorScene": "#0000FF",
        "MyTextLabel": "#FFFF00",
    }
    existing_labels = [lbl.tag for lbl in ontology.labels]
    for label_name, color_hex in labels_to_add.items():
        if label_name not in existing_labels:
            ontology.add_label(label_name=label_name, color=color_hex)
    attributes_label_name = "AttributedObject"
    ontology.add_label(label_name=attributes_label_name, color="#FFA500")
    ontology = ontology.update()
    assert len(ontology.labels) == 5
    ontology.update_attributes(
        key="occluded",
        title="Is Occluded?",
        attribute_type=dw.AttributesTypes.YES_NO,
        scope=[attributes_label_name],
    )
    ontology.update_attributes(
        key="size",
        title="Object Size",
        attribute_type=dw.AttributesTypes.RADIO_BUTTON,
        values=["small", "medium", "large"],
        scope=[attributes_label_name],
    )
    ontology.print()
    printed = capsys.readouterr().out
    assert "AttributedObject" in printed and "#ffa500" in printed and "Object Size" in printed
    stored = dataset.recipes.list()[0].ontologies.list()[0]
    assert [label.tag for label in stored.labels] == [*labels_to_add, "AttributedObject"]
    assert [label.color for label in stored.labels][:2] == ["#ff0000", "#00ff00"]
    size = next(a for a in stored.attributes if a.key == "size")
    assert (size.type, size.multi, size.values, size.scope) == (
        "options",
        False,
        ["small", "medium", "large"],
        ["AttributedObject"],
    )
    dataset.add_label(label_name="ShortcutLabel", color="#FFC0CB")
    assert "ShortcutLabel" in [label.tag for label in dataset.labels]

    # 5.1 Upload
    data_dir = "data/getting_started_with_sdk"
    os.makedirs(data_dir, exist_ok=True)
    image_filepath = os.path.join(data_dir, "sample.jpg")
    text_filepath = os.path.join(data_dir, "sample.txt")
    Image.fromarray(np.random.randint(0, 256, (100, 150, 3), dtype=np.uint8)).save(image_filepath)
    with open(text_filepath, "w") as f:
        f.write("This is a sample text file for the Dataloop SDK getting started guide.")
    image_item: dw.Item = dataset.items.upload(
        local_path=image_filepath, remote_path="/images", overwrite=True
    )
    text_item: dw.Item = dataset.items.upload(local_path=text_filepath, remote_path="/docs", overwrite=True)
    assert image_item.filename == "/images/sample.jpg"
    assert text_item.filename == "/docs/sample.txt"
    assert (image_item.width, image_item.height, image_item.mimetype) == (150, 100, "image/jpeg")
    assert image_item.size == os.path.getsize(image_filepath)
    again = dataset.items.upload(local_path=image_filepath, remote_path="/images", overwrite=True)
    assert again.id == image_item.id

    # 5.2 List
    all_items_page = dataset.items.list()
    all_items_page.print()
    assert all_items_page.items_count == 2
    filters = dw.Filters(resource=dw.FiltersResource.ITEM)
    filters.add(field="dir", values="/images")
    image_items_page = dataset.items.list(filters=filters)
    assert image_items_page.items_count == 1
    assert [i.filename for page in image_items_page for i in page] == ["/images/sample.jpg"]

    # 5.3 Get by path and id
    retrieved_image_item = dataset.items.get(filepath=image_item.filename)
    assert retrieved_image_item.id == image_item.id
    retrieved_text_item = dataset.items.get(item_id=text_item.id)
    assert retrieved_text_item.filename == "/docs/sample.txt"
    with pytest.raises(dw.exceptions.NotFound):
        dataset.items.get(filepath="/images/missing.jpg")

    # 5.4 Metadata
    assert retrieved_image_item.system["mimetype"] == "image/jpeg"
    assert retrieved_image_item.metadata.get("user", {}) == {}
    retrieved_image_item.metadata["user"] = {}
    retrieved_image_item.metadata["user"]["processed_by_script"] = True
    retrieved_image_item.metadata["user"]["custom_info"] = "This is from the SDK notebook"
    stamp = datetime.datetime.now(datetime.timezone.utc).isoformat()
    retrieved_image_item.metadata["user"]["run_timestamp"] = stamp
    retrieved_image_item = retrieved_image_item.update()
    assert retrieved_image_item.metadata["user"] == {
        "processed_by_script": True,
        "custom_info": "This is from the SDK notebook",
        "run_timestamp": stamp,
    }
    assert dataset.items.get(item_id=image_item.id).metadata["user"]["processed_by_script"] is True

    # 5.5 Download
    download_dir = "downloaded_data"
    os.makedirs(download_dir, exist_ok=True)
    filepath = retrieved_image_item.download(local_path=os.path.join(download_dir, retrieved_image_item.name))
    assert Path(filepath).read_bytes() == Path(image_filepath).read_bytes()

    # 6. Prompt items
    prompt_item_obj = dw.PromptItem(name="my-first-prompt.json")
    user_prompt = dw.Prompt(key="user_query_1", role="user")
    user_prompt.add_element(mimetype=dw.PromptType.TEXT, value="Describe this image:")
    user_prompt.add_element(mimetype=dw.PromptType.IMAGE, value=retrieved_image_item.stream)
    prompt_item_obj.prompts.append(user_prompt)
    uploaded_prompt_item: dw.Item = dataset.items.upload(
        local_path=prompt_item_obj, remote_path="/prompts", overwrite=True
    )
    assert uploaded_prompt_item.filename == "/prompts/my-first-prompt.json"
    assert uploaded_prompt_item.system["shebang"] == {"dltype": "prompt"}
    assert json.loads(uploaded_prompt_item.read()) == {
        "shebang": "dataloop",
        "metadata": {"dltype": "prompt"},
        "prompts": {
            "user_query_1": [
                {"mimetype": "application/text", "value": "Describe this image:"},
                {"mimetype": "image/*", "value": retrieved_image_item.stream},
                {"mimetype": "metadata", "value": {"role": "user"}},
            ]
        },
    }

    # 7. Annotations
    builder = retrieved_image_item.annotations.builder()
    builder.add(
        annotation_definition=dw.Box(top=10, left=10, bottom=50, right=60, label="Object1"), object_id=1
    )
    builder.add(annotation_definition=dw.Point(x=75, y=75, label="CornerPoint"), object_id=2)
    builder.add(annotation_definition=dw.Classification(label="IndoorScene"))
    uploaded_annotations = retrieved_image_item.annotations.upload(annotations=builder)
    assert len(uploaded_annotations) == 3
    annotations_on_item = retrieved_image_item.annotations.list()
    annotations_on_item.print()
    assert [(a.type, a.label, a.object_id) for a in annotations_on_item] == [
        ("box", "Object1", "1"),
        ("point", "CornerPoint", "2"),
        ("class", "IndoorScene", None),
    ]
    assert annotations_on_item[0].coordinates == [{"x": 10, "y": 10, "z": 0}, {"x": 60, "y": 50, "z": 0}]
    assert annotations_on_item[1].coordinates == {"x": 75, "y": 75, "z": 0}
    assert "coordinates" not in annotations_on_item[2].to_json() or annotations_on_item[2].coordinates is None
    assert dataset.items.get(item_id=image_item.id).annotations_count == 3

    # 8. Tasks and assignments
    assignee_email = dw.info()["user_email"]
    due_date = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=7)
    task_name = f"SDK-GettingStarted-Task-{datetime.datetime.now().strftime('%Y%m%d-%H%M')}"
    task: dw.Task = dataset.tasks.create(
        task_name=task_name, due_date=due_date.timestamp(), assignee_ids=[assignee_email], items=[image_item]
    )
    assert task.name == task_name
    assert task.due_date == pytest.approx(due_date.timestamp() * 1000)
    assignments = task.assignments.list()
    assignments.print()
    assert [(a.annotator, a.total_items) for a in assignments] == [(assignee_email, 1)]
