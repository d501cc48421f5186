"""The workspace's signing secret is never short: a crash, a full disk or eight processes starting at once
leave either no secret or a whole one, and a short one is refused with a way to recover."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import multiprocessing
import subprocess
import sys
import time
from multiprocessing.synchronize import Barrier
from pathlib import Path

import httpx
import pytest
from serving import free_port, serving

from dlwidgets.cli import main
from dlwidgets.server import WeakSecret, create_app, create_token, workspace_secret
from dlwidgets.server.tokens import SECRET_FILE
from dlwidgets.store import Store

USER = "ann@example.com"


def _signed_with_empty_key(email: str) -> str:
    """A token signed with an empty key, as anyone could make when a workspace's secret is empty."""

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64(json.dumps({"email": email, "exp": int(time.time()) + 3600}).encode())
    signature = hmac.new(b"", f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64(signature)}"


@pytest.mark.parametrize("left", [b"", b"x" * 31])
def test_a_short_secret_is_refused_with_how_to_recover(
    workspace_home: Path, left: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    # What `kill -9` during the first `token create` used to leave: the file, with none of its bytes.
    workspace_home.mkdir(parents=True)
    (workspace_home / SECRET_FILE).write_bytes(left)
    recover = (
        rf"rm {workspace_home / SECRET_FILE} && dlwidgets token create --email .* --home {workspace_home}"
    )
    with pytest.raises(WeakSecret, match=recover):
        workspace_secret(workspace_home)
    with pytest.raises(WeakSecret, match=recover):
        create_app(Store(workspace_home))
    assert main(["token", "create", "--email", USER, "--home", str(workspace_home)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and f"holds {len(left)} bytes" in err and "rm " in err
    with pytest.raises(WeakSecret):
        create_token(left, USER)
    serve = ["serve", "--port", str(free_port()), "--home", str(workspace_home)]
    served = subprocess.run(
        [sys.executable, "-m", "dlwidgets.cli", *serve],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert served.returncode == 2 and "fewer than the 32 needed" in served.stderr, served.stderr
    # Following the message recovers the workspace.
    (workspace_home / SECRET_FILE).unlink()
    assert main(["token", "create", "--email", USER, "--home", str(workspace_home)]) == 0
    assert len(workspace_secret(workspace_home)) == 32


def test_a_full_disk_at_the_first_token_leaves_no_short_secret(workspace_home: Path) -> None:
    # A file size limit of 0 bytes makes every write fail as a full disk does (EFBIG instead of ENOSPC).
    full_disk = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0)); "
        "from dlwidgets.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    failed = subprocess.run(
        [sys.executable, "-c", full_disk, "token", "create", "--email", USER, "--home", str(workspace_home)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    left = sorted(p.name for p in workspace_home.iterdir())
    # Space is freed: a token signed with an empty key is refused, a token of the workspace's secret works.
    forged = {"authorization": f"Bearer {_signed_with_empty_key(USER)}"}
    with serving(workspace_home) as url:
        assert httpx.get(f"{url}/users/me", headers=forged).status_code == 401
        assert httpx.post(f"{url}/projects", json={"name": "p"}, headers=forged).status_code == 401
        secret = workspace_secret(workspace_home)
        good = {"authorization": f"Bearer {create_token(secret, USER)}"}
        assert httpx.get(f"{url}/users/me", headers=good).json()["email"] == USER
    assert len(secret) == 32
    assert left == [], "the failed write left a file behind"
    assert failed.returncode == 2 and "File too large" in failed.stderr, failed.stderr
    assert "Traceback" not in failed.stderr and failed.stdout == ""


def _read_secret(home: str, start: Barrier, results: multiprocessing.Queue[str]) -> None:
    start.wait()
    try:
        results.put(workspace_secret(Path(home)).hex())
    except Exception as e:
        results.put(f"{type(e).__name__}: {e}")


def test_processes_starting_at_once_on_a_fresh_workspace_read_one_whole_secret(tmp_path: Path) -> None:
    forked = multiprocessing.get_context("fork")
    for round_ in range(25):
        home = tmp_path / f"workspace-{round_}"
        start, results = forked.Barrier(8), forked.Queue()
        processes = [forked.Process(target=_read_secret, args=(str(home), start, results)) for _ in range(8)]
        for process in processes:
            process.start()
        read = [results.get(timeout=60) for _ in processes]
        for process in processes:
            process.join(60)
        on_disk = (home / SECRET_FILE).read_bytes().hex()
        assert read == [on_disk] * 8, (round_, read)
        assert len(on_disk) == 64
        assert sorted(p.name for p in home.iterdir()) == [SECRET_FILE], "a temporary file was left behind"
