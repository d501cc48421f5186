"""The OpenAPI 3 description of ``dlwidgets serve``, generated from the store's route table.

Each route contributes its method, path template and path parameters; ``DESCRIPTIONS`` adds a summary,
the kind of request body (a JSON object, the multipart upload, a urlencoded form) and query parameters.
A route missing from the table is still described, with its handler's docstring as the summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..store import router

# A request body: a JSON object, the platform's multipart upload, or a urlencoded form.
JSON, MULTIPART, FORM = "json", "multipart", "form"


@dataclass(frozen=True)
class Described:
    summary: str
    body: str | None = None
    query: tuple[str, ...] = ()
    # The JSON body's known fields, described as any JSON value.
    fields: tuple[str, ...] = ()


_QUERY = ("filter", "sort", "page", "pageSize")
_ANNOTATION = ("type", "label", "coordinates", "metadata", "source")


DESCRIPTIONS: dict[tuple[str, str], Described] = {
    ("GET", "/users/me"): Described("The caller: email and name"),
    ("POST", "/projects"): Described("Create a project (form field 'name')", FORM),
    ("GET", "/projects"): Described("The caller's projects"),
    ("GET", "/projects/{project_id}"): Described("One project"),
    ("GET", "/projects/{name}/name"): Described("The projects with this name"),
    ("DELETE", "/projects/{project_id}"): Described("Delete a project and everything in it"),
    ("GET", "/projects/{project_id}/members"): Described("A project's members"),
    ("POST", "/projects/{project_id}/members/{email}"): Described("Add a member", JSON, fields=("role",)),
    ("PATCH", "/projects/{project_id}/members/{email}"): Described(
        "Change a member's role", JSON, fields=("role",)
    ),
    ("DELETE", "/projects/{project_id}/members/{email}"): Described("Remove a member"),
    ("POST", "/datasets"): Described(
        "Create a dataset", JSON, fields=("name", "projects", "createDefaultRecipe")
    ),
    ("POST", "/datasets/query"): Described(
        "Datasets matching a DQL filter", JSON, fields=(*_QUERY, "context")
    ),
    ("GET", "/datasets/{dataset_id}"): Described("One dataset"),
    ("PATCH", "/datasets/{dataset_id}"): Described(
        "Rename a dataset or patch its metadata", JSON, ("system",), ("name", "metadata")
    ),
    ("DELETE", "/datasets/{dataset_id}"): Described("Delete a dataset and its items"),
    ("GET", "/datasets/{dataset_id}/directories"): Described("A dataset's folders"),
    ("GET", "/datasets/{dataset_id}/mimetypes"): Described("A dataset's item types"),
    ("POST", "/datasets/{dataset_id}/items"): Described("Upload one item", MULTIPART, ("mode",)),
    ("POST", "/datasets/{dataset_id}/query"): Described(
        "Items or annotations matching a DQL filter", JSON, fields=(*_QUERY, "resource")
    ),
    ("GET", "/items/{item_id}"): Described("One item"),
    ("PATCH", "/items/{item_id}"): Described(
        "Patch an item's metadata or description", JSON, ("system",), ("metadata", "description")
    ),
    ("DELETE", "/items/{item_id}"): Described("Delete an item"),
    ("GET", "/items/{item_id}/stream"): Described("An item's bytes (Range supported)"),
    ("GET", "/items/{item_id}/thumbnail"): Described("An item's thumbnail"),
    ("POST", "/items/{item_id}/annotations"): Described(
        "Add annotations (one object or a list)", JSON, fields=_ANNOTATION
    ),
    ("GET", "/annotations/{annotation_id}"): Described("One annotation"),
    ("PUT", "/annotations/{annotation_id}"): Described("Replace an annotation", JSON, fields=_ANNOTATION),
    ("DELETE", "/annotations/{annotation_id}"): Described("Delete an annotation"),
    ("POST", "/recipes"): Described("Create a recipe", JSON, fields=("title", "projectIds", "ontologyIds")),
    ("GET", "/recipes"): Described("Recipes, optionally of some projects", None, ("projects",)),
    ("GET", "/recipes/{recipe_id}"): Described("One recipe"),
    ("PATCH", "/recipes/{recipe_id}"): Described("Patch a recipe", JSON, fields=("title", "ontologyIds")),
    ("POST", "/ontologies"): Described(
        "Create an ontology", JSON, fields=("projectIds", "roots", "metadata")
    ),
    ("GET", "/ontologies"): Described(
        "Ontologies, optionally of some projects or ids, a page at a time",
        None,
        ("projects", "ids", "pageOffset", "pageSize"),
    ),
    ("GET", "/ontologies/{ontology_id}"): Described("One ontology"),
    ("PUT", "/ontologies/{ontology_id}"): Described(
        "Replace an ontology's labels and metadata", JSON, fields=("roots", "metadata")
    ),
    ("PATCH", "/ontologies/{ontology_id}/labels"): Described(
        "Add or update labels", JSON, fields=("labelsNode",)
    ),
    ("PATCH", "/ontologies/{ontology_id}/attributes"): Described(
        "Add or update attributes", JSON, fields=("items",)
    ),
    ("DELETE", "/ontologies/{ontology_id}/attributes"): Described(
        "Delete attributes by key", JSON, fields=("keys",)
    ),
    ("POST", "/annotationtasks"): Described(
        "Create a task",
        JSON,
        fields=("name", "datasetId", "workload", "dueDate", "query", "spec", "metadata", "priority"),
    ),
    ("GET", "/annotationtasks"): Described("Tasks", None, ("datasetId", "projects", "name")),
    ("POST", "/annotationtasks/query"): Described(
        "Tasks matching a DQL filter", JSON, fields=(*_QUERY, "context")
    ),
    ("GET", "/annotationtasks/{task_id}"): Described("One task"),
    ("DELETE", "/annotationtasks/{task_id}"): Described("Delete a task"),
    ("GET", "/commands/{command_id}"): Described("A background command's status"),
    ("GET", "/assignments"): Described("Assignments", None, ("taskId", "annotator")),
    ("GET", "/assignments/{assignment_id}"): Described("One assignment"),
    ("GET", "/assignments/{assignment_id}/items"): Described("The item ids of an assignment"),
}

_ERROR = {
    "description": "An error: the status and a message naming the entity and the value",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"status": {"type": "integer"}, "message": {"type": "string"}},
                "required": ["status", "message"],
            }
        }
    },
}

_BODIES: dict[str, dict[str, Any]] = {
    JSON: {"application/json": {"schema": {"type": "object"}}},
    MULTIPART: {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "path": {"type": "string"},
                    "metadata": {"type": "string", "description": "a JSON object"},
                    "description": {"type": "string"},
                },
                "required": ["file"],
            }
        }
    },
    FORM: {
        "application/x-www-form-urlencoded": {
            "schema": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
        }
    },
}


def _operation_id(method: str, template: str) -> str:
    words = [w for w in re.split(r"[^A-Za-z0-9]+", template) if w]
    return "_".join([method.lower(), *words])


def openapi_document(server_url: str = "/api/v1") -> dict[str, Any]:
    """The OpenAPI 3.0 document for every route in the store's table, served at ``server_url``."""
    paths: dict[str, dict[str, Any]] = {}
    for method, template, handler in router.routes:
        described = DESCRIPTIONS.get((method, template)) or Described(
            (handler.__doc__ or handler.__name__).strip().splitlines()[0]
        )
        parameters: list[dict[str, Any]] = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in re.findall(r"\{(\w+)\}", template)
        ]
        parameters += [
            {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
            for name in described.query
        ]
        operation: dict[str, Any] = {
            "operationId": _operation_id(method, template),
            "summary": described.summary,
            "responses": {"200": {"description": "OK"}, "default": _ERROR},
        }
        if parameters:
            operation["parameters"] = parameters
        if described.body is not None:
            content = _BODIES[described.body]
            if described.fields:
                schema = {"type": "object", "properties": {name: {} for name in described.fields}}
                content = {"application/json": {"schema": schema}}
            operation["requestBody"] = {"required": described.body != JSON, "content": content}
        paths.setdefault(template, {})[method.lower()] = operation
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "dlwidgets serve",
            "version": "1",
            "description": "The Dataloop platform's REST dialect, served from a dlwidgets workspace.",
        },
        "servers": [{"url": server_url}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
        "paths": paths,
    }
