"""An Annotator made while no page shows its notebook is drawn on the first page that opens it, in both
ipywidgets 7 frontends (their pages ask each widget for its state, one ``request_state`` each)."""

from __future__ import annotations

from ..test_annotator_no_page import test_an_annotator_made_with_no_page_open_is_drawn_on_the_first_page

__all__ = ["test_an_annotator_made_with_no_page_open_is_drawn_on_the_first_page"]
