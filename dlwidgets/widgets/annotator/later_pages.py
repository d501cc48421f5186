"""What a page that opens the stage later (the page reloaded while the kernel runs, a second browser tab)
must be sent again: the image, which lives in messages, not in the stage's state (the drawing is state,
which such a page reads with the rest).

Such a page reads every widget's whole state from the kernel before it makes their models; the page the
stage was made for got the state in the opening message instead. So the state read later says so
(``later_page``), and only a page that read it asks for the image ("ready"). This covers the Annotator
made with no page open too (from a console, or with the tab closed): its first page reads it later.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w


class ReadByLaterPages(w.Widget):
    """A widget whose whole state, read after its model was opened (a page opening later asks for it:
    ipywidgets' ``request_states``, or ``request_state`` per widget), says ``later_page``."""

    def get_state(self, key: Any = None, drop_defaults: bool = False) -> dict[str, Any]:
        state: dict[str, Any] = super().get_state(key=key, drop_defaults=drop_defaults)
        if key is None and self.comm is not None:
            state["later_page"] = True
        return state
