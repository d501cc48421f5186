"""Widgets as the page shows them, for the browser tests that drive them: the Annotator (its canvas,
gestures in image pixels, and the kernel's dumps of its annotations) and the Browser (its grid, pager
and thumbnails)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Locator, Page

from .page import NotebookPage, OpenNotebook
from .pixels import RGBA, wait_pixel
from .polling import poll

JPEG_TOLERANCE = 16

Annotations = list[dict[str, Any]]

# Thumbnails the page shows (decoded images), broken placeholders and type icons in the grid.
_THUMBNAILS_JS = """grid => ({
  loaded: Array.from(grid.querySelectorAll(".dlw-card img")).filter(i => i.complete && i.naturalWidth > 0)
    .length,
  broken: grid.querySelectorAll(".dlw-thumb.dlw-broken").length,
  icons: grid.querySelectorAll(".dlw-thumb.dlw-icon-only").length,
  cards: grid.querySelectorAll(".dlw-card").length,
})"""

# Names of the cards in a grid whose thumbnail image the page has decoded.
_DECODED_NAMES_JS = """grid => Array.from(grid.querySelectorAll(".dlw-card"))
  .filter(card => {
    const img = card.querySelector("img");
    return img && img.complete && img.naturalWidth > 0;
  })
  .map(card => card.querySelector(".dlw-name").textContent)"""


def wait_decoded_thumbnails(grid: Locator, names: Sequence[str]) -> None:
    """Wait until the cards in `grid` whose thumbnails are decoded are exactly those named `names`."""
    seen: list[object] = []

    def check() -> bool | None:
        decoded = sorted(grid.evaluate(_DECODED_NAMES_JS))
        seen[:] = [decoded]
        return decoded == sorted(names) or None

    poll(check, timeout=30, what=f"decoded thumbnails of {sorted(names)}", explain=lambda: f"decoded: {seen}")


# The annotator's view as the page has it (with `settled`, only once the kernel has sized the canvas to
# the width the page gives it): the canvas's size and the image's scale and offset on it, or null.
_VIEW_JS = """(canvas, settled) => {
  const host = canvas.parentElement;
  if (!canvas.dataset.view) return null;
  if (settled && canvas.width !== Math.floor(host.getBoundingClientRect().width)) return null;
  const [scale, offset_x, offset_y] = JSON.parse(canvas.dataset.view);
  return {canvas_width: canvas.width, canvas_height: canvas.height, scale, offset_x, offset_y};
}"""


class AnnotatorView:
    """The annotator as the page shows it, plus the kernel's dumps of the same annotator. Each gesture and
    each conversion reads the canvas's place and the image's place on it afresh, so a page that reflows
    meanwhile (a side panel wraps, an output appears above, the window changes) is met where it is now."""

    def __init__(
        self, notebook: NotebookPage, selector: str = ".dlw-annotator", settled: bool = True
    ) -> None:
        """With `settled` (the default), wait until the canvas fills its cell, before each gesture too;
        without, take the view shown at the time (a busy kernel may not have sized the canvas yet:
        gestures still land right)."""
        self.notebook = notebook
        self.page: Page = notebook.page
        self.root = notebook.output(selector)
        self.gestures = self.root.locator("canvas.dlw-gestures")
        # The annotations' <canvas>, between the image's and the highlight's; pixels.py reads the stack's
        # pixels composited.
        self.layers = self.root.locator("canvas.dlw-drawing").first
        self.settled = settled
        self.shown_view(settled)

    @property
    def viewport(self) -> dict[str, float]:
        """The canvas's size and the image's scale and offset on it, as the page has them now."""
        return self.shown_view(self.settled)

    def shown_view(self, settled: bool = True) -> dict[str, float]:
        """The canvas's size and the image's place on it (with `settled`, once it fills its cell)."""
        seen: list[object] = []

        def check() -> dict[str, float] | None:
            view = self.gestures.evaluate(_VIEW_JS, settled)
            seen[:] = [view]
            return view or None

        view: dict[str, float] = poll(
            check, timeout=30, what="the canvas sized to its cell", explain=lambda: f"the page shows {seen}"
        )
        return view

    # -- coordinates ------------------------------------------------------------------------------
    def canvas_xy(self, x: float, y: float) -> tuple[float, float]:
        """Canvas pixels of image point (x, y)."""
        return _Placement(self.viewport, (0, 0, 1, 1)).canvas_xy(x, y)

    def placement(self) -> _Placement:
        """Where the image is on the page now, after scrolling the annotator into view: one reading for
        all the points of one gesture."""
        self.gestures.scroll_into_view_if_needed()
        view = self.viewport
        box = self.gestures.bounding_box()
        assert box is not None, "the gesture layer is not laid out"
        scale_x, scale_y = box["width"] / view["canvas_width"], box["height"] / view["canvas_height"]
        return _Placement(view, (box["x"], box["y"], scale_x, scale_y))

    def screen_xy(self, x: float, y: float) -> tuple[float, float]:
        """Page coordinates of image point (x, y), after scrolling the annotator into view."""
        return self.placement().screen_xy(x, y)

    def image_xy(self, screen_x: float, screen_y: float) -> tuple[float, float]:
        """Image pixels under page point (screen_x, screen_y) as the page is laid out now: what a gesture
        there means."""
        return self.placement().image_xy(screen_x, screen_y)

    # -- gestures ---------------------------------------------------------------------------------
    def drag(self, start: tuple[float, float], end: tuple[float, float]) -> tuple[tuple[float, float], ...]:
        """Drag with the left button from image point `start` to `end`; return the page points used."""
        placement = self.placement()
        (x0, y0), (x1, y1) = placement.screen_xy(*start), placement.screen_xy(*end)
        mouse = self.page.mouse
        mouse.move(x0, y0)
        mouse.down()
        mouse.move(x1, y1, steps=8)
        mouse.up()
        return (x0, y0), (x1, y1)

    def click(self, at: tuple[float, float]) -> tuple[float, float]:
        """Click image point `at`; return the page point used."""
        x, y = self.screen_xy(*at)
        self.page.mouse.click(x, y)
        return x, y

    # -- what the kernel and the page show ---------------------------------------------------------
    def kernel_state(self, until: Callable[[Annotations], bool], what: str) -> dict[str, Any]:
        """The kernel's last dump once its annotations satisfy `until`; fails naming `what` otherwise."""
        try:
            state: dict[str, Any] = self.notebook.wait_file(
                "annotations.json", until=lambda s: until(s["annotations"])
            )
        except AssertionError as error:
            raise AssertionError(f"the kernel never showed {what}:\n{error}") from None
        return state

    def kernel_annotations(self, until: Callable[[Annotations], bool], what: str) -> Annotations:
        annotations: Annotations = self.kernel_state(until, what)["annotations"]
        return annotations

    def wait_text(self, selector: str, text: str) -> None:
        """Wait until an element matching `selector` in the annotator reads exactly `text`."""
        exact = re.compile(rf"^\s*{re.escape(text)}\s*$")
        self.root.locator(selector).filter(has_text=exact).first.wait_for(timeout=30_000)

    def wait_tool(self, name: str) -> None:
        """Wait until the toolbar shows tool `name` as the active one (the kernel's choice)."""
        self.root.locator("button.mod-active", has_text=name).wait_for(timeout=30_000)

    def wait_image_pixel(self, x: float, y: float, expected: RGBA, what: str) -> None:
        cx, cy = self.canvas_xy(x, y)
        wait_pixel(self.layers, int(cx), int(cy), lambda p: _close(p, expected, JPEG_TOLERANCE), what=what)


