"""Canvas pixels as the browser shows them, for asserting what a widget really drew."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Locator

from .polling import poll

RGBA = tuple[int, int, int, int]

# A JS function `(canvas, x, y) => [r, g, b, a]`: the pixel as the page shows it. A canvas of the
# Annotator's stage is one of a stack (the image under the annotations and the highlight): their pixels
# are composited, bottom to top, as the browser paints them (the gesture layer's previews left out).
STAGE_PIXEL_JS = """(canvas, x, y) => {
  const stage = canvas.closest('.dlw-stage');
  const layers = stage ? Array.from(stage.querySelectorAll('canvas:not(.dlw-gestures)')) : [canvas];
  let out = [0, 0, 0, 0];
  for (const layer of layers) {
    const [r, g, b, a] = layer.getContext('2d').getImageData(x, y, 1, 1).data;
    const top = a / 255, below = (out[3] / 255) * (1 - top), alpha = top + below;
    if (!alpha) continue;
    out = [0, 1, 2].map((i) => ([r, g, b][i] * top + out[i] * below) / alpha).concat(alpha * 255);
  }
  return out.map(Math.round);
}"""

_READ_PIXEL_JS = f"(canvas, [x, y]) => ({STAGE_PIXEL_JS})(canvas, x, y)"


def read_pixel(canvas: Locator, x: int, y: int) -> RGBA:
    """The RGBA value of canvas pixel (x, y) (canvas pixels, not CSS pixels)."""
    r, g, b, a = canvas.evaluate(_READ_PIXEL_JS, [x, y])
    return r, g, b, a


def wait_pixel(
    canvas: Locator, x: int, y: int, matches: Callable[[RGBA], bool], *, what: str, timeout: float = 30
) -> RGBA:
    """Wait until pixel (x, y) satisfies `matches`; on timeout say which value it had instead."""
    seen: list[RGBA] = []

    def check() -> RGBA | None:
        pixel = read_pixel(canvas, x, y)
        seen[:] = [pixel]
        return pixel if matches(pixel) else None

    return poll(check, timeout=timeout, what=f"{what} at pixel ({x}, {y})", explain=lambda: f"it is {seen}")


def is_red(pixel: RGBA) -> bool:
    r, g, b, a = pixel
    return r > 200 and g < 60 and b < 60 and a == 255
