"""``one_of_everything``: a project holding one entity of each kind, made over HTTP, and the ids of them
keyed by the path parameter that names each kind (``"dataset_id"``, ...), as the route table spells it."""

from __future__ import annotations

import io

from PIL import Image

import dlwidgets as dw


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(buffer, format="JPEG")
    return buffer.getvalue()


def one_of_everything(client: dw.Client, name: str, assignee: str) -> dict[str, str]:
    """A project ``name`` with a dataset, an item, an annotation, and a task assigned to ``assignee``."""
    project = client.projects.create(project_name=name)
    dataset = project.datasets.create(dataset_name="d")
    dataset.add_label("car", "#ff0000")
    item = dataset.items.upload(local_path=jpeg(), remote_path="/i", remote_name="a.jpg")
    assert isinstance(item, dw.Item)
    builder = item.annotations.builder()
    builder.add(dw.Box(top=1, left=1, bottom=5, right=5, label="car"))
    (annotation,) = item.annotations.upload(builder)
    command = client.json(
        "POST",
        "/annotationtasks",
        json={"name": "t", "datasetId": dataset.id, "workload": [{"assigneeId": assignee, "load": 100}]},
    )
    task_id = command["spec"]["createdTaskId"]
    (assignment,) = client.json("GET", "/assignments", params={"taskId": task_id})["items"]
    recipe = client.json("GET", f"/recipes/{dataset.recipe_ids[0]}")
    return {
        "project_id": project.id,
        "dataset_id": dataset.id,
        "item_id": item.id,
        "annotation_id": annotation.id,
        "task_id": task_id,
        "assignment_id": assignment["id"],
        "recipe_id": recipe["id"],
        "ontology_id": recipe["ontologyIds"][0],
        "command_id": command["id"],
    }
