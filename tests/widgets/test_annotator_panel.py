"""The Annotator's side panel driven by the messages its browser view sends (``PanelRequest``s), read back
from its synced traits, as the browser would read them: the header, the label list with its counts and
recently used labels, relabelling that says so, and the objects list's select, hide, lock and delete; on a
crowded item an edit sends the rows it changed, not the list."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import ipywidgets as w
import pytest
from test_annotator import click, drag, key
from test_control_bar import opening_states

import dlwidgets as dw
from dlwidgets.widgets.annotator import Annotator
from dlwidgets.widgets.annotator.label_colors import label_colors
from dlwidgets.widgets.annotator.panels import SidePanel


def panel(annotator: Annotator, message: dict[str, Any]) -> None:
    annotator.side_panel._on_message(annotator.side_panel, message, [])


@pytest.fixture
def annotator(image_item: dw.Item) -> Annotator:
    return Annotator(image_item, width=800, height=520)


def test_the_header_says_which_item_is_open(annotator: Annotator, image_item: dw.Item) -> None:
    header = annotator.side_panel.header
    assert header == {
        "name": "street.jpg",
        "folder": "/images",
        "size": "640 x 400 px",
        "position": "1 of 1",
        "annotations": 0,
    }
    drag(annotator, (10, 10), (60, 60))
    assert annotator.side_panel.header["annotations"] == 1


def test_a_label_picked_in_the_list_relabels_the_selected_box_and_says_so(annotator: Annotator) -> None:
    drag(annotator, (10, 10), (60, 60))
    drag(annotator, (100, 100), (160, 160))
    assert annotator.side_panel.counts == {"car": 2}
    panel(annotator, {"type": "label", "label": "person"})
    assert [a.label for a in annotator.annotations] == ["car", "person"]
    assert annotator.status == "box 2 relabelled car → person"
    assert annotator.side_panel.counts == {"car": 1, "person": 1}
    assert annotator.side_panel.label == "person" and annotator.side_panel.recent == ["person"]
    key(annotator, "Escape")
    panel(annotator, {"type": "label", "label": "car"})  # nothing selected: only new shapes get it
    assert [a.label for a in annotator.annotations] == ["car", "person"]
    assert annotator.side_panel.recent == ["car", "person"]


def test_a_label_outside_the_ontology_is_refused_with_the_labels_named(annotator: Annotator) -> None:
    panel(annotator, {"type": "label", "label": "bicycle"})
    assert "'bicycle' is not in the ontology" in annotator.status and "'car'" in annotator.status
    assert annotator.label == "car"


def test_objects_are_selected_hidden_locked_and_deleted_from_the_list(annotator: Annotator) -> None:
    drag(annotator, (10, 10), (60, 60))
    drag(annotator, (100, 100), (160, 160))
    first, second = (row["key"] for row in annotator.side_panel.objects)
    assert [(r["number"], r["shape"], r["label"]) for r in annotator.side_panel.objects] == [
        (1, "box", "car"),
        (2, "box", "car"),
    ]
    panel(annotator, {"type": "select", "key": first})
    assert annotator.selected == first and annotator.side_panel.selection["number"] == 1

    # Hidden: not drawn, and a click there no longer finds it; shown again by a click in the list.
    panel(annotator, {"type": "object", "key": first, "action": "hide"})
    assert annotator.side_panel.hidden == [first] and annotator.selected is None
    key(annotator, "v")
    click(annotator, (30, 30))
    assert annotator.selected is None
    panel(annotator, {"type": "select", "key": first})
    assert annotator.selected == first and annotator.side_panel.hidden == []

    # Locked: selected, but neither dragged, nudged, relabelled, edited nor deleted.
    panel(annotator, {"type": "object", "key": first, "action": "lock"})
    before = annotator.annotations[0].coordinates
    drag(annotator, (30, 30), (50, 50))
    key(annotator, "ArrowRight")
    key(annotator, "Delete")
    key(annotator, "2")
    panel(annotator, {"type": "attribute", "key": "occluded", "value": True})
    assert "locked" in annotator.status
    panel(annotator, {"type": "object", "key": first, "action": "delete"})
    assert "unlock it" in annotator.status
    assert annotator.annotations[0].coordinates == before
    assert (annotator.annotations[0].label, annotator.annotations[0].attributes) == ("car", {})
    assert annotator.side_panel.locked == [first]

    panel(annotator, {"type": "object", "key": first, "action": "unlock"})
    panel(annotator, {"type": "object", "key": first, "action": "delete"})
    assert [row["key"] for row in annotator.side_panel.objects] == [second]
    assert annotator.side_panel.objects[0]["number"] == 1 and annotator.side_panel.locked == []
    key(annotator, "z", ctrl=True)  # a delete from the list is undone as any other
    assert len(annotator.side_panel.objects) == 2


def test_hovering_an_object_outlines_it_on_its_own_layer(annotator: Annotator) -> None:
    drag(annotator, (10, 10), (60, 60))
    (row,) = annotator.side_panel.objects
    panel(annotator, {"type": "hover", "key": row["key"]})
    assert annotator._is_highlighted
    panel(annotator, {"type": "hover", "key": -1})
    assert not annotator._is_highlighted


def test_messages_of_another_shape_are_ignored(annotator: Annotator) -> None:
    drag(annotator, (10, 10), (60, 60))
    for message in (
        {"type": "select", "key": "1"},
        {"type": "object", "key": 1, "action": "explode"},
        {"type": "label"},
        {"type": "nonsense"},
        {"type": "select", "key": 999},
    ):
        panel(annotator, message)
    assert len(annotator.annotations) == 1 and annotator.status == ""


@pytest.fixture
def panel_bytes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, Any, int]]]:
    """Every message a side panel sends (its method, content or state, and bytes as sent)."""
    log: list[tuple[str, Any, int]] = []
    send = w.Widget._send

    def recorded_send(self: w.Widget, msg: dict[str, Any], buffers: Any = None) -> None:
        if isinstance(self, SidePanel):
            size = len(json.dumps(msg, default=str)) + sum(len(bytes(b)) for b in buffers or ())
            log.append((msg["method"], msg.get("content") or msg.get("state"), size))
        send(self, msg, buffers)

    monkeypatch.setattr(w.Widget, "_send", recorded_send)
    yield log


def test_an_edit_on_a_crowded_item_sends_the_rows_it_changed_not_the_list(
    image_item: dw.Item, panel_bytes: list[tuple[str, Any, int]]
) -> None:
    builder = image_item.annotations.builder()
    for n in range(5000):
        x, y = n % 100 * 6, n // 100 * 7
        builder.add(dw.Box(left=x, top=y, right=x + 5, bottom=y + 5, label="car" if n % 2 else "person"))
    image_item.annotations.upload(annotations=builder)
    annotator = Annotator(image_item, width=800, height=520)
    assert annotator.side_panel.get_state()["listed"] is None, "too long for the model's state"
    panel(annotator, {"type": "objects"})  # what the view asks once the image is drawn
    ((_, shown, _),) = [m for m in panel_bytes if m[0] == "custom"]
    assert shown["type"] == "objects" and shown["keys"] == [1, 5000]
    assert annotator.side_panel.counts == {"car": 2500, "person": 2500}

    for edit in (
        lambda: drag(annotator, (620, 300), (630, 310)),  # a new box, selected
        lambda: panel(annotator, {"type": "label", "label": "person"}),  # relabelled
        lambda: panel(annotator, {"type": "attribute", "key": "occluded", "value": True}),
        lambda: panel(annotator, {"type": "select", "key": annotator.side_panel.objects[10]["key"]}),
        lambda: panel(annotator, {"type": "object", "key": annotator.selected, "action": "delete"}),
    ):
        panel_bytes.clear()
        edit()
        assert panel_bytes and sum(size for *_, size in panel_bytes) < 4096, panel_bytes
    assert len(annotator.side_panel.objects) == 5000
    (change,) = [content for method, content, _ in panel_bytes if method == "custom"]
    tenth = shown["keys"][0] + 10
    assert (change["type"], change["rows"], change["removed"]) == ("objects-changed", [], [tenth])


def test_the_objects_list_opens_with_the_panel_and_each_change_follows_it_unasked(
    image_item: dw.Item, monkeypatch: pytest.MonkeyPatch, panel_bytes: list[tuple[str, Any, int]]
) -> None:
    opened = opening_states(monkeypatch)
    annotator = Annotator(image_item, width=800, height=520)
    drag(annotator, (100, 100), (200, 200))
    assert annotator.side_panel.comm is not None
    listed = opened[annotator.side_panel.comm.comm_id]["listed"]
    assert (listed["keys"], listed["revision"]) == ([], 1), "the item's list (none yet), no request needed"
    (added,) = annotator.side_panel.objects
    # The edit's one message: the row added, with the panel's traits that changed (the box selected).
    ((method, change, _),) = panel_bytes
    assert method == "custom" and change.pop("state")["selected"] == added["key"]
    row = (added["key"], "box", "car", "")
    assert change == {"type": "objects-changed", "base": 1, "revision": 2, "rows": [row], "removed": []}
    panel_bytes.clear()
    panel(annotator, {"type": "objects"})  # a page that missed a change asks for all of it
    ((_, shown, _),) = panel_bytes
    assert (shown["type"], shown["keys"], shown["revision"]) == ("objects", [added["key"], 1], 2)


def test_the_pages_own_copy_of_the_list_is_not_taken_nor_echoed(
    annotator: Annotator, panel_bytes: list[tuple[str, Any, int]]
) -> None:
    """The page writes its list back into its model's ``listed`` for a saved notebook; were it ever sent
    (with a trait the page changed), the kernel keeps its own and sends nothing of it back."""
    drag(annotator, (100, 100), (200, 200))
    side = annotator.side_panel
    kept = side.get_state()["listed"]
    panel_bytes.clear()
    stale = {"revision": 0, "keys": [], "names": [], "shapes": "", "labels": "", "summaries": []}
    side.set_state({"listed": stale, "selected": -1})
    assert side.listed is None and side.get_state()["listed"] == kept
    assert side.selected == -1
    assert not [m for m in panel_bytes if "listed" in json.dumps(m[1])], panel_bytes


def test_label_colours_are_read_as_the_ontologys_labels_have_them(dataset: dw.Dataset) -> None:
    ontology = dataset.ontology()
    ontology.add_labels(label_list=[{"label_name": "car.wheel", "color": (0, 0, 255)}])
    ontology.add_label(label_name="car.wheel.rim", color="green")
    ontology = dataset.ontology()
    expected = {path: label.color for path, label in ontology.labels_flat_dict.items()}
    assert label_colors(ontology) == expected
    assert list(expected) == ["car", "car.wheel", "car.wheel.rim", "person", "indoor"]


def test_the_panel_and_toolbar_open_without_what_the_page_knows(
    image_item: dw.Item, monkeypatch: pytest.MonkeyPatch
) -> None:
    Annotator(image_item, width=800, height=520).close()  # the kernel's first: its modules go once
    opened = opening_states(monkeypatch)
    annotator = Annotator(image_item, width=800, height=520)
    assert annotator.side_panel.comm is not None and annotator.toolbar.comm is not None
    panel = opened[annotator.side_panel.comm.comm_id]
    # Nothing picked, selected, hidden or classified yet: the page's defaults, not sent.
    assert not {"recent", "classifications", "selected", "hidden", "locked", "selection"} & set(panel)
    # The header's values in their order; the labels' names and colours (hotkeys are their places).
    assert panel["header"] == ["street.jpg", "/images", "640 x 400 px", "1 of 1", 0]
    names, colors = panel["labels"]
    assert names == [row["name"] for row in annotator.side_panel.labels]
    assert colors == [row["color"] for row in annotator.side_panel.labels]
    # The toolbar's first state is its specs' (the kernel's, shared): it sends only the zoom.
    toolbar = opened[annotator.toolbar.comm.comm_id]
    assert toolbar["values"] == {"zoom": annotator.toolbar.value("zoom")}
    assert not {"hidden", "disabled", "tones"} & set(toolbar), toolbar
    assert annotator.toolbar.value("tool") == "box" and not annotator.toolbar.is_shown("brush_size")
    annotator.close()


def test_each_annotator_shows_the_ontology_as_stored_now(
    client: dw.Client, dataset: dw.Dataset, image_item: dw.Item
) -> None:
    """Which ontology a dataset has is remembered by the client, its labels are not: a label added, or the
    recipe given another ontology, is in the next annotator's list."""
    with pytest.raises(ValueError, match="'bus' is not in the ontology"):
        Annotator(image_item).set_label("bus")
    dataset.ontology().add_label(label_name="bus", color="#ffff00")
    Annotator(image_item).set_label("bus")
    other = client.projects.get(project_name="widgets").ontologies.create(labels=["tram"])
    recipe = dataset.recipes.list()[0]
    recipe.ontology_ids = [other.id]
    recipe.update()
    annotator = Annotator(image_item)
    annotator.set_label("tram")
    with pytest.raises(ValueError, match="'bus' is not in the ontology"):
        annotator.set_label("bus")
