"""Canvas pixels as the browser shows them, for asserting what a widget really drew."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Locator

from .polling import poll

RGBA = tuple[int, int, int, int]

_READ_PIXEL_JS = """(canvas, [x, y]) => Array.from(canvas.getContext('2d').getImageData(x, y, 1, 1).data)"""


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
