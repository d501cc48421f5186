"""``item.update_status``: a status outside ``dl.ItemStatus``, or no task or assignment to set it in, is a
ValueError naming the value and what is accepted, and nothing is sent."""

from __future__ import annotations

import pytest
from labelled import labelled_image

import dlwidgets as dw


@pytest.mark.parametrize("status", ["complete", "done", ""])
def test_a_bad_status_names_it_and_the_accepted_ones(client: dw.Client, status: str) -> None:
    _, item = labelled_image(client, "statuses", "pets", [])
    with pytest.raises(ValueError) as raised:
        item.update_status(status=status, task_id="any-task")
    assert repr(status) in str(raised.value)
    assert "['completed', 'approved', 'discard']" in str(raised.value)


def test_an_item_in_no_task_needs_a_task_or_assignment_id(client: dw.Client) -> None:
    _, item = labelled_image(client, "statuses", "pets", [])
    with pytest.raises(ValueError, match="task_id="):
        item.update_status(status=dw.ItemStatus.COMPLETED)
    with pytest.raises(ValueError, match="task_id="):
        item.status()
