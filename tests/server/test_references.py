"""Ids in request bodies: a write may refer only to entities its caller can read. Bob, with a project of
his own, names Ann's entities in every body field that refers to another entity; each is refused exactly
as a missing id is, and nothing of his comes to point at anything of Ann's."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
from everything import one_of_everything
from serving import serving

import dlwidgets as dw
from dlwidgets.server import create_token, workspace_secret
from dlwidgets.store import router
from dlwidgets.store.ids import new_id

ANN, BOB = "ann@example.com", "bob@example.com"

# Every body field of a write that refers to another entity: (method, path, body). In paths, ids are
# Bob's own; in bodies, "ANN:<kind>" stands for the id of Ann's entity of that kind and "BOB:<kind>" for
# Bob's.
REFERENCES: list[tuple[str, str, dict[str, Any]]] = [
    ("POST", "/datasets", {"name": "x", "projects": ["ANN:project_id"]}),
    ("PATCH", "/datasets/{dataset_id}?system=true", {"metadata": {"system": {"recipes": ["ANN:recipe_id"]}}}),
    ("POST", "/recipes", {"projectIds": ["ANN:project_id"]}),
    ("POST", "/recipes", {"projectIds": ["BOB:project_id"], "ontologyIds": ["ANN:ontology_id"]}),
    ("PATCH", "/recipes/{recipe_id}", {"ontologyIds": ["ANN:ontology_id"]}),
    ("PATCH", "/recipes/{recipe_id}", {"projectIds": ["BOB:project_id", "ANN:project_id"]}),
    ("POST", "/ontologies", {"projectIds": ["ANN:project_id"]}),
    ("POST", "/ontologies", {"metadata": {"system": {"projectIds": ["ANN:project_id"]}}}),
    ("PUT", "/ontologies/{ontology_id}", {"projectIds": ["ANN:project_id"]}),
    ("PUT", "/ontologies/{ontology_id}", {"metadata": {"system": {"projectIds": ["ANN:project_id"]}}}),
    ("POST", "/annotationtasks", {"name": "x", "datasetId": "ANN:dataset_id", "workload": []}),
    *(
        ("POST", "/annotationtasks", {"name": "x", "datasetId": "BOB:dataset_id", "workload": [], **extra})
        for extra in (
            {"projectId": "ANN:project_id"},
            {"recipeId": "ANN:recipe_id"},
            {"spec": {"type": "qa", "parentTaskId": "ANN:task_id"}},
        )
    ),
    (
        "POST",
        "/items/{item_id}/annotations",
        {"type": "class", "label": "car", "metadata": {"system": {"parentId": "ANN:annotation_id"}}},
    ),
    ("PUT", "/annotations/{annotation_id}", {"metadata": {"system": {"parentId": "ANN:annotation_id"}}}),
    (
        "PATCH",
        "/items/{item_id}/annotations",
        {
            "created": [
                {"type": "class", "label": "car", "metadata": {"system": {"parentId": "ANN:annotation_id"}}}
            ]
        },
    ),
    (
        "PATCH",
        "/items/{item_id}/annotations",
        {"updated": [{"id": "BOB:annotation_id", "metadata": {"system": {"parentId": "ANN:annotation_id"}}}]},
    ),
    ("PATCH", "/items/{item_id}/annotations", {"deleted": ["ANN:annotation_id"]}),
    (
        "POST",
        "/assignments/items/tasks/{task_id}/status",
        {"itemIds": ["ANN:item_id"], "statusPayload": {"operation": "create", "status": "completed"}},
    ),
    *(
        (
            "PATCH",
            "/items/{item_id}?system=true",
            {"metadata": {"system": {"refs": [{"type": kind, "id": ref}]}}},
        )
        for kind, ref in (("task", "ANN:task_id"), ("assignment", "ANN:assignment_id"))
    ),
]
# Writes whose bodies name no other entity, and why.
NO_REFERENCES = {
    ("POST", "/projects"): "a name",
    ("POST", "/projects/{project_id}/members/{email}"): "a role; the member is named in the path",
    ("PATCH", "/projects/{project_id}/members/{email}"): "a role; the member is named in the path",
    ("PATCH", "/ontologies/{ontology_id}/labels"): "labels",
    ("PATCH", "/ontologies/{ontology_id}/attributes"): "attributes",
    ("POST", "/datasets/{dataset_id}/items"): "a file; its system metadata is the server's",
    ("POST", "/items/{item_id}/revisions"): "a file; the item is named in the path",
    ("POST", "/datasets/{dataset_id}/query"): "a filter, applied inside the dataset of the path",
    ("POST", "/datasets/query"): "a read, narrowed to the caller's projects",
    ("POST", "/annotationtasks/query"): "a read, narrowed to the caller's projects",
    ("POST", "/datasets/{dataset_id}/export"): "filters, applied inside the dataset of the path",
    (
        "POST",
        "/assignments/{assignment_id}/items/{item_id}/status",
    ): "a status; the item is named in the path",
    ("POST", "/annotationtasks/{task_id}/addToTask"): "a filter, applied inside the task's dataset; emails",
    ("POST", "/annotationtasks/{task_id}/removeFromTask"): "a filter, applied inside the task's dataset",
}


def _fill(value: Any, ids: dict[str, dict[str, str]]) -> Any:
    """``value`` with each "ANN:<kind>"/"BOB:<kind>" replaced by that user's id of that kind."""
    text = json.dumps(value)
    return json.loads(re.sub(r"(ANN|BOB):(\w+)", lambda m: ids[m.group(1)][m.group(2)], text))


