"""What the DQL query routes share: the ``context`` that scopes a query to projects, and one page of
the answer (its rows, the total and whether more follow)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from typing import Any

from ..exceptions import BadRequest
from .documents import paged, paging
from .dql import Resource, compile_sort
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


def page_of(
    ws: Workspace,
    body: Mapping[str, Any],
    resource: Resource,
    where: str,
    params: list[Any],
    to_json: Callable[[sqlite3.Row], dict[str, Any]],
    columns: str = "*",
) -> dict[str, Any]:
    """The page ``body`` asks for (``page``, ``pageSize``, ``sort``) of the rows matching ``where``."""
    page, size = paging(body)
    table = resource.table
    total = ws.db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", params).fetchone()[0]
    rows = ws.db.execute(
        f"SELECT {columns} FROM {table} WHERE {where} ORDER BY {compile_sort(body.get('sort'), resource)}"
        " LIMIT ? OFFSET ?",
        [*params, size, page * size],
    ).fetchall()
    return paged([to_json(row) for row in rows], total, page, size)
