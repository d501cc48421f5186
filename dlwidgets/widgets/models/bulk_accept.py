"""``BulkAccept``: accepting a model's predictions at or above a score across many items (an assignment's,
or every item an Annotator has), counted first for a confirmation, then accepted a page of items per
request. Items whose edits are open (the item shown, unsaved drafts) are accepted in those edits instead,
as one undoable edit each: the store's copy never overwrites a draft, and a draft saved later is not
refused as changed elsewhere. No ipywidgets here: the review bar is a view over this."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from ...api import (
    Dataset,
    Filters,
    FiltersOperations,
    FiltersResource,
    Item,
    is_prediction_metadata,
    prediction_filters,
    with_predictions,
)
from .annotation_edits import AnnotationEdits, Shape

PAGE = 1000  # items per request: the count takes two requests a page, the accepting one


def is_prediction(shape: Shape) -> bool:
    """A model's annotation not accepted yet (``is_prediction_metadata``)."""
    return is_prediction_metadata(shape.get("metadata"))


def any_prediction(shapes: Iterable[Shape]) -> bool:
    """Whether any of ``shapes`` ``is_prediction`` (1,000 shapes: ~0.14 ms)."""
    return any(map(is_prediction, shapes))


def confidence(shape: Shape) -> float:
    """A prediction's score (0 when its model gave none)."""
    value = shape["metadata"]["user"]["model"].get("confidence")
    return float(value) if isinstance(value, (int, float)) else 0.0


def keys_at(edits: AnnotationEdits, threshold: float) -> list[int]:
    """The keys of ``edits``' predictions at or above ``threshold``, in drawing order."""
    return [k for k, s in edits.shapes() if is_prediction(s) and confidence(s) >= threshold]


@dataclass
class StoredPage:
    """Up to ``PAGE`` items of one dataset, and how many of their stored predictions are to accept."""

    dataset: Dataset
    item_ids: list[str]
    predictions: int = 0
    items: int = 0

    def annotations(self) -> Filters:
        return Filters(field="itemId", values=self.item_ids, operator=FiltersOperations.IN,
                       resource=FiltersResource.ANNOTATION)  # fmt: skip


@dataclass
class BulkAccept:
    """The predictions at or above ``threshold`` on ``items``; ``opened`` are the edits open now (by item
    id), whose predictions are counted and accepted there rather than in the store."""

    items: Sequence[Item]
    opened: dict[str, AnnotationEdits]
    threshold: float
    pages: list[StoredPage] = field(default_factory=list)

    def count(self) -> tuple[int, int]:
        """(predictions, items): how many would be accepted, and on how many items. Reads the store."""
        self.pages = list(self._stored_pages())
        for page in self.pages:
            found = page.dataset.annotations.list(
                prediction_filters(self.threshold, page.annotations()), page_size=1
            )
            page.predictions = found.items_count
            if page.predictions:
                ids = Filters(field="id", values=page.item_ids, operator=FiltersOperations.IN, page_size=1)
                page.items = page.dataset.items.list(
                    filters=with_predictions(ids, self.threshold)
                ).items_count
        edited = [len(keys_at(e, self.threshold)) for e in self._open_edits()]
        return (
            sum(p.predictions for p in self.pages) + sum(edited),
            sum(p.items for p in self.pages) + sum(1 for n in edited if n),
        )

    def run(self, opened: dict[str, AnnotationEdits] | None = None) -> tuple[int, list[AnnotationEdits]]:
        """Accept them (after ``count``): one request per page of stored items, one edit per open item.
        ``opened``: the edits open now, if items were opened since the count (those are accepted in their
        edits too, not in the store under them). Returns how many were accepted, and the open edits
        changed (for the caller to save or keep)."""
        self.opened = self.opened if opened is None else opened
        accepted = 0
        for page in self.pages:
            page.item_ids = [i for i in page.item_ids if i not in self.opened]
            if page.predictions and page.item_ids:
                accepted += page.dataset.annotations.accept_predictions(page.annotations(), self.threshold)
        changed = []
        for edits in self._open_edits():
            keys = keys_at(edits, self.threshold)
            if keys:
                edits.set_automated(keys, False)
                accepted += len(keys)
                changed.append(edits)
        return accepted, changed

    def _open_edits(self) -> list[AnnotationEdits]:
        ids = dict.fromkeys(item.id for item in self.items)
        return [self.opened[i] for i in ids if i in self.opened]

    def _stored_pages(self) -> Iterator[StoredPage]:
        """The items without open edits, by dataset, ``PAGE`` at a time."""
        by_dataset: dict[str, list[Item]] = {}
        for item in self.items:
            if item.id not in self.opened:
                by_dataset.setdefault(item.dataset_id, []).append(item)
        for items in by_dataset.values():
            dataset = items[0].dataset
            unique = list(dict.fromkeys(item.id for item in items))
            for start in range(0, len(unique), PAGE):
                yield StoredPage(dataset, unique[start : start + PAGE])
