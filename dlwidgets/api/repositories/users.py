"""Who the client is signed in as (``GET /users/me``), and signing in with an email and password."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..client import Client


def me(client: Client, timeout: float | None = None) -> dict[str, Any]:
    """The signed-in user, as the platform describes them (``email`` above all); raises ``Unauthorized``
    for a refused token, ``ValueError`` when the answer is not a user."""
    kwargs: dict[str, Any] = {"timeout": timeout} if timeout is not None else {}
    response = client.request("GET", "/users/me", **kwargs)
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise ValueError(
            f"{client.environment} answered /users/me with no user: "
            "it is not a Dataloop platform or a dlwidgets server"
        )
    return body


def password_token(client: Client, gate_url: str, email: str, password: str) -> str:
    """A token for ``email`` from the gate's ``POST /token?default``, as dtlpy's ``login_m2m`` asks it."""
    body = client.json(
        "POST",
        gate_url.rstrip("/") + "/token",
        params={"default": ""},
        json={"username": email, "password": password, "type": "user_credentials"},
    )
    token = body.get("id_token") or body.get("access_token") if isinstance(body, dict) else None
    if not isinstance(token, str):
        raise ValueError(f"{gate_url} answered the sign-in of {email!r} without a token")
    return token
