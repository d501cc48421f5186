"""The layers keep to their jobs: route strings (``"/items/..."``, ``f"/datasets/{id}/query"``) are written
only in ``dlwidgets/api/repositories/``; entities and widgets call repository methods. Widgets use the API's
public surface only: names ``dlwidgets.api`` exports, and ``dlwidgets.exceptions``."""

from __future__ import annotations

import ast
from pathlib import Path

import dlwidgets
import dlwidgets.api
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


def outside_imports(source: str, module: str) -> list[tuple[int, str]]:
    """``(line, what)`` of each import in ``module`` (``dlwidgets.widgets.x.y``) from dlwidgets that is
    neither the widgets package, ``dlwidgets.exceptions``, nor a name ``dlwidgets.api`` exports."""
    package = module.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported = [(alias.name, "") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            name = ".".join([*base, *([node.module] if node.module else [])])
            imported = [(name, alias.name) for alias in node.names]
        else:
            continue
        for name, what in imported:
            if not name.startswith("dlwidgets") or name.startswith(
                ("dlwidgets.widgets", "dlwidgets.exceptions")
            ):
                continue
            if name == "dlwidgets.api" and what in dlwidgets.api.__all__:
                continue
            found.append((node.lineno, f"{name}:{what}" if what else name))
    return sorted(found)


def test_the_scan_finds_imports_past_the_public_api() -> None:
    source = (
        "from ...api import Item, default\n"
        "from ...api.entities.item import metadata_diff\n"
        "from ...exceptions import NotFound\n"
        "from ..base import WidgetBase\n"
        "def f():\n    from ...store import Store\n    import dlwidgets.api.client\n"
        "from ...api import jwt_claims\n"
    )
    assert outside_imports(source, "dlwidgets.widgets.annotator.annotator") == [
        (2, "dlwidgets.api.entities.item:metadata_diff"),
        (6, "dlwidgets.store:Store"),
        (7, "dlwidgets.api.client"),
        (8, "dlwidgets.api:jwt_claims"),
    ]


def test_widgets_use_only_the_public_api() -> None:
    outside = [
        f"{path.relative_to(PACKAGE)}:{line}: {what}"
        for path in sorted((PACKAGE / "widgets").rglob("*.py"))
        for line, what in outside_imports(
            path.read_text(), ".".join(["dlwidgets", *path.relative_to(PACKAGE).with_suffix("").parts])
        )
    ]
    assert outside == []
