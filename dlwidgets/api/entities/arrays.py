"""``AnnotationArrays``: the box annotations of an item or a dataset as NumPy arrays (boxes N x 4, labels,
scores), the shape a detection model reads and writes, and the checked way back to annotations."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .annotation import Box, Definition
from .prediction import model_info_of


@dataclass(frozen=True)
class AnnotationArrays:
    """Box annotations as arrays, row ``i`` of each one annotation: ``boxes`` (N x 4 float: left, top, right,
    bottom in pixels, the x1 y1 x2 y2 of detection models), ``labels`` (N str), ``scores`` (N float: the
    model's confidence, NaN for an annotation no model made), ``ids`` and ``item_ids`` (N str)."""

    boxes: np.ndarray
    labels: np.ndarray
    scores: np.ndarray
    ids: np.ndarray
    item_ids: np.ndarray

    def __len__(self) -> int:
        return len(self.boxes)

    @classmethod
    def from_json(cls, annotations: Iterable[Mapping[str, Any]]) -> AnnotationArrays:
        """The box annotations among ``annotations`` (the platform's JSON), in their order; other types
        have no row. A rotated box gives its edges as stored, before the rotation."""
        rows = [a for a in annotations if a.get("type") == "box"]
        boxes = np.array(
            [[c for p in a["coordinates"][:2] for c in (p["x"], p["y"])] for a in rows], dtype=np.float64
        ).reshape(len(rows), 4)
        scores = []
        for a in rows:
            model = model_info_of(a.get("metadata") or {})
            scores.append(np.nan if model is None or model.get("confidence") is None else model["confidence"])
        return cls(
            boxes=boxes,
            labels=np.array([a.get("label") or "" for a in rows], dtype=str),
            scores=np.array(scores, dtype=np.float64),
            ids=np.array([a.get("id") or "" for a in rows], dtype=str),
            item_ids=np.array([a.get("itemId") or "" for a in rows], dtype=str),
        )


def _column(name: str, values: Any, count: int) -> np.ndarray:
    array = np.asarray(values)
    if array.shape != (count,):
        raise ValueError(f"{name} must hold one value per box ({count}), got an array of shape {array.shape}")
    return array


def box_definitions(boxes: Any, labels: Any, scores: Any = None) -> list[tuple[Definition, float | None]]:
    """Each row of ``boxes`` (N x 4: left, top, right, bottom) as a ``Box`` with its label, and its score (or
    None without ``scores``); a bad row raises a ``ValueError`` naming it."""
    array = np.asarray(boxes, dtype=np.float64) if len(np.shape(boxes)) else np.empty((0, 4))
    if array.ndim != 2 or array.shape[1] != 4:
        raise ValueError(
            f"boxes must be an N x 4 array of left, top, right, bottom, got an array of shape {array.shape}"
        )
    names = _column("labels", labels, len(array))
    confidences = None if scores is None else _column("scores", scores, len(array)).astype(np.float64)
    found: list[tuple[Definition, float | None]] = []
    for i, (left, top, right, bottom) in enumerate(array.tolist()):
        try:
            box = Box(left=left, top=top, right=right, bottom=bottom, label=str(names[i]))
        except ValueError as e:
            raise ValueError(f"boxes[{i}] {array[i].tolist()}: {e}") from None
        found.append((box, None if confidences is None else float(confidences[i])))
    return found
