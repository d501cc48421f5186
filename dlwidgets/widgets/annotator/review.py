"""The Annotator's review mode: a model's predictions (annotations with ``metadata.user.model``, as dtlpy's
``model_info`` writes it, not accepted yet) drawn dashed with their score and filtered by a confidence
slider. A prediction is accepted (it becomes a human annotation: ``metadata.system.automated`` false, its
model info kept as provenance, as ``annotation.accept()`` marks it) or rejected (deleted); both are edits
of the item, undoable and saved like any other. Keys: K accept, X reject, J next prediction. "Accept
all" does it for the item, or, after a confirmation, for the whole assignment (or all the items)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from ...api import Item
from .. import control_bar as cb
from ..base import counted
from ..control_bar import ControlBar
from ..models.annotation_drafts import AnnotationDrafts
from ..models.annotation_edits import AnnotationEdits, Shape, box_edges
from ..models.bulk_accept import BulkAccept, confidence, is_prediction, keys_at
from ..models.viewport import Viewport
from ..models.work_queue import WorkQueue
from .canvas_drawing import POINT_RADIUS
from .canvas_recorder import CanvasRecorder
from .label_colors import label_color, label_rgbs


class Reviewing(Protocol):
    """What the review bar reads and calls on its Annotator (so that neither module imports the other)."""

    edits: AnnotationEdits | None
    selected: int | None
    queue: WorkQueue | None
    _drafts: AnnotationDrafts

    def attempt(self, action: Callable[[], Any], *, clear: bool = True) -> Any: ...
    def notice(self, message: str, css_class: str = "") -> None: ...
    def _editing(self) -> AnnotationEdits: ...
    def _select(self, key: int | None) -> None: ...
    def _redraw(self, image: bool = False) -> None: ...
    def _all_items(self) -> list[Item]: ...


ACCEPT_KEY, REJECT_KEY, NEXT_KEY = "k", "x", "j"  # free in the gestures' key table and the queue's
DASH = [6, 4]
DASHED_TYPES = ("box", "point")
# The controls shown in review mode only, and those of the "Accept all ..." confirmation.
REVIEW_CONTROLS = ("threshold", "accept", "reject", "next", "accept_all", "ask_everywhere", "info")
CONFIRMATION = ("confirmation", "question", "accept_them", "cancel")
# The review keys as the shortcuts overlay lists them, with or without a review bar made yet.
REVIEW_SHORTCUTS = (
    (ACCEPT_KEY.upper(), "review: accept the selected prediction"),
    (REJECT_KEY.upper(), "review: reject (delete) the selected prediction"),
    (NEXT_KEY.upper(), "review: select the next prediction"),
)


class ReviewBar(ControlBar):
    """The review controls above the canvas, one ``ControlBar``: the Review toggle, the confidence slider,
    accept, reject, next and accept-all, and the confirmation of "Accept all ..."; ``split`` and ``draw``
    are what the Annotator's drawing asks of it."""

    def __init__(self, annotator: Reviewing, enabled: bool, **traits: Any) -> None:
        self._annotator = annotator
        # "Accept all in the assignment": what it would do, to confirm or cancel.
        self._plan: BulkAccept | None = None
        self._plan_items = 0  # how many items the plan counted predictions on
        scope = self.scope
        controls = [
            cb.toggle("review", "Review", "check-square-o", "review a model's predictions"),
            cb.slider("threshold", "score ≥", 0.0, 1.0, 0.05, width="240px", readout=True),
            cb.button("accept", "Accept", "check", "make the selected prediction a human annotation (K)"),
            cb.button("reject", "Reject", "times", "delete the selected prediction (X)"),
            cb.button("next", "Next", "step-forward", "select the next prediction (J)"),
            cb.button("accept_all", "Accept all shown", "check-circle", "every prediction at the threshold"),
            cb.button(
                "ask_everywhere",
                f"Accept all {scope}…",
                "check-circle-o",
                f"every prediction at the threshold, {scope}: says how many first",
            ),
            cb.text("info", css_class="dlw-review-info"),
            cb.row_break("confirmation"),
            cb.text("question", css_class="dlw-review-question"),
            cb.button("accept_them", "Accept them", "check", style="warning"),
            cb.button("cancel", "Cancel", "times"),
        ]
        actions: dict[str, Callable[..., Any]] = {
            "review": self._on_toggle,
            "threshold": self._on_threshold,
            "accept": self.accept,
            "reject": self.reject,
            "next": self.next_prediction,
            "accept_all": self.accept_all,
            "ask_everywhere": self.ask_accept_everywhere,
            "accept_them": self.accept_everywhere,
            "cancel": self.cancel_accept_everywhere,
        }
        hidden = [*CONFIRMATION, *(() if enabled else REVIEW_CONTROLS)]
        values = {"review": enabled, "threshold": 0.0}
        traits.setdefault("_dom_classes", ["dlw-review"])
        super().__init__(controls, actions, values, attempt=annotator.attempt, hidden=hidden, **traits)
        self._keys = {ACCEPT_KEY: self.accept, REJECT_KEY: self.reject, NEXT_KEY: self.next_prediction}

    @property
    def is_on(self) -> bool:
        return bool(self.value("review"))

    @property
    def threshold(self) -> float:
        return float(self.value("threshold"))

    @property
    def scope(self) -> str:
        """Where "Accept all ..." accepts: in the assignment, in the task, or on all the annotator's items."""
        queue = self._annotator.queue
        if queue is None:
            return "on all items"
        return "in the assignment" if queue.assignment is not None else "in the task"

    def predictions(self) -> list[int]:
        """The keys of the shown item's predictions at or above the threshold, in drawing order."""
        edits = self._annotator.edits
        return [] if edits is None else keys_at(edits, self.threshold)

    def split(
        self, shapes: Sequence[tuple[int, Shape]]
    ) -> tuple[list[tuple[int, Shape]], list[tuple[int, Shape]]]:
        """(the shapes drawn as usual, the predictions drawn dashed); off, everything is drawn as usual.
        Predictions under the threshold are in neither."""
        if not self.is_on:
            return list(shapes), []
        threshold = self.threshold
        plain: list[tuple[int, Shape]] = []
        dashed: list[tuple[int, Shape]] = []
        shown = hidden = 0
        for entry in shapes:  # one question a shape: at 1,000 shapes each one counts
            shape = entry[1]
            if not is_prediction(shape):
                plain.append(entry)
            elif confidence(shape) < threshold:
                hidden += 1
            else:
                shown += 1
                # Boxes and points are drawn dashed here; a prediction of another geometry as usual.
                (dashed if shape["type"] in DASHED_TYPES else plain).append(entry)
        info = f"{counted(shown, 'prediction')} shown"
        self.update({"info": info + (f", {hidden} under {threshold:.2f}" if hidden else "")})
        return plain, dashed

    # -- actions --------------------------------------------------------------------------------------
    def accept(self) -> None:
        """Accept the selected prediction, then select the next one."""
        key = self._chosen()
        self._annotator._editing().set_automated([key], False)
        self._annotator.notice("accepted: now a human annotation", "dlw-accepted")
        self._select_after(key)

    def reject(self) -> None:
        """Delete the selected prediction, then select the next one."""
        key = self._chosen()
        following = self._following(key)
        self._annotator._editing().delete([key])
        self._annotator._select(following)
        self._annotator.notice("rejected: deleted", "dlw-rejected")

    def accept_all(self) -> None:
        """Accept every prediction of the item at or above the threshold, as one edit."""
        keys = self.predictions()
        if not keys:
            raise ValueError(f"no predictions at or above {self.threshold:.2f} to accept on this item")
        self._annotator._editing().set_automated(keys, False)
        self._annotator.notice(f"accepted {counted(len(keys), 'prediction')}", "dlw-accepted")

    def ask_accept_everywhere(self) -> None:
        """Count the predictions at or above the threshold on every item of the scope, and ask to confirm
        accepting them (``accept_everywhere``)."""
        self.cancel_accept_everywhere()
        every = self._annotator._all_items()
        plan = BulkAccept(every, self._annotator._drafts.opened, self.threshold)
        predictions, items = plan.count()
        if not predictions:
            raise ValueError(f"no predictions at or above {self.threshold:.2f} to accept {self.scope}")
        self._plan, self._plan_items = plan, items
        where = f"{counted(items, 'item')} {self.scope}"
        if self._annotator.queue is None:
            where = f"{items:,} of the {counted(len(every), 'item')}"
        question = f"Accept {counted(predictions, 'prediction')} at or above {self.threshold:.2f} on {where}?"
        with self.hold_sync():
            self.update({"question": question})
            self.reveal(CONFIRMATION)

    def accept_everywhere(self) -> None:
        """Accept what ``ask_accept_everywhere`` counted: a request per page of stored items; the items
        with open edits (the one shown, drafts) in those edits, saved now with autosave."""
        plan = self._plan
        self.cancel_accept_everywhere()
        if plan is None:
            raise ValueError(f"press 'Accept all {self.scope}' first: it says how many will be accepted")
        drafts = self._annotator._drafts
        accepted, edited = plan.run(drafts.opened)
        unsaved = [e.item for e in edited if not (drafts.autosave and drafts.save(e.item))]
        message = f"accepted {counted(accepted, 'prediction')} on {counted(self._plan_items, 'item')}"
        if unsaved:
            message += f"; {counted(len(unsaved), 'item')} with drafts keep them unsaved: save to store them"
        self._annotator.notice(message, "dlw-accepted")

    def cancel_accept_everywhere(self) -> None:
        self._plan = None
        self.reveal(CONFIRMATION, False)

    def next_prediction(self) -> None:
        """Select the prediction after the selected one (the first after the last)."""
        keys = self.predictions()
        if not keys:
            raise ValueError(f"no predictions at or above {self.threshold:.2f} on this item")
        selected = self._annotator.selected
        later = [k for k in keys if selected is None or k > selected]
        self._annotator._select(later[0] if later else keys[0])

    def handle_key(self, event: Mapping[str, Any]) -> bool:
        """Run the action of a review key (in review mode, without Ctrl); True when the key was one."""
        if not self.is_on or event.get("ctrl"):
            return False
        action = self._keys.get(str(event.get("key", "")).lower())
        if action is not None:
            action()
        return action is not None

    def _chosen(self) -> int:
        key = self._annotator.selected
        if key is None or key not in self.predictions():
            raise ValueError("select a prediction first (J selects the next one)")
        return key

    def _following(self, key: int) -> int | None:
        keys = [k for k in self.predictions() if k != key]
        later = [k for k in keys if k > key]
        return later[0] if later else (keys[0] if keys else None)

    def _select_after(self, key: int) -> None:
        self._annotator._select(self._following(key))

    def _on_threshold(self, _threshold: float) -> None:
        self.cancel_accept_everywhere()  # what it counted was for another threshold
        self._annotator._redraw()

    def _on_toggle(self, on: bool) -> None:
        with self.hold_sync():
            self.reveal(REVIEW_CONTROLS, on)
            if not on:
                self.cancel_accept_everywhere()
        self._annotator._redraw()


