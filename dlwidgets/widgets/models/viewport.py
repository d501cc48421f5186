"""``Viewport``: where an image sits on the canvas (scale and offset), and the maps between the two.

Everything the annotator stores is in image pixels; only drawing and pointer events use canvas pixels,
and they go through this one transform, so zoom and pan never leak into stored coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_SCALE = 0.01
MAX_SCALE = 32.0
# The canvas's height when it follows the image's shape: never lower than this, never more than this share
# of the window's height (so the toolbar and the canvas fit on one screen).
MIN_CANVAS_HEIGHT = 240
MAX_WINDOW_SHARE = 0.75


def canvas_height(width: int, image_width: int, image_height: int, window_height: float) -> int:
    """The height of a canvas ``width`` wide that shows a whole image of that shape, within limits."""
    limit = max(MIN_CANVAS_HEIGHT, int(window_height * MAX_WINDOW_SHARE))
    wanted = width * max(image_height, 1) / max(image_width, 1)
    return int(min(max(wanted, MIN_CANVAS_HEIGHT), limit))


def window_heights(width: int, image_width: int, image_height: int, window_height: float) -> tuple[int, int]:
    """The lowest and highest whole window heights (highest 0: no limit) in which a canvas ``width`` wide
    gets the height ``canvas_height`` gives it in a window ``window_height`` high (the height grows with the
    window, up to the image's shape)."""
    height = canvas_height(width, image_width, image_height, window_height)
    top = 1 << 24  # beyond any window

    def same(window: int) -> bool:
        return canvas_height(width, image_width, image_height, window) == height

    low, high = 0, max(int(window_height), 1)
    while low < high:  # the lowest window with that height
        middle = (low + high) // 2
        low, high = (low, middle) if same(middle) else (middle + 1, high)
    lowest = low
    if same(top):
        return lowest, 0
    low, high = lowest, top
    while low < high:  # the highest
        middle = (low + high + 1) // 2
        low, high = (middle, high) if same(middle) else (low, middle - 1)
    return lowest, low


@dataclass
class Viewport:
    """An image of ``image_size`` shown on a canvas of ``canvas_size``: canvas = image * scale + offset."""

    canvas_width: int
    canvas_height: int
    image_width: int = 1
    image_height: int = 1
    scale: float = 1.0
    offset_x: float = 0.0
    offset_y: float = 0.0

    def fit(self, image_width: int, image_height: int) -> None:
        """Show the whole image, centred, as large as the canvas allows."""
        self.image_width, self.image_height = max(image_width, 1), max(image_height, 1)
        self.scale = min(self.canvas_width / self.image_width, self.canvas_height / self.image_height)
        self.offset_x = (self.canvas_width - self.image_width * self.scale) / 2
        self.offset_y = (self.canvas_height - self.image_height * self.scale) / 2

    @property
    def is_fitted(self) -> bool:
        """Whether the whole image is shown, centred, as large as the canvas allows (as ``fit`` leaves it)."""
        return (
            abs(self.scale - self.fit_scale) < 1e-9
            and abs(self.offset_x - (self.canvas_width - self.image_width * self.scale) / 2) < 1e-6
            and abs(self.offset_y - (self.canvas_height - self.image_height * self.scale) / 2) < 1e-6
        )

    def resize(self, canvas_width: int, canvas_height: int) -> None:
        """The canvas got a new size: a fitted image is fitted again; otherwise the image point at the
        centre stays at the centre, at the same scale."""
        fitted = self.is_fitted
        centre = self.to_image(self.canvas_width / 2, self.canvas_height / 2)
        self.canvas_width, self.canvas_height = max(canvas_width, 1), max(canvas_height, 1)
        if fitted:
            self.fit(self.image_width, self.image_height)
            return
        self.offset_x = self.canvas_width / 2 - centre[0] * self.scale
        self.offset_y = self.canvas_height / 2 - centre[1] * self.scale

    def actual_size(self) -> None:
        """One image pixel to one canvas pixel, keeping the image point at the centre where it is."""
        self.zoom(1 / self.scale)

    @property
    def fit_scale(self) -> float:
        return min(self.canvas_width / self.image_width, self.canvas_height / self.image_height)

    def to_image(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.offset_x) / self.scale, (y - self.offset_y) / self.scale

    def to_canvas(self, x: float, y: float) -> tuple[float, float]:
        return x * self.scale + self.offset_x, y * self.scale + self.offset_y

    def zoom(self, factor: float, at_x: float | None = None, at_y: float | None = None) -> None:
        """Scale by ``factor`` keeping the canvas point (``at_x``, ``at_y``) fixed (default: the centre)."""
        at_x = self.canvas_width / 2 if at_x is None else at_x
        at_y = self.canvas_height / 2 if at_y is None else at_y
        ix, iy = self.to_image(at_x, at_y)
        self.scale = min(max(self.scale * factor, min(MIN_SCALE, self.fit_scale)), MAX_SCALE)
        self.offset_x, self.offset_y = at_x - ix * self.scale, at_y - iy * self.scale

    def pan(self, dx: float, dy: float) -> None:
        """Move the image by (``dx``, ``dy``) canvas pixels."""
        self.offset_x += dx
        self.offset_y += dy

    def clamp_point(self, x: float, y: float) -> tuple[float, float]:
        """An image point moved inside the image."""
        return min(max(x, 0.0), float(self.image_width)), min(max(y, 0.0), float(self.image_height))

    @property
    def transform(self) -> tuple[float, float, float, float, float, float]:
        """The canvas transform (a, b, c, d, e, f) that draws image pixels where they are shown."""
        return self.scale, 0.0, 0.0, self.scale, self.offset_x, self.offset_y
