"""What the query routes share: the ``context`` that scopes a query to projects, one page of the answer
(its rows, the total and whether more follow), and the ``?projects=a,b&pageOffset=&pageSize=`` arguments
of the listing routes."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from typing import Any

from ..exceptions import BadRequest
from .documents import JSONText, paged, paged_text, paging
from .dql import Resource, compile_sort
from .routing import Request
from .workspace import Workspace


def context_clause(body: Mapping[str, Any], key: str) -> tuple[str, list[str]]:
    """``" AND project_id IN (...)"`` for a body whose ``context[key]`` lists project ids; nothing without."""
    context = body.get("context") or {}
    if not isinstance(context, dict):
        raise BadRequest(f"query 'context' must be an object such as {{{key!r}: [<id>]}}, got {context!r}")
    projects = context.get(key)
    if not projects:
        return "", []
    if not isinstance(projects, list) or not all(isinstance(p, str) for p in projects):
        raise BadRequest(f"context.{key} must be a list of project ids, got {projects!r}")
    return f" AND project_id IN ({','.join('?' * len(projects))})", list(projects)


def page_rows(
    ws: Workspace,
    body: Mapping[str, Any],
    resource: Resource,
    where: str,
    params: list[Any],
    columns: str = "*",
) -> tuple[list[sqlite3.Row], int, int, int]:
    """The rows of the page ``body`` asks for (``page``, ``pageSize``, ``sort``) of those matching
    ``where``, and the total, page and page size to answer with."""
    page, size = paging(body)
    table = resource.table
    total = ws.db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", params).fetchone()[0]
    rows = ws.db.execute(
        f"SELECT {columns} FROM {table} WHERE {where} ORDER BY {compile_sort(body.get('sort'), resource)}"
        " LIMIT ? OFFSET ?",
        [*params, size, page * size],
    ).fetchall()
    return rows, total, page, size


def page_of(
    ws: Workspace,
    body: Mapping[str, Any],
    resource: Resource,
    where: str,
    params: list[Any],
    to_json: Callable[[sqlite3.Row], dict[str, Any]],
    columns: str = "*",
) -> dict[str, Any]:
    """The page ``body`` asks for of the rows matching ``where``, each row as ``to_json`` gives it."""
    rows, total, page, size = page_rows(ws, body, resource, where, params, columns)
    return paged([to_json(row) for row in rows], total, page, size)


def text_page_of(
    ws: Workspace,
    body: Mapping[str, Any],
    resource: Resource,
    where: str,
    params: list[Any],
    to_text: Callable[[sqlite3.Row], JSONText],
    columns: str = "*",
) -> JSONText:
    """``page_of`` for rows spliced as JSON text (``to_text``), answered without encoding them again."""
    rows, total, page, size = page_rows(ws, body, resource, where, params, columns)
    return paged_text([to_text(row) for row in rows], total, page, size)


def csv_arg(req: Request, name: str) -> set[str]:
    """The values of ``?name=a,b`` (repeated or comma-separated)."""
    return set(",".join(req.query.get(name, [])).split(",")) - {""}


def _whole(req: Request, name: str, default: int) -> int:
    values = req.query.get(name) or [str(default)]
    try:
        return int(values[-1])
    except ValueError:
        raise BadRequest(f"query parameter {name}={values[-1]!r} must be a whole number") from None


def page_args(req: Request, default_size: int = 1000) -> tuple[int, int]:
    """(page, pageSize) from ``?pageOffset=&pageSize=``, checked."""
    return paging({"page": _whole(req, "pageOffset", 0), "pageSize": _whole(req, "pageSize", default_size)})
