"""Idempotency keys: a write sent again with the key of one already applied gets that first answer back,
and is not applied twice.

A client sends ``idempotency-key`` on a write and the same key on each retry of it. The key is claimed in
the write's own transaction (the handler's first), so it is remembered exactly when the write happened,
even if the server dies before answering; the answer is kept beside it once the handler returns. Keys are
per user, and forgotten after ``KEY_TTL_S``. Every answer carries ``x-idempotency-keys: honoured``, which
tells a client that retrying a write here is safe.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..exceptions import BadRequest, Conflict, PlatformError
from .documents import dumps, loads
from .routing import Request, Response, error_response
from .workspace import Workspace

KEY_HEADER = "idempotency-key"
REPLAYED_HEADER = "idempotent-replayed"
HONOURED_HEADER = "x-idempotency-keys"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# How long a key is remembered: far longer than a client keeps retrying (4 tries of at most 2 minutes).
KEY_TTL_S = 3600.0
# How long a retry waits for the answer of the same request still running (a proxy gave up on it).
WAIT_FOR_ANSWER_S = 60.0
_MAX_KEY = 200


class _ClaimTaken(Exception):
    """Raised inside a write transaction when the same request, sent before, claimed the key first."""


@dataclass
class _Claim:
    """A request's key, to be claimed by its first write transaction."""

    user: str
    key: str
    method: str
    path: str
    claimed: bool = False

    def take(self, db: sqlite3.Connection) -> None:
        try:
            db.execute(
                "INSERT INTO idempotency_keys (user, key, method, path, created_at) VALUES (?, ?, ?, ?, ?)",
                (self.user, self.key, self.method, self.path, time.time()),
            )
        except sqlite3.IntegrityError:
            raise _ClaimTaken from None
        self.claimed = True


def answer_once(
    ws: Workspace,
    req: Request,
    dispatch: Callable[[Request], Response],
    check: Callable[[Request], None],
) -> Response:
    """``dispatch(req)``, unless a request with the same key was applied: then its answer, once
    ``check(req)`` (the route's access rules) lets the caller have it."""
    key = req.headers.get(KEY_HEADER)
    if key is None or req.method not in WRITES:
        return dispatch(req)
    if not key or len(key) > _MAX_KEY or not key.isascii() or not key.isprintable():
        return error_response(
            BadRequest(f"{KEY_HEADER} must be 1 to {_MAX_KEY} printable ASCII characters, got {key!r:.80}")
        )
    if _stored(ws, req.user, key) is not None:
        try:
            check(req)
        except PlatformError as error:
            return error_response(error)
        return _replay(ws, req, key)
    claim = _Claim(req.user, key, req.method, req.path)
    ws.before_next_write(claim.take)
    try:
        response = dispatch(req)
    except _ClaimTaken:
        return _replay(ws, req, key)
    finally:
        ws.before_next_write(None)
    if claim.claimed and response.stream is None:
        _keep(ws, claim, response)
    return response


def _stored(ws: Workspace, user: str, key: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = ws.db.execute(
        "SELECT method, path, status, headers, body FROM idempotency_keys WHERE user = ? AND key = ?",
        (user, key),
    ).fetchone()
    return row


def _replay(ws: Workspace, req: Request, key: str) -> Response:
    """The answer kept for ``key``, waiting a while for it if the first request is still running."""
    deadline = time.monotonic() + WAIT_FOR_ANSWER_S
    row = _stored(ws, req.user, key)
    while row is not None and row["status"] is None and time.monotonic() < deadline:
        time.sleep(0.05)
        row = _stored(ws, req.user, key)
    try:
        if row is None:  # claimed by a transaction that then rolled back: nothing was applied
            raise Conflict(f"the request with {KEY_HEADER} {key!r} was not applied; send it again")
        if (row["method"], row["path"]) != (req.method, req.path):
            raise BadRequest(
                f"{KEY_HEADER} {key!r} was used for {row['method']} {row['path']}, not {req.method} "
                f"{req.path}; send each request with a key of its own"
            )
        if row["status"] is None:
            raise Conflict(
                f"the request with {KEY_HEADER} {key!r} was applied, but its answer is not known yet; "
                "read the entity it wrote instead of sending it again"
            )
    except PlatformError as error:
        return error_response(error)
    headers = {**loads(row["headers"]), REPLAYED_HEADER: "true"}
    return Response(status=row["status"], body=loads(row["body"]), headers=headers)


def _keep(ws: Workspace, claim: _Claim, response: Response) -> None:
    """Keep the answer beside the claimed key, and forget keys older than ``KEY_TTL_S``."""
    with ws.transaction() as db:
        db.execute(
            "UPDATE idempotency_keys SET status = ?, headers = ?, body = ? WHERE user = ? AND key = ?",
            (response.status, dumps(response.headers), response.text(), claim.user, claim.key),
        )
        db.execute("DELETE FROM idempotency_keys WHERE created_at < ?", (time.time() - KEY_TTL_S,))
