"""Contract tests of every route in the store's route table, over a raw ``httpx.Client`` (``api``), each
run in-process and over HTTP against ``dlwidgets serve`` (tests/api/conftest.py).

Each test asserts the requests and JSON shapes of the official ``dtlpy`` SDK (the installed 1.126.5 is
the reference: where it and the store disagree, the SDK wins), and declares the routes it covers with
``@covers(...)``. A declared route must really be requested by the test, and
``test_every_route_has_a_contract_test`` fails when a route has no test.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import numpy as np
import pytest
from PIL import Image

from dlwidgets.store import router

F = TypeVar("F", bound=Callable[..., Any])

USER = "ann@example.com"
FORM = "application/x-www-form-urlencoded"
ID = re.compile(r"[0-9a-f]{24}")
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
ANNOTATION_TYPES = [
    "box", "cube", "cube_3d", "class", "comparison", "ellipse", "point", "segment", "polyline", "pose",
    "binary", "subtitle", "text_mark", "gis", "ref_semantic_3d", "polyline_3d", "text", "ref_image",
]  # fmt: skip

# ---------------------------------------------------------------------------------------------------------
# Route coverage bookkeeping

COVERED: set[tuple[str, str]] = set()


def covers(*routes: tuple[str, str]) -> Callable[[F], F]:
    """Declare the (method, template) routes a test is the contract test of."""

    def mark(test: F) -> F:
        COVERED.update(routes)
        for method, template in routes:
            test = pytest.mark.route(method, template)(test)
        return test

    return mark


_PATTERNS = [
    (method, template, re.compile("^" + re.sub(r"\{\w+\}", "[^/]+", template) + "/?$"))
    for method, template, _ in router.routes
]


def route_of(method: str, path: str) -> tuple[str, str] | None:
    """The (method, template) the router serves this request with, as the router picks it."""
    for route_method, template, pattern in _PATTERNS:
        if route_method == method and pattern.match(path):
            return method, template
    return None


@pytest.fixture(autouse=True)
def _declared_routes_are_exercised(request: pytest.FixtureRequest) -> Iterator[None]:
    declared = [tuple(m.args) for m in request.node.iter_markers("route")]
    if not declared:
        yield
        return
    api = request.getfixturevalue("api")
    yield
    hit = {route_of(method, path) for method, path in api.sent}
    missing = [route for route in declared if route not in hit]
    assert not missing, f"the test declares routes it never requested: {missing}"


def test_every_route_has_a_contract_test() -> None:
    table = {(method, template) for method, template, _ in router.routes}
    assert not COVERED - table, f"contract tests name routes that do not exist: {sorted(COVERED - table)}"
    assert not table - COVERED, f"routes without a contract test: {sorted(table - COVERED)}"


# ---------------------------------------------------------------------------------------------------------
# Helpers


def blobs(home: Path) -> set[str]:
    """The digests of the item bytes stored in the workspace at ``home``."""
    return {p.name for p in (home / "blobs").glob("??/*")}


def base(api: httpx.Client) -> str:
    return str(api.base_url).rstrip("/")


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def error_message(response: httpx.Response, status: int) -> str:
    """An error answer: this status, a JSON ``{"status", "message"}`` body; returns the message."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body, dict)
    assert body["status"] == status
    assert isinstance(body["message"], str) and body["message"]
    return body["message"]


def image_bytes(width: int = 15, height: int = 10, seed: int = 0, fmt: str = "PNG") -> bytes:
    pixels = np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format=fmt)
    return buffer.getvalue()


def create_project(api: httpx.Client, name: str = "My Project") -> dict[str, Any]:
    return ok(api.post("/projects", data={"name": name}))


def create_dataset(api: httpx.Client, project_id: str, name: str = "My Dataset") -> dict[str, Any]:
    body = {"name": name, "projects": [project_id], "createDefaultRecipe": True}
    return ok(api.post("/datasets", json=body))


def default_ontology_id(api: httpx.Client, dataset: dict[str, Any]) -> str:
    recipe = ok(api.get(f"/recipes/{dataset['metadata']['system']['recipes'][0]}"))
    return str(recipe["ontologyIds"][0])


def add_labels(api: httpx.Client, dataset: dict[str, Any], *tags: str) -> dict[str, Any]:
    ontology_id = default_ontology_id(api, dataset)
    nodes = [{"tag": t, "color": "#ff0000", "displayData": {}} for t in tags]
    return ok(api.patch(f"/ontologies/{ontology_id}/labels", json={"labelsNode": nodes, "upsert": True}))


def upload(
    api: httpx.Client,
    dataset_id: str,
    path: str,
    content: bytes,
    mode: str = "overwrite",
    mimetype: str = "image/png",
    **fields: str,
) -> httpx.Response:
    """A multipart upload as the SDK sends it: ``type``, ``path`` (and extra fields), then ``file``."""
    return api.post(
        f"/datasets/{dataset_id}/items",
        params={"mode": mode},
        data={"type": "file", "path": path, **fields},
        files={"file": (path.rsplit("/", 1)[-1], content, mimetype)},
    )


@pytest.fixture
def dataset(api: httpx.Client) -> dict[str, Any]:
    """A project with one dataset whose ontology has the labels ``cat`` and ``dog``."""
    project = create_project(api)
    created = create_dataset(api, project["id"])
    add_labels(api, created, "cat", "dog")
    return created


def upload_images(api: httpx.Client, dataset_id: str, count: int, folder: str = "/images") -> list[str]:
    ids = []
    for i in range(count):
        ids.append(ok(upload(api, dataset_id, f"{folder}/img{i}.png", image_bytes(seed=i)))["id"])
    return ids


