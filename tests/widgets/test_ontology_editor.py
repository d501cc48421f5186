"""The OntologyEditor driven through its widgets, as a user's clicks and typing would drive them: the
label and attribute lists through the messages their view in the browser sends."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import ipywidgets
import ipywidgets as w
import pytest
from scale_data import big_ontology

import dlwidgets as dw
from dlwidgets.widgets.annotator import Annotator
from dlwidgets.widgets.ontology_editor import CHOSEN_LABELS, OntologyEditor
from dlwidgets.widgets.ontology_lists import ListMessage

RADIO = dw.AttributesTypes.RADIO_BUTTON


def stored(dataset: dw.Dataset) -> dw.Ontology:
    return dataset.recipes.list()[0].ontologies.list()[0]


def click(button: object) -> None:
    button.click()  # type: ignore[attr-defined]


def buttons(box: object, text: str) -> list:
    """Buttons with `text` anywhere under an ipywidgets container."""
    found = []
    for child in getattr(box, "children", ()):
        if getattr(child, "description", None) == text and hasattr(child, "on_click"):
            found.append(child)
        found += buttons(child, text)
    return found


def upload(widget: w.FileUpload, content: bytes) -> None:
    """Put one file into a FileUpload as the browser does: ipywidgets 8 holds a tuple of dicts, 7 a dict
    keyed by file name (and a read-only trait)."""
    if ipywidgets.__version__.startswith("7."):
        widget.set_trait("value", {"o.json": {"metadata": {"name": "o.json"}, "content": content}})
        return
    widget.value = (
        {
            "name": "o.json",
            "type": "application/json",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": datetime.datetime.now(datetime.timezone.utc),
        },
    )


def row(editor: OntologyEditor, tag: str) -> dict:
    """The list's row of the label ``tag``, as the browser gets it."""
    return next(r for r in editor.lists.labels if r["tag"] == tag)


def send(editor: OntologyEditor, message: ListMessage) -> None:
    """What a click or an edit in the lists sends to the kernel."""
    editor.lists.receive(message)


def edit(editor: OntologyEditor, tag: str, field: str, value: str) -> None:
    send(editor, {"type": "edit", "uid": row(editor, tag)["uid"], "field": field, "value": value})  # type: ignore[typeddict-item]


def attribute_uids(editor: OntologyEditor) -> list[int]:
    return [a["uid"] for a in editor.lists.attributes]


@pytest.fixture
def editor(dataset: dw.Dataset) -> OntologyEditor:
    return dw.OntologyEditor(dataset)


def test_shows_labels_with_colours_hotkeys_and_attributes(editor: OntologyEditor) -> None:
    rows = editor.lists.labels
    assert [(r["name"], r["color"], r["display"], r["hotkey"]) for r in rows] == [
        ("car", "#ff0000", "Car", 1),
        ("person", "#00ff00", "Person", 2),
        ("indoor", "#0000ff", "Indoor", 3),
    ]
    (attribute_row,) = editor.lists.attributes
    assert attribute_row["title"] == "Occluded?" and "labels car" in attribute_row["description"]
    assert editor._save_button.disabled and "no unsaved changes" in editor._changes.value


def test_the_ontology_is_shown_by_name_never_by_id(editor: OntologyEditor, dataset: dw.Dataset) -> None:
    ontology = dataset.ontology()
    assert ontology.id not in editor._title.value and "street ontology" in editor._title.value
    ontology.title = "traffic"
    assert "traffic" in OntologyEditor(ontology.update())._title.value


def test_opens_an_ontology_too(dataset: dw.Dataset) -> None:
    editor = OntologyEditor(dataset.ontology())
    assert editor.draft.tags() == ["car", "person", "indoor"]
    with pytest.raises(TypeError, match="needs a Dataset or an Ontology"):
        OntologyEditor("street")  # type: ignore[arg-type]


