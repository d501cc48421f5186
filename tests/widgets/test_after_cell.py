"""``after_cell`` in a real IPython shell: a callback given while a cell runs waits for the cell's end (its
display included), one given outside a cell runs at once, and an error in one leaves the others run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from IPython.core.interactiveshell import InteractiveShell

from dlwidgets.widgets.after_cell import after_cell


@pytest.fixture
def shell() -> Iterator[InteractiveShell]:
    shell = InteractiveShell.instance()
    shell.user_ns["after_cell"] = after_cell
    shell.user_ns["log"] = log = []
    # The cell's display of its last value, as the kernel's execute_result, in the log's order.
    shell.displayhook.write_format_data = lambda data, md=None: log.append(f"display {data['text/plain']}")
    try:
        yield shell
    finally:
        InteractiveShell.clear_instance()


def test_a_callback_given_in_a_cell_runs_after_the_cells_display(shell: InteractiveShell) -> None:
    cell = "after_cell(lambda: log.append('first')); after_cell(lambda: log.append('second')); 'shown'"
    assert shell.run_cell(cell).success
    assert shell.user_ns["log"] == ["display 'shown'", "first", "second"]
    assert shell.run_cell("log.append('next cell')").success
    assert shell.user_ns["log"][3:] == ["next cell"], "each callback runs once"


def test_a_callback_given_outside_a_cell_runs_at_once(shell: InteractiveShell) -> None:
    log: list[str] = []
    after_cell(lambda: log.append("now"))  # as from a comm message's handler: no cell runs
    assert log == ["now"]


def test_every_callback_runs_after_a_cell_that_raised_or_a_callback_that_did(shell: InteractiveShell) -> None:
    cell = "after_cell(lambda: 1 / 0); after_cell(lambda: log.append('still run'))\nraise ValueError('cell')"
    assert not shell.run_cell(cell).success
    assert shell.user_ns["log"] == ["still run"]
    assert shell.run_cell("after_cell(lambda: log.append('again'))").success
    assert shell.user_ns["log"] == ["still run", "again"], "a later cell's callback waits and runs as ever"
