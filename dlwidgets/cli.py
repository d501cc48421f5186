"""The ``dlwidgets`` command.

``dlwidgets lab`` opens the getting-started notebook in JupyterLab; ``dlwidgets serve`` shares a
workspace over HTTP; ``dlwidgets token create`` prints a token for it.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shlex
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import __version__

NOTEBOOK = "getting_started.ipynb"
HOME_DEFAULT = "(default: $DLWIDGETS_HOME or ~/.dlwidgets)"
MAX_DAYS = 36500


def packaged_notebook() -> Path:
    """The getting-started notebook: inside the installed package, or in a source checkout."""
    for candidate in (
        Path(__file__).parent / "notebooks" / NOTEBOOK,
        Path(__file__).parent.parent / "notebooks" / NOTEBOOK,
    ):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{NOTEBOOK} is not in this installation of dlwidgets")


def lab_command(
    workdir: Path,
    *,
    port: int | None = None,
    open_browser: bool = True,
    allow_root: bool = False,
    jupyter_args: Sequence[str] = (),
) -> list[str]:
    """Copy the notebook into ``workdir`` (keeping a user's edited copy) and return the JupyterLab command.

    ``jupyter_args`` come after ours, so they override them; the notebook to open comes last.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    target = workdir / NOTEBOOK
    if not target.exists():
        shutil.copyfile(packaged_notebook(), target)
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={workdir}"]
    if port is not None:
        # A port the user chose is the port, or a clear failure: no silent move to the next free one.
        command += [f"--ServerApp.port={port}", "--ServerApp.port_retries=0"]
    if not open_browser:
        command.append("--ServerApp.open_browser=False")
    if allow_root:
        command.append("--ServerApp.allow_root=True")
    return [*command, *jupyter_args, str(target)]


def is_root() -> bool:
    """Whether this process runs as root, where JupyterLab refuses to start unless told otherwise."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def ensure_demo(home: Path) -> None:
    """Give a workspace without projects the demo dataset, so the notebook has data to show."""
    from .api import connect
    from .demo import create_demo

    with connect(home=home) as client:
        if not client.projects.list():
            print(f"creating the demo dataset in {home} ...", file=sys.stderr)
            create_demo(client)


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Appends each option's default to its help, unless it has none to show or the help names it."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if (
            action.default in (None, [])
            or isinstance(action.default, bool)
            or "(default" in (action.help or "")
        ):
            return action.help
        return super()._get_help_string(action)


class _Parser(argparse.ArgumentParser):
    """An argument parser, and every subcommand's, whose help shows the defaults."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)


def positive_days(text: str) -> float:
    """``--days``: a number of days above zero, at most a century."""
    try:
        days = float(text)
    except ValueError:
        days = math.nan
    if not 0 < days <= MAX_DAYS:  # false for NaN too
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a positive number of days (e.g. 30 or 0.5, at most {MAX_DAYS})"
        )
    return days


