"""Where the Annotator's items come from: one item, a list of items, a dataset query read a page at a
time as navigation reaches it, or the queue of a task or an assignment."""

from __future__ import annotations

from collections.abc import Sequence

from ...api import Assignment, Dataset, Filters, Item, PagedEntities, Task
from ..models.work_queue import WorkQueue


class LazyItems(list[Item]):
    """Items of a dataset query, fetched a page at a time by the API's pager as navigation reaches them."""

    def __init__(self, pages: PagedEntities[Item]) -> None:
        super().__init__(pages.items)
        self._pages = pages

    def load_until(self, index: int) -> None:
        while len(self) <= index and self._pages.has_next_page and self._pages.items:
            self._pages.next_page()
            self.extend(self._pages.items)


Source = Item | Dataset | Task | Assignment | Sequence[Item]


def work_queue(source: Source) -> WorkQueue | None:
    """The queue of a task or an assignment (None for other sources)."""
    return WorkQueue(source) if isinstance(source, (Task, Assignment)) else None


def resolve_items(source: Source, filters: Filters | None) -> tuple[list[Item], int]:
    """The items to annotate and how many there are (a dataset's are ``LazyItems``, a queue's its own)."""
    if isinstance(source, (Task, Assignment)):
        raise TypeError(f"{source!r:.80} is a queue: pass its work_queue(source).items")
    if isinstance(source, Item):
        return [source], 1
    if isinstance(source, Dataset):
        pages = source.items.list(filters=filters)
        if pages.items_count == 0:
            raise ValueError(
                f"dataset {source.name!r} has no items matching the filters; nothing to annotate"
            )
        return LazyItems(pages), pages.items_count
    items = list(source)
    if not items or not all(isinstance(i, Item) for i in items):
        raise TypeError(
            "Annotator needs an Item, a Dataset, a Task, an Assignment or a non-empty list of Items, "
            f"got {source!r}"
        )
    return items, len(items)
