"""The README's widget screenshots, taken by the browser tests that drive each widget.

``save_screenshot(locator, "Annotator")`` writes ``docs/screenshots/Annotator.png`` only when
``DLWIDGETS_SCREENSHOTS=1`` is set, and only from JupyterLab (each test also runs in Notebook 7), so an
ordinary test run never rewrites the tracked files. To make them all:

    DLWIDGETS_SCREENSHOTS=1 .venv/bin/python -m pytest tests/e2e -k lab

Screenshots are cropped to the locator (a widget's output area) and kept small: a PNG over
`MAX_BYTES` is stored with a 256-colour palette instead.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image
from playwright.sync_api import Locator, Page

SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"
ENV = "DLWIDGETS_SCREENSHOTS"
MAX_BYTES = 150_000


_FOLD_LEFT_JS = """() => {
  const shell = window.jupyterapp && window.jupyterapp.shell;
  if (!shell || !shell.collapseLeft || shell.leftCollapsed) return false;
  shell.collapseLeft();
  return true;
}"""


def enabled() -> bool:
    return os.environ.get(ENV, "") not in ("", "0")


def save_screenshot(target: Page | Locator, name: str) -> Path | None:
    """Save `target` (a page, or a locator cropped to its element) as ``docs/screenshots/<name>.png``;
    return the path, or None when screenshots are off or the page is not JupyterLab."""
    page = target if isinstance(target, Page) else target.page
    if not enabled() or "/lab/" not in page.url:
        return None
    page.mouse.move(0, 0)  # no hover highlight or tooltip in the picture
    # Lab's file browser takes 250 px: folded away for the picture, so a wide widget is not cut off.
    folded = page.evaluate(_FOLD_LEFT_JS)
    try:
        page.wait_for_timeout(300)  # the notebook panel's relayout
        png = target.screenshot(type="png", animations="disabled", timeout=30_000)
    finally:
        if folded:
            page.evaluate("() => window.jupyterapp.shell.expandLeft()")
            page.wait_for_timeout(300)
    if len(png) > MAX_BYTES:
        image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256, dither=Image.Dither.NONE)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        png = buffer.getvalue()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    path.write_bytes(png)
    return path
