"""``merge_edits``: put one user's edits of an ontology onto the ontology as it is now stored.

The user edited a copy read earlier (the base); others may have saved since. Labels are matched by tag and
attributes by key, through what each was called in the base (its origin), so a rename is one edit. An edit
of something nobody else touched is kept, as is everything others changed that the user left alone; the
same label or attribute changed on both sides is a ``Conflict`` naming it, and nothing is merged.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ...api import derive_display_label, normalize_color
from ...exceptions import Conflict

Json = dict[str, Any]


@dataclass
class Edited:
    """One side's labels (the platform's ``roots``) and attributes (``metadata.attributes``)."""

    roots: list[Json]
    attributes: list[Json]


def label_values(roots: list[Json]) -> Iterator[tuple[str, Json]]:
    """(tag, value) of every label in a roots tree, depth first."""
    for node in roots:
        value = node.get("value") or {}
        yield value.get("tag", ""), value
        yield from label_values(node.get("children") or [])


def comparable(value: Json) -> Json:
    """A label's value as saving would store it: colour in lower case (the colour shown for none if
    absent), display name derived if absent."""
    tag = str(value.get("tag", ""))
    return {
        **value,
        "color": str(value.get("color") or normalize_color(None)).lower(),
        "displayLabel": value.get("displayLabel") or derive_display_label(tag),
    }


def merge_edits(
    base: Edited,
    stored: Edited,
    mine: Edited,
    label_origins: Mapping[str, str | None],
    attribute_origins: list[str | None],
    same_attribute: Callable[[Json, Json], bool],
) -> Edited:
    """``mine`` (the user's edits of ``base``) put onto ``stored``. ``label_origins`` maps each of the user's
    tags to its tag in the base (None: new); ``attribute_origins[i]`` is the base key of ``mine``'s i-th
    attribute. Raises ``Conflict`` listing everything edited on both sides."""
    conflicts: list[str] = []
    roots = _merge_labels(base.roots, stored.roots, mine.roots, label_origins, conflicts)
    attributes = _merge_attributes(base, stored, mine, attribute_origins, same_attribute, conflicts)
    if conflicts:
        raise Conflict(
            "the ontology changed since the editor loaded it, where you changed it too; nothing was saved: "
            + "; ".join(conflicts)
            + ". Your edits are kept: Discard them to load the stored ontology, or change those back"
        )
    return Edited(roots, attributes)


def _merge_labels(
    base_roots: list[Json],
    stored_roots: list[Json],
    mine_roots: list[Json],
    origins: Mapping[str, str | None],
    conflicts: list[str],
) -> list[Json]:
    base = {t: comparable(v) for t, v in label_values(base_roots)}
    stored = {t: comparable(v) for t, v in label_values(stored_roots)}
    mine = {t: comparable(v) for t, v in label_values(mine_roots)}
    theirs = {t for t in base.keys() | stored.keys() if base.get(t) != stored.get(t)}
    new_tag = {origin: tag for tag, origin in origins.items() if origin is not None}
    touched = {o for o in base if o not in new_tag or new_tag[o] != o or mine[new_tag[o]] != base[o]}
    for tag in sorted(touched & theirs):
        now = "deleted" if tag not in stored else f"now {_describe(stored[tag])}"
        conflicts.append(f"label {tag!r} was changed by you and by someone else ({now})")
    for tag, origin in origins.items():
        if origin is None and tag in stored and tag not in base:
            conflicts.append(f"label {tag!r} was added by you and by someone else")

    merged = copy.deepcopy(mine_roots)
    # What others changed that the user left alone: their value, or gone if they deleted it.
    for siblings, node in list(label_nodes(merged)):
        tag = node["value"]["tag"]
        origin = origins.get(tag)
        if origin is None or origin in touched or origin not in theirs:
            continue
        if origin in stored:
            node["value"] = copy.deepcopy(dict(label_values(stored_roots))[origin])
        else:
            added_below = [t for t, _ in label_values(node.get("children") or []) if origins.get(t) is None]
            if added_below:
                conflicts.append(f"you added {added_below} under label {tag!r}, which someone else deleted")
            siblings.remove(node)
    # What others added: under its parent, wherever the user's edits put that parent.
    stored_values = dict(label_values(stored_roots))
    for tag in sorted(stored.keys() - base.keys(), key=lambda t: t.count(".")):
        parent, _, name = tag.rpartition(".")
        if parent and parent in base and parent not in new_tag:
            conflicts.append(f"label {tag!r} was added by someone else under {parent!r}, which you deleted")
            continue
        where = new_tag.get(parent, parent)
        children = merged if not parent else children_of(merged, where)
        if children is None or tag in mine:
            continue
        full = f"{where}.{name}" if parent else name
        children.append({"value": {**copy.deepcopy(stored_values[tag]), "tag": full}, "children": []})
    return merged


def _merge_attributes(
    base: Edited,
    stored: Edited,
    mine: Edited,
    origins: list[str | None],
    same: Callable[[Json, Json], bool],
    conflicts: list[str],
) -> list[Json]:
    base_by_key = {a.get("key"): a for a in base.attributes}
    stored_by_key = {a.get("key"): a for a in stored.attributes}

    def changed(before: Json | None, after: Json | None) -> bool:
        return before is None or after is None or not same(before, after)

    theirs = {
        k
        for k in base_by_key.keys() | stored_by_key.keys()
        if changed(base_by_key.get(k), stored_by_key.get(k))
    }
    kept = {o: a for o, a in zip(origins, mine.attributes, strict=True) if o is not None}
    touched = {
        k for k in base_by_key if k not in kept or kept[k].get("key") != k or changed(base_by_key[k], kept[k])
    }
    for key in sorted(touched & theirs, key=str):
        conflicts.append(f"attribute {key!r} was changed by you and by someone else")
    merged: list[Json] = []
    for origin, attribute in zip(origins, mine.attributes, strict=True):
        if origin is None and attribute.get("key") in stored_by_key.keys() - base_by_key.keys():
            conflicts.append(f"attribute {attribute.get('key')!r} was added by you and by someone else")
        if origin is not None and origin not in touched and origin in theirs:
            if origin in stored_by_key:
                merged.append(copy.deepcopy(stored_by_key[origin]))
            continue
        merged.append(attribute)
    keys = {a.get("key") for a in merged}
    merged += [copy.deepcopy(a) for k, a in stored_by_key.items() if k not in base_by_key and k not in keys]
    return merged


def _describe(value: Json) -> str:
    return f"{value.get('color')}, shown as {value.get('displayLabel')!r}"


def label_nodes(roots: list[Json]) -> Iterator[tuple[list[Json], Json]]:
    """(siblings, node) for every node of a roots tree, parents before their children."""
    for node in roots:
        yield roots, node
        yield from label_nodes(node.setdefault("children", []))


def children_of(roots: list[Json], tag: str) -> list[Json] | None:
    """The children list of the label ``tag`` in a roots tree; None when it is not there."""
    for _, node in label_nodes(roots):
        if node["value"].get("tag") == tag:
            children: list[Json] = node["children"]
            return children
    return None
