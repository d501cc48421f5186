"""``KeysetPages``: a dataset's items under filters, walked a page at a time by keyset."""

from __future__ import annotations

import copy

from ...api import Dataset, Filters, FiltersOperations, Item


class KeysetPages:
    """A dataset's items under filters, a page at a time. Page n+1 is the items after page n's last id,
    so every page is an index range scan however deep it lies; the start of each page visited is kept
    for Previous."""

    def __init__(self, dataset: Dataset, filters: Filters, page_size: int) -> None:
        self._dataset = dataset
        self._filters = filters
        self._page_size = page_size
        first = dataset.items.list(filters=filters, page_size=page_size)
        self.total = first.items_count
        self.items: list[Item] = list(first.items)
        self.has_next = first.has_next_page
        self._starts: list[str | None] = [None]

    @property
    def index(self) -> int:
        return len(self._starts) - 1

    def next(self) -> bool:
        if not self.has_next or not self.items:
            return False
        after = self.items[-1].id
        self._load(after)
        self._starts.append(after)
        return True

    def previous(self) -> bool:
        if len(self._starts) < 2:
            return False
        self._load(self._starts[-2])
        self._starts.pop()
        return True

    def _load(self, after: str | None) -> None:
        filters = copy.deepcopy(self._filters)
        if after is not None:
            filters.add(field="id", values=after, operator=FiltersOperations.GREATER_THAN)
        page = self._dataset.items.list(filters=filters, page_size=self._page_size)
        self.items, self.has_next = list(page.items), page.has_next_page
