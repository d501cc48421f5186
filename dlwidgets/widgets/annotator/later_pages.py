"""What a page that opens the stage later (the page reloaded while the kernel runs, a second browser tab)
must be sent again: the image, which lives in messages, not in the stage's state (the drawing is state,
which such a page reads with the rest).

Every page that makes the stage's model says so (its "ready" message). The first to say so is the page the
stage was made for, which got every message, unless no page was open then (the Annotator made from a
console, or with the tab closed): a page that opens later reads every widget's whole state from the kernel
before it makes their models, so a stage read so knows that its next page got none of its messages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w


class ReadByLaterPages(w.Widget):
    """A widget that notes when its whole state is read after its model was opened: a page opening later
    asks for it (ipywidgets' ``request_states``, or ``request_state`` per widget); the page the widget was
    made for got it in the opening message instead."""

    _is_read_by_later_page = False

    def get_state(self, key: Any = None, drop_defaults: bool = False) -> dict[str, Any]:
        if key is None and self.comm is not None:
            self._is_read_by_later_page = True
        state: dict[str, Any] = super().get_state(key=key, drop_defaults=drop_defaults)
        return state


def on_later_pages(widget: ReadByLaterPages, resend: Callable[[], None]) -> Callable[..., None]:
    """A handler for ``widget``'s page-ready messages that calls ``resend`` for every page but the one the
    widget was made for: the first, unless a page opened later read the widget before it said so."""
    pages = 0

    def ready(*_: object) -> None:
        nonlocal pages
        pages += 1
        if pages > 1 or widget._is_read_by_later_page:
            resend()

    return ready
