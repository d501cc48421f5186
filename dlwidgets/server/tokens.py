"""HS256 JSON Web Tokens for ``dlwidgets serve``: ``email`` and ``exp``, signed with a workspace secret.

The secret lives in the workspace (``server-secret``, mode 0600), so every server on one workspace
accepts the same tokens. The official SDK reads ``email`` and ``exp`` without checking the signature;
the server checks both.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

from ..store.permissions import private_folder

SECRET_FILE = "server-secret"
# HS256 keys shorter than the hash's output weaken it; an empty one lets anyone sign.
SECRET_BYTES = 32
# What os.link raises on filesystems without hard links (some network and FUSE mounts).
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.ENOSYS}
# Token parts are unpadded base64url: any other character (padding included) means a token we did not make.
_B64URL = re.compile(r"[A-Za-z0-9_-]+")


class InvalidToken(Exception):
    """Raised when a token is malformed, forged or expired; the message never contains the token."""


class ForeignToken(InvalidToken):
    """Raised when a well-formed token's signature is not this workspace's: it was made for another
    workspace home, or forged."""


class WeakSecret(Exception):
    """Raised when asked to sign or check tokens with a secret shorter than ``SECRET_BYTES``."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    """One part of a token: ``ValueError`` unless it is unpadded base64url, exactly as ``_b64`` writes it."""
    if not _B64URL.fullmatch(text):
        raise ValueError("a token part is not unpadded base64url")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _b64(data) != text:  # spare low bits set in the last character
        raise ValueError("a token part is not canonical base64url")
    return data


def workspace_secret(home: Path) -> bytes:
    """The workspace's signing secret, created (mode 0600) on first use; ``WeakSecret`` if it is short."""
    path = home / SECRET_FILE
    try:
        secret = path.read_bytes()
    except FileNotFoundError:
        secret = _create_secret(home, path)
    check_secret(secret, path)
    return secret


def check_secret(secret: bytes, path: Path | None = None) -> None:
    """Refuse a secret too short to sign with: with an empty key anyone could forge tokens."""
    if len(secret) >= SECRET_BYTES:
        return
    if path is None:
        raise WeakSecret(
            f"refusing to sign or check tokens with a {len(secret)}-byte secret; {SECRET_BYTES} are needed"
        )
    raise WeakSecret(
        f"the workspace secret {path} holds {len(secret)} bytes, fewer than the {SECRET_BYTES} needed "
        "to sign tokens safely (its creation was cut short: a full disk or a killed process). "
        f"To recover, delete it and make a new token: rm {path} && dlwidgets token create "
        f"--email you@example.com --home {path.parent}. Tokens made before then stop working."
    )


def _create_secret(home: Path, path: Path) -> bytes:
    """Write a new secret whole and durable beside ``path``, then link it into place unless another
    process did first: every process starting at once on a fresh workspace ends with the same secret,
    and a crash or a full disk leaves no file or a complete one, never a short one."""
    private_folder(home)
    secret = secrets.token_bytes(SECRET_BYTES)
    fd, name = tempfile.mkstemp(dir=home, prefix=f".{SECRET_FILE}-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(secret)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(name, path)
        except FileExistsError:  # another process linked its secret first: that one is the workspace's
            return path.read_bytes()
        except OSError as e:
            if e.errno not in _NO_HARD_LINKS:
                raise
            # A filesystem without hard links: the last of two simultaneous creators wins.
            os.replace(name, path)
            return path.read_bytes()
        _fsync_dir(home)
        return secret
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)


def _fsync_dir(folder: Path) -> None:
    """Make a new directory entry durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def create_token(secret: bytes, email: str, days: float = 30.0, **claims: Any) -> str:
    """A signed token for ``email`` that expires in ``days``."""
    check_secret(secret)
    now = int(time.time())
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = _b64(
        json.dumps({"email": email, "iat": now, "exp": now + int(days * 86400), **claims}).encode()
    )
    signature = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def verify_token(secret: bytes, token: str) -> dict[str, Any]:
    """The claims of a valid token; ``InvalidToken`` for anything else."""
    check_secret(secret)
    try:
        header, payload, signature = token.split(".")
        if not _B64URL.fullmatch(signature):
            raise ValueError("the signature is not unpadded base64url")
        expected = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
        # The signature's exact text, not its decoding: another spelling of the same bytes is refused.
        if not hmac.compare_digest(_b64(expected), signature):
            raise ForeignToken("the token's signature does not match this workspace")
        algorithm = json.loads(_unb64(header))
        if not isinstance(algorithm, dict) or algorithm.get("alg") != "HS256":
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
