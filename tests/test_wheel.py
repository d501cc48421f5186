"""The wheel is the product: built from this tree, installed without ``-e`` into a fresh virtual
environment the way the Colab notebook installs it, and used from there, where the source tree is not
importable. Everything a user runs (ES modules, the notebook, the server-extension config) must be in it.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from dlwidgets.widgets.assets import asset

REPO = Path(__file__).resolve().parent.parent
# The ES modules (each widget's with the parts it imports) and their stylesheets; and what the widgets send
# to the browser as ``_esm`` and ``_css``, or their SharedModule as ``esm`` and ``css``: the copies in
# js/min, one per widget's module (js/min/sources.json names them).
BROWSER_FILES = sorted(p for p in (REPO / "js").iterdir() if p.suffix in (".js", ".css"))
SENT_FILES = sorted(json.loads((REPO / "js" / "min" / "sources.json").read_text()))
NODELAY_CONFIG = "etc/jupyter/jupyter_server_config.d/dlwidgets.jupyter_nodelay.json"

# One render, as a notebook would show it: the Studio on the demo data and an Annotator, embedded with
# their full widget state; prints the ES modules and stylesheets the front end would receive.
RENDER = """
import json, sys
from pathlib import Path
import ipywidgets.embed
import dlwidgets as dw
from dlwidgets.cli import ensure_demo

home = Path(sys.argv[1])
ensure_demo(home)
client = dw.connect(home=home)
item = client.projects.list()[0].datasets.list()[0].items.list().items[0]
studio = dw.Studio()
for index in range(len(studio.tabs.children)):  # a tab's widget is made when the tab is first shown
    studio.tabs.selected_index = index
views = [studio, dw.Annotator(item)]
state = ipywidgets.embed.embed_data(views=views, drop_defaults=False)["manager_state"]["state"]
sent = {model["state"].get(key) for model in state.values() for key in ("_esm", "_css", "esm", "css")}
print(json.dumps(sorted(text for text in sent if text)))
"""


def colab_install_command() -> list[str]:
    """The Colab notebook's ``%pip install`` line, as ``pip`` arguments with the source left open."""
    notebook = nbformat.read(REPO / "notebooks" / "getting_started_colab.ipynb", as_version=4)
    (cell,) = [cell for cell in notebook.cells if "%pip install" in cell.source]
    assert cell is next(c for c in notebook.cells if c.cell_type == "code"), "installing comes first"
    assert cell.source.startswith("# ") and "\nDLWIDGETS_SOURCE = " in cell.source
    (line,) = [line.strip() for line in cell.source.splitlines() if line.strip().startswith("%pip install")]
    assert "{DLWIDGETS_SOURCE}" in line
    return shlex.split(line.removeprefix("%pip "))


@pytest.mark.wheel
def test_the_wheel_alone_runs_the_tutorial_and_renders_a_widget(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"

    def run(*command: str | Path, cwd: Path = tmp_path) -> str:
        done = subprocess.run(
            [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
        )
        assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    run(sys.executable, "-m", "build", "--wheel", "--outdir", tmp_path / "dist", REPO)
    (wheel,) = (tmp_path / "dist").glob("dlwidgets-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"dlwidgets/js/{file.name}" for file in BROWSER_FILES} <= names
    assert "dlwidgets/notebooks/getting_started.ipynb" in names
    assert "dlwidgets/py.typed" in names, "type checkers use the package's annotations only with py.typed"
    assert not [name for name in names if name.endswith(".test.mjs")], "JS tests stay out of the wheel"

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv)
    python, dlwidgets = venv / "bin" / "python", venv / "bin" / "dlwidgets"
    install = [arg.replace("{DLWIDGETS_SOURCE}", wheel.as_uri()) for arg in colab_install_command()]
    run(python, "-m", "pip", *install)
    where = run(python, "-c", "import dlwidgets; print(dlwidgets.__file__)").strip()
    assert Path(where).is_relative_to(venv), where
    assert (Path(where).parent / "py.typed").is_file()
    version = run(python, "-c", "import importlib.metadata as m; print(m.version('dlwidgets'))").strip()
    assert run(dlwidgets, "--version") == f"dlwidgets {version}\n"
    assert (venv / NODELAY_CONFIG).read_text() == (
        REPO / "jupyter-config" / NODELAY_CONFIG.split("/", 2)[2]
    ).read_text()

    # Without the serve extra a token is still made; then the extra, for the tutorial's HTTP half.
    assert (
        run(dlwidgets, "token", "create", "--email", "ann@example.com", "--home", tmp_path / "ws").count(".")
        == 2
    )
    run(python, "-m", "pip", "install", "--quiet", f"{wheel}[serve]", "pytest")

    run(dlwidgets, "lab", "--print-command", "--dir", tmp_path / "notebooks")
    copied = tmp_path / "notebooks" / "getting_started.ipynb"
    assert copied.read_bytes() == (REPO / "notebooks" / "getting_started.ipynb").read_bytes()

    rendered = json.loads(run(python, "-c", RENDER, tmp_path / "render-home"))
    assert rendered == sorted(asset(name) for name in SENT_FILES)

    tests = tmp_path / "tests"
    tests.mkdir()
    for name in ("conftest.py", "serving.py", "test_tutorial.py"):
        (tests / name).write_bytes((REPO / "tests" / name).read_bytes())
    (tmp_path / "run").mkdir()
    run(
        python,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        tests / "test_tutorial.py",
        cwd=tmp_path / "run",
    )
