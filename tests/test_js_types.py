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
    """The browser files of ``folder`` whose copy in ``min/`` is missing or was made from another version of
    the file (``min/sources.json`` holds the sha256 of the file each copy was made from)."""
    made_from = json.loads((folder / "min" / "sources.json").read_text(encoding="utf-8"))
    files = sorted(p for p in folder.iterdir() if p.suffix in (".js", ".css"))
    return [
        path.name
        for path in files
        if not (folder / "min" / path.name).is_file()
        or made_from.get(path.name) != hashlib.sha256(path.read_bytes()).hexdigest()
    ]


def test_every_browser_file_has_a_current_minified_copy() -> None:
    """The widgets send js/min/'s copy of a module, whatever the module says now: an edit not followed by
    ``npm run minify`` would never reach the page."""
    stale = stale_copies(REPO / "js")
    assert not stale, f"{stale} changed since js/min/ was made: run `npm ci && npm run minify`"


def test_a_browser_file_edited_or_added_since_js_min_was_made_is_stale(tmp_path: Path) -> None:
    source = tmp_path / "widget.css"
    source.write_text(".dlw-widget {\n  color: red;\n}\n")
    (tmp_path / "min").mkdir()
    (tmp_path / "min" / "widget.css").write_text(".dlw-widget{color:red}")
    made_from = {"widget.css": hashlib.sha256(source.read_bytes()).hexdigest()}
    (tmp_path / "min" / "sources.json").write_text(json.dumps(made_from))
    assert stale_copies(tmp_path) == []
    source.write_text(source.read_text().replace("red", "blue"))
    (tmp_path / "widget.js").write_text("export default {};\n")
    assert stale_copies(tmp_path) == ["widget.css", "widget.js"]
