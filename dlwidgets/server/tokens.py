"""HS256 JSON Web Tokens for ``dlwidgets serve``: ``email`` and ``exp``, signed with a workspace secret.

The secret lives in the workspace (``server-secret``, mode 0600), so every server on one workspace
accepts the same tokens. The official SDK reads ``email`` and ``exp`` without checking the signature;
the server checks both.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from pathlib import Path
from typing import Any

SECRET_FILE = "server-secret"


class InvalidToken(Exception):
    """Raised when a token is malformed, forged or expired; the message never contains the token."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def workspace_secret(home: Path) -> bytes:
    """The workspace's signing secret, created (mode 0600) on first use."""
    path = home / SECRET_FILE
    try:
        return path.read_bytes()
    except FileNotFoundError:
        home.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_bytes(32)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            return path.read_bytes()
        with os.fdopen(fd, "wb") as f:
            f.write(secret)
        return secret


def create_token(secret: bytes, email: str, days: float = 30.0, **claims: Any) -> str:
    """A signed token for ``email`` that expires in ``days``."""
    now = int(time.time())
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = _b64(
        json.dumps({"email": email, "iat": now, "exp": now + int(days * 86400), **claims}).encode()
    )
    signature = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def verify_token(secret: bytes, token: str) -> dict[str, Any]:
    """The claims of a valid token; ``InvalidToken`` for anything else."""
    try:
        header, payload, signature = token.split(".")
        expected = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(signature)):
            raise InvalidToken("the token's signature does not match this workspace")
        if json.loads(_unb64(header)).get("alg") != "HS256":
            raise InvalidToken("the token is not signed with HS256")
        claims = json.loads(_unb64(payload))
    except InvalidToken:
        raise
    except ValueError:
        raise InvalidToken("the token is not a well-formed JWT") from None
    if not isinstance(claims, dict) or not isinstance(claims.get("email"), str):
        raise InvalidToken("the token carries no 'email' claim")
    exp = claims.get("exp")
    if not isinstance(exp, (int, float)) or exp <= time.time():
        raise InvalidToken("the token has expired; create a new one with `dlwidgets token create`")
    return claims