def test_every_write_route_is_listed_with_the_references_its_body_makes() -> None:
    writes = {(m, t) for m, t, _ in router.routes if m in ("POST", "PATCH", "PUT")}
    listed = {(m, p.split("?")[0]) for m, p, _ in REFERENCES} | set(NO_REFERENCES)
    assert writes == listed, f"unlisted: {sorted(writes - listed)}; gone: {sorted(listed - writes)}"


def test_no_write_refers_to_an_entity_its_caller_cannot_read(workspace_home: Path) -> None:
    secret = workspace_secret(workspace_home)
    bob_token = create_token(secret, BOB)
    with serving(workspace_home) as url:
        ann = dw.connect(url, token=create_token(secret, ANN))
        bob = dw.connect(url, token=bob_token)
        anns = one_of_everything(ann, "ann's", ANN)
        bobs = one_of_everything(bob, "bob's", BOB)
        missing = {kind: new_id() for kind in anns}

        def as_bob(method: str, path: str, body: Any, sent: dict[str, str]) -> tuple[int, bytes]:
            answer = httpx.request(
                method,
                url + path.format(**bobs),
                json=_fill(body, {"ANN": sent, "BOB": bobs}),
                headers={"authorization": f"Bearer {bob_token}"},
            )
            content = answer.content
            for value in sent.values():
                content = content.replace(value.encode(), b"<id>")
            return answer.status_code, content

        def everything_of(client: dw.Client, ids: dict[str, str]) -> str:
            paths = ["/projects/{project_id}", "/datasets/{dataset_id}", "/items/{item_id}",
                     "/annotations/{annotation_id}", "/annotationtasks/{task_id}", "/recipes/{recipe_id}",
                     "/ontologies/{ontology_id}", "/assignments/{assignment_id}"]  # fmt: skip
            seen = [client.json("GET", p.format(**ids)) for p in paths]
            for key in ("updatedAt", "updatedBy"):
                for doc in seen:
                    doc.pop(key, None)
            return json.dumps(seen + client.json("GET", "/recipes") + [client.json("GET", "/projects")])

        anns_before = everything_of(ann, anns)
        for method, path, body in REFERENCES:
            theirs = as_bob(method, path, body, anns)
            nothing = as_bob(method, path, body, missing)
            assert theirs[0] == 404, (method, path, body, theirs)
            assert theirs == nothing, (method, path, body)
        assert not [v for v in anns.values() if v in everything_of(bob, bobs)]
        assert everything_of(ann, anns) == anns_before
