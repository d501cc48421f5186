"""``Annotating``: what the Annotator's helpers (the gesture handler, the shape tools, the mask brush) read
and call on their Annotator. A Protocol of its own, so that none of them imports the Annotator, nor one
another for its type."""

from __future__ import annotations

from typing import Any, Protocol

from ..models.annotation_edits import AnnotationEdits
from ..models.viewport import Viewport
from .stage import Stage


class Brushing(Protocol):
    """The Annotator's mask brush, as the gestures use it."""

    def paint(self, event: dict[str, Any]) -> None: ...
    def step(self, steps: int) -> None: ...


class Annotating(Protocol):
    """What the gesture handler, the shape tools and the mask brush read and call on their Annotator."""

    viewport: Viewport
    edits: AnnotationEdits | None
    selected: int | None
    tool: str
    label: str | None
    hidden: set[int]
    locked: set[int]
    stage: Stage
    mask_brush: Brushing
    _colors: dict[str, str]
    _labels: list[str]

    def _select(self, key: int | None) -> None: ...
    def _on_object_action(self, key: int, action: str) -> None: ...
    def _redraw(self, image: bool = False) -> None: ...
    def _resize(self, width: int, window_height: float) -> None: ...
    def zoom(self, factor: float, at: tuple[float, float] | None = None) -> None: ...
    def set_label(self, label: str) -> None: ...
    def set_tool(self, tool: str) -> None: ...
    def save(self) -> bool: ...
    def undo(self) -> None: ...
    def redo(self) -> None: ...
    def next(self) -> None: ...
    def previous(self) -> None: ...
