"""A virtual environment of its own for the peer widgets, kept in a cache folder between runs.

The peers (jupyter-bbox-widget, ipyannotations) are installed from the package index into a venv that
is never the project's: the project's dependencies and the browser harness's are installed there too,
pinned to the versions the running interpreter has, so both sides of a comparison use the same
JupyterLab, ipywidgets, ipycanvas and anywidget. dlwidgets itself is not installed: the benchmark runs
with ``PYTHONPATH`` at this checkout, so the venv measures whatever the working tree holds.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import venv
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import tomllib

# What the browser harness (tests/e2e) and the benchmark itself import, beside the project's own needs.
_HARNESS = ("jupyterlab", "notebook", "ipykernel", "nbformat", "playwright", "psutil", "httpx")


def _pinned(requirement: str) -> str:
    """`requirement` pinned to the version this interpreter has, when it has the package."""
    name = requirement.split(";")[0].split("[")[0]
    for sep in ("<", ">", "=", "!", "~", " "):
        name = name.split(sep)[0]
    try:
        return f"{name}=={version(name)}"
    except PackageNotFoundError:
        return requirement


def requirements(repo: Path, peers: tuple[str, ...]) -> list[str]:
    """The venv's requirements: the project's dependencies and the harness's, pinned, then `peers`."""
    project = tomllib.loads((repo / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["lab"], *_HARNESS]
    return sorted({_pinned(r) for r in wanted}) + list(peers)


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dlwidgets-bench"


def ensure(repo: Path, peers: tuple[str, ...], root: Path | None = None) -> Path:
    """The python of a venv holding `requirements(repo, peers)`; made (or remade) only when they change."""
    wanted = requirements(repo, peers)
    key = hashlib.sha256(json.dumps(wanted).encode()).hexdigest()[:12]
    home = (root or cache_root()) / f"peers-{key}"
    python = home / "bin" / "python"
    done = home / "requirements.json"
    if done.exists() and json.loads(done.read_text()) == wanted:
        return python
    print(f"installing the peers into {home} (once) ...", file=sys.stderr, flush=True)
    venv.create(home, with_pip=True, clear=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *wanted], check=True
    )
    done.write_text(json.dumps(wanted))
    return python


def run_inside(repo: Path, peers: tuple[str, ...], script: str, marker: str) -> int | None:
    """Run ``script`` again, with this command line, in the venv of ``ensure(repo, peers)`` with ``repo`` on
    ``PYTHONPATH``, and return its exit status; None when this process already is that run (``marker``, an
    environment variable, names its venv)."""
    if os.environ.get(marker) == str(Path(sys.prefix).resolve()):
        return None
    python = ensure(repo, peers)
    path = os.pathsep.join(p for p in (str(repo), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "PYTHONPATH": path, marker: str(python.parent.parent.resolve())}
    return subprocess.run([str(python), script, *sys.argv[1:]], env=env).returncode