def test_add_a_label_and_a_radio_attribute_then_save(editor: OntologyEditor, dataset: dw.Dataset) -> None:
    editor.lists.new_label = "truck"
    editor.lists.new_color = "#123456"
    send(editor, {"type": "add"})
    assert editor.lists.new_label == ""
    assert row(editor, "truck")["hotkey"] == 4

    send(editor, {"type": "new-attribute"})
    assert editor._form_problems.value == ""  # nothing typed yet: nothing wrong yet
    editor._form_kind.value = RADIO
    editor._form_title.value = "Load level"
    assert editor._form_key.value == "load_level"  # follows the title until typed
    assert "needs at least one value" in editor._form_problems.value
    editor._form_values.value = "empty\n full \n"
    editor._form_scope.value = CHOSEN_LABELS
    editor._form_labels.value = ("truck",)
    assert editor._form_problems.value == ""
    click(editor._form_apply)
    assert editor._form.layout.display == "none"
    assert "add label &#x27;truck&#x27; (#123456)" in editor._changes.value
    assert not editor._save_button.disabled

    saved: list[dw.Ontology] = []
    editor.on_save(saved.append)
    click(editor._save_button)
    assert "saved 2 changes" in editor.status and len(saved) == 1
    ontology = stored(dataset)
    assert ontology.tags()[-1] == "truck" and ontology.labels[-1].color == "#123456"
    load = ontology.attributes[-1]
    assert (load.key, load.title, load.values, load.scope) == (
        "load_level",
        "Load level",
        ["empty", "full"],
        ["truck"],
    )
    assert editor._save_button.disabled and not editor.is_dirty


def test_the_annotator_sees_what_was_saved(editor: OntologyEditor, image_item: dw.Item) -> None:
    editor.add_label("truck", "#123456")
    send(editor, {"type": "new-attribute"})
    editor._form_kind.value = RADIO
    editor._form_title.value = "Load"
    editor._form_values.value = "empty\nfull"
    editor._form_scope.value = CHOSEN_LABELS
    editor._form_labels.value = ("truck",)
    click(editor._form_apply)
    assert editor.save()
    annotator = Annotator(image_item)
    assert {"name": "truck", "color": "#123456", "hotkey": 4} in annotator.side_panel.labels
    annotator._on_gesture({"type": "key", "key": "4"})
    annotator._on_gesture({"type": "down", "x": 100, "y": 100, "button": 0})
    annotator._on_gesture({"type": "up", "x": 200, "y": 200, "x0": 100, "y0": 100})
    field = annotator.side_panel.selection["fields"][-1]
    assert (field["title"], field["kind"], field["values"]) == ("Load", "options", ["empty", "full"])


def test_rename_recolour_display_name_reorder_from_the_rows(
    editor: OntologyEditor, dataset: dw.Dataset
) -> None:
    edit(editor, "car", "name", "auto")
    edit(editor, "auto", "color", "#aa0000")
    edit(editor, "auto", "display", "Automobile")
    send(editor, {"type": "move", "uid": row(editor, "indoor")["uid"], "offset": -1})  # up
    assert editor.draft.tags() == ["auto", "indoor", "person"]
    assert row(editor, "indoor")["hotkey"] == 2
    assert editor.changes == [
        "rename label 'car' to 'auto'",
        "recolour label 'auto' from #ff0000 to #aa0000",
        "display name of 'auto': 'Car' to 'Automobile'",
        "reorder the top labels",
        "change attribute 'occluded' (yes/no; optional; labels auto)",
    ]
    assert editor.save()
    ontology = stored(dataset)
    assert ontology.tags() == ["auto", "indoor", "person"]
    assert (ontology.labels[0].color, ontology.labels[0].display_label) == ("#aa0000", "Automobile")
    assert ontology.attributes[0].scope == ["auto"]


def test_child_labels(editor: OntologyEditor, dataset: dw.Dataset) -> None:
    editor.lists.new_label = "car.wheel"  # "+ child" on car's row starts the field with "car."
    send(editor, {"type": "add"})
    wheel = row(editor, "car.wheel")
    assert (wheel["name"], wheel["depth"], wheel["parent"]) == ("wheel", 1, row(editor, "car")["uid"])
    assert editor.save()
    assert stored(dataset).tags() == ["car", "car.wheel", "person", "indoor"]


