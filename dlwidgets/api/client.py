"""``Client``: one ``httpx.Client`` speaking the platform's REST dialect, and ``connect()`` to make one.

``connect()`` opens the embedded workspace through ``LocalTransport``; ``connect(url, token=...)`` a remote
platform or ``dlwidgets serve`` over HTTP. Everything above this module is the same for both.
"""

from __future__ import annotations

import base64
import getpass
import ipaddress
import json
import os
import time
import warnings
from collections.abc import Callable, Generator, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any
from urllib.parse import urlsplit

import httpx

from ..exceptions import ConnectionFailed, from_status
from ..store import Store, default_home
from ..store.documents import non_finite_path
from .retry import RetryTransport
from .transport import LocalTransport

LOCAL_ENVIRONMENT = "http://dlwidgets.localhost/api/v1"
TIMEOUT = httpx.Timeout(120.0, connect=10.0)


class BearerAuth(httpx.Auth):
    """Sends the token on every request; keeps it out of headers dicts, reprs and logs."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __repr__(self) -> str:
        return "BearerAuth(<hidden>)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["authorization"] = f"Bearer {self._token}"
        yield request


def local_user() -> str:
    """The embedded workspace's user: ``$DLWIDGETS_EMAIL``, else ``<login name>@localhost``."""
    return os.environ.get("DLWIDGETS_EMAIL") or f"{getpass.getuser()}@localhost"


