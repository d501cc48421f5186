"""Token checks are exact: a signature spelled any other way than the server wrote it is refused, and a
refresh token works only where it is traded for an id token."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from serving import serving

from dlwidgets.server import InvalidToken, create_token, verify_token, workspace_secret

USER = "ann@example.com"


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
