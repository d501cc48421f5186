"""A dataset with an ontology and one non-square image, for the widget tests."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import comm
import ipywidgets as w
import numpy as np
import pytest
from canvas_messages import Sent
from PIL import Image

import dlwidgets as dw
from dlwidgets.widgets.models import annotation_drafts


@pytest.fixture(scope="session", autouse=True)
def _forget_drafts_at_the_end() -> Iterator[None]:
    """The tests' annotators stay open with drafts in workspaces deleted since; the warning a kernel
    shutdown logs for open drafts would name each of them after the run."""
    yield
    annotation_drafts._OPEN.clear()


def street_dataset(project: dw.Project, name: str) -> dw.Dataset:
    """A dataset whose ontology is made with the tutorial's calls: car, person, indoor, and a yes/no
    attribute for cars."""
    dataset = project.datasets.create(dataset_name=name)
    ontology = dataset.ontology()
    ontology.add_label(label_name="car", color="#ff0000")
    ontology.add_label(label_name="person", color="#00ff00")
    ontology.add_label(label_name="indoor", color="#0000ff")
    ontology.update_attributes(
        key="occluded", title="Occluded?", attribute_type=dw.AttributesTypes.YES_NO, scope=["car"]
    )
    return dataset


@pytest.fixture
def make_street_dataset(client: dw.Client) -> Callable[[str], dw.Dataset]:
    """``make_street_dataset(name)``: another dataset like ``dataset``, in the same project."""
    return lambda name: street_dataset(client.projects.get(project_name="widgets"), name)


@pytest.fixture
def dataset(client: dw.Client) -> dw.Dataset:
    return street_dataset(client.projects.create(project_name="widgets"), "street")


def jpeg(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.random.randint(0, 256, (height, width, 3), dtype=np.uint8)).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def make_jpeg() -> Callable[[int, int], bytes]:
    return jpeg


@pytest.fixture
def image_item(dataset: dw.Dataset) -> dw.Item:
    item = dataset.items.upload(local_path=jpeg(640, 400), remote_path="/images", remote_name="street.jpg")
    assert isinstance(item, dw.Item)
    return item


@pytest.fixture
def task(dataset: dw.Dataset, make_jpeg: Callable[[int, int], bytes]) -> dw.Task:
    """A labeling task over three 64 x 48 images, all assigned to ann@example.com."""
    items = [
        dataset.items.upload(local_path=make_jpeg(64, 48), remote_path="/", remote_name=f"{n}.jpg")
        for n in range(3)
    ]
    return dataset.tasks.create(task_name="label", assignee_ids=["ann@example.com"], items=items)


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Sent:
    """Every custom message a widget sends, recorded where it leaves the kernel."""
    log: Sent = []
    send = w.Widget._send

    def recorded_send(self: w.Widget, msg: dict[str, Any], buffers: Any = None) -> None:
        if msg["method"] == "custom":
            log.append((msg["content"], [bytes(b) for b in buffers or ()]))
        send(self, msg, buffers)

    monkeypatch.setattr(w.Widget, "_send", recorded_send)
    return log


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The opening state of every model opened from now on, as it goes to the page."""
    states: list[dict[str, Any]] = []
    create = comm.create_comm

    def recording(*args: Any, **kwargs: Any) -> Any:
        states.append(kwargs["data"]["state"])
        return create(*args, **kwargs)

    monkeypatch.setattr(comm, "create_comm", recording)
    return states
