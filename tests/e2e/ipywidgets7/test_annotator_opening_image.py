"""The first item's full image in the stage's opening state, in both ipywidgets 7 frontends (see
conftest.py): the page gets it in the message that opens the stage's model, no message of its own, and
draws it sharp with the boxes in two views of one widget (see ../test_annotator_opening_image.py)."""

from __future__ import annotations

from playwright.sync_api import Page

from ..page import OpenNotebook
from ..test_annotator_opening_image import open_with_image


def test_the_full_image_comes_in_the_stages_opening_state(open_notebook: OpenNotebook, page: Page) -> None:
    open_with_image(open_notebook, page)
