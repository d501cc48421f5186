"""The OntologyEditor driven through its widgets, as a user's clicks and typing would drive them."""

from __future__ import annotations

import datetime
import json

import ipywidgets
import ipywidgets as w
import pytest

import dlwidgets as dw
from dlwidgets.widgets.annotator import Annotator
from dlwidgets.widgets.ontology_editor import CHOSEN_LABELS, OntologyEditor

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


@pytest.fixture
def editor(dataset: dw.Dataset) -> OntologyEditor:
    return dw.OntologyEditor(dataset)


def test_shows_labels_with_colours_hotkeys_and_attributes(editor: OntologyEditor) -> None:
    rows = list(editor._rows.values())
    assert [(r.name.value, r.color.value, r.display.value) for r in rows] == [
        ("car", "#ff0000", "Car"),
        ("person", "#00ff00", "Person"),
        ("indoor", "#0000ff", "Indoor"),
    ]
    assert [r.hotkey.value for r in rows] == [f"<span class='dlw-hotkey'>{n}</span>" for n in (1, 2, 3)]
    (attribute_row,) = editor._attribute_rows.children
    assert "Occluded?" in attribute_row.children[0].value and "labels car" in attribute_row.children[0].value
    assert editor._save_button.disabled and "no unsaved changes" in editor._changes.value


def test_opens_an_ontology_too(dataset: dw.Dataset) -> None:
    editor = OntologyEditor(dataset.ontology())
    assert editor.draft.tags() == ["car", "person", "indoor"]
    with pytest.raises(TypeError, match="needs a Dataset or an Ontology"):
        OntologyEditor("street")  # type: ignore[arg-type]


def test_add_a_label_and_a_radio_attribute_then_save(editor: OntologyEditor, dataset: dw.Dataset) -> None:
    editor._new_label_name.value = "truck"
    editor._new_label_color.value = "#123456"
    click(buttons(editor._new_label, "Add label")[0])
    assert editor._new_label_name.value == ""
    assert editor._rows[editor.draft.label("truck").uid].hotkey.value.endswith(">4</span>")

    click(editor._new_attribute_button)
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
    click(editor._new_attribute_button)
    editor._form_kind.value = RADIO
    editor._form_title.value = "Load"
    editor._form_values.value = "empty\nfull"
    editor._form_scope.value = CHOSEN_LABELS
    editor._form_labels.value = ("truck",)
    click(editor._form_apply)
    assert editor.save()
    annotator = Annotator(image_item)
    assert ("4  truck", "truck") in annotator.side_panel.label_picker.options
    annotator._on_gesture({"type": "key", "key": "4"})
    annotator._on_gesture({"type": "down", "x": 100, "y": 100, "button": 0})
    annotator._on_gesture({"type": "up", "x": 200, "y": 200, "x0": 100, "y0": 100})
    dropdown = annotator.side_panel.selection_box.children[-1]
    assert (dropdown.description, dropdown.options) == (
        "Load",
        (("", None), ("empty", "empty"), ("full", "full")),
    )


def test_rename_recolour_display_name_reorder_from_the_rows(
    editor: OntologyEditor, dataset: dw.Dataset
) -> None:
    car = editor._rows[editor.draft.label("car").uid]
    car.name.value = "auto"
    car.color.value = "#aa0000"
    car.display.value = "Automobile"
    indoor = editor._rows[editor.draft.label("indoor").uid]
    click(buttons(indoor.line, "")[0])  # up
    assert editor.draft.tags() == ["auto", "indoor", "person"]
    assert indoor.hotkey.value.endswith(">2</span>")
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
    car = editor._rows[editor.draft.label("car").uid]
    click(buttons(car.line, "Child")[0])
    assert editor._new_label_name.value == "car."
    editor._new_label_name.value = "car.wheel"
    editor.add_label()
    wheel = editor._rows[editor.draft.label("car.wheel").uid]
    assert wheel.line.layout.margin == "0 0 0 24px" and "car.wheel" in wheel.path.value
    assert editor.save()
    assert stored(dataset).tags() == ["car", "car.wheel", "person", "indoor"]


