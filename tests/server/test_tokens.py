"""Token checks are exact: a signature spelled any other way than the server wrote it is refused, a
refresh token works only where it is traded for an id token, and a token of another workspace is told
how to make one for this server."""

from __future__ import annotations

import base64
from pathlib import Path

import httpx
import pytest
from serving import serving

from dlwidgets.cli import main
from dlwidgets.server import InvalidToken, create_token, verify_token, workspace_secret

USER = "ann@example.com"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _respelled(token: str) -> list[str]:
    """The token with its signature decorated in ways a lenient base64 decoder ignores."""
    header, payload, signature = token.split(".")
    last = signature[-1]
    # A 43-character signature's last character carries 2 spare bits: flipping them keeps the bytes.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    same_bytes = alphabet[alphabet.index(last) ^ 1]
    signatures = [
        signature + "==",
        signature[:20] + "==" + signature[20:],
        signature[:10] + "!" + signature[10:],
        signature[:10] + "$*" + signature[10:],
        signature + "A",
        "@" + signature,
        signature.replace("-", "+").replace("_", "/"),
        signature[:-1] + same_bytes,
    ]
    return [f"{header}.{payload}.{s}" for s in signatures if s != signature]


def test_a_signature_in_any_other_spelling_is_refused(workspace_home: Path) -> None:
    secret = workspace_secret(workspace_home)
    token = create_token(secret, USER)
    while "-" not in token.split(".")[2] and "_" not in token.split(".")[2]:
        token = create_token(secret, USER, nonce=token[-6:])
    respelled = _respelled(token)
    assert len(respelled) == 8
    for bad in respelled:
        with pytest.raises(InvalidToken):
            verify_token(secret, bad)
    header, payload, signature = token.split(".")
    for bad in (f"{header}==.{payload}.{signature}", f"{header}.{payload}!.{signature}"):
        with pytest.raises(InvalidToken):
            verify_token(secret, bad)
    with serving(workspace_home) as url:
        for bad in respelled:
            answer = httpx.get(f"{url}/users/me", headers={"authorization": f"Bearer {bad}"})
            assert answer.status_code == 401, (bad.split(".")[2], answer.text)
        good = httpx.get(f"{url}/users/me", headers={"authorization": f"Bearer {token}"})
        assert good.json()["email"] == USER


def test_a_refresh_token_works_only_at_the_refresh_route(workspace_home: Path) -> None:
    secret = workspace_secret(workspace_home)
    refresh = create_token(secret, USER, days=90, typ="refresh")
    headers = {"authorization": f"Bearer {refresh}"}
    with serving(workspace_home) as url:
        for answer in (
            httpx.get(f"{url}/users/me", headers=headers),
            httpx.post(f"{url}/projects", json={"name": "p"}, headers=headers),
            httpx.get(f"{url}/projects", headers=headers),
        ):
            assert answer.status_code == 401, answer.text
            assert "refresh token is accepted only by POST /token" in answer.json()["message"]
        gate = url.removesuffix("/api/v1")
        traded = httpx.post(f"{gate}/token?default", json={"type": "refresh_token", "refresh_token": refresh})
        fresh = {"authorization": f"Bearer {traded.json()['id_token']}"}
        assert httpx.get(f"{url}/users/me", headers=fresh).json()["email"] == USER
        assert httpx.get(f"{url}/projects", headers=fresh).json() == []


def test_a_token_of_another_workspace_says_how_to_make_one_for_this_server(
    workspace_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other_home = tmp_path / "other-workspace"
    assert main(["token", "create", "--email", USER, "--home", str(other_home)]) == 0
    foreign = capsys.readouterr().out.strip()
    refresh = create_token(workspace_secret(other_home), USER, typ="refresh")
    command = f"dlwidgets token create --email you@example.com --home {workspace_home}"
    with serving(workspace_home) as url:
        gate = url.removesuffix("/api/v1")
        answers = [
            httpx.get(f"{url}/users/me", headers={"authorization": f"Bearer {foreign}"}),
            httpx.post(f"{gate}/token?default", json={"type": "refresh_token", "refresh_token": refresh}),
        ]
        for answer in answers:
            assert answer.status_code == 401
            message = answer.json()["message"]
            assert "tokens belong to one workspace home" in message and command in message, message
            assert str(other_home) not in message
            for secret in (workspace_secret(workspace_home), workspace_secret(other_home)):
                assert secret.hex() not in message and _b64(secret) not in message
        # Doing what the message says gives a token this server accepts.
        assert main(command.replace("you@example.com", USER).split()[1:]) == 0
        made = capsys.readouterr().out.strip()
        assert httpx.get(f"{url}/users/me", headers={"authorization": f"Bearer {made}"}).status_code == 200
