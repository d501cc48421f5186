"""The ``dlwidgets`` command: ``dlwidgets lab`` opens the getting-started notebook in JupyterLab."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

NOTEBOOK = "getting_started.ipynb"


def packaged_notebook() -> Path:
    """The getting-started notebook: inside the installed package, or in a source checkout."""
    for candidate in (
        Path(__file__).parent / "notebooks" / NOTEBOOK,
        Path(__file__).parent.parent / "notebooks" / NOTEBOOK,
    ):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{NOTEBOOK} is not in this installation of dlwidgets")


def lab_command(workdir: Path) -> list[str]:
    """Copy the notebook into ``workdir`` (keeping a user's edited copy) and return the JupyterLab command."""
    workdir.mkdir(parents=True, exist_ok=True)
    target = workdir / NOTEBOOK
    if not target.exists():
        shutil.copyfile(packaged_notebook(), target)
    return [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={workdir}", str(target)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dlwidgets", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    lab = commands.add_parser("lab", help="open the getting-started notebook in JupyterLab")
    lab.add_argument(
        "--dir", type=Path, default=Path.cwd() / "dlwidgets-notebooks", help="where the notebook goes"
    )
    lab.add_argument(
        "--home", type=Path, help="the embedded workspace (default $DLWIDGETS_HOME or ~/.dlwidgets)"
    )
    lab.add_argument("--print-command", action="store_true", help="print the command instead of running it")
    args = parser.parse_args(argv)
    command = lab_command(args.dir.resolve())
    if args.print_command:
        print(" ".join(command))
        return 0
    if args.home is not None:
        os.environ["DLWIDGETS_HOME"] = str(args.home.expanduser().resolve())
    os.execv(command[0], command)
    return 0  # pragma: no cover - execv does not return


if __name__ == "__main__":
    raise SystemExit(main())
