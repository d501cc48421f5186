"""Each anywidget's protocol is written twice, alike: JSDoc typedefs in its ES module and TypedDicts in its
Python module. These tests read the typedefs out of js/*.js and hold them against the TypedDicts (same
names, keys, optional keys and ``type`` tag) and the widgets' synced traits, so neither side can change
alone."""

from __future__ import annotations

import re
import typing
from pathlib import Path
from types import ModuleType

import anywidget
import pytest

from dlwidgets.widgets import (
    annotator_gestures,
    control_bar,
    dropzone,
    item_grid,
    ontology_lists,
    prompt_elements,
)
from dlwidgets.widgets.annotator import image_layer, panels, stage
from dlwidgets.widgets.base import AnyWidgetChrome

JS = Path(__file__).resolve().parents[2] / "js"

# module -> (its Python module or modules, the typedef of its traits, the widget whose traits those are)
WIDGETS: dict[str, tuple[ModuleType | tuple[ModuleType, ...], str, type[anywidget.AnyWidget]]] = {
    "item_grid.js": (item_grid, "GridTraits", item_grid.ItemGrid),
    "dropzone.js": (dropzone, "DropzoneTraits", dropzone.Dropzone),
    "annotator_stage.js": ((stage, annotator_gestures, image_layer), "StageTraits", stage.Stage),
    "ontology_lists.js": (ontology_lists, "ListsTraits", ontology_lists.OntologyLists),
    "annotator_panel.js": (panels, "PanelTraits", panels.SidePanel),
    "prompt_elements.js": (prompt_elements, "ElementsTraits", prompt_elements.PromptElements),
    "control_bar.js": (control_bar, "BarTraits", control_bar.ControlBar),
}

Shape = tuple[frozenset[str], frozenset[str], str | None]  # required keys, optional keys, the "type" tag


def top_level(text: str, separator: str = ",") -> list[str]:
    """``text`` split at the separators outside brackets and quotes."""
    parts, depth, quote, start = [], 0, "", 0
    for i, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "{[(<":
            depth += 1
        elif char in "}])>":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


def typedefs(module: str) -> dict[str, Shape]:
    """The object typedefs of one ES module: ``@typedef {{key: T, key?: T}} Name`` and ``@typedef {object}
    Name`` with its ``@property {T} key`` / ``[key]`` lines."""
    found: dict[str, Shape] = {}
    for block in re.findall(r"/\*\*(.*?)\*/", (JS / module).read_text(), re.S):
        text = " ".join(line.strip().lstrip("*").strip() for line in block.splitlines())
        for body, name in re.findall(r"@typedef \{\{(.*?)\}\}\s+(\w+)", text):
            keys: dict[str, bool] = {}
            tag = None
            for field in top_level(body):
                key, _, value = field.partition(":")
                keys[key.rstrip("?").strip()] = key.strip().endswith("?")
                if key.strip() == "type":
                    tag = value.strip().strip('"')
            found[name] = shape(keys, tag)
        for name, properties in re.findall(r"@typedef \{object\} (\w+)(.*?)(?=@typedef|$)", text):
            listed = re.findall(r"@property \{.*?\} (\[?\w+\]?)", properties)
            found[name] = shape({key.strip("[]"): key.startswith("[") for key in listed}, None)
    return found


def shape(keys: dict[str, bool], tag: str | None) -> Shape:
    required = frozenset(k for k, optional in keys.items() if not optional)
    return required, frozenset(k for k, optional in keys.items() if optional), tag


def typed_dict_shape(cls: type) -> Shape:
    tag = typing.get_type_hints(cls).get("type")
    return (
        frozenset(cls.__required_keys__),  # type: ignore[attr-defined]
        frozenset(cls.__optional_keys__),  # type: ignore[attr-defined]
        typing.get_args(tag)[0] if tag is not None else None,
    )


@pytest.mark.parametrize("module", sorted(WIDGETS))
def test_each_message_typedef_has_the_typed_dict_of_its_name(module: str) -> None:
    python, _traits, _widget = WIDGETS[module]
    declared = typedefs(module)
    messages = {name for name, (required, _, _) in declared.items() if "type" in required}
    assert messages, f"{module} declares no message typedefs"
    for name, js_shape in declared.items():
        modules = python if isinstance(python, tuple) else (python,)
        found = [(m.__name__, getattr(m, name)) for m in modules if hasattr(m, name)]
        if not found:
            assert name not in messages, f"{module}'s message {name} has no TypedDict in {modules}"
            continue  # the module's own state (a queued file, a gesture), or its traits
        where, counterpart = found[0]
        assert typing.is_typeddict(counterpart), f"{where}.{name} is not a TypedDict"
        assert typed_dict_shape(counterpart) == js_shape, f"{module} {name} and {where}.{name} differ"


@pytest.mark.parametrize("module", sorted(WIDGETS))
def test_the_traits_typedef_lists_the_synced_traits(module: str) -> None:
    _python, traits_name, widget = WIDGETS[module]
    required, optional, _ = typedefs(module)[traits_name]
    # Not the traits every anywidget has, nor _shared_module (shared_module.js reads it, not the module).
    common = {*anywidget.AnyWidget.class_trait_names(sync=True)}
    common |= set(AnyWidgetChrome.class_trait_names(sync=True))
    synced = set(widget.class_trait_names(sync=True)) - common
    assert required | optional == synced
