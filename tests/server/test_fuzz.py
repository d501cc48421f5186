"""The OpenAPI document, and a property-based fuzzer (schemathesis) against ``dlwidgets serve``.

Every operation in the served document gets a bounded number of generated requests, valid and invalid,
with random path ids and with the ids of real entities (except for deletes, which would empty the
workspace for the rest of the run). No answer may be a 5xx, and every error must be JSON with a message.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from serving import serving

import dlwidgets as dw
from dlwidgets.server import create_token, workspace_secret
from dlwidgets.store import router

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

USER = "ann@example.com"
EXAMPLES = 25


def test_openapi_document_describes_every_route_without_a_token(workspace_home: Path) -> None:
    with serving(workspace_home) as url:
        answer = httpx.get(f"{url}/openapi.json")
        assert answer.status_code == 200
        document = answer.json()
        assert httpx.post(f"{url}/openapi.json").status_code == 401  # only the GET is open
    assert document["openapi"].startswith("3.")
    assert document["servers"] == [{"url": url}]
    described = {(m.upper(), path) for path, ops in document["paths"].items() for m in ops}
    assert described == {(method, template) for method, template, _ in router.routes}
    upload = document["paths"]["/datasets/{dataset_id}/items"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert [p["name"] for p in upload["parameters"]] == ["dataset_id", "mode"]
    bodies = {path: ops.get("post", {}).get("requestBody", {}) for path, ops in document["paths"].items()}
    assert "application/x-www-form-urlencoded" in bodies["/projects"]["content"]
    assert "name" in bodies["/datasets"]["content"]["application/json"]["schema"]["properties"]
    assert len({op["operationId"] for ops in document["paths"].values() for op in ops.values()}) == len(
        described
    )


def _real_ids(client: dw.Client) -> dict[str, str]:
    """A project with a dataset, an item, a box, a task: ids for the path parameters."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), "red").save(buffer, format="PNG")
    project = client.projects.create(project_name="fuzzed")
    dataset = project.datasets.create(dataset_name="d")
    dataset.add_label("car", "#ff0000")
    item = dataset.items.upload(local_path=buffer.getvalue(), remote_path="/f", remote_name="a.png")
    assert isinstance(item, dw.Item)
    builder = item.annotations.builder()
    builder.add(dw.Box(top=1, left=1, bottom=5, right=5, label="car"))
    (annotation,) = item.annotations.upload(builder)
    task = dataset.tasks.create(task_name="t", assignee_ids=[USER], items=[item])
    assignment = task.assignments.list()[0]
    recipe = dataset.recipes.list()[0]
    return {
        "project_id": project.id,
        "name": project.name,
        "email": USER,
        "dataset_id": dataset.id,
        "item_id": item.id,
        "annotation_id": annotation.id,
        "task_id": task.id,
        "assignment_id": assignment.id,
        "recipe_id": recipe.id,
        "ontology_id": recipe.ontology_ids[0],
    }


def _problem(response: Any) -> str | None:
    """What is wrong with an answer, if anything."""
    if response.status_code >= 500:
        return f"server error {response.status_code}: {response.text[:500]}"
    if response.status_code >= 400:
        try:
            body = json.loads(response.content)
        except ValueError:
            return f"error {response.status_code} is not JSON: {response.content[:200]!r}"
        if not isinstance(body, dict) or not isinstance(body.get("message"), str) or not body["message"]:
            return f"error {response.status_code} has no 'message': {body!r:.200}"
    return None


def test_fuzzing_every_operation_finds_no_server_error(workspace_home: Path) -> None:
    import requests

    token = create_token(workspace_secret(workspace_home), USER)
    with serving(workspace_home) as url:
        ids = _real_ids(dw.connect(url, token=token))
        schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
        session = requests.Session()
        # Fixed, so that negative cases do not spend themselves on 401s (test_serve.py covers those).
        auth = {"authorization": f"Bearer {token}"}
        operations = [result.ok() for result in schema.get_all_operations()]
        # Deletes last: a deleted project takes every other real id with it.
        operations.sort(key=lambda op: op.method.upper() == "DELETE")
        problems: list[str] = []
        for operation in operations:
            names = [p.name for p in operation.path_parameters]
            modes = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
            strategies = [operation.as_strategy(generation_mode=mode, headers=auth) for mode in modes]
            if names and all(n in ids for n in names) and operation.method.upper() != "DELETE":
                real = {name: ids[name] for name in names}
                strategies += [
                    operation.as_strategy(generation_mode=mode, headers=auth, path_parameters=real)
                    for mode in modes
                ]

            @settings(
                max_examples=EXAMPLES * len(strategies),
                deadline=None,
                database=None,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=st.one_of(strategies))
            def run(case: Any) -> None:
                response = case.call(base_url=url, session=session)
                problem = _problem(response)
                if problem is not None:
                    curl = case.as_curl_command().replace(token, "<token>")
                    problems.append(f"{curl}\n  -> {problem}")

            run()
        assert not problems, "\n".join(problems[:20])
