"""Upload throughput: 10,000 small JPEGs (about 10 KB each) from a folder, one request per file.

Writes distinct noise JPEGs into a temporary folder, then times
``dataset.items.upload(local_path=<folder>, remote_path='/images')`` on a fresh embedded workspace:
the whole path, from the client's multipart request through ``LocalTransport`` to the item row and blob.
Goal: at least 1,000 items/s.

Each item's bytes become one new file, so the disk's file creation time counts: the last line is the
median time to create a small file in the same temporary folder, measured just before the upload (on a
filesystem without a journal, creating files right after many were deleted is much slower). The folder
is made in ``$TMPDIR`` (default ``/tmp``).

    .venv/bin/python benchmarks/upload_items.py [--count 10000]
"""

from __future__ import annotations

import argparse
import sys
import time

from _common import (
    Figure,
    file_create_us,
    fresh_workspace,
    new_dataset,
    progress,
    report,
    scratch,
    write_jpegs,
)

GOAL_ITEMS_PER_S = 1000.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    with scratch("upload") as tmp:
        folder = tmp / "images"
        progress(f"writing {args.count:,} JPEGs ...")
        total = write_jpegs(folder, args.count)
        create_us = file_create_us(tmp / "probe")
        with fresh_workspace(tmp):
            dataset = new_dataset()
            start = time.perf_counter()
            items = dataset.items.upload(local_path=str(folder), remote_path="/images")
            elapsed = time.perf_counter() - start
        assert isinstance(items, list) and len(items) == args.count, "not every file was uploaded"
    return report(
        Figure(f"upload {args.count:,} JPEGs of ~{total / args.count / 1000:.0f} KB", args.count / elapsed,
               "items/s", GOAL_ITEMS_PER_S),
        Figure("  per item", elapsed / args.count * 1000, "ms"),
        Figure("  for reference: creating one small file here (median)", create_us / 1000, "ms"),
    )  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
