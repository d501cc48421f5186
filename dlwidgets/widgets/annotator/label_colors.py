"""``label_colors``: each label's path and colour, read straight from an ontology's roots tree, depth first
as ``Ontology.labels_flat_dict`` has them. The Annotator needs only these; building a ``Label`` entity
per label costs tens of milliseconds at a thousand labels, reading the tree well under one."""

from __future__ import annotations

from typing import Any

from ...api import Ontology, normalize_color


def label_colors(ontology: Ontology) -> dict[str, str]:
    """``{path: "#rrggbb"}`` for every label of ``ontology`` (``parent.child`` for nested ones)."""
    colors: dict[str, str] = {}

    def visit(nodes: list[Any], parent: str) -> None:
        for node in nodes:
            value = node.get("value") or {}
            tag = str(value.get("tag", ""))
            path = tag if not parent or tag.startswith(parent + ".") else f"{parent}.{tag}"
            colors[path] = _color(value.get("color", "#808080"))
            visit(node.get("children") or [], path)

    visit(ontology.roots, "")
    return colors


def _color(color: Any) -> str:
    """As a ``Label`` reads its colour: made ``#rrggbb`` where it can be, else kept as stored."""
    try:
        return normalize_color(color)
    except ValueError:
        return color if isinstance(color, str) else "#808080"
