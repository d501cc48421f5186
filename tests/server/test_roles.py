"""Roles inside a shared project, as the platform names them, enforced on every route over HTTP.

The role x route table is generated from the route list: each route is called by a member of each role,
and answers 403 exactly when the route's rule (``dlwidgets.store.roles.RULES``) asks for more than that
role; a route without a rule fails here first.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from everything import one_of_everything
from serving import serving

import dlwidgets as dw
from dlwidgets.server import create_token, workspace_secret
from dlwidgets.store import router
from dlwidgets.store.roles import ROLES, RULES

OWNER, ENGINEER, MANAGER, ANNOTATOR = (
    "ann@example.com", "dev@example.com", "manager@example.com", "annie@example.com",
)  # fmt: skip
MEMBERS = {"owner": OWNER, "engineer": ENGINEER, "annotationManager": MANAGER, "annotator": ANNOTATOR}
GUEST = "guest@example.com"
_made = itertools.count()


def _bodies(ids: dict[str, str]) -> dict[tuple[str, str], Any]:
    """Bodies for the routes that read their project from the body, so that the role check is reached."""
    return {
        ("POST", "/datasets"): {"name": "new", "projects": [ids["project_id"]]},
        ("POST", "/recipes"): {"title": "r", "projectIds": [ids["project_id"]]},
        ("POST", "/ontologies"): {"projectIds": [ids["project_id"]], "roots": []},
        ("POST", "/annotationtasks"): {
            "name": "another",
            "datasetId": ids["dataset_id"],
            "workload": [{"assigneeId": ANNOTATOR, "load": 100}],
        },
        ("POST", "/projects/{project_id}/members/{email}"): {"role": "annotator"},
        ("PATCH", "/projects/{project_id}/members/{email}"): {"role": "annotator"},
        ("POST", "/projects"): {"name": "own"},
        ("POST", "/assignments/{assignment_id}/items/{item_id}/status"): {"status": "completed"},
        ("POST", "/assignments/items/tasks/{task_id}/status"): {
            "itemIds": [ids["item_id"]],
            "statusPayload": {"operation": "create", "status": "completed"},
        },
    }


class SharedProject:
    """Ann's project with one entity of each kind, shared with one member of each other role."""

    def __init__(self, url: str, secret: bytes) -> None:
        self.url, self.secret = url, secret
        owner = dw.connect(url, token=create_token(secret, OWNER))
        name = f"shared-{next(_made)}"
        self.ids = {**one_of_everything(owner, name, ANNOTATOR), "name": name}
        for role, email in MEMBERS.items():
            if role != "owner":
                owner.request(
                    "POST", f"/projects/{self.ids['project_id']}/members/{email}", json={"role": role}
                )
        self.ids["email"] = GUEST

    def call(self, role: str, method: str, template: str, body: Any = None) -> httpx.Response:
        token = create_token(self.secret, MEMBERS[role])
        return httpx.request(
            method,
            self.url + template.format(**self.ids),
            json=body,
            headers={"authorization": f"Bearer {token}"},
            timeout=30,
        )


def _allowed(template_rule_role: str | None, role: str) -> bool:
    return template_rule_role is None or ROLES.index(role) >= ROLES.index(template_rule_role)


def test_every_route_has_a_rule_and_every_role_gets_what_the_rule_says(workspace_home: Path) -> None:
    routes = [(method, template) for method, template, _ in router.routes]
    assert not [r for r in routes if r not in RULES], "routes without an access rule"
    assert not [r for r in RULES if r not in routes], "rules for routes that do not exist"
    secret = workspace_secret(workspace_home)
    table: dict[tuple[str, str], dict[str, int]] = {}
    with serving(workspace_home) as url:
        shared = SharedProject(url, secret)
        for method, template in routes:
            rule, body = RULES[(method, template)], _bodies(shared.ids).get((method, template), {})
            row = table.setdefault((method, template), {})
            for role in ROLES:
                # A delete that is allowed removes what the next role would need: each gets its own.
                project = (
                    SharedProject(url, secret) if method == "DELETE" and _allowed(rule.role, role) else shared
                )
                answer = project.call(role, method, template, body)
                row[role] = answer.status_code
                if _allowed(rule.role, role):
                    assert answer.status_code != 403, (method, template, role, answer.text)
                else:
                    assert answer.status_code == 403, (method, template, role, answer.text)
                    assert f"needs the role {rule.role!r}" in answer.json()["message"]
    # What the issue found an annotator could do is refused; what she must do is not.
    assert table[("DELETE", "/datasets/{dataset_id}")]["annotator"] == 403
    assert table[("PUT", "/ontologies/{ontology_id}")]["annotator"] == 403
    assert table[("PATCH", "/datasets/{dataset_id}")]["annotator"] == 403
    assert table[("POST", "/items/{item_id}/annotations")]["annotator"] != 403
    assert table[("POST", "/annotationtasks")]["annotator"] == 403
    assert table[("POST", "/annotationtasks")]["annotationManager"] != 403
    assert table[("POST", "/projects/{project_id}/members/{email}")]["engineer"] == 403


