"""Signing in as the platform's notebooks do: ``add_environment``, ``setenv``, ``login_token``,
``login_api_key`` and ``login_m2m``, each acting on the default client (``dw.projects`` and friends).

Environments are kept for the running process, by URL and alias; ``'prod'`` is the Dataloop platform.
The embedded workspace needs no sign-in: there, the logins check nothing and return at once.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

from ..exceptions import PlatformError
from . import default
from .client import Client, connect
from .repositories.users import me, password_token

PLATFORM_URL = "https://gate.dataloop.ai/api/v1"


@dataclass
class Environment:
    """One platform environment: its API URL, the alias ``setenv`` knows it by, and a token if given."""

    url: str
    alias: str | None = None
    token: str | None = None
    gate_url: str | None = None

    @property
    def gate(self) -> str:
        """Where ``POST /token`` is: ``gate_url``, else the API URL without ``/api/v1``."""
        return (self.gate_url or self.url.removesuffix("/api/v1")).rstrip("/")


_environments: dict[str, Environment] = {PLATFORM_URL: Environment(PLATFORM_URL, alias="prod")}


def add_environment(
    environment: str,
    audience: str | None = None,
    client_id: str | None = None,
    auth0_url: str | None = None,
    verify_ssl: bool = True,
    token: str | None = None,
    refresh_token: str | None = None,
    alias: str | None = None,
    use_ssl_context: bool = False,
    gate_url: str | None = None,
    url: str | None = None,
    login_domain: str | None = None,
) -> None:
    """Register a platform environment (dtlpy's signature) so ``setenv(alias or URL)`` can choose it.
    Only ``environment``, ``token``, ``alias`` and ``gate_url`` matter here; the others are for dtlpy's
    browser sign-in, which dlwidgets does not do."""
    if not isinstance(environment, str) or not environment.startswith(("http://", "https://")):
        raise ValueError(f"environment {environment!r} must be an API URL such as {PLATFORM_URL!r}")
    if alias is not None:
        for known in [e for e in _environments.values() if e.alias == alias]:
            del _environments[known.url]
    _environments[environment.rstrip("/")] = Environment(environment.rstrip("/"), alias, token, gate_url)


def setenv(env: str) -> Client:
    """Make the environment ``env`` (an alias or an added URL) the default client's, with the token it was
    added with, if any; ``ConnectionError`` naming the known ones otherwise."""
    found = _find(env)
    return default.set_client(connect(found.url, token=found.token))


def _find(env: str) -> Environment:
    if isinstance(env, str) and env.rstrip("/") in _environments:
        return _environments[env.rstrip("/")]
    matched = [e for e in _environments.values() if e.alias == env]
    if len(matched) != 1:
        known = sorted(e.alias or e.url for e in _environments.values())
        raise ConnectionError(
            f"Unknown platform environment: {env!r}. Known: {', '.join(known)}; "
            "add one with dw.add_environment(environment=<API URL>, alias=...)"
        )
    return matched[0]


def login_token(token: str) -> None:
    """Sign the default client's environment in with ``token``, checked against ``/users/me``; a refused
    one raises ``ValueError`` and leaves the client as it was (as dtlpy does)."""
    current = default.client()
    if current.is_local:
        return
    if not isinstance(token, str) or not token.strip():
        raise ValueError(f"the token must be a non-empty string, got {type(token).__name__}")
    try:
        fresh = signed_in(current.environment, token.strip())
    except PlatformError as e:
        raise ValueError(f"Invalid API key provided. {current.environment} refused it: {e.message}") from None
    found = _environments.get(current.environment)
    if found is not None:
        found.token = fresh._token
    default.set_client(fresh)


def signed_in(url: str, token: str, timeout: float | None = None) -> Client:
    """A client of ``url`` with ``token``, checked against ``/users/me``: ``Unauthorized`` when refused,
    another ``PlatformError`` when ``url`` is no platform. The client is closed when the check fails."""
    client = connect(url, token=token)
    try:
        user = me(client, timeout=timeout)
    except BaseException:
        client.close()
        raise
    if client.user_email == "null" and isinstance(user.get("email"), str):
        client.user_email = user["email"]  # an API key need not be a JWT naming its user
    return client


def login_api_key(api_key: str) -> None:
    """Sign in with a platform API key: it is sent as the bearer token and checked against ``/users/me``."""
    login_token(api_key)


def login_m2m(
    email: str,
    password: str,
    client_id: str | None = None,
    client_secret: str | None = None,
    force: bool = False,
) -> bool:
    """Sign in with an email and password at the environment's gate (``POST /token?default``), as dtlpy
    does on the platform: True when signed in (already, as that user, unless ``force``). A refused
    sign-in returns False and signs out, as dtlpy does, with a warning saying why; ``dlwidgets serve``
    has no passwords, so the warning says to sign in with a token instead."""
    current = default.client()
    if current.is_local:
        return True
    if not force and current.user_email == email and not current.token_expired():
        return True
    gate = _environments.get(current.environment, Environment(current.environment)).gate
    try:
        token = password_token(current, gate, email, password)
    except PlatformError as e:
        warnings.warn(
            f"{gate} did not sign in {email!r} with a password: {e.message}. You are signed out, as dtlpy "
            f"does. dlwidgets serve has no passwords: make a token with `dlwidgets token create --email "
            f"{email}` on the server and sign in with dw.login_token(token)",
            UserWarning,
            stacklevel=2,
        )
        logout()
        return False
    login_token(token)
    return True


def logout() -> bool:
    """Forget the default client's token, as dtlpy's ``dl.logout()``: calls need a new sign-in."""
    current = default.client()
    if current.is_local:
        return True
    found = _environments.get(current.environment)
    if found is not None:
        found.token = None
    default.set_client(connect(current.environment))
    return True