def draw_predictions(
    layer: CanvasRecorder,
    predictions: Sequence[tuple[int, Shape]],
    viewport: Viewport,
    colors: Mapping[str, str],
    selected: int | None,
) -> None:
    """Draw predictions over what ``draw_annotations`` drew on ``layer``: box outlines dashed in one styled
    call, points as dashed rings, and each one's label with its score; the selected one thicker."""
    if not predictions:
        return
    layer.set_line_dash(DASH)
    boxes = [(k, s) for k, s in predictions if s["type"] == "box"]
    if boxes:
        edges = np.array([box_edges(s) for _, s in boxes], dtype=np.float64).reshape(-1, 4)
        left_x = edges[:, 0] * viewport.scale + viewport.offset_x
        top_y = edges[:, 1] * viewport.scale + viewport.offset_y
        right_x = edges[:, 2] * viewport.scale + viewport.offset_x
        bottom_y = edges[:, 3] * viewport.scale + viewport.offset_y
        styles = label_rgbs(boxes, colors)
        layer.line_width = 2
        layer.stroke_styled_rects(left_x, top_y, right_x - left_x, bottom_y - top_y, styles)
    layer.font = "12px sans-serif"
    for key, shape in predictions:
        color = label_color(shape.get("label"), colors)
        if shape["type"] == "box":
            left, top, right, bottom = box_edges(shape)
        elif shape["type"] == "point":
            left = right = shape["coordinates"]["x"]
            top = bottom = shape["coordinates"]["y"]
            x, y = viewport.to_canvas(left, top)
            layer.stroke_style = color
            layer.line_width = 2
            layer.stroke_circle(x, y, POINT_RADIUS + 3)
        else:
            continue
        x, y = viewport.to_canvas(left, top)
        if key == selected:
            x1, y1 = viewport.to_canvas(right, bottom)
            layer.stroke_style = "#ffffff"
            layer.line_width = 3
            layer.stroke_rect(x - 3, y - 3, x1 - x + 6, y1 - y + 6)
        layer.fill_style = color
        layer.fill_text(f"{shape.get('label') or ''} {confidence(shape):.2f}", x, y - 4)
    layer.set_line_dash([])
