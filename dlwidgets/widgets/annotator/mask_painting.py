"""``MaskBrush``: the Annotator's brush and eraser for masks (``binary`` annotations): the brush's size,
what the browser needs to paint a stroke (the gesture layer's ``brush``), and each stroke it sends painted
into the mask a user expects (see ``models.mask_strokes``), one step of undo per stroke."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..annotator_gestures import Brush
from ..models.mask_strokes import MAX_RADIUS, Stroke, apply_stroke, target_mask
from .label_colors import label_color

if TYPE_CHECKING:
    from .annotating import Annotating

BRUSH_TOOLS = ("brush", "eraser")
DEFAULT_SIZE = 16
# The sizes ``-`` and ``=`` step through (diameters in image pixels); the toolbar's size box takes any other.
SIZE_STEPS = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512)
MAX_SIZE = int(2 * MAX_RADIUS)


class MaskBrush:
    """The brush and eraser of one Annotator. ``size`` is the brush's diameter in image pixels."""

    def __init__(self, annotator: Annotating) -> None:
        self._annotator = annotator
        self._size = DEFAULT_SIZE
        # Told each new size: the toolbar's size box shows it.
        self.on_size: Callable[[int], None] | None = None

    @property
    def size(self) -> int:
        return self._size

    @size.setter
    def size(self, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_SIZE:
            raise ValueError(f"brush size {value!r} is not a whole number of image pixels in 1-{MAX_SIZE}")
        self._size = value
        if self.on_size is not None:
            self.on_size(value)
        self.show()

    def step(self, steps: int) -> None:
        """The next larger (``steps`` > 0) or smaller size of ``SIZE_STEPS``."""
        size = self.size
        if steps > 0:
            self.size = next((s for s in SIZE_STEPS if s > size), max(size, SIZE_STEPS[-1]))
        else:
            self.size = next((s for s in reversed(SIZE_STEPS) if s < size), min(size, SIZE_STEPS[0]))

    def show(self) -> None:
        """Tell the browser what a drag paints now: the brush or the eraser with its size and colour (the
        colour of the mask it would paint into), or nothing with another tool."""
        a = self._annotator
        if a.tool not in BRUSH_TOOLS:
            a.stage.set_trait("brush", None)
            return
        label = a.label
        key = target_mask(a.edits, label, a.selected) if a.edits is not None else None
        if key is not None and a.edits is not None:
            label = a.edits.shape(key).get("label")
        brush: Brush = {
            "tool": "eraser" if a.tool == "eraser" else "brush",
            "radius": self.size / 2,
            "color": label_color(label, a._colors),
        }
        a.stage.brush = dict(brush)

    def paint(self, event: dict[str, Any]) -> None:
        """Paint a ``Stroke`` message into the selected mask, else the current label's (a new one if the
        item has none; the eraser then does nothing). A hidden mask painted into is shown again."""
        a = self._annotator
        if a.edits is None:
            return
        if a.label is None:
            raise ValueError("the ontology has no labels yet: add one (ontology.add_label) before painting")
        stroke = Stroke.from_message(event)
        key = target_mask(a.edits, a.label, a.selected)
        if key is not None and key in a.locked:
            raise ValueError("that mask is locked against edits: unlock it in the objects list first")
        if key is not None and key in a.hidden:
            a._on_object_action(key, "show")  # painted where it can be seen
        apply_stroke(a.edits, stroke, a.label, a._colors, a.selected)
        self.show()
