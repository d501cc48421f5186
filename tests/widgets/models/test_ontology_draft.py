"""The ontology editor's model, without widgets: every edit, every validation rule, the change summary,
JSON, and that saving writes what the tutorial's own calls would."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

import dlwidgets as dw
from dlwidgets.widgets.annotator import Annotator
from dlwidgets.widgets.models.ontology_draft import AttributeDraft, InvalidDraft, OntologyDraft

RADIO = dw.AttributesTypes.RADIO_BUTTON


def stored(dataset: dw.Dataset) -> dw.Ontology:
    """The ontology as the tutorial reads it back."""
    return dataset.recipes.list()[0].ontologies.list()[0]


def essence(ontology: dw.Ontology) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return ontology.roots, ontology.metadata.get("attributes", [])


@pytest.fixture
def draft(dataset: dw.Dataset) -> OntologyDraft:
    return OntologyDraft(dataset.ontology())


@pytest.fixture
def twin(dataset: dw.Dataset, make_street_dataset: Callable[[str], dw.Dataset]) -> dw.Dataset:
    """A second dataset with the same ontology as `dataset`, edited with the tutorial's calls."""
    return make_street_dataset("twin")


def record_calls(monkeypatch: pytest.MonkeyPatch, client: dw.Client) -> list[tuple[str, str]]:
    calls: list[tuple[str, str]] = []
    original = client.json

    def spy(method: str, path: str, **kwargs: Any) -> Any:
        if method != "GET":
            calls.append((method, path.rsplit("/", 1)[-1] if path.count("/") > 2 else "ontology"))
        return original(method, path, **kwargs)

    monkeypatch.setattr(client, "json", spy)
    return calls


# -- reading and hotkeys ---------------------------------------------------------------------------------
def test_loads_the_labels_and_attributes(draft: OntologyDraft) -> None:
    assert draft.tags() == ["car", "person", "indoor"]
    assert [(a.key, a.kind, a.scope) for a in draft.attributes] == [
        ("occluded", dw.AttributesTypes.YES_NO, ["car"])
    ]
    assert draft.changes() == [] and not draft.is_dirty and draft.is_valid


def test_hotkeys_are_the_annotators_1_to_9_depth_first(draft: OntologyDraft, image_item: dw.Item) -> None:
    draft.add_label("car.wheel", "#111111")
    for n in range(8):
        draft.add_label(f"extra{n}")
    draft.save()
    hotkeys = draft.hotkeys()
    assert list(hotkeys.items())[:4] == [("car", 1), ("car.wheel", 2), ("person", 3), ("indoor", 4)]
    assert len(hotkeys) == 9 and max(hotkeys.values()) == 9
    annotator = Annotator(image_item)
    shown = {row["name"]: row["hotkey"] for row in annotator.side_panel.labels if row["hotkey"]}
    assert shown == hotkeys