_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def byte_size(text: str) -> int:
    """``--max-body``: bytes, or a number with K, M, G or T (powers of 1024; ``16G``, ``512MiB``)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*", text, flags=re.IGNORECASE)
    size = int(float(match[1]) * _UNITS[match[2].upper()]) if match else 0
    if size < 1:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a size; give bytes or a number with K, M, G or T (e.g. 16G or 500M)"
        )
    return size


def build_parser() -> argparse.ArgumentParser:
    """The ``dlwidgets`` command line: ``lab``, ``serve`` and ``token create``."""
    parser = _Parser(
        prog="dlwidgets",
        description="Dataloop-style annotation widgets for Jupyter, on an embedded workspace or a server.",
    )
    parser.add_argument("--version", action="version", version=f"dlwidgets {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    about = "open the getting-started notebook in JupyterLab (demo data included)"
    lab = commands.add_parser("lab", help=about, description=about)
    lab.add_argument("--dir", type=Path, default=Path("dlwidgets-notebooks"), help="where the notebook goes")
    lab.add_argument("--home", type=Path, help=f"the embedded workspace {HOME_DEFAULT}")
    lab.add_argument(
        "--port", type=int, help="port to listen on (default: 8888, or the next free one; JupyterLab's)"
    )
    lab.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    lab.add_argument("--print-command", action="store_true", help="print the command instead of running it")
    lab.add_argument(
        "jupyter_args",
        nargs="*",
        metavar="-- JUPYTER_ARG",
        help="arguments after -- go to JupyterLab, e.g. dlwidgets lab -- --ServerApp.ip=0.0.0.0",
    )
    about = "serve a workspace's REST API over HTTP (needs the 'serve' extra)"
    serve = commands.add_parser("serve", help=about, description=about)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8431, help="port to listen on")
    serve.add_argument("--home", type=Path, help=f"the workspace {HOME_DEFAULT}")
    serve.add_argument(
        "--max-body", type=byte_size, default="16G", help="largest request body: bytes, or with K, M, G or T"
    )
    about = "tokens for dlwidgets serve"
    token = commands.add_parser("token", help=about, description=about)
    token_commands = token.add_subparsers(dest="token_command", required=True)
    about = "print a new token, signed with the workspace's secret"
    create = token_commands.add_parser("create", help=about, description=about)
    create.add_argument("--email", required=True, help="the user the token stands for")
    create.add_argument("--days", type=positive_days, default=30, help="days until it expires")
    create.add_argument("--home", type=Path, help=f"the workspace whose secret signs it {HOME_DEFAULT}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .exceptions import WorkspaceTooNew

    try:
        if args.command == "serve":
            return _serve(args)
        if args.command == "token":
            return _token(args)
        return _lab(args)
    except WorkspaceTooNew as e:
        # A workspace a newer dlwidgets wrote: the message says what to do; a traceback would bury it.
        print(f"dlwidgets {args.command}: {e}", file=sys.stderr)
        return 2


def _home(path: Path | None) -> Path:
    from .store import default_home

    return path.expanduser().resolve() if path is not None else default_home()


def _serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from .server import create_app
    except ImportError:
        print("dlwidgets serve needs the 'serve' extra: pip install 'dlwidgets[serve]'", file=sys.stderr)
        return 2
    from .server import WeakSecret
    from .store import Store

    home = _home(args.home)
    try:
        app = create_app(Store(home), max_body=args.max_body)
    except WeakSecret as e:
        print(f"dlwidgets serve: {e}", file=sys.stderr)
        return 2
    print(f"serving workspace {home} at http://{args.host}:{args.port}/api/v1", file=sys.stderr)
    print(f"make a token with: {token_command(home)}", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0


def token_command(home: Path) -> str:
    """The command that makes a token for a server on ``home``. It names the home unless that is
    ~/.dlwidgets with $DLWIDGETS_HOME unset, the one home every shell agrees on."""
    command = ["dlwidgets", "token", "create", "--email", "you@example.com"]
    if os.environ.get("DLWIDGETS_HOME") or home != Path.home() / ".dlwidgets":
        command += ["--home", str(home)]
    return shlex.join(command)


def _token(args: argparse.Namespace) -> int:
    from .server.tokens import WeakSecret, create_token, workspace_secret

    if "@" not in args.email:
        print(f"--email {args.email!r} is not an email address", file=sys.stderr)
        return 2
    try:
        secret = workspace_secret(_home(args.home))
    except (WeakSecret, OSError) as e:
        print(f"dlwidgets token create: {e}", file=sys.stderr)
        return 2
    print(create_token(secret, args.email, days=args.days))
    return 0


def _lab(args: argparse.Namespace) -> int:
    allow_root = is_root()
    command = lab_command(
        args.dir.resolve(),
        port=args.port,
        open_browser=not args.no_browser,
        allow_root=allow_root,
        jupyter_args=args.jupyter_args,
    )
    if args.print_command:
        print(" ".join(command))
        return 0
    home = _home(args.home)
    os.environ["DLWIDGETS_HOME"] = str(home)
    ensure_demo(home)
    if allow_root:
        print("running as root: JupyterLab is started with --ServerApp.allow_root=True", file=sys.stderr)
    sys.stderr.flush()
    os.execv(command[0], command)
    return 0  # pragma: no cover - execv does not return


if __name__ == "__main__":
    raise SystemExit(main())
