"""One annotator in her own process: signed in to ``dlwidgets serve`` with her token, she waits for the
``go`` file, then boxes and completes every item of her assignment. Prints ``done <count>``.

Usage: ``python work_an_assignment.py URL TOKEN ASSIGNMENT_ID GO_FILE``
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import dlwidgets as dw

url, token, assignment_id, go = sys.argv[1:5]
client = dw.connect(url, token=token)
assignment = client.assignments.get(assignment_id)
while not Path(go).exists():
    time.sleep(0.005)
count = 0
for item in assignment.get_items().all():
    item.annotations.upload([dw.Box(left=1, top=1, right=5, bottom=5, label=f"by {client.user_email}")])
    item.update_status(status=dw.ItemStatus.COMPLETED, assignment_id=assignment_id)
    count += 1
print("done", count)
