"""Helpers the route handlers share: JSON columns, merge-patches, and the platform's paged answer."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from ..exceptions import BadRequest


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def loads(text: str | None) -> Any:
    return json.loads(text) if text else {}


def merge_patch(target: dict[str, Any], diff: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge ``diff`` into ``target`` in place: nested dicts merge, ``None`` deletes a key."""
    for key, value in diff.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(target.get(key), dict):
            merge_patch(target[key], value)
        else:
            target[key] = value
    return target


def paged(items: list[Any], total: int, page: int, page_size: int) -> dict[str, Any]:
    """The platform's page answer; ``hasNextPage`` counts from the page asked for."""
    return {
        "totalItemsCount": total,
        "totalPagesCount": math.ceil(total / page_size) if page_size else 0,
        "hasNextPage": (page + 1) * page_size < total,
        "items": items,
    }


def paging(body: Mapping[str, Any], default_size: int = 1000, max_size: int = 1000) -> tuple[int, int]:
    """(page, pageSize) from a query body, checked."""
    page, size = body.get("page", 0), body.get("pageSize", default_size)
    if not isinstance(page, int) or isinstance(page, bool) or page < 0:
        raise BadRequest(f"page must be a whole number >= 0, got {page!r}")
    if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= max_size:
        raise BadRequest(f"pageSize must be a whole number from 1 to {max_size}, got {size!r}")
    if page * size >= 1 << 63:
        raise BadRequest(f"page {page} at pageSize {size} is past any possible result (2**63 rows)")
    return page, size


def require_str(body: Mapping[str, Any], key: str, entity: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(f"{entity} needs a non-empty string '{key}', got {value!r}")
    return value
