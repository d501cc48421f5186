"""The ES modules' JSDoc types (js/*.js, ``// @ts-check``: traits, messages, DOM use) checked by TypeScript,
the version package-lock.json pins; ``npm ci`` installs it (.ci/run does). And their minified copies, which
the widgets send (js/min/), made again after a module changed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from dlwidgets.widgets.assets import minified

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


def test_every_browser_file_has_a_current_minified_copy() -> None:
    """A module edited since js/min/ was made still works (it is sent without its comments), but costs every
    notebook saved with widget state about twice its minified size."""
    files = sorted(p for p in (REPO / "js").iterdir() if p.suffix in (".js", ".css"))
    stale = [path.name for path in files if minified(path) is None]
    assert not stale, f"{stale} changed since js/min/ was made: run `npm ci && npm run minify`"