def test_a_label_dropped_on_another_nests_under_it_and_back_to_the_top(
    editor: OntologyEditor, dataset: dw.Dataset
) -> None:
    car, person = row(editor, "car")["uid"], row(editor, "person")["uid"]
    send(editor, {"type": "nest", "uid": person, "parent": car, "index": -1})  # dropped on car's right half
    assert editor.draft.tags() == ["car", "car.person", "indoor"]
    assert row(editor, "car.person")["depth"] == 1
    send(editor, {"type": "nest", "uid": car, "parent": person, "index": -1})  # under its own child: refused
    assert "cannot move under 'car.person'" in editor.status and editor.draft.tags()[0] == "car"
    send(editor, {"type": "nest", "uid": person, "parent": 0, "index": 1})  # Alt+Left: after its parent
    assert editor.draft.tags() == ["car", "person", "indoor"]
    send(editor, {"type": "nest", "uid": row(editor, "indoor")["uid"], "parent": person, "index": -1})
    assert editor.save()
    assert stored(dataset).tags() == ["car", "person", "person.indoor"]


def test_delete_warns_how_many_annotations_use_the_label(
    editor: OntologyEditor, dataset: dw.Dataset, image_item: dw.Item
) -> None:
    builder = image_item.annotations.builder()
    builder.add(annotation_definition=dw.Box(top=1, left=1, bottom=9, right=9, label="car"))
    builder.add(annotation_definition=dw.Point(x=5, y=5, label="car"))
    builder.add(annotation_definition=dw.Point(x=5, y=5, label="person"))
    image_item.annotations.upload(annotations=builder)
    car = row(editor, "car")["uid"]
    send(editor, {"type": "delete", "uid": car})
    assert editor.lists.confirm["uid"] == car and "2 annotations use 'car'" in editor.lists.confirm["text"]
    send(editor, {"type": "cancel", "uid": car})
    assert editor.lists.confirm == {} and "car" in editor.draft.tags()

    send(editor, {"type": "delete", "uid": car})
    send(editor, {"type": "confirm", "uid": car})
    assert editor.lists.confirm == {}
    assert editor.draft.tags() == ["person", "indoor"]
    assert "delete label &#x27;car&#x27; (used by 2 annotations)" in editor._changes.value
    # 'occluded' was scoped to car only: the editor says so and will not save until it is fixed.
    assert "scoped to [&#x27;car&#x27;]" in editor._problems.value and editor._save_button.disabled
    assert not editor.save()
    assert "car" in stored(dataset).tags()
    send(editor, {"type": "delete-attribute", "uid": attribute_uids(editor)[0]})
    assert editor.save()
    assert stored(dataset).tags() == ["person", "indoor"]


def test_the_list_shows_how_many_annotations_use_each_label(dataset: dw.Dataset, image_item: dw.Item) -> None:
    image_item.annotations.upload(
        [dw.Point(x=1, y=1, label="car"), dw.Point(x=2, y=2, label="car"), dw.Point(x=3, y=3, label="indoor")]
    )
    editor = OntologyEditor(dataset)
    assert editor.lists.counts is None  # until the list, shown, asks
    send(editor, {"type": "count"})
    assert editor.lists.counts == {"car": 2, "indoor": 1}
    assert editor.annotation_counts() == {"car": 2, "indoor": 1}
    edit(editor, "car", "name", "auto")  # its annotations still carry the stored tag
    assert row(editor, "auto")["origin"] == "car"


def test_counting_annotations_for_an_ontology_finds_its_datasets(
    dataset: dw.Dataset, image_item: dw.Item
) -> None:
    image_item.annotations.upload([dw.Point(x=1, y=1, label="indoor")])
    editor = OntologyEditor(dataset.ontology())
    assert editor.count_annotations(["indoor"]) == 1
    assert editor.count_annotations(["car", "person"]) == 0


@pytest.mark.parametrize(
    ("name", "problem"),
    [("", "a label has no name"), ("person", "label &#x27;person&#x27; appears twice")],
)
def test_label_problems_are_shown_inline_and_block_save(
    editor: OntologyEditor, dataset: dw.Dataset, name: str, problem: str
) -> None:
    edit(editor, "car", "name", name)
    problem = problem.replace("&#x27;", "'")
    assert any(problem in shown for r in editor.lists.labels for shown in r["problems"])
    assert problem in editor._problems.value.replace("&#x27;", "'")
    assert editor._save_button.disabled
    assert not editor.save() and "not saved" in editor.status
    assert stored(dataset).tags() == ["car", "person", "indoor"]