def items_query(
    api: httpx.Client, dataset_id: str, *conditions: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    body = {
        "filter": {"$and": [{"hidden": False}, {"type": "file"}, *conditions]},
        "sort": {"id": "ascending"},
        "page": 0,
        "pageSize": 1000,
        "resource": "items",
        **extra,
    }
    return ok(api.post(f"/datasets/{dataset_id}/query", json=body))


def annotations_query(api: httpx.Client, dataset: dict[str, Any], item_id: str, **extra: Any) -> Any:
    body = {
        "filter": {"$and": [{"type": {"$in": ANNOTATION_TYPES}}, {"itemId": item_id}]},
        "sort": {"id": "ascending"},
        "page": 0,
        "pageSize": 1000,
        "resource": "annotations",
        **extra,
    }
    return ok(api.post(f"/datasets/{dataset['id']}/query", json=body))


# ---------------------------------------------------------------------------------------------------------
# Users


@covers(("GET", "/users/me"))
def test_users_me(api: httpx.Client) -> None:
    me = ok(api.get("/users/me"))
    assert me["email"] == USER
    assert isinstance(me["id"], str) and me["id"]


# ---------------------------------------------------------------------------------------------------------
# Projects


@covers(("POST", "/projects"))
def test_create_project_is_form_encoded(api: httpx.Client) -> None:
    response = api.post("/projects", content=b"name=My+Project", headers={"content-type": FORM})
    project = ok(response)
    assert project["name"] == "My Project"
    assert ID.fullmatch(project["id"])
    assert project["creator"] == USER
    assert TIMESTAMP.fullmatch(project["createdAt"]) and TIMESTAMP.fullmatch(project["updatedAt"])
    assert project["url"] == f"{base(api)}/projects/{project['id']}"
    assert project["contributors"] == [] and project["archived"] is False

    duplicate = api.post("/projects", data={"name": "My Project"})
    assert "'My Project'" in error_message(duplicate, 409)
    assert "name" in error_message(api.post("/projects", data={"name": "  "}), 400)


@covers(("GET", "/projects"))
def test_list_projects_is_a_bare_array(api: httpx.Client) -> None:
    assert ok(api.get("/projects")) == []
    first, second = create_project(api, "A"), create_project(api, "B")
    listed = ok(api.get("/projects"))
    assert isinstance(listed, list)
    assert [p["id"] for p in listed] == [first["id"], second["id"]]
    assert listed[0] == first


@covers(("GET", "/projects/{project_id}"))
def test_get_project_by_id(api: httpx.Client) -> None:
    project = create_project(api)
    assert ok(api.get(f"/projects/{project['id']}")) == project
    assert "'ffffffffffffffffffffffff'" in error_message(api.get("/projects/ffffffffffffffffffffffff"), 404)


@covers(("GET", "/projects/{name}/name"))
def test_get_project_by_name(api: httpx.Client) -> None:
    # None yet: a 404 with a JSON body, never an empty list (the SDK crashes on one).
    message = error_message(api.get("/projects/My%20Project/name"), 404)
    assert "'My Project'" in message
    project = create_project(api)
    found = ok(api.get("/projects/My%20Project/name"))
    assert found == [project]
    slashed = create_project(api, "a/b c")
    assert ok(api.get("/projects/a%2Fb%20c/name")) == [slashed]


@covers(("DELETE", "/projects/{project_id}"))
def test_delete_project(api: httpx.Client, tmp_home: Path) -> None:
    project, kept = create_project(api), create_project(api, "Kept")
    dataset = create_dataset(api, project["id"])
    other = create_dataset(api, kept["id"])
    (item_id,) = upload_images(api, dataset["id"], 1)
    ok(upload(api, dataset["id"], "/own.png", image_bytes(seed=42)))
    ok(upload(api, other["id"], "/shared.png", image_bytes(seed=0)))
    assert len(blobs(tmp_home)) == 2

    assert ok(api.delete(f"/projects/{project['id']}"))["id"] == project["id"]
    error_message(api.get(f"/projects/{project['id']}"), 404)
    error_message(api.get(f"/datasets/{dataset['id']}"), 404)
    error_message(api.get(f"/items/{item_id}"), 404)
    error_message(api.delete(f"/projects/{project['id']}"), 404)
    # The deleted items' bytes are freed, except those another project's item shares.
    (shared,) = items_query(api, other["id"])["items"]
    assert len(blobs(tmp_home)) == 1
    assert api.get(f"/items/{shared['id']}/stream").content == image_bytes(seed=0)


# ---------------------------------------------------------------------------------------------------------
# Datasets


@covers(("POST", "/datasets"))
def test_create_dataset_makes_default_recipe_and_ontology(api: httpx.Client) -> None:
    project = create_project(api)
    dataset = create_dataset(api, project["id"])
    assert dataset["name"] == "My Dataset"
    assert ID.fullmatch(dataset["id"])
    assert dataset["projects"] == [project["id"]]
    assert dataset["creator"] == USER
    assert dataset["url"] == f"{base(api)}/datasets/{dataset['id']}"
    assert (dataset["itemsCount"], dataset["annotationsCount"], dataset["annotated"]) == (0, 0, False)
    (recipe_id,) = dataset["metadata"]["system"]["recipes"]
    recipe = ok(api.get(f"/recipes/{recipe_id}"))
    assert recipe["title"] == "My Dataset Default Recipe"
    assert recipe["projectIds"] == [project["id"]]
    (ontology_id,) = recipe["ontologyIds"]
    assert ok(api.get(f"/ontologies/{ontology_id}"))["roots"] == []

    assert "'My Dataset'" in error_message(
        api.post("/datasets", json={"name": "My Dataset", "projects": [project["id"]]}), 409
    )
    assert "projects" in error_message(api.post("/datasets", json={"name": "x", "projects": "p"}), 400)
    unknown = api.post("/datasets", json={"name": "x", "projects": ["ffffffffffffffffffffffff"]})
    assert "'ffffffffffffffffffffffff'" in error_message(unknown, 404)


@covers(("POST", "/datasets/query"))
def test_query_datasets_pages_with_items_and_has_next_page(api: httpx.Client) -> None:
    project, other = create_project(api, "P"), create_project(api, "Q")
    first = create_dataset(api, project["id"], "first")
    second = create_dataset(api, project["id"], "second")
    create_dataset(api, other["id"], "elsewhere")

    def query(filter_doc: dict[str, Any], page: int = 0, size: int = 1000) -> Any:
        body = {
            "filter": filter_doc,
            "page": page,
            "pageSize": size,
            "resource": "datasets",
            "context": {"projects": [project["id"]]},
        }
        return ok(api.post("/datasets/query", json=body, headers={"user_query": "true"}))

    everything = query({})
    assert everything["items"] == [first, second]
    assert (everything["hasNextPage"], everything["totalItemsCount"]) == (False, 2)
    named = query({"$and": [{"name": "second"}]})
    assert [d["id"] for d in named["items"]] == [second["id"]] and named["hasNextPage"] is False
    assert query({"$and": [{"name": "missing"}]})["items"] == []
    page0, page1 = query({}, page=0, size=1), query({}, page=1, size=1)
    assert ([d["id"] for d in page0["items"]], page0["hasNextPage"]) == ([first["id"]], True)
    assert ([d["id"] for d in page1["items"]], page1["hasNextPage"]) == ([second["id"]], False)
    assert page0["totalPagesCount"] == 2


@covers(("GET", "/datasets/{dataset_id}"))
def test_get_dataset(api: httpx.Client, dataset: dict[str, Any]) -> None:
    fetched = ok(api.get(f"/datasets/{dataset['id']}"))
    assert {k: v for k, v in fetched.items() if k != "updatedAt"} == {
        k: v for k, v in dataset.items() if k != "updatedAt"
    }
    upload_images(api, dataset["id"], 2)
    assert ok(api.get(f"/datasets/{dataset['id']}"))["itemsCount"] == 2
    assert "'nope'" in error_message(api.get("/datasets/nope"), 404)


@covers(("PATCH", "/datasets/{dataset_id}"))
def test_patch_dataset_needs_system_flag_for_system_metadata(api: httpx.Client) -> None:
    project = create_project(api)
    dataset = create_dataset(api, project["id"])
    original = dataset["metadata"]["system"]["recipes"]
    # The SDK's dataset.recipes.create(): ontology, recipe, then the whole dataset with ?system=true.
    ontology = ok(
        api.post("/ontologies", json={"roots": [], "projectIds": [project["id"]], "attributes": []})
    )
    recipe_body = {
        "title": "My Dataset Default Recipe",
        "projectIds": [project["id"]],
        "ontologyIds": [ontology["id"]],
        "uiSettings": {"allowObjectIdAutoAssign": True, "studioV2App": True},
    }
    recipe = ok(api.post("/recipes", json=recipe_body))
    changed = json.loads(json.dumps(dataset))
    changed["metadata"]["system"]["recipes"] = [recipe["id"]]
    changed["metadata"]["user"] = {"k": 1}

    without_flag = ok(api.patch(f"/datasets/{dataset['id']}", json=changed))
    assert without_flag["metadata"]["system"]["recipes"] == original
    assert without_flag["metadata"]["user"] == {"k": 1}
    with_flag = ok(api.patch(f"/datasets/{dataset['id']}", params={"system": "true"}, json=changed))
    assert with_flag["metadata"]["system"]["recipes"] == [recipe["id"]]
    assert ok(api.get(f"/datasets/{dataset['id']}"))["metadata"]["system"]["recipes"] == [recipe["id"]]

    renamed = ok(api.patch(f"/datasets/{dataset['id']}", json={"name": "Renamed"}))
    assert renamed["name"] == "Renamed" and renamed["metadata"]["user"] == {"k": 1}
    assert "metadata" in error_message(api.patch(f"/datasets/{dataset['id']}", json={"metadata": [1]}), 400)


@covers(("DELETE", "/datasets/{dataset_id}"))
def test_delete_dataset(api: httpx.Client, dataset: dict[str, Any], tmp_home: Path) -> None:
    (item_id,) = upload_images(api, dataset["id"], 1)
    ok(upload(api, dataset["id"], "/own.png", image_bytes(seed=42)))
    other = create_dataset(api, dataset["projects"][0], "Other")
    shared = ok(upload(api, other["id"], "/shared.png", image_bytes(seed=0)))
    assert len(blobs(tmp_home)) == 2

    assert ok(api.delete(f"/datasets/{dataset['id']}"))["id"] == dataset["id"]
    error_message(api.get(f"/datasets/{dataset['id']}"), 404)
    error_message(api.get(f"/items/{item_id}"), 404)
    # The deleted items' bytes are freed, except those an item of another dataset shares.
    assert len(blobs(tmp_home)) == 1
    assert api.get(f"/items/{shared['id']}/stream").content == image_bytes(seed=0)


# ---------------------------------------------------------------------------------------------------------
# Recipes


@covers(("POST", "/recipes"), ("GET", "/recipes/{recipe_id}"), ("GET", "/recipes"))
def test_create_get_and_list_recipes(api: httpx.Client, dataset: dict[str, Any]) -> None:
    project_id = dataset["projects"][0]
    ontology_id = default_ontology_id(api, dataset)
    body = {"title": "Second", "projectIds": [project_id], "ontologyIds": [ontology_id], "custom": {"a": 1}}
    recipe = ok(api.post("/recipes", json=body))
    assert ID.fullmatch(recipe["id"])
    assert (recipe["title"], recipe["projectIds"], recipe["ontologyIds"]) == (
        "Second",
        [project_id],
        [ontology_id],
    )
    assert recipe["custom"] == {"a": 1}
    assert recipe["creator"] == USER
    assert recipe["url"] == f"{base(api)}/recipes/{recipe['id']}"
    assert ok(api.get(f"/recipes/{recipe['id']}")) == recipe
    error_message(api.get("/recipes/ffffffffffffffffffffffff"), 404)

    listed = ok(api.get("/recipes", params={"projects": project_id, "pageOffset": 0, "pageSize": 100}))
    assert isinstance(listed, list)
    assert [r["id"] for r in listed] == [dataset["metadata"]["system"]["recipes"][0], recipe["id"]]
    assert ok(api.get("/recipes", params={"projects": "ffffffffffffffffffffffff"})) == []
    assert "ontologyIds" in error_message(api.post("/recipes", json={"ontologyIds": "x"}), 400)


@covers(("PATCH", "/recipes/{recipe_id}"))
def test_patch_recipe_with_the_whole_recipe(api: httpx.Client, dataset: dict[str, Any]) -> None:
    recipe = ok(api.get(f"/recipes/{dataset['metadata']['system']['recipes'][0]}"))
    ontology = ok(api.post("/ontologies", json={"roots": [], "projectIds": recipe["projectIds"]}))
    # recipe.ontologies.create(): the SDK appends the id locally and sends the full recipe back.
    sent = {**recipe, "ontologyIds": [*recipe["ontologyIds"], ontology["id"]], "instructions": "be careful"}
    updated = ok(api.patch(f"/recipes/{recipe['id']}", json=sent))
    assert updated["id"] == recipe["id"]
    assert updated["ontologyIds"] == [*recipe["ontologyIds"], ontology["id"]]
    assert updated["instructions"] == "be careful"
    assert updated["creator"] == recipe["creator"] and updated["createdAt"] == recipe["createdAt"]
    assert ok(api.get(f"/recipes/{recipe['id']}"))["ontologyIds"] == updated["ontologyIds"]
    bad = api.patch(f"/recipes/{recipe['id']}", json={"ontologyIds": [1]})
    assert "[1]" in error_message(bad, 400)


# ---------------------------------------------------------------------------------------------------------
# Ontologies


@covers(("POST", "/ontologies"), ("GET", "/ontologies/{ontology_id}"))
def test_create_and_get_ontology(api: httpx.Client) -> None:
    project = create_project(api)
    body = {"roots": [], "projectIds": [project["id"]], "attributes": [], "title": "Animals"}
    ontology = ok(api.post("/ontologies", json=body))
    assert ID.fullmatch(ontology["id"])
    assert (ontology["roots"], ontology["title"]) == ([], "Animals")
    assert ontology["metadata"]["system"]["projectIds"] == [project["id"]]
    assert ontology["url"] == f"{base(api)}/ontologies/{ontology['id']}"
    assert ok(api.get(f"/ontologies/{ontology['id']}")) == ontology
    error_message(api.get("/ontologies/ffffffffffffffffffffffff"), 404)


@covers(("GET", "/ontologies"))
def test_list_ontologies_of_projects_and_ids_a_page_at_a_time(api: httpx.Client) -> None:
    project, other = create_project(api), create_project(api, name="Other")
    made = [
        ok(api.post("/ontologies", json={"roots": [], "projectIds": [p["id"]], "title": f"o{i}"}))
        for i, p in enumerate([project, project, other])
    ]
    first = ok(api.get("/ontologies", params={"projects": project["id"], "pageOffset": 0, "pageSize": 1}))
    assert (first["totalItemsCount"], first["totalPagesCount"], first["hasNextPage"]) == (2, 2, True)
    second = ok(api.get("/ontologies", params={"projects": project["id"], "pageOffset": 1, "pageSize": 1}))
    assert [o["id"] for o in first["items"] + second["items"]] == [made[0]["id"], made[1]["id"]]
    assert not second["hasNextPage"]
    both = ok(api.get("/ontologies", params={"projects": f"{project['id']},{other['id']}"}))
    assert both["totalItemsCount"] == 3
    by_id = ok(api.get("/ontologies", params={"ids": made[2]["id"]}))
    assert [o["title"] for o in by_id["items"]] == ["o2"]
    assert "pageOffset='x'" in error_message(api.get("/ontologies", params={"pageOffset": "x"}), 400)


@covers(("PATCH", "/ontologies/{ontology_id}/labels"))
def test_patch_labels_returns_roots(api: httpx.Client) -> None:
    ontology = ok(api.post("/ontologies", json={"roots": [], "projectIds": [], "attributes": []}))
    path = f"/ontologies/{ontology['id']}/labels"
    cat = {"tag": "cat", "color": "#FF0000", "attributes": [], "displayLabel": "Cat", "displayData": {}}
    answer = ok(api.patch(path, json={"labelsNode": [cat], "upsert": True}))
    assert answer["id"] == ontology["id"]
    assert answer["roots"] == [
        {
            "value": {
                "tag": "cat",
                "color": "#ff0000",
                "attributes": [],
                "displayLabel": "Cat",
                "displayData": {},
            },
            "children": [],
        }
    ]
    # dataset.add_label's shorter node, a nested label, and an upsert of an existing tag.
    nodes = [
        {"tag": "dog", "color": "#00ff00", "displayData": {}},
        {"tag": "cat.kitten", "color": "#0000ff"},
        {"tag": "cat", "color": "#123456"},
    ]
    roots = ok(api.patch(path, json={"labelsNode": nodes, "upsert": True}))["roots"]
    assert [r["value"]["tag"] for r in roots] == ["cat", "dog"]
    # An upsert changes only the fields it sends.
    assert roots[0]["value"] == {**cat, "color": "#123456"}
    assert roots[1]["value"]["color"] == "#00ff00" and roots[1]["value"]["displayLabel"]
    # A child is answered by its own name, as the platform does; it was sent by its path.
    assert [c["value"]["tag"] for c in roots[0]["children"]] == ["kitten"]
    assert ok(api.get(f"/ontologies/{ontology['id']}"))["roots"] == roots

    assert "'red'" in error_message(api.patch(path, json={"labelsNode": [{"tag": "x", "color": "red"}]}), 400)
    # An update (no upsert) of a label whose parent is not there names the parent; an upsert makes it.
    orphan = api.patch(path, json={"labelsNode": [{"tag": "bird.chick"}], "upsert": False})
    assert "'bird'" in error_message(orphan, 404)
    roots = ok(api.patch(path, json={"labelsNode": [{"tag": "bird.chick"}]}))["roots"]
    assert [(r["value"]["tag"], [c["value"]["tag"] for c in r["children"]]) for r in roots][-1] == (
        "bird",
        ["chick"],
    )


@covers(("PUT", "/ontologies/{ontology_id}"))
def test_put_ontology_uses_roots_and_ignores_labels(api: httpx.Client) -> None:
    ontology = ok(api.post("/ontologies", json={"roots": [], "projectIds": [], "attributes": []}))
    value = {"tag": "car", "attributes": [], "displayLabel": "Car", "displayData": {}, "color": "#abcdef"}
    body = {
        **ontology,
        "title": "Vehicles",
        "labels": [{"tag": "ignored", "display_data": {}, "color": "#000000", "children": []}],
        "roots": [{"value": value, "children": []}],
        "metadata": {**ontology["metadata"], "user": {"v": 2}},
    }
    replaced = ok(api.put(f"/ontologies/{ontology['id']}", json=body))
    assert replaced["roots"] == [{"value": value, "children": []}]
    assert replaced["title"] == "Vehicles"
    assert replaced["metadata"]["user"] == {"v": 2}
    assert "ignored" not in json.dumps(replaced)
    assert ok(api.get(f"/ontologies/{ontology['id']}")) == replaced
    duplicate = {**body, "roots": [{"value": value, "children": []}, {"value": value, "children": []}]}
    assert "'car'" in error_message(api.put(f"/ontologies/{ontology['id']}", json=duplicate), 400)
    # `ontology` was read at version 1; replacing the ontology from it would undo the label added since.
    assert replaced["metadata"]["system"]["version"] == 2
    stale = error_message(api.put(f"/ontologies/{ontology['id']}", json={**ontology, "title": "Cars"}), 409)
    assert "your copy is version 1, the stored one version 2" in stale
    assert "label 'car' was added" in stale
    # A copy from version 1 that has that change already (as dtlpy's copy after add_label) is saved.
    assert ok(api.put(f"/ontologies/{ontology['id']}", json={**body, "title": "Cars"}))["title"] == "Cars"


@covers(("PATCH", "/ontologies/{ontology_id}/attributes"), ("DELETE", "/ontologies/{ontology_id}/attributes"))
def test_attributes_live_in_metadata_attributes(api: httpx.Client, dataset: dict[str, Any]) -> None:
    path = f"/ontologies/{default_ontology_id(api, dataset)}/attributes"
    cute = {"title": "Is cute?", "key": "is_cute", "type": "boolean", "scope": ["cat"]}
    size = {"title": "Size", "key": "size", "type": "options", "multi": False, "values": ["small", "large"]}
    ok(api.patch(path, json={"items": [cute], "upsert": True}))
    answer = ok(api.patch(path, json={"items": [size], "upsert": True}))
    assert answer["metadata"]["attributes"] == [cute, {**size, "scope": ["*"]}]
    resized = {**size, "values": ["s", "m", "l"], "scope": ["dog"]}
    answer = ok(api.patch(path, json={"items": [resized], "upsert": True}))
    assert answer["metadata"]["attributes"] == [cute, resized]

    message = error_message(api.patch(path, json={"items": [{**cute, "scope": ["horse"]}]}), 400)
    assert "'horse'" in message and "'cat'" in message and "'is_cute'" in message
    assert "'color'" in error_message(api.patch(path, json={"items": [{"key": "k", "type": "color"}]}), 400)

    after = ok(api.request("DELETE", path, json={"keys": ["is_cute"]}))
    assert after["metadata"]["attributes"] == [resized]


# ---------------------------------------------------------------------------------------------------------
# Items


@covers(("POST", "/datasets/{dataset_id}/items"))
def test_upload_is_multipart_with_mode_and_item_op(api: httpx.Client, dataset: dict[str, Any]) -> None:
    png = image_bytes(width=15, height=10)
    created = upload(api, dataset["id"], "/images/img.png", png, mode="overwrite")
    assert created.headers["x-item-op"] == "created"
    item = ok(created)
    assert ID.fullmatch(item["id"])
    assert (item["filename"], item["name"], item["dir"]) == ("/images/img.png", "img.png", "/images")
    assert (item["type"], item["hidden"], item["datasetId"]) == ("file", False, dataset["id"])
    system = item["metadata"]["system"]
    assert system["size"] == len(png)
    assert (system["mimetype"], system["width"], system["height"]) == ("image/png", 15, 10)
    assert system["originalname"] == "img.png"
    assert item["stream"] == f"{base(api)}/items/{item['id']}/stream"
    assert item["url"] == f"{base(api)}/items/{item['id']}"
    assert (item["annotated"], item["annotationsCount"], item["creator"]) == (False, 0, USER)

    # mode=skip keeps the stored item; mode=overwrite replaces its bytes under the same id.
    skipped = upload(api, dataset["id"], "/images/img.png", b"other", mode="skip")
    assert skipped.headers["x-item-op"] == "skip"
    assert ok(skipped)["id"] == item["id"] and ok(skipped)["metadata"]["system"]["size"] == len(png)
    jpeg = image_bytes(width=8, height=6, fmt="JPEG")
    replaced = upload(api, dataset["id"], "/images/img.png", jpeg, mode="overwrite", mimetype="image/jpeg")
    assert replaced.headers["x-item-op"] == "overwrite"
    system = ok(replaced)["metadata"]["system"]
    assert ok(replaced)["id"] == item["id"]
    assert (system["size"], system["mimetype"], system["width"], system["height"]) == (
        len(jpeg),
        "image/jpeg",
        8,
        6,
    )
    assert api.get(f"/items/{item['id']}/stream").content == jpeg

    # Text, root folder, user metadata and description fields; the part type guessed when generic.
    note = upload(
        api,
        dataset["id"],
        "/note.txt",
        b"hello world\n",
        mode="skip",
        mimetype="application/octet-stream",
        metadata=json.dumps({"user": {"source": "test"}}),
        description="a note",
    )
    assert note.headers["x-item-op"] == "created"
    note_item = ok(note)
    assert (note_item["dir"], note_item["description"]) == ("/", "a note")
    assert note_item["metadata"]["user"] == {"source": "test"}
    assert note_item["metadata"]["system"]["mimetype"] == "text/plain"
    assert "width" not in note_item["metadata"]["system"]

    bad_mode = upload(api, dataset["id"], "/x.txt", b"x", mode="merge")
    assert "'merge'" in error_message(bad_mode, 400)
    no_file = api.post(f"/datasets/{dataset['id']}/items", data={"type": "file", "path": "/x"}, files={})
    assert "multipart" in error_message(no_file, 400) or "file" in error_message(no_file, 400)


@covers(("POST", "/datasets/{dataset_id}/items"))
def test_upload_of_a_prompt_item_is_recognised(api: httpx.Client, dataset: dict[str, Any]) -> None:
    prompt = {
        "shebang": "dataloop",
        "metadata": {"dltype": "prompt"},
        "prompts": {"1": [{"mimetype": "application/text", "value": "hi"}]},
    }
    content = json.dumps(prompt).encode()
    item = ok(upload(api, dataset["id"], "/prompts/p.json", content, mimetype="application/json"))
    assert item["metadata"]["system"]["mimetype"] == "application/json"
    assert item["metadata"]["system"]["shebang"] == {"dltype": "prompt"}
    assert item["metadata"]["system"]["size"] == len(content)


@covers(("GET", "/items/{item_id}"))
def test_get_item(api: httpx.Client, dataset: dict[str, Any]) -> None:
    item = ok(upload(api, dataset["id"], "/a/b/c.png", image_bytes()))
    assert ok(api.get(f"/items/{item['id']}")) == item
    assert "'ffffffffffffffffffffffff'" in error_message(api.get("/items/ffffffffffffffffffffffff"), 404)


@covers(("PATCH", "/items/{item_id}"))
def test_patch_item_is_a_merge_patch(api: httpx.Client, dataset: dict[str, Any]) -> None:
    item = ok(upload(api, dataset["id"], "/img.png", image_bytes()))
    path = f"/items/{item['id']}"
    user = {"my_key": "my_value", "nested": {"a": 1, "b": 2}, "gone": True}
    first = ok(api.patch(path, json={"metadata": {"user": user}}))
    assert first["metadata"]["user"] == user
    assert first["metadata"]["system"] == item["metadata"]["system"]

    # null deletes a key, nested objects merge, other keys stay.
    patched = ok(api.patch(path, json={"metadata": {"user": {"gone": None, "nested": {"a": None, "c": 3}}}}))
    assert patched["metadata"]["user"] == {"my_key": "my_value", "nested": {"b": 2, "c": 3}}
    assert ok(api.get(path))["metadata"]["user"] == patched["metadata"]["user"]

    # System metadata changes only with ?system=true, and then merges into what the store set.
    ignored = ok(api.patch(path, json={"metadata": {"system": {"size": 1, "flag": True}}}))
    assert ignored["metadata"]["system"] == item["metadata"]["system"]
    applied = ok(api.patch(path, params={"system": "true"}, json={"metadata": {"system": {"flag": True}}}))
    assert applied["metadata"]["system"] == {**item["metadata"]["system"], "flag": True}
    assert "[1, 2]" in error_message(api.patch(path, json={"metadata": [1, 2]}), 400)


@covers(("DELETE", "/items/{item_id}"))
def test_delete_item(api: httpx.Client, dataset: dict[str, Any], tmp_home: Path) -> None:
    item = ok(upload(api, dataset["id"], "/img.png", image_bytes()))
    twin = ok(upload(api, dataset["id"], "/twin.png", image_bytes()))
    assert len(blobs(tmp_home)) == 1
    assert ok(api.delete(f"/items/{item['id']}"))["id"] == item["id"]
    error_message(api.get(f"/items/{item['id']}"), 404)
    error_message(api.get(f"/items/{item['id']}/stream"), 404)
    error_message(api.delete(f"/items/{item['id']}"), 404)
    # Same bytes, one blob: it stays while the twin uses it, and goes with the last item.
    assert api.get(f"/items/{twin['id']}/stream").content == image_bytes()
    assert len(blobs(tmp_home)) == 1
    ok(api.delete(f"/items/{twin['id']}"))
    assert items_query(api, dataset["id"])["items"] == []
    assert blobs(tmp_home) == set()


def test_update_by_query_merges_user_metadata_of_the_matching_items(
    api: httpx.Client, dataset: dict[str, Any]
) -> None:
    """dtlpy's ``items.update(filters=, update_values=)``: the query body with ``update``."""
    kept, tagged = (ok(upload(api, dataset["id"], f"{d}/a.png", image_bytes()))["id"] for d in ("/k", "/t"))
    ok(api.patch(f"/items/{tagged}", json={"metadata": {"user": {"a": 1, "b": {"c": 2}}}}))
    update = {"metadata": {"user": {"b": {"d": 3}, "e": None}}}
    answer = items_query(api, dataset["id"], {"dir": "/t"}, update=update)
    assert answer == {"updated": 1}
    assert ok(api.get(f"/items/{tagged}"))["metadata"]["user"] == {"a": 1, "b": {"c": 2, "d": 3}}
    assert "user" not in ok(api.get(f"/items/{kept}"))["metadata"]
    for bad in ({"metadata": {"other": {}}}, {"name": "x"}, "x"):
        body = {"filter": {}, "resource": "items", "update": bad}
        assert "is not supported" in error_message(
            api.post(f"/datasets/{dataset['id']}/query", json=body), 400
        )
    # System metadata only with systemSpace (dtlpy's system_metadata=True); the store's own fields stay.
    system = {"metadata": {"system": {"stage": 2, "size": 1}}}
    body = {"filter": {"dir": "/t"}, "resource": "items", "update": system}
    assert "'systemSpace': true" in error_message(
        api.post(f"/datasets/{dataset['id']}/query", json=body), 400
    )
    assert ok(api.post(f"/datasets/{dataset['id']}/query", json={**body, "systemSpace": True})) == {
        "updated": 1
    }
    stored = ok(api.get(f"/items/{tagged}"))["metadata"]["system"]
    assert stored["stage"] == 2 and stored["size"] == len(image_bytes())


@covers(("GET", "/items/{item_id}/stream"))
def test_stream_honours_range(api: httpx.Client, dataset: dict[str, Any]) -> None:
    content = bytes(range(256)) * 40
    item = ok(upload(api, dataset["id"], "/blob.bin", content, mimetype="application/octet-stream"))
    path = f"/items/{item['id']}/stream"

    whole = api.get(path)
    assert whole.status_code == 200 and whole.content == content
    assert whole.headers["content-type"] == "application/octet-stream"
    assert whole.headers["content-length"] == str(len(content))

    # What the SDK sends: "x-dl-sanitize: 0" and "Range: bytes=<offset>-".
    sdk = {"x-dl-sanitize": "0"}
    start = api.get(path, headers={**sdk, "range": "bytes=0-"})
    assert start.status_code == 206 and start.content == content
    assert start.headers["content-range"] == f"bytes 0-{len(content) - 1}/{len(content)}"
    resumed = api.get(path, headers={**sdk, "range": "bytes=1000-"})
    assert resumed.status_code == 206 and resumed.content == content[1000:]
    assert resumed.headers["content-range"] == f"bytes 1000-{len(content) - 1}/{len(content)}"
    assert resumed.headers["content-length"] == str(len(content) - 1000)
    middle = api.get(path, headers={"range": "bytes=10-19"})
    assert middle.status_code == 206 and middle.content == content[10:20]
    suffix = api.get(path, headers={"range": "bytes=-5"})
    assert suffix.status_code == 206 and suffix.content == content[-5:]
    past = api.get(path, headers={"range": f"bytes={len(content)}-"})
    assert str(len(content)) in error_message(past, 416)
    # A syntactically invalid range is ignored: the whole item, 200.
    backwards = api.get(path, headers={"range": "bytes=20-10"})
    assert backwards.status_code == 200 and backwards.content == content
    empty = ok(upload(api, dataset["id"], "/empty.bin", b"", mimetype="application/octet-stream"))
    assert empty["metadata"]["system"]["size"] == 0
    nothing = api.get(f"/items/{empty['id']}/stream", headers={**sdk, "range": "bytes=0-"})
    assert nothing.status_code == 200 and nothing.content == b""

    png = image_bytes()
    image = ok(upload(api, dataset["id"], "/img.png", png))
    answer = api.get(f"/items/{image['id']}/stream")
    assert answer.headers["content-type"] == "image/png" and answer.content == png


@covers(("POST", "/datasets/{dataset_id}/query"))
def test_query_items_keyset_and_offset_paging(api: httpx.Client, dataset: dict[str, Any]) -> None:
    ids = upload_images(api, dataset["id"], 5)
    (doc_id,) = upload_images(api, dataset["id"], 1, folder="/docs")
    every = items_query(api, dataset["id"])
    assert [i["id"] for i in every["items"]] == sorted([*ids, doc_id])
    assert (every["totalItemsCount"], every["hasNextPage"]) == (6, False)

    # Keyset paging as the SDK iterates: page 0, sort id ascending, then id $gt the last id.
    seen: list[str] = []
    pages = 0
    conditions: list[dict[str, Any]] = []
    while True:
        page = items_query(api, dataset["id"], *conditions, pageSize=4)
        pages += 1
        seen += [i["id"] for i in page["items"]]
        if not page["hasNextPage"]:
            break
        conditions = [{"id": {"$gt": seen[-1]}}]
    assert seen == sorted([*ids, doc_id]) and pages == 2

    # Offset paging (go_to_page): page n, no sort.
    body = {"filter": {"$and": [{"type": "file"}]}, "page": 1, "pageSize": 4, "resource": "items"}
    second = ok(api.post(f"/datasets/{dataset['id']}/query", json=body))
    assert [i["id"] for i in second["items"]] == sorted([*ids, doc_id])[4:]
    assert (second["hasNextPage"], second["totalPagesCount"]) == (False, 2)

    folder = items_query(api, dataset["id"], {"dir": "/images"})
    assert [i["id"] for i in folder["items"]] == ids
    glob = items_query(api, dataset["id"], {"filename": "/docs/**"})
    assert [i["id"] for i in glob["items"]] == [doc_id]
    exact = items_query(api, dataset["id"], {"filename": "/images/img3.png"})
    assert [i["filename"] for i in exact["items"]] == ["/images/img3.png"]
    newest_first = items_query(api, dataset["id"], sort={"filename": "descending"})
    assert newest_first["items"][0]["filename"] == "/images/img4.png"
    assert newest_first["items"][-1]["filename"] == "/docs/img0.png"

    # Bulk delete: the items body without page keys.
    deleted = api.post(
        f"/datasets/{dataset['id']}/query",
        json={"filter": {"$and": [{"dir": "/docs"}]}, "resource": "items", "delete": True},
    )
    assert deleted.status_code == 200
    assert [i["id"] for i in items_query(api, dataset["id"])["items"]] == ids

    unknown = api.post(f"/datasets/{dataset['id']}/query", json={"resource": "models"})
    assert "'models'" in error_message(unknown, 400)


@covers(("POST", "/datasets/{dataset_id}/query"))
def test_query_annotations_by_item_and_delete(api: httpx.Client, dataset: dict[str, Any]) -> None:
    first, second = upload_images(api, dataset["id"], 2)
    box = {"type": "box", "label": "cat", "coordinates": [{"x": 1, "y": 2, "z": 0}, {"x": 3, "y": 4, "z": 0}]}
    point = {"type": "point", "label": "dog", "coordinates": {"x": 5, "y": 6, "z": 0}}
    created = ok(api.post(f"/items/{first}/annotations", json=[box, point]))
    ok(api.post(f"/items/{second}/annotations", json=[box]))

    page = annotations_query(api, dataset, first)
    assert [a["id"] for a in page["items"]] == [a["id"] for a in created]
    assert (page["totalItemsCount"], page["hasNextPage"]) == (2, False)
    assert {a["itemId"] for a in page["items"]} == {first}

    ok(api.post(f"/datasets/{dataset['id']}/query", json={**_annotations_body(first), "delete": True}))
    assert annotations_query(api, dataset, first)["items"] == []
    assert len(annotations_query(api, dataset, second)["items"]) == 1
    item = ok(api.get(f"/items/{first}"))
    assert (item["annotationsCount"], item["annotated"]) == (0, False)


def _annotations_body(item_id: str) -> dict[str, Any]:
    return {
        "filter": {"$and": [{"type": {"$in": ANNOTATION_TYPES}}, {"itemId": item_id}]},
        "page": 0,
        "pageSize": 1000,
        "resource": "annotations",
    }


# ---------------------------------------------------------------------------------------------------------
# Thumbnails and dataset facets (what the Browser widget shows)


def _rgba_png() -> bytes:
    pixels = np.zeros((50, 100, 4), dtype=np.uint8)
    pixels[..., 0] = 255
    pixels[:, :50, 3] = 255  # the right half is transparent
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


@covers(("GET", "/items/{item_id}/thumbnail"))
def test_thumbnail_is_a_small_jpeg_made_once(
    api: httpx.Client, dataset: dict[str, Any], tmp_home: Path
) -> None:
    jpeg = image_bytes(width=640, height=480, fmt="JPEG")
    item = ok(upload(api, dataset["id"], "/images/big.jpg", jpeg, mimetype="image/jpeg"))
    assert item["thumbnail"] == f"{base(api)}/items/{item['id']}/thumbnail"
    answer = api.get(f"/items/{item['id']}/thumbnail")
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/jpeg"
    assert int(answer.headers["content-length"]) == len(answer.content) <= 20_000
    thumbnail = Image.open(io.BytesIO(answer.content))
    assert (thumbnail.format, thumbnail.size) == ("JPEG", (160, 120))

    # Made once, cached beside the blobs, and shared by items with the same bytes.
    (cached,) = (tmp_home / "blobs" / "thumbs").rglob("*.jpg")
    made_at = cached.stat().st_mtime_ns
    twin = ok(upload(api, dataset["id"], "/images/twin.jpg", jpeg, mimetype="image/jpeg"))
    assert api.get(f"/items/{twin['id']}/thumbnail").content == answer.content
    assert api.get(f"/items/{item['id']}/thumbnail").content == answer.content
    assert cached.stat().st_mtime_ns == made_at

    # Transparency is laid over white; a small image is not enlarged.
    transparent = ok(upload(api, dataset["id"], "/images/alpha.png", _rgba_png()))
    flat = Image.open(io.BytesIO(api.get(f"/items/{transparent['id']}/thumbnail").content))
    assert (flat.mode, flat.size) == ("RGB", (100, 50))
    assert flat.getpixel((10, 25))[0] > 230 and flat.getpixel((10, 25))[1] < 40  # red
    assert min(flat.getpixel((90, 25))) > 230  # white where it was transparent

    # Not an image, or not decodable: 404 with a message naming the item.
    note = ok(upload(api, dataset["id"], "/note.txt", b"hi", mimetype="text/plain"))
    message = error_message(api.get(f"/items/{note['id']}/thumbnail"), 404)
    assert "'/note.txt'" in message and "not an image" in message
    broken = ok(upload(api, dataset["id"], "/images/broken.png", b"not a png", mimetype="image/png"))
    for _ in range(2):  # the second answer comes from the marker left by the first
        message = error_message(api.get(f"/items/{broken['id']}/thumbnail"), 404)
        assert "'/images/broken.png'" in message and "cannot be decoded" in message
    assert len(list((tmp_home / "blobs" / "thumbs").rglob("*.broken"))) == 1


@covers(("GET", "/datasets/{dataset_id}/directories"), ("GET", "/datasets/{dataset_id}/mimetypes"))
def test_directories_and_mimetypes_with_their_item_counts(api: httpx.Client, dataset: dict[str, Any]) -> None:
    upload_images(api, dataset["id"], 3)
    upload_images(api, dataset["id"], 2, folder="/images/deep")
    ok(upload(api, dataset["id"], "/note.txt", b"hi", mimetype="text/plain"))
    assert ok(api.get(f"/datasets/{dataset['id']}/directories")) == [
        {"dir": "/", "itemsCount": 1},
        {"dir": "/images", "itemsCount": 3},
        {"dir": "/images/deep", "itemsCount": 2},
    ]
    assert ok(api.get(f"/datasets/{dataset['id']}/mimetypes")) == [
        {"mimetype": "image/png", "itemsCount": 5},
        {"mimetype": "text/plain", "itemsCount": 1},
    ]
    empty = create_dataset(api, dataset["projects"][0], "Empty")
    assert ok(api.get(f"/datasets/{empty['id']}/directories")) == []
    assert ok(api.get(f"/datasets/{empty['id']}/mimetypes")) == []
    assert "'nope'" in error_message(api.get("/datasets/nope/directories"), 404)


# ---------------------------------------------------------------------------------------------------------
# Annotations


def _sdk_annotation(item: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """The envelope ``item.annotations.upload`` sends around each annotation."""
    envelope = {
        "id": None, "url": None, "creator": None, "hash": None, "item": None, "createdAt": None,
        "updatedBy": None, "updatedAt": None, "source": "sdk", "itemId": item["id"],
        "datasetId": item["datasetId"], "dataset": item["dataset"], "attributes": None,
    }  # fmt: skip
    return {**envelope, **fields}


@covers(("POST", "/items/{item_id}/annotations"))
def test_post_annotations_array_and_single(api: httpx.Client, dataset: dict[str, Any]) -> None:
    item = ok(upload(api, dataset["id"], "/img.png", image_bytes()))
    box_coordinates = [{"x": 10.0, "y": 10.0, "z": 0}, {"x": 40.0, "y": 30.0, "z": 0}]
    batch = [
        _sdk_annotation(
            item,
            type="box",
            label="cat",
            coordinates=box_coordinates,
            metadata={"system": {"automated": True, "objectId": "1", "attributes": {"is_cute": True}}},
        ),
        _sdk_annotation(
            item,
            type="point",
            label="dog",
            coordinates={"x": 20.0, "y": 20.0, "z": 0.0},
            metadata={"system": {"automated": True, "attributes": {}}},
        ),
        _sdk_annotation(
            item, type="class", label="cat", metadata={"system": {"automated": True, "attributes": {}}}
        ),
    ]
    created = ok(api.post(f"/items/{item['id']}/annotations", json=batch))
    assert isinstance(created, list) and len(created) == 3
    for annotation in created:
        assert ID.fullmatch(annotation["id"])
        assert annotation["creator"] == USER and annotation["updatedBy"] == USER
        assert TIMESTAMP.fullmatch(annotation["createdAt"]) and TIMESTAMP.fullmatch(annotation["updatedAt"])
        assert (annotation["itemId"], annotation["datasetId"]) == (item["id"], dataset["id"])
        assert annotation["url"] == f"{base(api)}/annotations/{annotation['id']}"
    box, point, cls = created
    assert (box["type"], box["label"], box["coordinates"]) == ("box", "cat", box_coordinates)
    assert box["metadata"]["system"] == {"automated": True, "objectId": "1", "attributes": {"is_cute": True}}
    assert point["coordinates"] == {"x": 20.0, "y": 20.0, "z": 0.0}
    assert (cls["type"], cls["label"]) == ("class", "cat") and "coordinates" not in cls
    assert [a["id"] for a in created] == sorted(a["id"] for a in created)

    # A save that raced another one: the item's annotation version moved on, so 409.
    stale = api.post(f"/items/{item['id']}/annotations", json=batch, headers={"x-annotations-version": "0"})
    assert "version 0" in error_message(stale, 409)
    single = ok(api.post(f"/items/{item['id']}/annotations", json=batch[1]))
    assert isinstance(single, dict) and single["type"] == "point" and ID.fullmatch(single["id"])
    refreshed = ok(api.get(f"/items/{item['id']}"))
    assert (refreshed["annotationsCount"], refreshed["annotated"]) == (4, True)

    # A label outside the ontology is stored, as the platform stores it.
    (unknown,) = ok(api.post(f"/items/{item['id']}/annotations", json=[{**batch[0], "label": "horse"}]))
    assert unknown["label"] == "horse"
    assert "'ffffffffffffffffffffffff'" in error_message(
        api.post("/items/ffffffffffffffffffffffff/annotations", json=batch), 404
    )
    assert ok(api.get(f"/items/{item['id']}"))["annotationsCount"] == 5


@covers(("GET", "/annotations/{annotation_id}"), ("PUT", "/annotations/{annotation_id}"))
def test_get_and_put_annotation(api: httpx.Client, dataset: dict[str, Any]) -> None:
    item = ok(upload(api, dataset["id"], "/img.png", image_bytes()))
    box = {"type": "box", "label": "cat", "coordinates": [{"x": 1, "y": 2, "z": 0}, {"x": 3, "y": 4, "z": 0}]}
    (created,) = ok(api.post(f"/items/{item['id']}/annotations", json=[box]))
    assert ok(api.get(f"/annotations/{created['id']}")) == created

    moved = [{"x": 5, "y": 6, "z": 0}, {"x": 7, "y": 8, "z": 0}]
    updated = ok(api.put(f"/annotations/{created['id']}", json={"label": "dog", "coordinates": moved}))
    assert (updated["id"], updated["label"], updated["coordinates"]) == (created["id"], "dog", moved)
    assert updated["createdAt"] == created["createdAt"]
    assert ok(api.get(f"/annotations/{created['id']}")) == updated
    assert ok(api.put(f"/annotations/{created['id']}", json={"label": "horse"}))["label"] == "horse"
    bad = api.put(f"/annotations/{created['id']}", json={"label": 7})
    assert "label 7" in error_message(bad, 400)
    assert "'nope'" in error_message(api.get("/annotations/nope"), 404)


@covers(("DELETE", "/annotations/{annotation_id}"))
def test_delete_annotation_with_json_body(api: httpx.Client, dataset: dict[str, Any]) -> None:
    item = ok(upload(api, dataset["id"], "/img.png", image_bytes()))
    point = {"type": "point", "label": "dog", "coordinates": {"x": 5, "y": 6, "z": 0}}
    first, second = ok(api.post(f"/items/{item['id']}/annotations", json=[point, point]))
    # The SDK's annotations.delete(annotation_id=X) sends the user in a JSON body.
    answer = api.request("DELETE", f"/annotations/{first['id']}", json={"username": USER})
    assert answer.status_code == 200
    error_message(api.get(f"/annotations/{first['id']}"), 404)
    assert ok(api.get(f"/annotations/{second['id']}"))["id"] == second["id"]
    assert ok(api.get(f"/items/{item['id']}"))["annotationsCount"] == 1
    error_message(api.request("DELETE", f"/annotations/{first['id']}", json={"username": USER}), 404)


@covers(("PATCH", "/items/{item_id}/annotations"))
def test_patch_item_annotations_saves_all_changes_at_one_version(
    api: httpx.Client, dataset: dict[str, Any]
) -> None:
    item = ok(upload(api, dataset["id"], "/img.png", image_bytes()))
    point = {"type": "point", "label": "dog", "coordinates": {"x": 5, "y": 6, "z": 0}}
    kept, gone = ok(api.post(f"/items/{item['id']}/annotations", json=[point, point]))
    version = ok(api.get(f"/items/{item['id']}"))["annotationsVersion"]
    assert isinstance(version, int)
    body = {
        "created": [{**point, "label": "cat"}],
        "updated": [{"id": kept["id"], "label": "cat"}],
        "deleted": [gone["id"]],
    }
    headers = {"x-annotations-version": str(version)}
    saved = ok(api.patch(f"/items/{item['id']}/annotations", json=body, headers=headers))
    assert saved["annotationsVersion"] == ok(api.get(f"/items/{item['id']}"))["annotationsVersion"] > version
    (created,) = saved["created"]
    assert ID.fullmatch(created["id"]) and created["label"] == "cat"
    assert [(a["id"], a["label"], a["coordinates"]) for a in saved["updated"]] == [
        (kept["id"], "cat", point["coordinates"])
    ]
    error_message(api.get(f"/annotations/{gone['id']}"), 404)
    assert ok(api.get(f"/items/{item['id']}"))["annotationsCount"] == 2

    stale = api.patch(f"/items/{item['id']}/annotations", json={"deleted": [kept["id"]]}, headers=headers)
    assert f"version {version}" in error_message(stale, 409)
    assert ok(api.get(f"/annotations/{kept['id']}"))["label"] == "cat"
    assert "'deleted'" in error_message(
        api.patch(f"/items/{item['id']}/annotations", json={"deleted": "all"}), 400
    )
    assert "'nope'" in error_message(api.patch("/items/nope/annotations", json={}), 404)


# ---------------------------------------------------------------------------------------------------------
# Tasks, commands and assignments


def _task_body(dataset: dict[str, Any], item_ids: list[str], assignees: list[str], name: str) -> Any:
    """``dataset.tasks.create(...)`` as the SDK sends it."""
    query = {
        "filter": {"$and": [{"id": {"$in": item_ids}}]},
        "page": 0,
        "pageSize": 1000,
        "resource": "items",
    }
    return {
        "name": name,
        "query": json.dumps(query),
        "taskOwner": USER,
        "spec": {"type": "annotation"},
        "datasetId": dataset["id"],
        "projectId": dataset["projects"][0],
        "assignmentIds": [],
        "recipeId": dataset["metadata"]["system"]["recipes"][0],
        "dueDate": 1893456000000.0,
        "asynced": True,
        "priority": 2,
        "workload": [{"assigneeId": a, "load": 100 / len(assignees)} for a in assignees],
    }


@covers(("POST", "/items/{item_id}/revisions"))
def test_a_revision_replaces_the_bytes_and_keeps_the_item(api: httpx.Client, dataset: dict[str, Any]) -> None:
    """The SDK's prompt items save themselves as a new revision of the item's file."""
    item = ok(upload(api, dataset["id"], "/prompts/q.json", b'{"a": 1}', mimetype="application/json"))
    ok(api.patch(f"/items/{item['id']}", json={"metadata": {"user": {"kept": True}}}))
    revised = ok(api.post(f"/items/{item['id']}/revisions", files={"file": ("q.json", b'{"a": 22}')}))
    assert (revised["id"], revised["filename"]) == (item["id"], "/prompts/q.json")
    assert revised["metadata"]["user"] == {"kept": True}
    assert revised["metadata"]["system"]["size"] == len(b'{"a": 22}')
    assert api.get(f"/items/{item['id']}/stream").content == b'{"a": 22}'
    missing = api.post("/items/ffffffffffffffffffffffff/revisions", files={"file": ("q.json", b"{}")})
    assert "'ffffffffffffffffffffffff'" in error_message(missing, 404)


@covers(("POST", "/datasets/{dataset_id}/export"))
def test_export_answers_a_command_naming_a_json_file_in_binaries(
    api: httpx.Client, dataset: dict[str, Any]
) -> None:
    """The SDK's ``dataset.export()``: a Command whose ``spec.outputItemId`` is a JSON list of the matched
    items, each with its ``annotations`` when they are included; the file is in the project's Binaries
    dataset, which a plain dataset query does not list."""
    ids = upload_images(api, dataset["id"], 2)
    box = {"type": "box", "label": "cat", "coordinates": [{"x": 1, "y": 2}, {"x": 3, "y": 4}]}
    ok(api.post(f"/items/{ids[0]}/annotations", json=[box, {**box, "label": "dog"}]))
    body = {
        "exportType": "json",
        "itemsQuery": {"filter": {"$and": [{"hidden": False}, {"type": "file"}]}, "join": {}},
        "annotations": {"include": True, "convertSemantic": False},
        "annotationsQuery": {"filter": {"label": "cat"}, "resource": "annotations"},
    }
    command = ok(api.post(f"/datasets/{dataset['id']}/export", json=body))
    assert command["status"] == "success"
    output = ok(api.get(f"/items/{command['spec']['outputItemId']}"))
    assert output["filename"] == f"/.dataloop/exports/{dataset['id']}/{command['id']}.json"
    exported = json.loads(api.get(f"/items/{output['id']}/stream").content)
    assert [e["id"] for e in exported] == ids
    assert [[a["label"] for a in e["annotations"]] for e in exported] == [["cat"], []]

    project = {"projects": [dataset["projects"][0]]}
    listed = ok(api.post("/datasets/query", json={"filter": {}, "context": project}))["items"]
    assert [d["name"] for d in listed] == [dataset["name"]]
    system = {"filter": {"name": "Binaries"}, "context": project, "systemSpace": True}
    (binaries,) = ok(api.post("/datasets/query", json=system))["items"]
    assert binaries["id"] == output["datasetId"]
    # The ZIP export: one JSON per item, at its remote path with .json for its extension.
    command = ok(api.post(f"/datasets/{dataset['id']}/export", json={**body, "exportType": "zip"}))
    archive = api.get(f"/items/{command['spec']['outputItemId']}/stream").content
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        names = sorted(opened.namelist())
        assert [json.loads(opened.read(n))["id"] for n in names] == ids
    assert names == [e["filename"].lstrip("/").rsplit(".", 1)[0] + ".json" for e in exported]
    assert "['json', 'zip']" in error_message(
        api.post(f"/datasets/{dataset['id']}/export", json={"exportType": "xml"}), 400
    )


@covers(
    ("POST", "/annotationtasks/{task_id}/addToTask"), ("POST", "/annotationtasks/{task_id}/removeFromTask")
)
def test_items_are_added_to_and_removed_from_a_task(api: httpx.Client, dataset: dict[str, Any]) -> None:
    """The SDK's ``task.add_items`` and ``task.remove_items``: a query (as a JSON string) and, to add, an
    optional workload; each answers a finished Command, and items carry the task's refs while in it."""
    ids = upload_images(api, dataset["id"], 4)
    command = ok(api.post("/annotationtasks", json=_task_body(dataset, ids[:1], ["ann@example.com"], "t")))
    task_id = command["spec"]["createdTaskId"]

    def query(item_ids: list[str]) -> str:
        return json.dumps({"filter": {"$and": [{"id": {"$in": item_ids}}]}, "resource": "items"})

    added = ok(
        api.post(f"/annotationtasks/{task_id}/addToTask", json={"query": query(ids[:2]), "asynced": True})
    )
    assert (added["status"], added["spec"]["taskId"]) == ("success", task_id)
    assert "addToTaskPayload" in added["spec"]
    workload = [{"assigneeId": "bo@example.com", "load": 100}]
    body = {"query": query(ids[2:]), "workload": workload, "limit": 1}
    ok(api.post(f"/annotationtasks/{task_id}/addToTask", json=body))
    assert ok(api.get(f"/annotationtasks/{task_id}"))["totalItems"] == 3
    refs = ok(api.get(f"/items/{ids[2]}"))["metadata"]["system"]["refs"]
    assert [r["type"] for r in refs] == ["task", "assignment"] and refs[0]["id"] == task_id

    removed = ok(api.post(f"/annotationtasks/{task_id}/removeFromTask", json={"query": query(ids[:1])}))
    assert removed["spec"]["removeFromTaskId"] == task_id
    assert ok(api.get(f"/annotationtasks/{task_id}"))["totalItems"] == 2
    assert ok(api.get(f"/items/{ids[0]}"))["metadata"]["system"]["refs"] == []
    bad = api.post(f"/annotationtasks/{task_id}/addToTask", json={"query": query(ids), "limit": -1})
    assert "-1" in error_message(bad, 400)
    error_message(api.post("/annotationtasks/ffffffffffffffffffffffff/removeFromTask", json={}), 404)


@covers(
    ("POST", "/annotationtasks"), ("GET", "/commands/{command_id}"), ("GET", "/annotationtasks/{task_id}")
)
def test_create_task_answers_a_finished_command(api: httpx.Client, dataset: dict[str, Any]) -> None:
    ids = upload_images(api, dataset["id"], 4)
    body = _task_body(dataset, ids, ["tester@example.com", "other@example.com"], "my task")
    command = ok(api.post("/annotationtasks", json=body))
    assert command["status"] == "success"
    task_id = command["spec"]["createdTaskId"]
    assert ID.fullmatch(task_id) and ID.fullmatch(command["id"])
    assert command["spec"]["createTaskPayload"]["name"] == "my task"
    assert ok(api.get(f"/commands/{command['id']}"))["status"] == "success"
    error_message(api.get("/commands/ffffffffffffffffffffffff"), 404)

    task = ok(api.get(f"/annotationtasks/{task_id}"))
    assert (task["id"], task["name"], task["datasetId"]) == (task_id, "my task", dataset["id"])
    assert (task["projectId"], task["dueDate"], task["priority"]) == (
        dataset["projects"][0],
        1893456000000.0,
        2,
    )
    assert task["taskOwner"] == USER and task["spec"] == {"type": "annotation"}
    assert len(task["assignmentIds"]) == 2 and task["totalItems"] == 4
    error_message(api.get("/annotationtasks/ffffffffffffffffffffffff"), 404)

    again = api.post("/annotationtasks", json=body)
    assert "'my task'" in error_message(again, 409)


@covers(("GET", "/annotationtasks"), ("DELETE", "/annotationtasks/{task_id}"))
def test_list_and_delete_tasks(api: httpx.Client, dataset: dict[str, Any]) -> None:
    ids = upload_images(api, dataset["id"], 2)
    command = ok(api.post("/annotationtasks", json=_task_body(dataset, ids, [USER], "t1")))
    task_id = command["spec"]["createdTaskId"]
    listed = ok(api.get("/annotationtasks", params={"datasetId": dataset["id"]}))
    assert [t["id"] for t in listed["items"]] == [task_id]
    assert ok(api.get("/annotationtasks", params={"datasetId": "ffffffffffffffffffffffff"}))["items"] == []

    deleted = ok(api.delete(f"/annotationtasks/{task_id}"))
    assert (deleted["status"], deleted["spec"]["deleteTaskId"]) == ("success", task_id)
    error_message(api.get(f"/annotationtasks/{task_id}"), 404)
    assert ok(api.get("/assignments", params={"taskId": task_id}))["items"] == []


@covers(("POST", "/annotationtasks/query"))
def test_query_tasks_as_the_sdk_lists_and_finds_them(api: httpx.Client, dataset: dict[str, Any]) -> None:
    ids = upload_images(api, dataset["id"], 2)
    made = [
        ok(api.post("/annotationtasks", json=_task_body(dataset, ids, [USER], name)))["spec"]["createdTaskId"]
        for name in ("first", "second")
    ]
    project = dataset["projects"][0]
    # dataset.tasks.list()
    listing = {
        "filter": {"$and": [{"datasetId": dataset["id"]}]},
        "page": 0,
        "pageSize": 500,
        "resource": "tasks",
        "context": {"projectIds": [project]},
    }
    page = ok(api.post("/annotationtasks/query", json=listing))
    assert [t["id"] for t in page["items"]] == sorted(made)
    assert (page["totalItemsCount"], page["hasNextPage"]) == (2, False)
    assert [t["totalItems"] for t in page["items"]] == [2, 2]
    # dataset.tasks.get(task_name='second')
    by_name = {
        **listing,
        "filter": {"$and": [{"name": "second"}, {"projectId": project}, {"datasetId": dataset["id"]}]},
    }
    assert [t["id"] for t in ok(api.post("/annotationtasks/query", json=by_name))["items"]] == [made[1]]
    elsewhere = {**listing, "context": {"projectIds": ["ffffffffffffffffffffffff"]}}
    assert ok(api.post("/annotationtasks/query", json=elsewhere))["items"] == []
    # tasks.list(status='open'): the status read from the items' statuses
    open_tasks = {**listing, "filter": {"$and": [{"datasetId": dataset["id"]}, {"status": "open"}]}}
    assert [t["id"] for t in ok(api.post("/annotationtasks/query", json=open_tasks))["items"]] == sorted(made)
    assert "colour" in error_message(
        api.post("/annotationtasks/query", json={"filter": {"colour": "red"}}), 400
    )


@covers(("GET", "/assignments"), ("GET", "/assignments/{assignment_id}"))
def test_assignments_split_the_workload_evenly(api: httpx.Client, dataset: dict[str, Any]) -> None:
    ids = upload_images(api, dataset["id"], 6)
    assignees = ["a@example.com", "b@example.com", "c@example.com"]
    command = ok(api.post("/annotationtasks", json=_task_body(dataset, ids, assignees, "split")))
    task_id = command["spec"]["createdTaskId"]

    params = {"projects": dataset["projects"][0], "pageSize": 500, "taskId": task_id}
    answer = ok(api.get("/assignments", params=params))
    assert isinstance(answer, dict) and isinstance(answer["items"], list)
    assignments = answer["items"]
    assert sorted(a["annotator"] for a in assignments) == assignees
    assert [a["totalItems"] for a in assignments] == [2, 2, 2]
    for assignment in assignments:
        assert ID.fullmatch(assignment["id"])
        assert assignment["metadata"]["system"] == {"taskId": task_id, "datasetId": dataset["id"]}
        assert assignment["projectId"] == dataset["projects"][0]
        assert ok(api.get(f"/assignments/{assignment['id']}")) == assignment
    task = ok(api.get(f"/annotationtasks/{task_id}"))
    assert sorted(task["assignmentIds"]) == sorted(a["id"] for a in assignments)

    # Unequal loads split in proportion: 75/25 of 8 items is 6 and 2.
    more = upload_images(api, dataset["id"], 8, folder="/more")
    body = _task_body(dataset, more, ["a@example.com", "b@example.com"], "weighted")
    body["workload"] = [
        {"assigneeId": "a@example.com", "load": 75},
        {"assigneeId": "b@example.com", "load": 25},
    ]
    weighted = ok(api.post("/annotationtasks", json=body))["spec"]["createdTaskId"]
    shares = ok(api.get("/assignments", params={"taskId": weighted}))["items"]
    assert sorted((a["annotator"], a["totalItems"]) for a in shares) == [
        ("a@example.com", 6),
        ("b@example.com", 2),
    ]

    by_annotator = ok(api.get("/assignments", params={"taskId": task_id, "annotator": "b@example.com"}))
    assert [a["annotator"] for a in by_annotator["items"]] == ["b@example.com"]
    error_message(api.get("/assignments/ffffffffffffffffffffffff"), 404)


@covers(("GET", "/assignments/{assignment_id}/items"))
def test_assignment_items_partition_the_task(api: httpx.Client, dataset: dict[str, Any]) -> None:
    ids = upload_images(api, dataset["id"], 5)
    command = ok(api.post("/annotationtasks", json=_task_body(dataset, ids, ["a@x.io", "b@x.io"], "five")))
    assignments = ok(api.get("/assignments", params={"taskId": command["spec"]["createdTaskId"]}))["items"]
    shares = [ok(api.get(f"/assignments/{a['id']}/items"))["items"] for a in assignments]
    assert sorted(len(s) for s in shares) == [2, 3]
    assert sorted(shares[0] + shares[1]) == sorted(ids)
    error_message(api.get("/assignments/ffffffffffffffffffffffff/items"), 404)


@covers(
    ("POST", "/assignments/{assignment_id}/items/{item_id}/status"),
    ("POST", "/assignments/items/tasks/{task_id}/status"),
)
def test_item_statuses_live_in_the_items_refs(api: httpx.Client, dataset: dict[str, Any]) -> None:
    """dtlpy's ``item.update_status``: per assignment, or per task with the updated ids as the answer's keys;
    ``item.status()`` reads ``metadata.system.refs``."""
    (item_id,) = upload_images(api, dataset["id"], 1)
    task_id = ok(api.post("/annotationtasks", json=_task_body(dataset, [item_id], [USER], "status")))["spec"][
        "createdTaskId"
    ]
    (assignment,) = ok(api.get("/assignments", params={"taskId": task_id}))["items"]
    per_assignment = f"/assignments/{assignment['id']}/items/{item_id}/status"
    ok(api.post(per_assignment, json={"operation": "create", "status": "completed"}))
    refs = ok(api.get(f"/items/{item_id}"))["metadata"]["system"]["refs"]
    assert {(r["type"], r["id"], r["metadata"]["status"]) for r in refs} == {
        ("task", task_id, "completed"),
        ("assignment", assignment["id"], "completed"),
    }
    payload = {
        "itemIds": [item_id],
        "statusPayload": {"operation": "delete", "returnLastStatus": True, "status": "completed"},
    }
    assert list(ok(api.post(f"/assignments/items/tasks/{task_id}/status", json=payload))) == [item_id]
    refs = ok(api.get(f"/items/{item_id}"))["metadata"]["system"]["refs"]
    assert [r["metadata"].get("status") for r in refs] == [None, None]
    error_message(
        api.post(f"/assignments/{assignment['id']}/items/{_MISSING}/status", json={"status": "completed"}),
        404,
    )


# ---------------------------------------------------------------------------------------------------------
# Errors common to all routes

_BODIES: dict[tuple[str, str], Any] = {
    ("PATCH", "/ontologies/{ontology_id}/labels"): {"labelsNode": []},
    ("PATCH", "/ontologies/{ontology_id}/attributes"): {"items": []},
    ("DELETE", "/ontologies/{ontology_id}/attributes"): {"keys": []},
    ("POST", "/items/{item_id}/annotations"): [],
}
_MISSING = "ffffffffffffffffffffffff"


@pytest.mark.parametrize(
    ("method", "template"),
    [(m, t) for m, t, _ in router.routes if "{" in t and t != "/projects/{name}/name"],
)
def test_unknown_ids_are_404_with_a_json_message(api: httpx.Client, method: str, template: str) -> None:
    path = re.sub(r"\{\w+\}", _MISSING, template)
    body = _BODIES.get((method, template), {} if method in ("POST", "PUT", "PATCH") else None)
    response = api.request(method, path, json=body) if body is not None else api.request(method, path)
    assert repr(_MISSING) in error_message(response, 404)


def test_unknown_routes_and_methods(api: httpx.Client) -> None:
    assert "/nothing/here" in error_message(api.get("/nothing/here"), 404)
    assert "PUT" in error_message(api.put("/projects", json={}), 400)


@covers(("POST", "/datasets/{dataset_id}/items"))
def test_upload_accepts_a_chunked_body_as_the_sdk_sends_it(
    api: httpx.Client, dataset: dict[str, Any]
) -> None:
    jpeg = image_bytes(width=12, height=7, fmt="JPEG")
    boundary = "decd3bff01244b3494fa0cba14d3be90"
    parts = [
        f'--{boundary}\r\nContent-Type: text/plain; charset="utf-8"\r\n'
        'Content-Disposition: form-data; name="type"\r\n\r\nfile\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="path"\r\n\r\n/images/img.jpg\r\n',
        f"--{boundary}\r\nContent-Type: image/jpeg\r\n"
        'Content-Disposition: form-data; name="file"; filename="img.jpg"\r\n\r\n',
    ]

    def body() -> Iterator[bytes]:
        for part in parts:
            yield part.encode()
        for start in range(0, len(jpeg), 100):
            yield jpeg[start : start + 100]
        yield f"\r\n--{boundary}--\r\n".encode()

    response = api.post(
        f"/datasets/{dataset['id']}/items",
        params={"mode": "overwrite"},
        content=body(),
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert "content-length" not in response.request.headers
    assert response.request.headers["transfer-encoding"] == "chunked"
    item = ok(response)
    assert response.headers["x-item-op"] == "created"
    assert item["filename"] == "/images/img.jpg"
    system = item["metadata"]["system"]
    assert (system["size"], system["mimetype"], system["width"], system["height"]) == (
        len(jpeg),
        "image/jpeg",
        12,
        7,
    )
    assert api.get(f"/items/{item['id']}/stream", headers={"range": "bytes=0-"}).content == jpeg


@covers(
    ("GET", "/projects/{project_id}/members"),
    ("POST", "/projects/{project_id}/members/{email}"),
    ("PATCH", "/projects/{project_id}/members/{email}"),
    ("DELETE", "/projects/{project_id}/members/{email}"),
)
def test_project_members(api: httpx.Client) -> None:
    project = create_project(api)
    members = f"/projects/{project['id']}/members"
    assert ok(api.get(members)) == [{"id": USER, "email": USER, "username": USER, "role": "owner"}]
    added = ok(api.post(f"{members}/bob@example.com", json={"role": "annotator"}))
    assert [(m["email"], m["role"]) for m in added] == [(USER, "owner"), ("bob@example.com", "annotator")]
    assert "'boss'" in error_message(api.post(f"{members}/bob@example.com", json={"role": "boss"}), 400)
    changed = ok(api.patch(f"{members}/Bob@Example.com", json={"role": "engineer"}))
    assert [(m["email"], m["role"]) for m in changed] == [(USER, "owner"), ("bob@example.com", "engineer")]
    assert "not a member" in error_message(
        api.patch(f"{members}/carol@example.com", json={"role": "owner"}), 404
    )
    assert "last owner" in error_message(api.patch(f"{members}/{USER}", json={"role": "annotator"}), 409)
    assert "last owner" in error_message(api.delete(f"{members}/{USER}"), 409)
    assert [m["email"] for m in ok(api.delete(f"{members}/bob@example.com"))] == [USER]
