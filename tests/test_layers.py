"""The layers keep to their jobs: route strings (``"/items/..."``, ``f"/datasets/{id}/query"``) are written
only in ``dlwidgets/api/repositories/``; entities and widgets call repository methods."""

from __future__ import annotations

import ast
from pathlib import Path

import dlwidgets
import dlwidgets.store.handlers  # registers the routes
from dlwidgets.store import router

PACKAGE = Path(dlwidgets.__file__).parent
# Where routes may be written: the repositories send them, the store and the server answer them.
ROUTE_HOMES = ("api/repositories", "store", "server")


def route_roots() -> set[str]:
    """The first segment of every route the store answers: ``items``, ``datasets`` ..."""
    return {template.split("/")[1] for _, template, _ in router.routes}


def leading_text(node: ast.AST) -> str | None:
    """The text a string literal or an f-string starts with."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    return None


def route_strings(source: str, roots: set[str]) -> list[tuple[int, str]]:
    """``(line, text)`` of each literal in ``source`` that starts like a route (``/items/`` ...)."""
    tree = ast.parse(source)
    inside_fstrings = {
        id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values
    }
    found = []
    for node in ast.walk(tree):
        text = None if id(node) in inside_fstrings else leading_text(node)
        if text and text.startswith("/") and text[1:].split("/")[0] in roots:
            found.append((getattr(node, "lineno", 0), text))
    return found


def test_the_scan_finds_route_strings() -> None:
    source = 'x = 1\nclient.json("GET", f"/items/{item_id}/stream")\nclient.request("GET", "/datasets")\n'
    assert route_strings(source, route_roots()) == [(2, "/items/"), (3, "/datasets")]
    assert route_strings('upload(remote_path="/images/a")\n', route_roots()) == []


def test_route_strings_live_only_in_repositories() -> None:
    roots = route_roots()
    outside = [
        f"{path.relative_to(PACKAGE)}:{line}: {text!r}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if not path.relative_to(PACKAGE).as_posix().startswith(ROUTE_HOMES)
        for line, text in route_strings(path.read_text(), roots)
    ]
    assert outside == []
