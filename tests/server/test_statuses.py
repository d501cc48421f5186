"""Item statuses in a task, as dtlpy's ``item.update_status`` sets them: an annotator on her own
assignments, a manager on any; read back where dtlpy's ``item.status()`` looks (``metadata.system.refs``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from everything import one_of_everything
from serving import serving

import dlwidgets as dw
from dlwidgets.server import create_token, workspace_secret

OWNER, MANAGER, ANNIE, ALEX = (
    "ann@example.com",
    "manager@example.com",
    "annie@example.com",
    "alex@example.com",
)


def _status(item: dict[str, Any], entity_id: str) -> str | None:
    """What dtlpy's ``item.status(task_id= or assignment_id=)`` reads."""
    refs = item["metadata"].get("system", {}).get("refs", [])
    return next((r.get("metadata", {}).get("status") for r in refs if r.get("id") == entity_id), None)


def test_annotators_set_statuses_on_their_own_assignments_only(workspace_home: Path) -> None:
    secret = workspace_secret(workspace_home)
    with serving(workspace_home) as url:
        owner = dw.connect(url, token=create_token(secret, OWNER))
        ids = one_of_everything(owner, "statuses", ANNIE)
        members = f"/projects/{ids['project_id']}/members"
        for email, role in ((MANAGER, "annotationManager"), (ANNIE, "annotator"), (ALEX, "annotator")):
            owner.request("POST", f"{members}/{email}", json={"role": role})

        def post(who: str, path: str, body: Any) -> httpx.Response:
            token = create_token(secret, who)
            return httpx.post(url + path, json=body, headers={"authorization": f"Bearer {token}"})

        def item() -> dict[str, Any]:
            return owner.json("GET", f"/items/{ids['item_id']}")

        own = f"/assignments/{ids['assignment_id']}/items/{ids['item_id']}/status"
        by_task = f"/assignments/items/tasks/{ids['task_id']}/status"
        assert post(ANNIE, own, {"operation": "create", "status": "completed"}).status_code == 200
        assert (_status(item(), ids["assignment_id"]), _status(item(), ids["task_id"])) == (
            "completed",
            "completed",
        )
        # Alex is an annotator too, but not of this assignment.
        refused = post(ALEX, own, {"operation": "create", "status": "discard"})
        assert refused.status_code == 403, refused.text
        assert "another's assignment" in refused.json()["message"]
        refused = post(ALEX, by_task, {"itemIds": [ids["item_id"]], "statusPayload": {"status": "discard"}})
        assert refused.status_code == 403
        approved = post(
            MANAGER, by_task, {"itemIds": [ids["item_id"]], "statusPayload": {"status": "approved"}}
        )
        assert approved.status_code == 200 and list(approved.json()) == [ids["item_id"]]
        assert _status(item(), ids["task_id"]) == "approved"
        cleared = post(MANAGER, own, {"operation": "delete", "status": "approved"})
        assert cleared.status_code == 200
        assert _status(item(), ids["assignment_id"]) is None
        # Bad input names what would be accepted.
        wrong = post(ANNIE, own, {"operation": "toggle", "status": "completed"})
        assert wrong.status_code == 400 and "['create', 'delete']" in wrong.json()["message"]
        missing = post(ANNIE, own, {"operation": "create"})
        assert missing.status_code == 400 and "status must be a non-empty string" in missing.json()["message"]
