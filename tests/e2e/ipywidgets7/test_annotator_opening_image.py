"""The first item's full image follows the cell's display, in both ipywidgets 7 frontends (see
conftest.py): the stage's model opens with the thumbnail, the page gets the display, then the full image
in a message of its own, and draws it sharp with the boxes in two views of one widget (see
../test_annotator_opening_image.py)."""

from __future__ import annotations

from playwright.sync_api import Page

from ..page import OpenNotebook
from ..test_annotator_opening_image import open_with_image


def test_the_full_image_follows_the_cells_display(open_notebook: OpenNotebook, page: Page) -> None:
    open_with_image(open_notebook, page)