@dataclass(frozen=True)
class _Placement:
    """One reading of where the image is: the view (canvas = image * scale + offset) and the canvas's
    box on the page (left, top, and CSS pixels per canvas pixel across and down)."""

    view: dict[str, float]
    box: tuple[float, float, float, float]

    def canvas_xy(self, x: float, y: float) -> tuple[float, float]:
        v = self.view
        return x * v["scale"] + v["offset_x"], y * v["scale"] + v["offset_y"]

    def screen_xy(self, x: float, y: float) -> tuple[float, float]:
        left, top, sx, sy = self.box
        cx, cy = self.canvas_xy(x, y)
        return left + cx * sx, top + cy * sy

    def image_xy(self, screen_x: float, screen_y: float) -> tuple[float, float]:
        left, top, sx, sy = self.box
        v = self.view
        cx, cy = (screen_x - left) / sx, (screen_y - top) / sy
        return (cx - v["offset_x"]) / v["scale"], (cy - v["offset_y"]) / v["scale"]


def open_annotator(open_notebook: OpenNotebook, cells: Sequence[str]) -> AnnotatorView:
    """Run a notebook of ``cells`` whose last shows an Annotator; its view once the kernel is ready."""
    notebook = open_notebook(cells)
    notebook.run_all()
    notebook.wait_widget(".dlw-annotator canvas.dlw-gestures")
    notebook.wait_ready()
    return AnnotatorView(notebook)


class BrowserView:
    """The Browser widget as the page shows it."""

    def __init__(self, notebook: NotebookPage) -> None:
        self.notebook = notebook
        self.root = notebook.output(".dlw-browser")
        self.grid = self.root.locator(".dlw-item-grid .dlw-grid-cards")

    def card(self, name: str) -> Locator:
        return self.grid.locator(".dlw-card").filter(has=self.grid.page.get_by_text(name, exact=True))

    def wait_label(self, text: str) -> None:
        label = self.root.locator(".dlw-page-label")
        poll(
            lambda: label.inner_text() == text or None,
            timeout=30,
            what=f"the page label {text!r}",
            explain=lambda: f"it reads {label.inner_text()!r}\n{self.notebook.describe()}",
        )

    def names(self) -> list[str]:
        names: list[str] = self.grid.locator(".dlw-name").all_inner_texts()
        return names

    def wait_thumbnails(self, loaded: int, broken: int = 0, icons: int = 0) -> None:
        expected = {"loaded": loaded, "broken": broken, "icons": icons, "cards": loaded + broken + icons}
        seen: list[object] = []

        def check() -> bool | None:
            counts = self.grid.evaluate(_THUMBNAILS_JS)
            seen[:] = [counts]
            return counts == expected or None

        poll(check, timeout=30, what=f"thumbnails {expected}", explain=lambda: f"the grid shows {seen}")


def _close(pixel: RGBA, expected: RGBA, tolerance: int) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=True))
