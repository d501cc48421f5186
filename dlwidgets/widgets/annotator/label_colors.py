"""A label's colour on the canvas. ``label_colors``: each label's path and colour, read straight from an
ontology's roots tree, depth first as ``Ontology.labels_flat_dict`` has them. The Annotator needs only
these; building a ``Label`` entity per label costs tens of milliseconds at a thousand labels, reading the
tree well under one. ``label_color`` and ``label_rgbs``: a label's colour from them (grey for a label not
in the ontology), as a "#rrggbb" string or as uint8 RGB rows for the vectorised styled calls."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ...api import Ontology, normalize_color
from ..models.annotation_edits import Shape

UNKNOWN_COLOR = "#9e9e9e"  # a label the ontology does not have


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


def rgb(color: str) -> tuple[int, int, int]:
    """``(r, g, b)`` of a label's colour: "#rrggbb", CSS's short "#rgb", or the unknown label's grey for a
    form read nowhere here (a platform may store one; the page's CSS still shows it as stored)."""
    value = color.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    try:
        return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
    except ValueError:
        return rgb(UNKNOWN_COLOR)


def label_color(label: str | None, colors: Mapping[str, str]) -> str:
    """``label``'s colour in ``colors`` (``label_colors``), grey for a label not in them (or none)."""
    return colors.get(label or "", UNKNOWN_COLOR)


def label_rgbs(shapes: Sequence[tuple[int, Shape]], colors: Mapping[str, str]) -> np.ndarray[Any, Any]:
    """Each shape's ``label_color``, one uint8 RGB row per shape: each label's colour parsed once."""
    codes: dict[str, int] = {}
    rows = [codes.setdefault(s.get("label") or "", len(codes)) for _, s in shapes]
    palette = np.array([rgb(label_color(label, colors)) for label in codes], dtype=np.uint8)
    return palette.reshape(-1, 3)[np.array(rows, dtype=np.intp)]
