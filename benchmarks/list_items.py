"""Listing: one page of 100 items filtered by folder, out of 100,000 items; and deep keyset pages.

Setup (not timed): uploads 100,000 tiny distinct files through ``dataset.items.upload`` (one request each,
as bytes with ``remote_path`` and ``remote_name``) into 100 folders of 1,000 items, ``/d/x`` among them,
round-robin so each folder's items are spread over the whole id range.

Timed, each through ``LocalTransport`` and the store's DQL query:

- the first page of ``dataset.items.list(filters=dw.Filters(field='dir', values='/d/x'), page_size=100)``,
  median of repeated calls. Goal: at most 10 ms;
- walking every page of the whole dataset, 100 items a page, by keyset (``id > last id``): the median
  page over the deepest tenth (pages 901-1,000), and over all pages.

The setup takes one to two minutes; the temporary folder is made in ``$TMPDIR`` (default ``/tmp``).

    .venv/bin/python benchmarks/list_items.py [--items 100000] [--repeat 200]
"""

from __future__ import annotations

import statistics
import sys
import time

from _common import Figure, fresh_workspace, new_dataset, progress, report, scratch, sized_arguments

import dlwidgets as dw

GOAL_MS = 10.0
FOLDERS = 100
PAGE = 100


def folder(index: int) -> str:
    return "/d/x" if index == 0 else f"/d/{index:03d}"


def main() -> int:
    args = sized_arguments(__doc__, items=100_000, repeat=200)
    with scratch("list") as tmp, fresh_workspace(tmp):
        dataset = new_dataset()
        start = time.perf_counter()
        for i in range(args.items):
            data, name = b"%d" % i, f"{i}.bin"
            dataset.items.upload(local_path=data, remote_path=folder(i % FOLDERS), remote_name=name)
            if (i + 1) % 20_000 == 0:
                progress(f"uploaded {i + 1:,} items ({(i + 1) / (time.perf_counter() - start):,.0f}/s)")

        filters = dw.Filters(field="dir", values="/d/x")
        first = dataset.items.list(filters=filters, page_size=PAGE)
        assert len(first.items) == PAGE and first.items_count == len(range(0, args.items, FOLDERS))
        assert all(item.dir == "/d/x" for item in first.items)
        first_page = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            dataset.items.list(filters=filters, page_size=PAGE)
            first_page.append(time.perf_counter() - t)

        pages = dataset.items.list(page_size=PAGE)
        walk, seen = [], 0
        iterator = iter(pages)
        while True:
            t = time.perf_counter()
            page = next(iterator, None)
            if page is None:
                break
            walk.append(time.perf_counter() - t)
            seen += len(page)
        assert seen == args.items, f"the keyset walk saw {seen} items"
    keyset = walk[1:]  # the first page was fetched when the listing was made
    deep = keyset[-len(keyset) // 10 :]
    return report(
        Figure(f"first page of {PAGE} by dir, of {args.items:,} items (median)",
               statistics.median(first_page) * 1000, "ms", GOAL_MS, higher_is_better=False),
        Figure(f"  p90 of {args.repeat} calls", statistics.quantiles(first_page, n=10)[-1] * 1000, "ms"),
        Figure(f"keyset page of {PAGE}, deepest tenth of {len(walk):,} (median)",
               statistics.median(deep) * 1000, "ms"),
        Figure(f"keyset page of {PAGE}, all {len(walk):,} pages (median)",
               statistics.median(keyset) * 1000, "ms"),
    )  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
