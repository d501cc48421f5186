"""Copy-on-write Layouts in both ipywidgets 7 frontends (see conftest.py): a widget whose shared Layout is
changed after it is shown gets the new model's look, the others keep the shared one's, core widgets and
anywidgets alike (the tests of ``tests/e2e/test_shared_styling.py``, run here)."""

from __future__ import annotations

from ..test_shared_styling import (
    test_a_layout_changed_on_an_anywidget_shows_on_it_alone,
    test_a_layout_changed_on_one_widget_shows_on_it_alone,
)

__all__ = [
    "test_a_layout_changed_on_an_anywidget_shows_on_it_alone",
    "test_a_layout_changed_on_one_widget_shows_on_it_alone",
]
