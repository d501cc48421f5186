"""``PagedEntities``: the answer of a list call, fetched a page at a time.

The page asked for (``page_offset``, the first by default) is fetched at once, so ``items_count`` is
known. As in dtlpy, ``pages.items`` is the page last fetched: iterating yields every page from the first
(leaving the last in ``items``), ``pages[n]``, ``go_to_page(n)``, ``next_page()`` and ``prev_page()`` move
to a page, ``reversed(pages)`` walks from the last, and ``pages.all()`` gives every entity. Pages after
another are walked by keyset (``id > last id``) when results are sorted by id, which stays fast however
deep it goes; the start of each page walked to is kept, so going back to it costs the same and it keeps
its entities when earlier ones go. ``items_count`` stays the count of the whole query. This is the one
pager: the widgets page through their items with it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from tqdm.auto import tqdm

from .base import Entity, format_table

if TYPE_CHECKING:
    from ..client import Client

E = TypeVar("E", bound=Entity)


class PagedEntities(Generic[E]):
    """Pages of entities from a DQL query endpoint (``POST .../query``)."""

    def __init__(
        self, client: Client, path: str, query: dict[str, Any], parse: Callable[[dict[str, Any]], E]
    ):
        self._client = client
        self._path = path
        self._query = query
        self._parse = parse
        self.page_offset = int(query.get("page", 0))
        first = self._fetch(query)
        self.items: list[E] = first[0]
        self.items_count: int = first[1]
        self.has_next_page: bool = first[2]
        # Page number -> the id its page starts after (None: the first page), for pages walked by keyset.
        self._starts: dict[int, str | None] = {0: None}

    @property
    def total_pages_count(self) -> int:
        return -(-self.items_count // self.page_size) if self.page_size > 0 else 0

    def _fetch(self, query: dict[str, Any]) -> tuple[list[E], int, bool]:
        body = self._client.json("POST", self._path, json=query)
        return (
            [self._parse(e) for e in body.get("items", [])],
            body.get("totalItemsCount", 0),
            body.get("hasNextPage", False),
        )

    @property
    def page_size(self) -> int:
        return int(self._query.get("pageSize", 1000))

    def _keyset(self) -> bool:
        sort = self._query.get("sort") or {"id": "ascending"}
        return list(sort) == ["id"] and sort["id"] in ("ascending", "asc", 1)

    def _page_after(self, page: list[E], number: int) -> tuple[list[E], bool]:
        """The page after ``page`` (page ``number``): by keyset from its last entity when sorted by id."""
        if self._keyset() and page:
            self._starts[number] = page[-1].id  # type: ignore[attr-defined]
        found, _, has_next = self._fetch(self._page_query(number))
        return found, has_next

    def _page_query(self, number: int) -> dict[str, Any]:
        """The query of page ``number``: by keyset from where it started when it was walked to before,
        else by its number."""
        if not (self._keyset() and number in self._starts):
            return {**self._query, "page": number}
        query = copy.deepcopy(self._query)
        after = self._starts[number]
        if after is not None:
            query["filter"] = {"$and": [query.get("filter") or {}, {"id": {"$gt": after}}]}
        query["page"] = 0
        return query

    def _show(self, number: int, page: list[E], has_next: bool) -> list[E]:
        self.page_offset, self.items, self.has_next_page = number, page, has_next
        return page

    def __iter__(self) -> Iterator[list[E]]:
        """Every page in turn, the first one included; ``items`` follows, as in dtlpy."""
        if self.page_offset != 0:
            self.go_to_page(0)
        if not self.items:  # no pages at all, as in dtlpy, rather than one empty page
            return
        yield self.items
        while self.has_next_page and self.items:
            page = self._show(self.page_offset + 1, *self._page_after(self.items, self.page_offset + 1))
            if page:
                yield page

    def __reversed__(self) -> Iterator[list[E]]:
        """Every page from the last to the first, as dtlpy's ``reversed(pages)``."""
        for number in range(self.total_pages_count - 1, -1, -1):
            self.go_to_page(number)
            yield self.items

    def go_to_page(self, page: int = 0) -> None:
        """Fetch page number ``page`` into ``items``."""
        if not isinstance(page, int) or isinstance(page, bool) or page < 0:
            raise IndexError(f"page {page!r} must be a page number from 0 to {self.total_pages_count - 1}")
        found, count, has_next = self._fetch(self._page_query(page))
        if not (self._keyset() and self._starts.get(page) is not None):
            self.items_count = count  # a page by keyset counts only what follows its start
        self._show(page, found, has_next)

    def next_page(self) -> None:
        """Fetch the page after the current one into ``items``."""
        self._show(self.page_offset + 1, *self._page_after(self.items, self.page_offset + 1))

    def prev_page(self) -> None:
        """Fetch the page before the current one into ``items``."""
        if self.page_offset == 0:
            raise IndexError("page 0 is the first page: there is no page before it")
        self.go_to_page(self.page_offset - 1)

    def all(self) -> Iterator[E]:
        """Every entity of every page, with a progress bar when there is more than one page."""
        with tqdm(total=self.items_count, disable=None if self.has_next_page else True, unit="entity") as bar:
            for page in self:
                yield from page
                bar.update(len(page))

    def __len__(self) -> int:
        return self.items_count

    def __getitem__(self, page: int) -> list[E]:
        """Page number ``page`` (``pages[0]`` is the first page), fetched into ``items``, as in dtlpy."""
        if page != self.page_offset:
            self.go_to_page(page)
        return self.items

    def print(self) -> None:
        """Print the first page as a table, and how many there are in all."""
        print(format_table(self.items))
        shown = len(self.items)
        if shown < self.items_count:
            print(f"... {shown} of {self.items_count} shown")