# -- label edits -----------------------------------------------------------------------------------------
def test_add_labels_and_children_saved_as_the_tutorials_add_label(
    dataset: dw.Dataset, draft: OntologyDraft, twin: dw.Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft.add_label("truck", "#123456")
    draft.add_label("car.wheel", (0, 0, 255), display_label="Wheel (front)")
    assert draft.tags() == ["car", "car.wheel", "person", "indoor", "truck"]
    assert draft.changes() == ["add label 'car.wheel' (#0000ff)", "add label 'truck' (#123456)"]
    calls = record_calls(monkeypatch, dataset.client)
    draft.save()
    assert calls == [("PATCH", "labels"), ("PATCH", "labels")]
    ontology = twin.ontology()
    ontology.add_label(label_name="car.wheel", color=(0, 0, 255), display_label="Wheel (front)")
    ontology.add_label(label_name="truck", color="#123456")
    assert essence(stored(dataset)) == essence(stored(twin))
    assert not draft.is_dirty


def test_a_child_needs_its_parent(draft: OntologyDraft) -> None:
    with pytest.raises(ValueError, match="'bus' is not in the ontology"):
        draft.add_label("bus.door")


def test_rename_moves_children_and_scopes_and_saves_with_update(
    dataset: dw.Dataset, draft: OntologyDraft, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft.add_label("car.wheel")
    draft.save()
    draft.rename("car", "auto")
    assert draft.tags() == ["auto", "auto.wheel", "person", "indoor"]
    assert draft.attribute("occluded").scope == ["auto"]
    assert draft.label("auto").display_label == "Auto"  # it was derived from the name, so it follows
    assert draft.changes() == [
        "rename label 'car' to 'auto'",
        "display name of 'auto': 'Car' to 'Auto'",
        "rename label 'car.wheel' to 'auto.wheel'",
        "change attribute 'occluded' (yes/no; optional; labels auto)",
    ]
    calls = record_calls(monkeypatch, dataset.client)
    draft.save()
    assert calls == [("PUT", "ontology")]
    ontology = stored(dataset)
    assert ontology.tags() == ["auto", "auto.wheel", "person", "indoor"]
    assert ontology.attributes[0].scope == ["auto"]


def test_recolour_and_display_name(dataset: dw.Dataset, draft: OntologyDraft) -> None:
    draft.recolor("person", "blue")
    draft.set_display_label("indoor", "Inside a building")
    assert draft.changes() == [
        "recolour label 'person' from #00ff00 to #0000ff",
        "display name of 'indoor': 'Indoor' to 'Inside a building'",
    ]
    draft.save()
    labels = {label.tag: label for label in stored(dataset).labels}
    assert labels["person"].color == "#0000ff"
    assert labels["indoor"].display_label == "Inside a building"
    draft.set_display_label("indoor", " ")  # empty: derived from the name again
    assert draft.label("indoor").display_label == "Indoor"


def test_reorder_is_saved_as_the_new_roots(dataset: dw.Dataset, draft: OntologyDraft) -> None:
    assert draft.move("indoor", -5) == 0
    assert draft.move("car", 1) == 2
    assert draft.tags() == ["indoor", "person", "car"]
    assert draft.changes() == ["reorder the top labels"]
    draft.save()
    assert stored(dataset).tags() == ["indoor", "person", "car"]


def test_a_label_moves_to_a_new_parent_with_its_children_and_scopes(
    dataset: dw.Dataset, draft: OntologyDraft
) -> None:
    draft.add_label("car.wheel")
    draft.add_label("car.wheel.rim")
    draft.save()
    assert draft.reparent("car", "person") == "person.car"
    assert draft.tags() == ["person", "person.car", "person.car.wheel", "person.car.wheel.rim", "indoor"]
    assert draft.attribute("occluded").scope == ["person.car"]
    assert draft.reparent("person.car.wheel", None, 0) == "wheel"  # to the top, first
    assert draft.reparent("indoor", "person", 0) == "person.indoor"
    assert draft.tags() == ["wheel", "wheel.rim", "person", "person.indoor", "person.car"]
    with pytest.raises(ValueError, match=re.escape("'person' cannot move under 'person.car', which is")):
        draft.reparent("person", "person.car")
    draft.save()
    ontology = stored(dataset)
    assert ontology.tags() == ["wheel", "wheel.rim", "person", "person.indoor", "person.car"]
    assert ontology.attributes[0].scope == ["person.car"]


def test_delete_label_with_children_prunes_scopes(dataset: dw.Dataset, draft: OntologyDraft) -> None:
    draft.add_label("car.wheel")
    draft.attributes[0].scope = ["car", "person"]
    draft.save()
    assert draft.delete_label("car") == ["car", "car.wheel"]
    assert draft.attribute("occluded").scope == ["person"]
    assert draft.changes(usage={"car": 3}) == [
        "delete label 'car' (used by 3 annotations)",
        "delete label 'car.wheel'",
        "change attribute 'occluded' (yes/no; optional; labels person)",
    ]
    draft.save()
    assert stored(dataset).tags() == ["person", "indoor"]


def test_deleting_the_only_label_in_a_scope_leaves_it_for_the_user(draft: OntologyDraft) -> None:
    draft.delete_label("car")
    assert draft.attribute("occluded").scope == ["car"]
    assert [p.message for p in draft.problems()] == [
        "attribute 'occluded' is scoped to ['car'], not in the ontology; its labels are ['person', 'indoor']"
    ]


# -- attribute edits -------------------------------------------------------------------------------------
FIVE = [
    AttributeDraft(key="parked", title="Parked", kind=dw.AttributesTypes.YES_NO, required=True),
    AttributeDraft(key="size", title="Size", kind=RADIO, values=["small", "large"], scope=["car"]),
    AttributeDraft(
        key="tags", title="Tags", kind=dw.AttributesTypes.CHECKBOX, values=["a", "b"], scope=["car", "person"]
    ),
    AttributeDraft(key="speed", title="Speed", kind=dw.AttributesTypes.SLIDER, min=0, max=120, step=5),
    AttributeDraft(key="note", title="", kind=dw.AttributesTypes.FREE_TEXT),
]


def test_the_five_attribute_types_saved_as_update_attributes_would(
    dataset: dw.Dataset, draft: OntologyDraft, twin: dw.Dataset
) -> None:
    for attribute in FIVE:
        draft.add_attribute(attribute)
    assert draft.changes() == [
        "add attribute 'parked' (yes/no; required; all labels)",
        "add attribute 'size' (radio: small, large; optional; labels car)",
        "add attribute 'tags' (checkbox: a, b; optional; labels car, person)",
        "add attribute 'speed' (slider 0 to 120 by 5; optional; all labels)",
        "add attribute 'note' (free text; optional; all labels)",
    ]
    draft.save()
    ontology = twin.ontology()
    ontology.update_attributes(
        key="parked", title="Parked", attribute_type=dw.AttributesTypes.YES_NO, optional=False
    )
    ontology.update_attributes(
        key="size",
        title="Size",
        attribute_type=RADIO,
        values=["small", "large"],
        scope=["car"],
        optional=True,
    )
    ontology.update_attributes(
        key="tags",
        title="Tags",
        attribute_type=dw.AttributesTypes.CHECKBOX,
        values=["a", "b"],
        scope=["car", "person"],
        optional=True,
    )
    ontology.update_attributes(
        key="speed",
        title="Speed",
        attribute_type=dw.AttributesTypes.SLIDER,
        attribute_range=(0, 120, 5),
        optional=True,
    )
    ontology.update_attributes(
        key="note", title="note", attribute_type=dw.AttributesTypes.FREE_TEXT, optional=True
    )
    assert essence(stored(dataset)) == essence(stored(twin))
    assert not draft.is_dirty


def test_edit_rename_and_delete_attributes(
    dataset: dw.Dataset, draft: OntologyDraft, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft.add_attribute(AttributeDraft(key="size", title="Size", kind=RADIO, values=["s", "l"]))
    draft.save()
    draft.replace_attribute(
        "size", AttributeDraft(key="bulk", title="Bulk", kind=RADIO, values=["s", "m", "l"])
    )
    draft.delete_attribute("occluded")
    assert draft.changes() == [
        "rename attribute 'size' to 'bulk' (radio: s, m, l; optional; all labels)",
        "delete attribute 'occluded'",
    ]
    calls = record_calls(monkeypatch, dataset.client)
    draft.save()
    assert calls == [("DELETE", "attributes"), ("PATCH", "attributes")]
    assert [(a.key, a.values) for a in stored(dataset).attributes] == [("bulk", ["s", "m", "l"])]


def test_unchanged_attributes_are_not_rewritten(dataset: dw.Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    draft = OntologyDraft(dataset.ontology())
    draft.add_label("truck")
    calls = record_calls(monkeypatch, dataset.client)
    draft.save()
    assert calls == [("PATCH", "labels")]


# -- validation: Save writes nothing ----------------------------------------------------------------------
def invalid(draft: OntologyDraft, dataset: dw.Dataset, expected: str) -> None:
    before = essence(stored(dataset))
    messages = [p.message for p in draft.problems()]
    assert any(expected in m for m in messages), messages
    with pytest.raises(InvalidDraft, match=re.escape(expected)):
        draft.save()
    assert essence(stored(dataset)) == before
    assert draft.is_dirty  # the edits are kept, for the user to fix


def test_empty_label_name(draft: OntologyDraft, dataset: dw.Dataset) -> None:
    draft.add_label("truck")
    draft.rename("truck", "  ")
    invalid(draft, dataset, "a label has no name")
    draft.add_label("car.")
    invalid(draft, dataset, "a label (a child of 'car') has no name")


def test_duplicate_label_name(draft: OntologyDraft, dataset: dw.Dataset) -> None:
    draft.add_label("truck")
    draft.rename("truck", "car")
    invalid(draft, dataset, "label 'car' appears twice; label names must be unique")


def test_dot_in_a_label_name(draft: OntologyDraft, dataset: dw.Dataset) -> None:
    draft.rename("person", "a.b")
    invalid(draft, dataset, "cannot contain '.'")


@pytest.mark.parametrize("color", ["blu", "#12345", "#gggggg", "(1, 2)"])
def test_invalid_colour(draft: OntologyDraft, dataset: dw.Dataset, color: str) -> None:
    draft.recolor("car", color)
    invalid(draft, dataset, f"label 'car' has colour {color!r}; a colour is '#rrggbb'")


@pytest.mark.parametrize("kind", [RADIO, dw.AttributesTypes.CHECKBOX])
def test_radio_or_checkbox_without_values(
    draft: OntologyDraft, dataset: dw.Dataset, kind: dw.AttributesTypes
) -> None:
    draft.add_attribute(AttributeDraft(key="size", kind=kind, values=["", " "]))
    invalid(draft, dataset, "attribute 'size' needs at least one value")


def test_repeated_values(draft: OntologyDraft, dataset: dw.Dataset) -> None:
    draft.add_attribute(AttributeDraft(key="size", kind=RADIO, values=["s", "s"]))
    invalid(draft, dataset, "attribute 'size' repeats the values ['s']")


@pytest.mark.parametrize(("low", "high"), [(10, 10), (10, 5)])
def test_slider_min_not_below_max(draft: OntologyDraft, dataset: dw.Dataset, low: float, high: float) -> None:
    draft.add_attribute(AttributeDraft(key="speed", kind=dw.AttributesTypes.SLIDER, min=low, max=high))
    invalid(draft, dataset, f"slider attribute 'speed' has min {low} >= max {high}")


def test_slider_step_above_zero(draft: OntologyDraft, dataset: dw.Dataset) -> None:
    draft.add_attribute(AttributeDraft(key="speed", kind=dw.AttributesTypes.SLIDER, step=0))
    invalid(draft, dataset, "has step 0; a step is more than 0")


def test_scope_to_a_missing_label(draft: OntologyDraft, dataset: dw.Dataset) -> None:
    draft.add_attribute(AttributeDraft(key="size", kind=dw.AttributesTypes.FREE_TEXT, scope=["car", "bus"]))
    invalid(draft, dataset, "attribute 'size' is scoped to ['bus'], not in the ontology")


def test_scope_to_no_label(draft: OntologyDraft, dataset: dw.Dataset) -> None:
    draft.add_attribute(AttributeDraft(key="size", kind=dw.AttributesTypes.FREE_TEXT, scope=[]))
    invalid(draft, dataset, "attribute 'size' applies to no label")


def test_attribute_keys_present_and_unique(draft: OntologyDraft, dataset: dw.Dataset) -> None:
    draft.add_attribute(AttributeDraft(key="occluded"))
    invalid(draft, dataset, "attribute key 'occluded' is used twice")
    draft.attributes.pop()
    draft.add_attribute(AttributeDraft(key=" ", title="Size"))
    invalid(draft, dataset, "attribute titled 'Size' has no key")


# -- reset, JSON -----------------------------------------------------------------------------------------
def test_reset_forgets_every_edit(draft: OntologyDraft) -> None:
    draft.add_label("truck")
    draft.rename("car", "auto")
    draft.delete_attribute("occluded")
    draft.reset()
    assert draft.tags() == ["car", "person", "indoor"] and not draft.is_dirty
    assert [a.key for a in draft.attributes] == ["occluded"]


def test_export_then_import_into_another_dataset(
    dataset: dw.Dataset, draft: OntologyDraft, client: dw.Client
) -> None:
    draft.add_label("car.wheel", "#010203")
    draft.add_attribute(FIVE[1])
    draft.save()
    exported = OntologyDraft(stored(dataset)).to_json()
    body = json.loads(exported)
    assert [n["value"]["tag"] for n in body["roots"]] == ["car", "person", "indoor"]
    assert [a["key"] for a in body["metadata"]["attributes"]] == ["occluded", "size"]

    other = client.projects.get(project_name="widgets").datasets.create(dataset_name="other")
    imported = OntologyDraft(other.ontology())
    imported.load_json(exported)
    assert imported.changes()[:2] == ["add label 'car' (#ff0000)", "add label 'car.wheel' (#010203)"]
    imported.save()
    assert stored(other).roots == stored(dataset).roots
    # Written by update_attributes, which states optional (unset on the stored 'occluded': optional).
    original = [AttributeDraft.from_platform(a).to_platform() for a in essence(stored(dataset))[1]]
    assert essence(stored(other))[1] == original


def test_import_matches_stored_labels_by_tag(draft: OntologyDraft) -> None:
    body = json.loads(draft.to_json())
    body["roots"][0]["value"]["color"] = "#abcdef"
    del body["roots"][2]
    draft.load_json(json.dumps(body))
    assert draft.changes() == [
        "recolour label 'car' from #ff0000 to #abcdef",
        "delete label 'indoor'",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "that is not JSON"),
        ("[1, 2]", "an object with 'roots'"),
        ('{"roots": [{"value": {"color": "#ff0000"}}]}', "each label in 'roots'"),
        ('{"roots": [], "metadata": {"attributes": {"a": 1}}}', "must be a list of attribute objects"),
        ('{"roots": [], "metadata": {"attributes": [{"key": "a", "type": "dial"}]}}', "has type 'dial'"),
    ],
)
def test_import_rejects_what_is_not_an_ontology(draft: OntologyDraft, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        draft.load_json(text)
    assert draft.tags() == ["car", "person", "indoor"]


def test_imported_problems_block_saving(draft: OntologyDraft, dataset: dw.Dataset) -> None:
    bad = {
        "roots": [{"value": {"tag": "car", "color": "red-ish"}}],
        "metadata": {"attributes": [{"key": "size", "type": "options", "values": [], "scope": ["bus"]}]},
    }
    draft.load_json(json.dumps(bad))
    messages = [p.message for p in draft.problems()]
    assert len(messages) == 3, messages
    invalid(draft, dataset, "colour 'red-ish'")


def test_a_server_refusal_keeps_the_draft(dataset: dw.Dataset, draft: OntologyDraft) -> None:
    other = OntologyDraft(dataset.ontology())
    other.delete_label("car")
    other.attributes[0].scope = ["person"]
    other.save()
    draft.add_attribute(AttributeDraft(key="size", kind=RADIO, values=["s"], scope=["car"]))
    with pytest.raises(dw.exceptions.BadRequest, match="not in the ontology"):
        draft.save()
    assert draft.is_dirty


def test_a_label_stored_without_a_colour_is_shown_grey_and_is_no_change() -> None:
    """A platform may answer a label without a colour (dlwidgets stores grey for one): the editor shows it
    grey, and a user who changed nothing has nothing to save."""
    ontology = dw.Ontology(
        id="o1", roots=[{"value": {"tag": "plain", "displayLabel": "Plain"}, "children": []}]
    )
    draft = OntologyDraft(ontology)
    assert draft.label("plain").color == "#808080"
    assert draft.changes() == []
    assert not draft.is_dirty