def test_invalid_colour_from_an_import(editor: OntologyEditor) -> None:
    body = json.loads(editor.draft.to_json())
    body["roots"][0]["value"]["color"] = "reddish"
    assert editor.import_json(json.dumps(body))
    assert "colour 'reddish'" in row(editor, "car")["problems"][0] and editor._save_button.disabled
    assert row(editor, "car")["color"] == "reddish"  # the picker shows black, the problem says why
    edit(editor, "car", "color", "red")  # a colour name the API accepts
    assert editor.draft.label("car").color == "#ff0000" and row(editor, "car")["problems"] == []
    assert editor.problems == [] and not editor.is_dirty  # back to what is stored


@pytest.mark.parametrize(
    ("setup", "problem"),
    [
        ({"kind": dw.AttributesTypes.CHECKBOX}, "checkbox attribute &#x27;a&#x27; needs at least one value"),
        ({"kind": dw.AttributesTypes.SLIDER, "min": 5, "max": 5}, "has min 5 &gt;= max 5"),
        ({"scope": ["ghost"]}, "scoped to [&#x27;ghost&#x27;], not in the ontology"),
    ],
)
def test_attribute_problems_are_shown_inline_and_block_save(
    editor: OntologyEditor, dataset: dw.Dataset, setup: dict, problem: str
) -> None:
    send(editor, {"type": "new-attribute"})
    editor._form_key.value = "a"
    editor._form_kind.value = setup.get("kind", dw.AttributesTypes.FREE_TEXT)
    editor._form_min.value = setup.get("min", 0)
    editor._form_max.value = setup.get("max", 100)
    if "scope" in setup:
        editor._form_labels.options = ["car", *setup["scope"]]
        editor._form_scope.value = CHOSEN_LABELS
        editor._form_labels.value = tuple(setup["scope"])
    assert problem in editor._form_problems.value
    click(editor._form_apply)
    assert problem.replace("&#x27;", "'").replace("&gt;", ">") in editor.lists.attributes[-1]["problems"][0]
    assert editor._save_button.disabled and not editor.save()
    assert [a.key for a in stored(dataset).attributes] == ["occluded"]


def test_edit_an_attribute_then_fix_a_slider(editor: OntologyEditor, dataset: dw.Dataset) -> None:
    send(editor, {"type": "edit-attribute", "uid": attribute_uids(editor)[0]})
    assert (editor._form_key.value, editor._form_apply.description) == ("occluded", "Update attribute")
    editor._form_kind.value = dw.AttributesTypes.SLIDER
    editor._form_min.value, editor._form_max.value = 10, 1
    click(editor._form_apply)
    assert editor._save_button.disabled
    send(editor, {"type": "edit-attribute", "uid": attribute_uids(editor)[0]})
    editor._form_max.value = 20
    editor._form_step.value = 0.5
    editor._form_required.value = True
    click(editor._form_apply)
    assert editor.save()
    (occluded,) = stored(dataset).attributes
    assert (occluded.type, occluded.range, occluded.optional) == (
        "range",
        {"min": 10, "max": 20, "step": 0.5},
        False,
    )


def test_discard_changes(editor: OntologyEditor, dataset: dw.Dataset) -> None:
    editor.add_label("truck")
    send(editor, {"type": "delete-attribute", "uid": attribute_uids(editor)[0]})
    assert editor.is_dirty and not editor._discard_button.disabled
    click(editor._discard_button)
    assert not editor.is_dirty and editor.draft.tags() == ["car", "person", "indoor"]
    assert [r["name"] for r in editor.lists.labels] == ["car", "person", "indoor"]
    assert len(editor.lists.attributes) == 1
    assert "changes discarded" in editor.status
    assert [a.key for a in stored(dataset).attributes] == ["occluded"]