def test_an_annotator_annotates_only_the_items_of_her_own_assignments(workspace_home: Path) -> None:
    secret = workspace_secret(workspace_home)
    with serving(workspace_home) as url:
        shared = SharedProject(url, secret)
        owner = dw.connect(url, token=create_token(secret, OWNER))
        project = owner.projects.get(project_id=shared.ids["project_id"])
        dataset = project.datasets.get(dataset_id=shared.ids["dataset_id"])
        other = dataset.items.upload(local_path=b"\x00" * 10, remote_path="/j", remote_name="b.bin")
        assert isinstance(other, dw.Item)
        box = {"type": "box", "label": "car", "coordinates": [{"x": 1, "y": 1}, {"x": 3, "y": 3}]}
        mine = shared.call("annotator", "POST", "/items/{item_id}/annotations", [box])
        assert mine.status_code == 200, mine.text
        (created,) = mine.json()
        shared.ids["other_item"] = other.id
        not_mine = shared.call("annotator", "POST", "/items/{other_item}/annotations", [box])
        assert not_mine.status_code == 403
        assert "only the items of her own assignments" in not_mine.json()["message"]
        assert other.id in not_mine.json()["message"]
        # Her own annotation she may change and delete; by query, only on her items.
        shared.ids["created"] = created["id"]
        assert shared.call("annotator", "PUT", "/annotations/{created}", {"label": "car"}).status_code == 200
        delete_all = {"resource": "annotations", "filter": {}, "delete": True}
        owner.request("POST", f"/items/{other.id}/annotations", json=[box])
        assert shared.call("annotator", "POST", "/datasets/{dataset_id}/query", delete_all).status_code == 403
        only_mine = {**delete_all, "filter": {"itemId": shared.ids["item_id"]}}
        answer = shared.call("annotator", "POST", "/datasets/{dataset_id}/query", only_mine)
        assert answer.status_code == 200, answer.text
        assert answer.json()["deleted"] == 2
        items_too = {"resource": "items", "filter": {}, "delete": True}
        assert (
            shared.call("annotationManager", "POST", "/datasets/{dataset_id}/query", items_too).status_code
            == 403
        )
        # Updating items by query (dtlpy's bulk items.update) is managing data, as one item's PATCH is.
        tag = {"resource": "items", "filter": {}, "update": {"metadata": {"user": {"seen": True}}}}
        refused = shared.call("annotationManager", "POST", "/datasets/{dataset_id}/query", tag)
        assert refused.status_code == 403 and "updating items by query" in refused.json()["message"]
        assert shared.call("engineer", "POST", "/datasets/{dataset_id}/query", tag).json() == {"updated": 2}
        assert (
            shared.call("annotationManager", "POST", "/datasets/{dataset_id}/query", delete_all).status_code
            == 200
        )
        assert shared.call("annotator", "DELETE", "/annotations/{annotation_id}").status_code == 404


