"""Helpers the route handlers share: JSON columns, merge-patches, and the platform's paged answer."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..exceptions import BadRequest

# Deeper JSON than this is refused before it is parsed: nothing the platform stores nests this far, and
# parsing, storing and filtering deeper documents would each hit a recursion limit of their own.
MAX_JSON_DEPTH = 100
# A JSON string, escapes included: its brackets do not nest anything.
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
# What a number past 1.8e308 needs (a positive exponent of two digits or more, or some 300 digits before
# its point), or a non-finite literal. Text without any holds only finite numbers. A number starts
# after a bracket, comma, colon or space, not inside a string such as an id ("5e12...").
_MAY_NOT_BE_FINITE = re.compile(rb"NaN|Infinity|(?:^|[\[,:\s])-?\d+(?:\.\d*)?[eE]\+?\d\d|\d{290}")


class JSONText(str):
    """JSON already encoded, such as an answer spliced from stored JSON columns: sent as it is, never
    parsed and encoded again."""


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def loads(text: str | None) -> Any:
    # Most documents columns hold an empty object: skipping the parser for it speeds up long listings.
    return json.loads(text) if text and text != "{}" else {}


def parse_json(raw: bytes | str, what: str) -> Any:
    """``raw`` parsed as JSON, refused with a 400 naming ``what`` (``the body of POST /projects``) when it
    is not valid JSON, nests deeper than ``MAX_JSON_DEPTH`` or holds a number that is not finite."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    # Fewer opening brackets than the limit cannot nest past it: most bodies need no count of depth.
    few_brackets = data.count(b"[") + data.count(b"{") <= MAX_JSON_DEPTH
    depth = 0 if few_brackets else json_depth(data)
    if depth > MAX_JSON_DEPTH:
        raise BadRequest(
            f"{what} nests arrays and objects {depth} levels deep; at most {MAX_JSON_DEPTH} are accepted"
        )
    non_finite: list[str] = []  # as written in the text: NaN, Infinity, 1e999

    def finite_float(text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            non_finite.append(text)
        return value

    def constant(name: str) -> float:
        non_finite.append(name)
        return _NON_FINITE[name]

    try:
        if _MAY_NOT_BE_FINITE.search(data):
            value = json.loads(raw, parse_float=finite_float, parse_constant=constant)
        else:  # no number in it can be past a float's range: the parser alone, without a call per number
            value = json.loads(raw)
    except RecursionError:
        raise BadRequest(f"{what} nests arrays and objects too deep to parse") from None
    except ValueError as e:
        raise BadRequest(f"{what} is not valid JSON ({e}): {excerpt(data)}") from None
    if non_finite:
        where = non_finite_path(value) or "the top level"
        raise BadRequest(
            f"{what} holds the number {non_finite[0]} at {where}; JSON numbers must be finite "
            "(NaN, Infinity and numbers past 1.8e308 are not accepted)"
        )
    return value


def json_depth(raw: bytes) -> int:
    """How deep the arrays and objects of a JSON text nest (strings skipped), counted without parsing."""
    brackets = _JSON_STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    if not brackets:
        return 0
    codes = np.frombuffer(brackets, dtype=np.uint8)
    # '[' (0x5b) and '{' (0x7b) have bit 0x02 set, ']' (0x5d) and '}' (0x7d) do not: +1 opens, -1 closes.
    steps = (codes & 2).astype(np.int64) - 1
    return int(np.cumsum(steps).max())


def non_finite_path(value: Any, path: str = "") -> str | None:
    """Where in a JSON value the first NaN or infinity sits, as ``metadata.user.score`` or
    ``[0].coordinates[2].x``; None if it has none."""
    stack: list[tuple[str, Any]] = [(path, value)]
    while stack:
        here, node = stack.pop()
        if isinstance(node, float) and not math.isfinite(node):
            return here or "the top level"
        if isinstance(node, dict):
            stack.extend((f"{here}.{k}" if here else str(k), v) for k, v in reversed(node.items()))
        elif isinstance(node, (list, tuple)):
            stack.extend((f"{here}[{i}]", v) for i, v in reversed(list(enumerate(node))))
    return None


def finite(value: Any) -> Any:
    """``value`` with every NaN or infinite number in it replaced by None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def excerpt(raw: bytes, limit: int = 80) -> str:
    """The start of a request body or field, for error messages."""
    return repr(raw[:limit].decode("utf-8", "replace")) + ("..." if len(raw) > limit else "")


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


def paged_text(items: list[JSONText], total: int, page: int, page_size: int) -> JSONText:
    """``paged`` of items that are JSON text already, spliced into the answer without encoding them again."""
    head = dumps(paged([], total, page, page_size))  # ... "items":[]}
    return JSONText(f"{head[:-2]}{','.join(items)}]}}")


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
