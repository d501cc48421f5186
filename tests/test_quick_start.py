"""The README's quick start, as a new user reads it on a stock Debian or Ubuntu (PEP 668: the system
``pip`` installs nothing, so every command runs from a virtual environment the line itself makes)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def quick_start() -> str:
    readme = (REPO / "README.md").read_text()
    return readme[readme.index("## Quick start\n") : readme.index("\n## ", readme.index("## Quick start\n"))]


def test_each_quick_start_line_makes_its_own_venv_and_runs_from_it() -> None:
    (block,) = re.findall(r"```bash\n(.*?)```", quick_start(), flags=re.DOTALL)
    clone, *lines = [line.split("  #")[0].strip() for line in block.splitlines()]
    assert clone.startswith("git clone ") and " && cd " in clone
    assert len(lines) == 2
    for line in lines:
        make_venv, *steps = [step.strip() for step in line.split("&&")]
        assert make_venv == "python3 -m venv .venv", line
        assert steps and all(step.startswith(".venv/bin/") for step in steps), line


def test_quick_start_names_the_python_the_port_and_the_token() -> None:
    from jupyter_server.serverapp import ServerApp

    text = quick_start()
    assert "Python 3.10 or newer" in text
    assert 'requires-python = ">=3.10"' in (REPO / "pyproject.toml").read_text()
    assert f"port {ServerApp.port_default_value}" in text
    assert "/lab?token=" in text


def test_the_notebooks_dlwidgets_lab_copies_are_not_committed() -> None:
    assert "dlwidgets-notebooks/" in (REPO / ".gitignore").read_text().splitlines()