def test_delete_warns_how_many_annotations_use_the_label(
    editor: OntologyEditor, dataset: dw.Dataset, image_item: dw.Item
) -> None:
    builder = image_item.annotations.builder()
    builder.add(annotation_definition=dw.Box(top=1, left=1, bottom=9, right=9, label="car"))
    builder.add(annotation_definition=dw.Point(x=5, y=5, label="car"))
    builder.add(annotation_definition=dw.Point(x=5, y=5, label="person"))
    image_item.annotations.upload(annotations=builder)
    car = editor._rows[editor.draft.label("car").uid]
    trash = next(b for b in buttons(car.line, "") if b.icon == "trash")
    click(trash)
    assert "2 annotations use &#x27;car&#x27;" in car.confirm_text.value
    assert car.confirm.layout.display == ""
    click(buttons(car.confirm, "Cancel")[0])
    assert car.confirm.layout.display == "none" and "car" in editor.draft.tags()

    click(trash)
    click(buttons(car.confirm, "Delete")[0])
    assert editor.draft.tags() == ["person", "indoor"]
    assert "delete label &#x27;car&#x27; (used by 2 annotations)" in editor._changes.value
    # 'occluded' was scoped to car only: the editor says so and will not save until it is fixed.
    assert "scoped to [&#x27;car&#x27;]" in editor._problems.value and editor._save_button.disabled
    assert not editor.save()
    assert "car" in stored(dataset).tags()
    click(buttons(editor._attribute_rows, "Delete")[0])
    assert editor.save()
    assert stored(dataset).tags() == ["person", "indoor"]


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
    car = editor._rows[editor.draft.label("car").uid]
    car.name.value = name
    assert any(problem in row.problems.value for row in editor._rows.values())
    assert problem in editor._problems.value
    assert editor._save_button.disabled
    assert not editor.save() and "not saved" in editor.status
    assert stored(dataset).tags() == ["car", "person", "indoor"]


def test_invalid_colour_from_an_import(editor: OntologyEditor) -> None:
    body = json.loads(editor.draft.to_json())
    body["roots"][0]["value"]["color"] = "reddish"
    assert editor.import_json(json.dumps(body))
    car = editor._rows[editor.draft.label("car").uid]
    assert "colour &#x27;reddish&#x27;" in car.problems.value and editor._save_button.disabled
    assert car.color.value == "#000000"  # the picker shows black, the problem says why
    car.color.value = "red"  # a colour name the picker and the API accept
    assert editor.draft.label("car").color == "#ff0000" and car.problems.value == ""
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
    click(editor._new_attribute_button)
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
    assert problem in editor._attribute_rows.children[-1].children[0].value
    assert editor._save_button.disabled and not editor.save()
    assert [a.key for a in stored(dataset).attributes] == ["occluded"]


def test_edit_an_attribute_then_fix_a_slider(editor: OntologyEditor, dataset: dw.Dataset) -> None:
    click(buttons(editor._attribute_rows, "Edit")[0])
    assert (editor._form_key.value, editor._form_apply.description) == ("occluded", "Update attribute")
    editor._form_kind.value = dw.AttributesTypes.SLIDER
    editor._form_min.value, editor._form_max.value = 10, 1
    click(editor._form_apply)
    assert editor._save_button.disabled
    click(buttons(editor._attribute_rows, "Edit")[0])
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
    click(buttons(editor._attribute_rows, "Delete")[0])
    assert editor.is_dirty and not editor._discard_button.disabled
    click(editor._discard_button)
    assert not editor.is_dirty and editor.draft.tags() == ["car", "person", "indoor"]
    assert [r.name.value for r in editor._rows.values()] == ["car", "person", "indoor"]
    assert "changes discarded" in editor.status
    assert [a.key for a in stored(dataset).attributes] == ["occluded"]


def test_export_and_import_json(editor: OntologyEditor, dataset: dw.Dataset, client: dw.Client) -> None:
    text = editor.export_json()
    assert editor._json_text.value == text and "download" in editor._download.value
    other = client.projects.get(project_name="widgets").datasets.create(dataset_name="other")
    target = OntologyEditor(other)
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
