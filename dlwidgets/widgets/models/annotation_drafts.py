"""``AnnotationDrafts``: the annotation edits of every item an Annotator has shown, kept until saved.

Leaving an item never throws its edits away. With autosave on (the default) an item's edits are saved
when it is left and after a short idle time; with autosave off each item keeps its draft, with its undo
history, until it is saved or explicitly discarded. Closing with unsaved drafts (autosave saves them
first), or a kernel shutting down with them, warns and names the items; at shutdown nothing is written.
No ipywidgets here: a widget is a thin view over this model.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import warnings
import weakref
from collections.abc import Callable
from typing import Literal

from ...api import Item
from ...exceptions import PlatformError
from .annotation_edits import AnnotationEdits

logger = logging.getLogger(__name__)

SaveState = Literal["saved", "unsaved", "saving", "failed"]
IDLE_SECONDS = 1.5

# ``schedule(delay, callback)`` runs ``callback`` after ``delay`` seconds and returns a function that
# cancels it, or returns None when it cannot run anything later (no event loop).
Scheduler = Callable[[float, Callable[[], None]], "Callable[[], None] | None"]


def loop_scheduler(delay: float, callback: Callable[[], None]) -> Callable[[], None] | None:
    """Run ``callback`` on the running asyncio loop (a Jupyter kernel's) once it has been idle ``delay``
    seconds; outside a loop (a plain script) there is no idle save, only the save on leaving."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    return loop.call_later(delay, callback).cancel


class AnnotationDrafts:
    """The edits of each item shown, by item id, and whether and when they are saved."""

    def __init__(
        self,
        *,
        autosave: bool = True,
        idle_seconds: float = IDLE_SECONDS,
        schedule: Scheduler = loop_scheduler,
    ) -> None:
        self.autosave = autosave
        self.idle_seconds = idle_seconds
        self._schedule = schedule
        self._edits: dict[str, AnnotationEdits] = {}
        self._errors: dict[str, str] = {}
        self._saving: str | None = None
        self._idle: tuple[str, Callable[[], None]] | None = None  # (item id, cancel) of the pending save
        self.is_closed = False
        # Hooks for a view: an edit was made, an item's save state changed, an item was saved.
        self.on_edit: Callable[[AnnotationEdits], None] | None = None
        self.on_state: Callable[[Item], None] | None = None
        self.on_saved: Callable[[AnnotationEdits], None] | None = None
        _OPEN.add(self)

    # -- reading ---------------------------------------------------------------------------------
    def state(self, item: Item) -> SaveState:
        if item.id == self._saving:
            return "saving"
        if item.id in self._errors:
            return "failed"
        edits = self._edits.get(item.id)
        return "unsaved" if edits is not None and edits.is_dirty else "saved"

    def error(self, item: Item) -> str | None:
        """Why the last save of ``item``'s edits failed, while they are still unsaved."""
        return self._errors.get(item.id)

    @property
    def unsaved(self) -> list[Item]:
        """The items whose edits are not saved, in the order they were first shown."""
        return [edits.item for edits in self._edits.values() if edits.is_dirty]

    @property
    def opened(self) -> dict[str, AnnotationEdits]:
        """The edits open now (the items shown, unsaved drafts), by item id."""
        return dict(self._edits)

    # -- an item's edits ---------------------------------------------------------------------------
    def open(self, item: Item, width: int, height: int) -> AnnotationEdits:
        """``item``'s edits: its unsaved draft if it has one, else its stored annotations, loaded now."""
        edits = self._edits.get(item.id)
        if edits is None:
            edits = AnnotationEdits(item, width, height)
            edits.load()  # before listening: loading is not an edit
            edits.on_change = lambda: self._edited(edits)
            self._edits[item.id] = edits
        return edits

    def leave(self, item: Item) -> bool:
        """``item`` is no longer shown: with autosave, save its edits now. False if they stay unsaved."""
        edits = self._edits.get(item.id)
        if edits is None:
            return True
        self._cancel_idle(item.id)
        if edits.is_dirty and self.autosave:
            self.save(item)
        if not edits.is_dirty:
            del self._edits[item.id]  # shown again, it is read afresh from the store
            return True
        return False

    def save(self, item: Item) -> bool:
        """Save ``item``'s edits (saved ones too: a save is always written). False if it failed: the
        edits are kept, and `error` says why."""
        edits = self._edits.get(item.id)
        if edits is None:
            return True
        self._cancel_idle(item.id)
        self._saving = item.id
        self._state_changed(item)
        try:
            edits.save()
        except PlatformError as error:
            self._errors[item.id] = str(error.message)
            return False
        else:
            self._errors.pop(item.id, None)
        finally:
            self._saving = None
            self._state_changed(item)
        if self.on_saved is not None:
            self.on_saved(edits)
        return True

    def discard(self, item: Item) -> None:
        """Forget ``item``'s unsaved edits; it is read afresh from the store when shown again."""
        self._cancel_idle(item.id)
        self._edits.pop(item.id, None)
        self._errors.pop(item.id, None)
        self._state_changed(item)

    def save_all(self) -> list[Item]:
        """Save every unsaved draft; return the items that could not be saved."""
        return [item for item in self.unsaved if not self.save(item)]

    def close(self) -> list[Item]:
        """With autosave, save what is unsaved; then warn (a ``UserWarning`` and the log) naming the items
        whose edits are still unsaved, and return them."""
        self._cancel_idle(None)
        if self.autosave:
            self.save_all()
        self.is_closed = True
        _OPEN.discard(self)
        unsaved = self.unsaved
        if unsaved:
            message = _unsaved_message(unsaved, "closed")
            warnings.warn(message, UserWarning, stacklevel=2)
            logger.warning(message)
        return unsaved

    # -- autosave ---------------------------------------------------------------------------------
    def _edited(self, edits: AnnotationEdits) -> None:
        item = edits.item
        if edits.is_dirty:
            self._errors.pop(item.id, None)  # a new edit: unsaved, not failed
            if self.autosave:
                self._cancel_idle(None)
                cancel = self._schedule(self.idle_seconds, lambda: self._idle_save(item))
                self._idle = (item.id, cancel) if cancel is not None else None
        if self.on_edit is not None:
            self.on_edit(edits)
        self._state_changed(item)

    def _idle_save(self, item: Item) -> None:
        self._idle = None
        edits = self._edits.get(item.id)
        if self.autosave and not self.is_closed and edits is not None and edits.is_dirty:
            self.save(item)

    def _cancel_idle(self, item_id: str | None) -> None:
        """Cancel the pending idle save (of ``item_id`` only, unless None)."""
        if self._idle is not None and item_id in (None, self._idle[0]):
            self._idle[1]()
            self._idle = None

    def _state_changed(self, item: Item) -> None:
        if self.on_state is not None:
            self.on_state(item)


def _unsaved_message(items: list[Item], when: str) -> str:
    names = ", ".join(repr(item.filename) for item in items)
    return (
        f"annotator {when} with unsaved annotation edits of {len(items)} item(s): {names}; "
        "those edits were not written"
    )


_OPEN: weakref.WeakSet[AnnotationDrafts] = weakref.WeakSet()


@atexit.register
def _warn_at_exit() -> None:
    """A kernel shutting down with unsaved drafts: log which items lose their edits. Nothing is written
    now: the connection to the store may already be closed, and a save cut short must not be begun."""
    for drafts in list(_OPEN):
        unsaved = drafts.unsaved
        if unsaved:
            logger.warning(_unsaved_message(unsaved, "shut down"))
