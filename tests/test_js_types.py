"""The ES modules' JSDoc types (js/*.js, ``// @ts-check``: traits, messages, DOM use) checked by TypeScript,
the version package-lock.json pins; ``npm ci`` installs it (.ci/run does). And their minified copies, which
the widgets send (js/min/, the only text of them the kernel reads), made again after a module changed."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TSC = REPO / "node_modules" / ".bin" / "tsc"


def test_the_es_modules_type_check() -> None:
    if not TSC.exists():
        if os.environ.get("CI"):
            pytest.fail("CI is set but TypeScript is not installed: run `npm ci` in the repository first")
        pytest.skip("TypeScript is not installed: `npm ci` here installs it (needs node and npm)")
    result = subprocess.run(
        [str(TSC), "-p", "tsconfig.json"], cwd=REPO, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_commonjs_tools_run_from_a_virtualenv_inside_the_repository(tmp_path: Path) -> None:
    """A ``.venv`` made in the checkout (as the README says) holds CommonJS scripts, such as JupyterLab's
    node-version check: only ``js/`` is declared ES modules, so they still run."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but node is not installed")
        pytest.skip("node is not installed")
    folder = REPO / "build" / f"commonjs-{tmp_path.name}"
    folder.mkdir(parents=True)
    try:
        script = folder / "version-check.js"
        script.write_text("const path = require('path'); console.log(path.basename(__filename));\n")
        result = subprocess.run([node, str(script)], capture_output=True, text=True, timeout=60, check=False)
    finally:
        shutil.rmtree(folder)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "version-check.js"


def stale_copies(folder: Path) -> list[str]:
    """The browser files of ``folder`` changed or added since ``min/`` was made: a file no copy was made from
    as it is now (``min/sources.json`` holds, for each copy, the sha256 of every file it was made from: the
    widget's file and the files it imports), and a copy that is missing."""
    made_from: dict[str, dict[str, str]] = json.loads(
        (folder / "min" / "sources.json").read_text(encoding="utf-8")
    )
    files = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.iterdir()
        if p.suffix in (".js", ".css")
    }
    stale = {copy for copy in made_from if not (folder / "min" / copy).is_file()}
    for sources in made_from.values():
        stale |= {name for name, digest in sources.items() if files.get(name) != digest}
    made = {name for sources in made_from.values() for name in sources}
    return sorted(stale | (files.keys() - made))


def test_every_browser_file_has_a_current_minified_copy() -> None:
    """The widgets send js/min/'s copy of a module, whatever the module says now: an edit not followed by
    ``npm run minify`` would never reach the page."""
    stale = stale_copies(REPO / "js")
    assert not stale, f"{stale} changed since js/min/ was made: run `npm ci && npm run minify`"


def _made_from(folder: Path, copies: dict[str, list[str]]) -> None:
    """``min/sources.json`` as js/minify.mjs writes it: each copy's files and their sha256 as they are now."""
    sha = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}
    made_from = {copy: {name: sha[name] for name in sources} for copy, sources in copies.items()}
    (folder / "min" / "sources.json").write_text(json.dumps(made_from))


def test_a_browser_file_edited_or_added_since_js_min_was_made_is_stale(tmp_path: Path) -> None:
    source = tmp_path / "widget.css"
    source.write_text(".dlw-widget {\n  color: red;\n}\n")
    (tmp_path / "min").mkdir()
    (tmp_path / "min" / "widget.css").write_text(".dlw-widget{color:red}")
    _made_from(tmp_path, {"widget.css": ["widget.css"]})
    assert stale_copies(tmp_path) == []
    source.write_text(source.read_text().replace("red", "blue"))
    (tmp_path / "widget.js").write_text("export default {};\n")
    assert stale_copies(tmp_path) == ["widget.css", "widget.js"]


def test_a_file_a_widgets_module_imports_edited_since_js_min_was_made_is_stale(tmp_path: Path) -> None:
    """A part of a widget's module (js/stage_*.js for annotator_stage.js) has no copy of its own: it is in
    its importer's, which is stale once the part changes."""
    (tmp_path / "widget.js").write_text(
        'import { part } from "./part.js";\nexport default { render: part };\n'
    )
    part = tmp_path / "part.js"
    part.write_text("export const part = () => {};\n")
    (tmp_path / "min").mkdir()
    (tmp_path / "min" / "widget.js").write_text("const o=()=>{};export default{render:o};")
    _made_from(tmp_path, {"widget.js": ["widget.js", "part.js"]})
    assert stale_copies(tmp_path) == []
    part.write_text("export const part = () => 1;\n")
    assert stale_copies(tmp_path) == ["part.js"]
    (tmp_path / "min" / "widget.js").unlink()
    assert stale_copies(tmp_path) == ["part.js", "widget.js"]


# Imports each module sent as the page does, from a URL no relative import can be resolved from (the page's
# is a blob URL; node's, a data URL), and prints the names it exports.
_IMPORT = """
const names = {};
for (const [name, text] of Object.entries(JSON.parse(process.argv[1]))) {
  const url = "data:text/javascript;base64," + Buffer.from(text).toString("base64");
  names[name] = await import(url).then((module) => Object.keys(module), (error) => error.message);
}
console.log(JSON.stringify(names));
"""


def test_each_module_sent_runs_alone_from_a_url_as_the_page_imports_it() -> None:
    """A widget's module and the files it imports go as one text: a copy still importing another file (the
    stripped file of a module with parts) would fail in the page."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but node is not installed")
        pytest.skip("node is not installed")
    made_from = json.loads((REPO / "js" / "min" / "sources.json").read_text(encoding="utf-8"))
    modules = {
        name: (REPO / "js" / "min" / name).read_text(encoding="utf-8")
        for name in made_from
        if name.endswith(".js")
    }
    assert any(len(made_from[name]) > 1 for name in modules), "no widget's module is made of several files"
    run = [node, "--input-type=module", "-e", _IMPORT, json.dumps(modules)]
    result = subprocess.run(run, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    exported = json.loads(result.stdout)
    assert {name: "default" in names for name, names in exported.items()} == dict.fromkeys(modules, True), (
        exported
    )