def jwt_claims(token: str) -> dict[str, Any]:
    """The claims of a JWT, read without checking its signature (the server checks it)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}
    return claims if isinstance(claims, dict) else {}


def token_expiry(token: str) -> float | None:
    """When a JWT says it expires (seconds since the epoch); None for an API key or a JWT without ``exp``."""
    exp = jwt_claims(token).get("exp")
    return float(exp) if isinstance(exp, (int, float)) and not isinstance(exp, bool) else None


class Client:
    """A connection to one workspace or platform environment, with the tutorial's repositories on it."""

    def __init__(
        self,
        environment: str,
        *,
        token: str | None = None,
        transport: httpx.BaseTransport | None = None,
        user_email: str | None = None,
    ) -> None:
        self.environment = environment.rstrip("/")
        # What the transport can do, not what class it is: see the transport module's docstring.
        self.is_local = getattr(transport, "in_process", False) is True
        self._transaction: Callable[[], AbstractContextManager[Any]] = getattr(
            transport, "transaction", nullcontext
        )
        self._token = token
        claims = jwt_claims(token) if token else {}
        self.user_email: str = user_email or claims.get("email") or "null"
        self._expires_at = token_expiry(token) if token else None
        self.http = httpx.Client(
            base_url=self.environment,
            transport=transport,
            auth=BearerAuth(token) if token else None,
            timeout=TIMEOUT,
            headers={"user-agent": "dlwidgets"},
        )
        from .repositories.annotations import AnnotationsById
        from .repositories.datasets import Datasets
        from .repositories.items import Items
        from .repositories.label_check import DatasetOntologies
        from .repositories.ontologies import Ontologies
        from .repositories.projects import Projects
        from .repositories.recipes import Recipes
        from .repositories.tasks import Assignments, Tasks

        self.projects = Projects(self)
        # Reach entities by id, as dtlpy's module-level repositories do (``dl.items.get(item_id=...)``).
        self.datasets = Datasets(self)
        self.items = Items(self)
        self.annotations = AnnotationsById(self)
        self.recipes = Recipes(self)
        self.ontologies = Ontologies(self)
        self.tasks = Tasks(self)
        self.assignments = Assignments(self)
        self.dataset_ontologies = DatasetOntologies(self)  # for the label check of annotation uploads

    def __repr__(self) -> str:
        return f"Client({self.environment!r}, user={self.user_email!r})"

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    def info(self) -> dict[str, str]:
        """Who and where: ``{'environment', 'user_email'}`` (never the token)."""
        return {"environment": self.environment, "user_email": self.user_email}

    @property
    def expires_at(self) -> float | None:
        """When the token expires (seconds since the epoch), or None: no token, an API key, or local."""
        return self._expires_at

    def token_expired(self, leeway_s: float = 60.0) -> bool:
        """True when a remote token is missing or expires within ``leeway_s``; the embedded one never does."""
        if self.is_local:
            return False
        if self._token is None:
            return True
        return self._expires_at is not None and time.time() >= self._expires_at - leeway_s

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """On a transport with transactions (the embedded workspace's), the calls made inside are one
        transaction: if one raises, none of them is kept. A remote platform has none: each call stands
        alone."""
        with self._transaction():
            yield

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send one API call; a non-2xx answer raises the matching ``dlwidgets.exceptions`` error, and an
        unreachable server a ``ConnectionFailed`` naming it."""
        try:
            response = self.http.request(method, path, **kwargs)
        except ValueError:
            # httpx refuses NaN and infinity while encoding a JSON body, without saying where they are.
            _check_finite(kwargs.get("json"), f"{method} {path}")
            raise
        except httpx.TransportError as e:
            raise self._connection_failed(e) from None
        self._raise_for_status(response)
        warning = response.headers.get("x-item-warning")
        if warning:
            warnings.warn(warning, stacklevel=3)
        return response

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.request(method, path, **kwargs).json()

    @contextmanager
    def stream(self, method: str, path: str, **kwargs: Any) -> Iterator[httpx.Response]:
        """A streamed response, checked for errors before its body is read; a connection that fails to
        open, or breaks while the body is read, raises ``ConnectionFailed`` as ``request`` does."""
        try:
            with self.http.stream(method, path, **kwargs) as response:
                self._raise_for_status(response)
                yield response
        except httpx.TransportError as e:
            raise self._connection_failed(e) from None

    def _connection_failed(self, error: httpx.TransportError) -> ConnectionFailed:
        return ConnectionFailed(f"cannot reach {self.environment}: {type(error).__name__}: {error}")

    @staticmethod
    def _raise_for_status(response: httpx.Response) -> None:
        if response.is_success:
            return
        response.read()
        try:
            body = response.json()
            message = body.get("message") if isinstance(body, dict) else None
        except ValueError:
            message = None
        raise from_status(response.status_code, message or response.text or response.reason_phrase)


def _check_finite(body: Any, what: str) -> None:
    """JSON has no NaN or infinity: name where one sits before the body is even encoded."""
    where = non_finite_path(body)
    if where is not None:
        raise ValueError(f"the body of {what} holds a NaN or infinite number at {where}; send finite numbers")


def connect(
    url: str | None = None,
    *,
    token: str | None = None,
    home: str | os.PathLike[str] | None = None,
    attempts: int = 4,
    backoff: float = 0.25,
) -> Client:
    """Open a client: the embedded workspace (at ``home``, else ``$DLWIDGETS_HOME`` or ``~/.dlwidgets``)
    when ``url`` is None, else the platform or ``dlwidgets serve`` at ``url`` (``https://host/api/v1``).
    A remote call is tried up to ``attempts`` times on transient failures, ``backoff * 2**n`` seconds
    apart (see ``dlwidgets.api.retry``)."""
    if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
        raise ValueError(f"attempts must be a whole number of tries >= 1, got {attempts!r}")
    if isinstance(backoff, bool) or not isinstance(backoff, int | float) or not 0 <= backoff <= 60:
        raise ValueError(f"backoff must be a number of seconds from 0 to 60, got {backoff!r}")
    if url is None:
        user = local_user()
        store = Store(home if home is not None else default_home())
        return Client(LOCAL_ENVIRONMENT, transport=LocalTransport(store, user), user_email=user)
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"environment URL {url!r} must start with http:// or https://")
    if url.startswith("http://") and not _is_loopback(url):
        warnings.warn(
            f"{url} is plain http: the token and every byte cross the network unencrypted; use https:// "
            "(for dlwidgets serve, a reverse proxy with TLS in front: see the README's Security section)",
            UserWarning,
            stacklevel=2,
        )
    transport = RetryTransport(httpx.HTTPTransport(), attempts=attempts, backoff=backoff)
    return Client(url, token=token, transport=transport)


def _is_loopback(url: str) -> bool:
    """Whether ``url`` names this machine, where plain http never leaves it."""
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
