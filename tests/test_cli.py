"""``dlwidgets lab``: the README's first quick-start command."""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from serving import free_port

from dlwidgets.cli import byte_size, main

DLWIDGETS = Path(sys.executable).parent / "dlwidgets"  # the installed command


def test_lab_copies_the_notebook_and_opens_it_in_jupyterlab(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lab", "--dir", str(tmp_path), "--print-command"]) == 0
    command = capsys.readouterr().out.split()
    notebook = tmp_path / "getting_started.ipynb"
    assert command[1:3] == ["-m", "jupyterlab"]
    assert command[-1] == str(notebook)
    assert json.loads(notebook.read_text())["cells"], "the copied notebook has cells"


def test_lab_keeps_a_notebook_the_user_edited(tmp_path: Path) -> None:
    notebook = tmp_path / "getting_started.ipynb"
    notebook.write_text('{"cells": ["mine"]}')
    main(["lab", "--dir", str(tmp_path), "--print-command"])
    assert notebook.read_text() == '{"cells": ["mine"]}'


def test_ensure_demo_fills_an_empty_workspace_once(tmp_path: Path) -> None:
    import dlwidgets as dw
    from dlwidgets.cli import ensure_demo

    ensure_demo(tmp_path / "ws")
    ensure_demo(tmp_path / "ws")
    client = dw.connect(home=tmp_path / "ws")
    (project,) = client.projects.list()
    dataset = project.datasets.get(dataset_name="street-scenes")
    assert dataset.items.list().items_count == 12
    item = dataset.items.list().items[0]
    assert (item.width, item.height, item.mimetype) == (640, 400, "image/jpeg")
    assert [label.tag for label in dataset.labels] == ["car", "person", "tree", "house", "outdoor"]


def test_lab_runs_jupyterlab_for_the_current_user_until_stopped(tmp_path: Path) -> None:
    """The real command, as whoever runs the tests (root in CI): it serves until its process group is
    stopped, takes a port, and passes what follows ``--`` to JupyterLab."""
    port = free_port()
    log = tmp_path / "lab.log"
    command = [
        *[str(DLWIDGETS), "lab", "--port", str(port), "--no-browser"],
        *["--dir", str(tmp_path / "notebooks"), "--home", str(tmp_path / "home")],
        *["--", "--ServerApp.base_url=/first-run/"],
    ]
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    with log.open("wb") as out:
        lab = subprocess.Popen(
            command, cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 180
        while not _answers(f"http://127.0.0.1:{port}/first-run/api"):
            assert lab.poll() is None, f"dlwidgets lab exited with {lab.returncode}:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"no answer on port {port}:\n{log.read_text()}"
            time.sleep(0.5)
    finally:
        _stop_group(lab)
    with pytest.raises(ProcessLookupError):
        os.killpg(lab.pid, 0)  # nothing of the server's process group is left running
    output = log.read_text()
    assert f"http://127.0.0.1:{port}/first-run/lab?token=" in output, output
    if os.geteuid() == 0:
        assert "running as root: JupyterLab is started with --ServerApp.allow_root=True" in output
    assert (tmp_path / "notebooks" / "getting_started.ipynb").is_file()


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the process group led by ``process``, SIGKILL if it lingers."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def test_serve_hints_at_a_token_command_that_works_for_this_server(tmp_path: Path) -> None:
    """Served from a home that is not the default, the hint's command makes a token this server accepts."""
    port = free_port()
    log = tmp_path / "serve.log"
    home = tmp_path / "team-workspace"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(DLWIDGETS), "serve", "--port", str(port), "--home", str(home)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while not _answers(f"http://127.0.0.1:{port}/api/v1/openapi.json"):
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        (hint,) = [line for line in log.read_text().splitlines() if "make a token with: " in line]
        command = shlex.split(hint.split("make a token with: ", 1)[1])
        assert command[:3] == ["dlwidgets", "token", "create"] and "--home" in command
        token = subprocess.run(
            [str(DLWIDGETS), *command[1:]], capture_output=True, text=True, check=True
        ).stdout.strip()
        me = httpx.get(
            f"http://127.0.0.1:{port}/api/v1/users/me", headers={"authorization": f"Bearer {token}"}
        )
        assert me.status_code == 200, me.text
    finally:
        _stop_group(server)


def test_token_create_needs_no_server_packages(tmp_path: Path) -> None:
    """Without the ``serve`` extra (starlette and uvicorn unimportable) a token is still made."""
    home = tmp_path / "home"
    create = f"main(['token', 'create', '--email', 'ann@example.com', '--home', {str(home)!r}])"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.modules.update(starlette=None, uvicorn=None); "
            f"from dlwidgets.cli import byte_size, main; raise SystemExit({create})",
        ],
        capture_output=True,
        text=True,
    )
    assert (done.returncode, done.stderr) == (0, "")
    from dlwidgets.server.tokens import verify_token, workspace_secret

    assert verify_token(workspace_secret(home), done.stdout.strip())["email"] == "ann@example.com"


@pytest.mark.parametrize("days", ["0", "-1", "nan", "inf"])
def test_token_days_must_be_a_positive_number(days: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        main(["token", "create", "--email", "ann@example.com", f"--days={days}"])
    assert exit.value.code == 2
    assert f"argument --days: {days!r} is not a positive number of days" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "size"), [("16G", 16 << 30), ("500m", 500 << 20), ("1.5 GiB", 3 << 29), ("4096", 4096)]
)
def test_max_body_reads_sizes_with_units(text: str, size: int) -> None:
    assert byte_size(text) == size


@pytest.mark.parametrize("text", ["0", "-5", "12X", "G", "nan"])
def test_max_body_must_be_a_size(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        main(["serve", f"--max-body={text}"])
    assert exit.value.code == 2
    assert f"argument --max-body: {text!r} is not a size; give bytes or a number with K, M, G or T" in (
        capsys.readouterr().err
    )


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    import dlwidgets as dw

    with pytest.raises(SystemExit) as exit:
        main(["--version"])
    assert exit.value.code == 0
    assert capsys.readouterr().out == f"dlwidgets {dw.__version__}\n"


@pytest.mark.parametrize(
    ("command", "defaults"),
    [
        ([], []),
        (["lab"], ["(default: dlwidgets-notebooks)", "(default: $DLWIDGETS_HOME or ~/.dlwidgets)"]),
        (["serve"], ["(default: 127.0.0.1)", "(default: 8431)", "(default: 16G)"]),
        (["token"], []),
        (["token", "create"], ["(default: 30)", "(default: $DLWIDGETS_HOME or ~/.dlwidgets)"]),
    ],
)
def test_help_shows_defaults_in_plain_text(
    command: list[str], defaults: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main([*command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "`" not in text, text
    for default in defaults:
        assert default in text, text


@pytest.mark.parametrize("command", ["serve", "lab"])
def test_a_workspace_of_a_newer_format_is_one_clear_line_not_a_traceback(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3
    from contextlib import closing

    from dlwidgets.store.workspace import Workspace

    home = tmp_path / "ws"
    Workspace(home).close()
    with closing(sqlite3.connect(home / "workspace.sqlite", isolation_level=None)) as db:
        db.execute("PRAGMA user_version = 999")
    argv = [command, "--home", str(home)] + (["--dir", str(tmp_path / "nb")] if command == "lab" else [])
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"dlwidgets {command}: the workspace at {home} is in format version 999")
    assert "upgrade dlwidgets" in err and "Traceback" not in err
