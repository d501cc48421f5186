"""``OpensWhenBuilt``: a widget whose model opens in the page once its state is set, not when it is made
(as ipywidgets does), so that its opening message carries that state instead of updates after it, and it
comes after the models it holds and after what the page should draw first."""

from __future__ import annotations

import ipywidgets as w


class OpensWhenBuilt(w.Widget):
    """Made, filled, then ``built()``: only then does its model open in the page."""

    _is_built = False

    def open(self) -> None:
        """Open the model once ``built`` (ipywidgets' constructor calls this too, before any state)."""
        if self._is_built:
            super().open()

    def built(self) -> None:
        """Its state is set: open its model with it."""
        self._is_built = True
        self.open()
