"""``PagedEntities``: the answer of a list call, fetched a page at a time.

The page asked for (``page_offset``, the first by default) is fetched at once, so ``items_count`` is
known. As in dtlpy, iterating yields every page from the first, ``pages[n]`` is page ``n`` and
``pages.all()`` every entity. Pages after the first are walked by keyset (``id > last id``) when results
are sorted by id, which stays fast however deep it goes.
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

    def __iter__(self) -> Iterator[list[E]]:
        """Every page in turn, the first one included."""
        page, has_next, number = self.items, self.has_next_page, 0
        if self.page_offset != 0:
            page, _, has_next = self._fetch({**self._query, "page": 0})
        if not page:  # no pages at all, as in dtlpy, rather than one empty page
            return
        yield page
        while has_next and page:
            query = copy.deepcopy(self._query)
            if self._keyset():
                query["filter"] = {"$and": [query.get("filter") or {}, {"id": {"$gt": page[-1].id}}]}  # type: ignore[attr-defined]
                query["page"] = 0
            else:
                number += 1
                query["page"] = number
            page, _, has_next = self._fetch(query)
            if page:
                yield page

    def all(self) -> Iterator[E]:
        """Every entity of every page, with a progress bar when there is more than one page."""
        with tqdm(total=self.items_count, disable=None if self.has_next_page else True, unit="entity") as bar:
            for page in self:
                yield from page
                bar.update(len(page))

    def __len__(self) -> int:
        return self.items_count

    def __getitem__(self, page: int) -> list[E]:
        """Page number ``page`` (``pages[0]`` is the first page), as in dtlpy."""
        if page == self.page_offset:
            return self.items
        if not isinstance(page, int) or page < 0:
            raise IndexError(f"page {page!r} must be a page number from 0 to {self.total_pages_count - 1}")
        return self._fetch({**self._query, "page": page})[0]

    def print(self) -> None:
        """Print the first page as a table, and how many there are in all."""
        print(format_table(self.items))
        shown = len(self.items)
        if shown < self.items_count:
            print(f"... {shown} of {self.items_count} shown")
