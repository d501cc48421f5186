"""The default client that module-level names (``dw.projects``, ``dw.info()``) act on.

It is the embedded workspace until ``dw.connect(...)`` chooses another, so the tutorial's cells run
unchanged with ``import dlwidgets as dw``.
"""

from __future__ import annotations

import os

from .client import Client, connect

_client: Client | None = None


def client() -> Client:
    """The default client, opening the embedded workspace on first use."""
    global _client
    if _client is None:
        _client = connect()
    return _client


def set_client(new: Client) -> Client:
    global _client
    _client = new
    return new


def connect_default(
    url: str | None = None,
    *,
    token: str | None = None,
    home: str | os.PathLike[str] | None = None,
    attempts: int = 4,
    backoff: float = 0.25,
) -> Client:
    """``connect(...)`` and make the result the default client."""
    return set_client(connect(url, token=token, home=home, attempts=attempts, backoff=backoff))
