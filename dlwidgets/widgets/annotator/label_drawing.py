"""Label text beside boxes and points: a font that follows the zoom, a plate behind it, no two plates on top
of each other.

All plates go as one styled-rectangles call; the texts follow in the same batch, one ``fill_texts`` call
(canvas_recorder's) per text colour, so a redraw stays a few commands however many labels there are.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .canvas_recorder import CanvasRecorder
from .label_colors import rgb

# Screen font sizes (px) the label text keeps to, whatever the zoom: smaller is unreadable, larger hides
# the image. At 100% the text is 12 px.
FONT_PX = (10, 18)
_FONT_AT_100 = 12
# A sans-serif glyph is about this wide for its size: enough to size a plate without measuring in the
# browser (which would cost a round trip per redraw).
_CHAR_WIDTH = 0.6
_PAD = 3
PLATE_ALPHA = 0.75
# How many plate heights a label may be pushed down before it is left where it collides.
_MAX_STACK = 8


Rect = tuple[float, float, float, float]  # x, y, width, height


@dataclass(frozen=True)
class Label:
    """One label to place: its text and colour, and the shape it names in canvas pixels (a point's box is
    the point itself)."""

    text: str
    color: str
    left: float
    top: float
    bottom: float


def font_px(scale: float) -> int:
    """The label font size on screen at zoom ``scale`` (1.0 = 100%): grows with the zoom, within FONT_PX."""
    return int(np.clip(round(_FONT_AT_100 * scale), *FONT_PX))


def plate_size(text: str, font: int) -> tuple[float, float]:
    return len(text) * font * _CHAR_WIDTH + 2 * _PAD, font + 2 * _PAD


class _PlacedPlates:
    """The plates placed so far, filed by the grid cells they cover: a new plate is checked against its
    neighbours only, so placing thousands of labels stays linear rather than quadratic."""

    def __init__(self, cell: float) -> None:
        self._cell = cell
        self._cells: dict[tuple[int, int], list[Rect]] = {}

    def overlaps(self, rect: Rect) -> bool:
        x, y, w, h = rect
        c, cells = self._cell, self._cells
        right, bottom = x + w, y + h
        rows = range(math.floor(y / c), math.floor(bottom / c) + 1)
        for i in range(math.floor(x / c), math.floor(right / c) + 1):
            for j in rows:
                for px, py, pw, ph in cells.get((i, j), ()):
                    if x < px + pw and px < right and y < py + ph and py < bottom:
                        return True
        return False

    def add(self, rect: Rect) -> None:
        x, y, w, h = rect
        c, cells = self._cell, self._cells
        rows = range(math.floor(y / c), math.floor((y + h) / c) + 1)
        for i in range(math.floor(x / c), math.floor((x + w) / c) + 1):
            for j in rows:
                cells.setdefault((i, j), []).append(rect)


def place_labels(labels: Sequence[Label], font: int) -> list[Rect]:
    """Each label's plate (x, y, width, height): above its shape, else inside its top, else below it, else
    pushed further down, whichever first clears the plates already placed."""
    placed: list[Rect] = []
    plates = _PlacedPlates(cell=4 * (font + 2 * _PAD))
    _, height = plate_size("", font)  # every plate one line tall
    stack = [height * k for k in range(1, _MAX_STACK)]
    for label in labels:
        width, left, bottom = len(label.text) * font * _CHAR_WIDTH + 2 * _PAD, label.left, label.bottom
        tops = [label.top - height, label.top, bottom, *(bottom + below for below in stack)]
        # Above the canvas is unseen: start inside the shape's top there.
        tops = [t for t in tops if t >= 0] or [0.0]
        plate = (left, tops[0], width, height)  # where it collides least badly: its first place
        for top in tops:
            if not plates.overlaps((left, top, width, height)):
                plate = (left, top, width, height)
                break
        plates.add(plate)
        placed.append(plate)
    return placed


def _is_light(color: str) -> bool:
    r, g, b = rgb(color)
    return 0.299 * r + 0.587 * g + 0.114 * b > 150


def draw_labels(layer: CanvasRecorder, labels: Sequence[Label], scale: float, rgb: np.ndarray) -> None:
    """Draw ``labels`` (``rgb``: their colours, one uint8 row each) on ``layer`` at the zoom ``scale``:
    plates in the label's colour, text black or white, whichever reads on it."""
    if not labels:
        return
    font = font_px(scale)
    plates = np.array(place_labels(labels, font), dtype=np.float64).reshape(-1, 4)
    x, y = np.rint(plates[:, 0]).astype(np.int16), np.rint(plates[:, 1]).astype(np.int16)
    w = np.rint(plates[:, 2]).astype(np.int16)
    _, height = plate_size("", font)  # every plate one line tall: one number, not an array
    layer.fill_styled_rects(x, y, w, int(height), rgb, alpha=PLATE_ALPHA)
    layer.font = f"{font}px sans-serif"
    layer.text_baseline = "top"
    inks: dict[str, str] = {}  # by plate colour
    for color in {label.color for label in labels}:
        inks[color] = "#000000" if _is_light(color) else "#ffffff"
    ink_of = np.array([inks[label.color] for label in labels])
    # Each text at its plate's corner moved in by the padding: the plates' own x and y, sent once.
    layer.translate(_PAD, _PAD)
    for ink in dict.fromkeys(ink_of.tolist()):  # in the order of the labels' first of each
        layer.fill_style = ink
        inked = ink_of == ink
        texts = [label.text for label, is_inked in zip(labels, inked.tolist(), strict=True) if is_inked]
        layer.fill_texts(texts, x[inked], y[inked])
    layer.translate(-_PAD, -_PAD)
    layer.text_baseline = "alphabetic"
