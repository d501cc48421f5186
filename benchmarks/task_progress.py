"""Task progress read live from item statuses: what reading a task, listing tasks by status and setting
statuses cost in a task of many items.

Setup (not timed): uploads ``--items`` tiny files and makes one task over them, shared by two assignees.

Timed, through ``LocalTransport``:

- ``task.set_status`` on half the items in one call;
- ``item.update_status`` of one item in its assignment (one request), median;
- ``dataset.tasks.get(task_id=)``: the task with ``progress``, ``itemStatus``, ``issues`` counted from the
  items' refs, median. Goal: at most 100 ms at 10,000 items;
- ``dataset.tasks.list(status='open')``: the status filter, computed the same way, median.

    .venv/bin/python benchmarks/task_progress.py [--items 10000] [--repeat 20]
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

from _common import Figure, fresh_workspace, new_dataset, progress, report, scratch, sized_arguments

GOAL_MS = 100.0


def median_ms(call: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        call()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main() -> int:
    args = sized_arguments(__doc__, items=10_000, repeat=20)
    with scratch("task-progress") as tmp, fresh_workspace(tmp):
        dataset = new_dataset()
        for i in range(args.items):
            dataset.items.upload(local_path=b"%d" % i, remote_path="/", remote_name=f"{i}.bin")
        progress(f"uploaded {args.items:,} items")
        items = list(dataset.items.list(page_size=1000).all())
        task = dataset.tasks.create(
            task_name="big", assignee_ids=["ann@example.com", "bo@example.com"], items=items
        )
        half = [item.id for item in items[: args.items // 2]]
        t = time.perf_counter()
        task.set_status(status="completed", operation="create", item_ids=half)
        set_half = time.perf_counter() - t
        (assignment, _) = task.assignments.list()
        item = next(iter(assignment.get_items().all()))
        one = median_ms(
            lambda: item.update_status(status="discard", assignment_id=assignment.id), args.repeat
        )
        read = median_ms(lambda: dataset.tasks.get(task_id=task.id), args.repeat)
        listed = median_ms(lambda: dataset.tasks.list(status="open"), args.repeat)
        assert dataset.tasks.get(task_id=task.id).progress == round(100 * len(half) / args.items)
    return report(
        Figure(f"task.set_status on {len(half):,} items, one call", set_half * 1000, "ms"),
        Figure("item.update_status in an assignment (median)", one, "ms"),
        Figure(f"tasks.get of a task of {args.items:,} items (median)", read, "ms",
               GOAL_MS, higher_is_better=False),
        Figure("tasks.list(status='open') (median)", listed, "ms"),
    )  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
