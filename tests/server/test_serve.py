"""``dlwidgets serve``: tokens, refusals, limits, and the command itself."""

from __future__ import annotations

import os
import secrets
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from serving import free_port, serving

import dlwidgets as dw
from dlwidgets.cli import main
from dlwidgets.server import create_token, verify_token, workspace_secret

USER = "ann@example.com"


def test_every_route_needs_a_valid_token(workspace_home: Path) -> None:
    secret = workspace_secret(workspace_home)
    forged = create_token(secrets.token_bytes(32), USER)
    expired = create_token(secret, USER, days=-1)
    with serving(workspace_home) as url:
        for headers, reason in (
            ({}, "Bearer"),
            ({"authorization": "Bearer not-a-jwt"}, "well-formed"),
            ({"authorization": f"Bearer {forged}"}, "signature"),
            ({"authorization": f"Bearer {expired}"}, "expired"),
        ):
            response = httpx.get(f"{url}/projects", headers=headers)
            assert response.status_code == 401
            assert reason in response.json()["message"]
        good = {"authorization": f"Bearer {create_token(secret, USER)}"}
        assert httpx.get(f"{url}/users/me", headers=good).json()["email"] == USER


def test_the_client_over_http_raises_the_same_errors(workspace_home: Path) -> None:
    with serving(workspace_home) as url:
        client = dw.connect(url, token=create_token(workspace_secret(workspace_home), USER))
        assert client.info() == {"environment": url, "user_email": USER}
        assert not client.token_expired()
        with pytest.raises(dw.exceptions.NotFound, match="'nope'"):
            client.projects.get(project_name="nope")
        client.projects.create(project_name="p")
        with pytest.raises(dw.exceptions.Conflict):
            client.projects.create(project_name="p")
        stale = dw.connect(url, token=create_token(workspace_secret(workspace_home), USER, days=-1))
        assert stale.token_expired()
        with pytest.raises(dw.exceptions.Unauthorized, match="expired"):
            stale.projects.list()


def test_bodies_over_the_limit_are_refused_with_413(workspace_home: Path) -> None:
    with serving(workspace_home, max_body=1000) as url:
        token = create_token(workspace_secret(workspace_home), USER)
        response = httpx.post(
            f"{url}/projects", data={"name": "x" * 2000}, headers={"authorization": f"Bearer {token}"}
        )
        assert response.status_code == 413
        assert "1000 bytes" in response.json()["message"]


def test_a_refresh_token_buys_a_fresh_token(workspace_home: Path) -> None:
    secret = workspace_secret(workspace_home)
    with serving(workspace_home) as url:
        gate = url.removesuffix("/api/v1")
        refresh = create_token(secret, USER, days=90, typ="refresh")
        answer = httpx.post(f"{gate}/token?default", json={"type": "refresh_token", "refresh_token": refresh})
        assert verify_token(secret, answer.json()["id_token"])["email"] == USER
        plain = create_token(secret, USER)
        refused = httpx.post(f"{gate}/token?default", json={"type": "refresh_token", "refresh_token": plain})
        assert refused.status_code == 401


def test_token_create_prints_a_token_signed_by_the_workspace(
    workspace_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["token", "create", "--email", USER, "--days", "2", "--home", str(workspace_home)]) == 0
    claims = verify_token(workspace_secret(workspace_home), capsys.readouterr().out.strip())
    assert claims["email"] == USER and 1.9 * 86400 < claims["exp"] - time.time() <= 2 * 86400
    assert stat.S_IMODE(os.stat(workspace_home / "server-secret").st_mode) == 0o600
    assert main(["token", "create", "--email", "not-an-email", "--home", str(workspace_home)]) == 2


def test_dlwidgets_serve_serves_the_workspace_and_logs_no_token(workspace_home: Path, tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "dlwidgets.cli",
                "serve",
                "--port",
                str(port),
                "--home",
                str(workspace_home),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        token = create_token(workspace_secret(workspace_home), USER)
        url = f"http://127.0.0.1:{port}/api/v1"
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"{url}/users/me", headers={"authorization": f"Bearer {token}"})
                break
            except httpx.TransportError:
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "dlwidgets serve did not answer within 30 s"
                time.sleep(0.1)
        assert response.json()["email"] == USER
        client = dw.connect(url, token=token)
        client.projects.create(project_name="served")
        assert [p.name for p in dw.connect(home=workspace_home).projects.list()] == ["served"]
    finally:
        process.terminate()
        process.wait(20)
    text = log.read_text()
    assert "GET /api/v1/users/me" in text
    assert token not in text