def test_an_annotator_accepts_predictions_by_query_only_on_the_items_of_her_assignments(
    workspace_home: Path,
) -> None:
    secret = workspace_secret(workspace_home)
    with serving(workspace_home) as url:
        shared = SharedProject(url, secret)
        owner = dw.connect(url, token=create_token(secret, OWNER))
        dataset = owner.projects.get(project_id=shared.ids["project_id"]).datasets.get(
            dataset_id=shared.ids["dataset_id"]
        )
        other = dataset.items.upload(local_path=b"\x00" * 10, remote_path="/j", remote_name="c.bin")
        assert isinstance(other, dw.Item)
        predicted = {
            "type": "box", "label": "car", "coordinates": [{"x": 1, "y": 1}, {"x": 3, "y": 3}],
            "metadata": {"user": {"model": {"confidence": 0.9}}, "system": {"automated": True}},
        }  # fmt: skip
        for item_id in (shared.ids["item_id"], other.id):
            owner.request("POST", f"/items/{item_id}/annotations", json=[predicted])
        accept = {
            "resource": "annotations",
            "filter": {"metadata.user.model": {"$exists": True}},
            "update": {"metadata": {"system": {"automated": False}}},
            "systemSpace": True,
        }
        refused = shared.call("annotator", "POST", "/datasets/{dataset_id}/query", accept)
        assert refused.status_code == 403, refused.text
        assert "updating annotations by query" in refused.json()["message"]
        assert other.id in refused.json()["message"]
        mine = {**accept, "filter": {"$and": [accept["filter"], {"itemId": shared.ids["item_id"]}]}}
        answer = shared.call("annotator", "POST", "/datasets/{dataset_id}/query", mine)
        assert answer.status_code == 200 and answer.json() == {"updated": 1}, answer.text
        guest = shared.call(
            "annotator", "POST", "/datasets/{dataset_id}/query", {**mine, "systemSpace": False}
        )
        assert guest.status_code == 400 and "needs 'systemSpace': true" in guest.json()["message"]
        automated = [a.automated for a in other.annotations.list()]
        assert automated == [True]  # refused: nothing of it was stored


def test_a_project_always_keeps_an_owner(workspace_home: Path) -> None:
    secret = workspace_secret(workspace_home)
    with serving(workspace_home) as url:
        shared = SharedProject(url, secret)
        shared.ids["email"] = OWNER
        for method in ("PATCH", "POST"):
            demoted = shared.call(
                "owner", method, "/projects/{project_id}/members/{email}", {"role": "engineer"}
            )
            assert demoted.status_code == 409, demoted.text
            assert "last owner" in demoted.json()["message"]
        removed = shared.call("owner", "DELETE", "/projects/{project_id}/members/{email}")
        assert removed.status_code == 409 and "last owner" in removed.json()["message"]
        # Emails are compared case-insensitively: 'ANN@…' is Ann, and still the last owner.
        shared.ids["email"] = OWNER.upper()
        assert shared.call("owner", "DELETE", "/projects/{project_id}/members/{email}").status_code == 409
        shared.ids["email"] = ENGINEER.upper()
        promoted = shared.call("owner", "PATCH", "/projects/{project_id}/members/{email}", {"role": "owner"})
        assert promoted.status_code == 200, promoted.text
        assert {m["email"]: m["role"] for m in promoted.json()}[ENGINEER] == "owner"
        shared.ids["email"] = OWNER
        assert shared.call("owner", "DELETE", "/projects/{project_id}/members/{email}").status_code == 200
        gone = shared.call("owner", "GET", "/projects/{project_id}")
        assert gone.status_code == 404


def test_roles_are_the_platforms_names_and_an_unknown_one_is_refused(workspace_home: Path) -> None:
    secret = workspace_secret(workspace_home)
    with serving(workspace_home) as url:
        shared = SharedProject(url, secret)
        members = shared.call("annotator", "GET", "/projects/{project_id}/members").json()
        assert {m["email"]: m["role"] for m in members} == {email: role for role, email in MEMBERS.items()}
        project = shared.call("annotator", "GET", "/projects/{project_id}").json()
        assert project["role"] == "annotator"
        wrong = shared.call("owner", "POST", "/projects/{project_id}/members/{email}", {"role": "admin"})
        assert wrong.status_code == 400
        assert re.search(r"'admin' is not a project role; give one of \['annotator', .*'owner'\]", wrong.text)
        developer = shared.call(
            "owner", "POST", "/projects/{project_id}/members/{email}", {"role": "developer"}
        )
        assert {m["email"]: m["role"] for m in developer.json()}[GUEST] == "engineer"


@pytest.mark.parametrize("role", ROLES)
def test_the_readme_table_names_every_role(role: str) -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    assert f"`{role}`" in readme.split("### Roles")[1].split("\n## ")[0]
