"""``PagedEntities`` is the one pager: ``next_page()``, ``prev_page()`` and ``go_to_page(n)`` move the page
held, as in dtlpy. Sorted by id (the default), pages are walked by keyset, so a page walked to keeps its
start when items before it go; sorted otherwise, by page number. On both transports."""

from __future__ import annotations

import pytest

import dlwidgets as dw


def photos(client: dw.Client, count: int) -> dw.Dataset:
    dataset = client.projects.create(project_name="birds").datasets.create(dataset_name="photos")
    for i in range(count):
        dataset.items.upload(local_path=f"{i}".encode(), remote_name=f"{i:02}.bin")
    return dataset


def names(items: list[dw.Item]) -> list[str]:
    return [item.name for item in items]


def test_next_and_previous_page_walk_the_pages(both: dw.Client) -> None:
    pages = photos(both, 7).items.list(page_size=3)
    seen = [names(pages.items)]
    while pages.has_next_page:
        pages.next_page()
        seen.append(names(pages.items))
    assert seen == [["00.bin", "01.bin", "02.bin"], ["03.bin", "04.bin", "05.bin"], ["06.bin"]]
    assert pages.page_offset == 2 and pages.items_count == 7
    pages.prev_page()
    assert (pages.page_offset, names(pages.items), pages.has_next_page) == (1, seen[1], True)
    pages.go_to_page(0)
    assert names(pages.items) == seen[0]
    with pytest.raises(IndexError, match="page 0 is the first page"):
        pages.prev_page()


def test_a_page_walked_by_keyset_keeps_its_start_when_earlier_items_go(both: dw.Client) -> None:
    dataset = photos(both, 7)
    pages = dataset.items.list(page_size=3)
    pages.next_page()
    pages.next_page()
    dataset.items.delete(filename="/00.bin")
    pages.prev_page()
    assert names(pages.items) == ["03.bin", "04.bin", "05.bin"]
    pages.next_page()
    assert names(pages.items) == ["06.bin"]


def test_pages_sorted_otherwise_go_by_page_number(both: dw.Client) -> None:
    dataset = photos(both, 5)
    by_name = dw.Filters()
    by_name.sort_by(field="name", value=dw.FiltersOrderByDirection.DESCENDING)
    pages = dataset.items.list(filters=by_name, page_size=2)
    pages.next_page()
    assert names(pages.items) == ["02.bin", "01.bin"]
    pages.next_page()
    assert (names(pages.items), pages.has_next_page) == (["00.bin"], False)
    pages.prev_page()
    assert names(pages.items) == ["02.bin", "01.bin"]