def test_export_and_import_json(editor: OntologyEditor, dataset: dw.Dataset, client: dw.Client) -> None:
    text = editor.export_json()
    assert editor._json_text.value == text and "download" in editor._download.value
    other = client.projects.get(project_name="widgets").datasets.create(dataset_name="other")
    target = OntologyEditor(other)
    click(target._json_button)
    target._json_text.value = text
    click(buttons(target._json_box, "Import")[0])
    assert target.draft.tags() == ["car", "person", "indoor"] and "imported" in target.status
    assert target.save()
    assert stored(other).tags() == ["car", "person", "indoor"]

    upload(target._upload, b"{oops")
    assert "not imported: that is not JSON" in target.status

    body = json.loads(text)
    body["roots"].append({"value": {"tag": "bus", "color": "#0a0b0c"}})
    upload(target._upload, json.dumps(body).encode())
    assert target.draft.tags()[-1] == "bus" and "add label &#x27;bus&#x27;" in target._changes.value


def test_user_text_is_escaped(editor: OntologyEditor) -> None:
    editor.add_label("<b>x</b>", "#010101")
    assert "<b>x</b>" not in editor._changes.value and "&lt;b&gt;x&lt;/b&gt;" in editor._changes.value


def test_a_failing_on_save_callback_is_shown(editor: OntologyEditor) -> None:
    editor.add_label("truck")

    def broken(ontology: dw.Ontology) -> None:
        raise RuntimeError("boom")

    editor.on_save(broken)
    assert editor.save()
    assert "on_save callback failed: RuntimeError: boom" in editor.status


def test_an_edit_of_a_thousand_label_ontology_sends_the_rows_it_changed(
    client: dw.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = big_ontology(client.projects.create(project_name="big"), "big", labels=1000, attributes=50)
    editor = dw.OntologyEditor(dataset)
    sent: list[tuple[Any, int]] = []
    send_message = w.Widget._send

    def recorded(self: w.Widget, msg: dict[str, Any], buffers: Any = None) -> None:
        sent.append((msg.get("content") or msg.get("state"), len(json.dumps(msg, default=str))))
        send_message(self, msg, buffers)

    monkeypatch.setattr(w.Widget, "_send", recorded)
    send(editor, {"type": "labels"})  # what the list asks once it is drawn
    ((shown, _),) = sent
    assert shown["type"] == "labels" and len(shown["rows"]) == 1000

    def uid(tag: str) -> int:
        return int(row(editor, tag)["uid"])

    edits: list[tuple[Callable[[], Any], int]] = [
        (lambda: edit(editor, "label-0500", "name", "forklift"), 4096),
        (lambda: edit(editor, "forklift", "color", "#123456"), 4096),
        (lambda: send(editor, {"type": "move", "uid": uid("forklift"), "offset": -1}), 16384),  # every uid
    ]
    for step, most in edits:
        sent.clear()
        step()
        assert sent and sum(size for _, size in sent) < most, [content for content, _ in sent]
    assert [r["tag"] for r in editor.lists.labels][498:501] == ["label-0498", "forklift", "label-0499"]


def test_the_pages_messages_to_every_part_are_handled_on_the_kernels_main_thread(
    monkeypatch: pytest.MonkeyPatch, dataset: dw.Dataset
) -> None:
    """ipykernel 7 hands a comm's messages from the page to the thread that comm's ``_reply_subshell_for``
    names: by default the subshell its last message out came from, so a field's update and the click after
    it could run on two threads, the click first (an attribute added without the values just typed)."""
    import comm
    from ipykernel.comm import Comm

    monkeypatch.setattr(comm, "create_comm", lambda *args, **kwargs: Comm(*args, **kwargs))
    editor = dw.OntologyEditor(dataset)
    send(editor, {"type": "new-attribute"})  # the form, made once asked for
    click(editor._json_button)  # the JSON box, too
    parts = [
        editor,
        editor.lists,
        editor._form_values,
        editor._form_apply,
        editor._json_text,
        editor._save_button,
    ]
    for part in parts:
        assert isinstance(part.comm, Comm)
        part.comm._reply_subshell_id = "a-subshell"  # as after a message out while handling the page's
        assert part.comm._reply_subshell_for({}, "a-subshell") is None, type(part).__name__
