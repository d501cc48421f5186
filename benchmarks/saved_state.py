"""What the getting-started notebook's saved widget state is made of: its bytes and models by widget class
and by the notebook's cell that made them, the Layouts with nothing set, the models identical to another.

The notebook is run with nbclient and its state saved as ``tests/test_notebooks.py`` saves it (what
JupyterLab's widget manager would save); with ``--lab`` it is also run in JupyterLab 4 in headless Chromium
and saved there with the ``saveState`` setting on, and the two states are compared model by model.

    .venv/bin/python benchmarks/saved_state.py [--lab] [--notebook PATH] [--top 25]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from saved_notebook import STATE_MIME, run_and_save_state  # noqa: E402  (the path above first)

# A model's entry sits five levels deep in the file nbformat writes (indent 1): each of its lines is
# indented five more spaces than in its own dump.
_DEPTH = 5
REFERENCE = "IPY_MODEL_"


def entry_bytes(model_id: str, entry: dict[str, Any]) -> int:
    """The bytes ``entry`` takes in the saved file (as nbformat writes it), its key and separator too."""
    text = json.dumps(entry, indent=1, sort_keys=True, ensure_ascii=False)
    return len(f'{" " * _DEPTH}"{model_id}": {text},\n'.encode()) + _DEPTH * text.count("\n")


def references(value: Any) -> Iterator[str]:
    """The model ids that ``value`` (a model's state) names."""
    if isinstance(value, str):
        if value.startswith(REFERENCE):
            yield value[len(REFERENCE) :]
    elif isinstance(value, dict):
        for inner in value.values():
            yield from references(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from references(inner)


def kind(entry: dict[str, Any], state: dict[str, Any]) -> str:
    """A model's class as the page knows it; an anywidget's says which module it runs."""
    name = str(entry["model_name"])
    shared = entry["state"].get("_shared_module")
    if name == "AnyModel" and shared:
        module = state.get(shared[len(REFERENCE) :], {}).get("state", {}).get("name", "?")
        return f"AnyModel {module.rsplit('.', 1)[-1]}"
    if entry["state"].get("esm") is not None and "name" in entry["state"]:
        return f"SharedModule {entry['state']['name'].rsplit('.', 1)[-1]}"
    if name == "LayoutModel" and not entry["state"]:
        return "LayoutModel (empty)"
    return name


def cell_roots(nb: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Each code cell that shows widgets: a short name (its last line) and the models it shows."""
    roots = []
    for number, cell in enumerate(nb["cells"]):
        shown = [
            output["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
            for output in cell.get("outputs", [])
            if "application/vnd.jupyter.widget-view+json" in output.get("data", {})
        ]
        if shown:
            source = "".join(cell["source"]).strip().splitlines()
            roots.append((f"[{number}] {source[-1][:40]}", shown))
    return roots


def owners(nb: dict[str, Any], state: dict[str, Any]) -> dict[str, str]:
    """Which cell each model belongs to: the first cell whose widgets reach it; "(shared)" for a model
    reached from several cells' widgets, "(not shown)" for one no shown widget reaches."""
    reached: dict[str, set[str]] = defaultdict(set)
    for name, shown in cell_roots(nb):
        stack = list(shown)
        seen: set[str] = set()
        while stack:
            model = stack.pop()
            if model in seen or model not in state:
                continue
            seen.add(model)
            reached[model].add(name)
            stack.extend(references(state[model]["state"]))
    return {
        model: "(not shown)" if not reached[model] else next(iter(reached[model]))
        if len(reached[model]) == 1 else "(shared)"
        for model in state
    }  # fmt: skip


def table(title: str, rows: dict[str, list[int]], top: int) -> list[str]:
    """``rows`` (name -> [models, bytes]) as lines, biggest first."""
    total = [sum(r[0] for r in rows.values()), sum(r[1] for r in rows.values())]
    lines = [f"\n{title:<52} {'models':>7} {'KB':>8}"]
    for name, (count, size) in sorted(rows.items(), key=lambda r: -r[1][1])[:top]:
        lines.append(f"  {name:<50} {count:>7} {size / 1000:>8.1f}")
    lines.append(f"  {'all':<50} {total[0]:>7} {total[1] / 1000:>8.1f}")
    return lines


def breakdown(nb: dict[str, Any], top: int) -> list[str]:
    """The state's bytes and models by class, by cell, and by class within each cell."""
    state = nb["metadata"]["widgets"][STATE_MIME]["state"]
    owner = owners(nb, state)
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_cell: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_cell_kind: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for model, entry in state.items():
        size = entry_bytes(model, entry)
        for rows, name in ((by_kind, kind(entry, state)), (by_cell, owner[model])):
            rows[name][0] += 1
            rows[name][1] += size
        cell = by_cell_kind[owner[model]][kind(entry, state)]
        cell[0] += 1
        cell[1] += size
    same = Counter(json.dumps(e, sort_keys=True) for e in state.values())
    repeated = {text: n for text, n in same.items() if n > 1}
    spare = sum((n - 1) * entry_bytes("x" * 32, json.loads(t)) for t, n in repeated.items())
    lines = [
        f"{len(state)} models, {sum(entry_bytes(m, e) for m, e in state.items()) / 1000:.1f} KB of state; "
        f"{sum(repeated.values()) - len(repeated)} models repeat another's state exactly "
        f"({spare / 1000:.1f} KB)"
    ]
    lines += table("by class", by_kind, top)
    lines += table("by the cell whose widgets hold them", by_cell, top)
    for cell in sorted(by_cell, key=lambda name: -by_cell[name][1]):
        lines += table(cell, by_cell_kind[cell], 8)
    return lines


def compare(ours: dict[str, Any], lab: dict[str, Any]) -> list[str]:
    """How the state the tests save differs from JupyterLab's, by class (model ids differ between runs):
    the models holding each state key, and the bytes."""
    counts: list[Counter[tuple[str, str]]] = [Counter(), Counter()]
    sizes: list[Counter[str]] = [Counter(), Counter()]
    for side, nb in enumerate((ours, lab)):
        state = nb["metadata"]["widgets"][STATE_MIME]["state"]
        for model, entry in state.items():
            name = kind(entry, state)
            sizes[side][name] += entry_bytes(model, entry)
            counts[side].update((name, key) for key in entry["state"])
    lines = ["\nthe tests' saved state against JupyterLab's (models holding a key; bytes of a class):"]
    for name, key in sorted(set(counts[0]) | set(counts[1])):
        if counts[0][name, key] != counts[1][name, key]:
            lines.append(f"  {name}.{key}: tests {counts[0][name, key]}, JupyterLab {counts[1][name, key]}")
    for name in sorted(set(sizes[0]) | set(sizes[1])):
        if sizes[0][name] != sizes[1][name]:
            lines.append(f"  {name}: tests {sizes[0][name]:,} B, JupyterLab {sizes[1][name]:,} B")
    lines.append(f"  state: tests {sum(sizes[0].values()):,} B, JupyterLab {sum(sizes[1].values()):,} B")
    return lines


def saved_in_lab(notebook: Path, out: Path) -> dict[str, Any]:
    """``notebook`` run in JupyterLab in headless Chromium and saved with its widget state there."""
    import os
    import shutil

    from _browser import lab_in_chromium  # Playwright only when asked for
    from e2e.browser import new_context
    from widget_scale import saved_notebook

    save_state = {"@jupyter-widgets/jupyterlab-manager/plugin.jupyterlab-settings": {"saveState": True}}
    with tempfile.TemporaryDirectory(prefix="dlwidgets-saved-state-") as home:
        os.environ["DLWIDGETS_HOME"] = home
        with lab_in_chromium("saved-state", save_state) as (scratch, server, browser, _):
            copy = server.root_dir / "getting_started.ipynb"
            shutil.copy(notebook, copy)  # saved_notebook copies the repository's over it: the same file
            saved_notebook(new_context(browser).new_page(), server, scratch / "out")
            shutil.copy(copy, out)
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--notebook", type=Path, default=REPO / "notebooks" / "getting_started.ipynb")
    parser.add_argument("--lab", action="store_true", help="also save it in JupyterLab and compare")
    parser.add_argument("--top", type=int, default=25, help="rows of each table")
    parser.add_argument("--keep", type=Path, help="a folder to keep the saved notebooks in")
    args = parser.parse_args()
    import nbformat

    with tempfile.TemporaryDirectory(prefix="dlwidgets-saved-state-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        nb = run_and_save_state(args.notebook, folder / "run")
        path = folder / "saved-by-tests.ipynb"
        nbformat.write(nb, path)
        print(f"saved as the tests save it: {path.stat().st_size:,} bytes")
        ours = json.loads(path.read_text())
        print("\n".join(breakdown(ours, args.top)))
        if args.lab:
            lab_path = folder / "saved-by-jupyterlab.ipynb"
            lab = saved_in_lab(args.notebook, lab_path)
            print(f"\nsaved by JupyterLab: {lab_path.stat().st_size:,} bytes")
            print("\n".join(breakdown(lab, args.top)))
            print("\n".join(compare(ours, lab)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
