"""``Viewport``: where an image sits on the canvas (scale and offset), and the maps between the two.

Everything the annotator stores is in image pixels; only drawing and pointer events use canvas pixels,
and they go through this one transform, so zoom and pan never leak into stored coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_SCALE = 0.01
MAX_SCALE = 32.0


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
