"""``Login``: choose the embedded workspace or a platform (or ``dlwidgets serve``) and sign in.

The token is typed into a password field, read by the kernel when "Sign in" is pressed and cleared from
the field at once, so it never stays in widget state (nor in a notebook saved with widget state). It is
never printed or shown: the widget shows the signed-in email, the environment and the expiry instead.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable

import ipywidgets as w

from ..api import Client, connect, default, default_home, signed_in, token_expiry
from ..exceptions import PlatformError, Unauthorized
from .base import WidgetBase, status_html

PLATFORM_URL = "https://gate.dataloop.ai/api/v1"
VALIDATE_TIMEOUT_S = 10.0
LOCAL, REMOTE = "Local workspace", "Platform or server"


class Login(WidgetBase):
    """Sign in; ``login.client`` is the connected client (also the default for ``dw.projects``)."""

    def __init__(self, home: str | None = None) -> None:
        self._home = home
        self._token_from_env = os.environ.get("DLWIDGETS_TOKEN") or None
        self.client: Client | None = None
        env_url = os.environ.get("DLWIDGETS_URL")
        make, wide = self.shared.make, {"width": "480px"}
        self._mode = make(w.ToggleButtons, options=[LOCAL, REMOTE], value=REMOTE if env_url else LOCAL)
        self._local_info = self.shared.html()
        self._url = make(w.Text, value=env_url or PLATFORM_URL, description="URL", layout=wide)
        placeholder = "from $DLWIDGETS_TOKEN" if self._token_from_env else "token or API key"
        self._token = make(w.Password, description="token", placeholder=placeholder, layout=wide)
        self._remote_box = self.shared.vbox(self._url, self._token)  # hidden for the workspace
        self._mode.observe(lambda _: self._show_mode(), names="value")
        super().__init__()
        self._button = self.button("Sign in", self.sign_in, icon="sign-in", button_style="primary")
        self.children = [self._mode, self._local_info, self._remote_box, self._button, self.status_line]
        self.add_class("dlw-login")
        self._show_mode()

    def on_login(self, callback: Callable[[Client], None], remove: bool = False) -> None:
        """Call ``callback(client)`` after every successful sign-in (``remove=True`` stops that)."""
        self.callbacks("on_login").register(callback, remove)

    def _show_mode(self) -> None:
        local = self._mode.value == LOCAL
        home = self._home or str(default_home())
        self._local_info.value = status_html("home", f"workspace: {home}") if local else ""
        self._remote_box.layout.display = "none" if local else ""

    def sign_in(self, token: str | None = None) -> Client | None:
        """Connect with what the form holds (or ``token``); errors are shown in the widget."""
        secret = token or self._token.value or self._token_from_env
        self._token.value = ""  # the kernel keeps it; the browser's copy goes now
        client = self.attempt(lambda: self._connect(secret))
        if client is None:
            return None
        self.client = default.set_client(client)
        self.notice(self._signed_in_text(client), css_class="dlw-signed-in")
        self.callbacks("on_login").fire(client)
        return client

    def _connect(self, token: str | None) -> Client:
        if self._mode.value == LOCAL:
            return connect(None, home=self._home)
        url = self._url.value.strip()
        if not url.startswith(("http://", "https://")):
            raise ValueError(
                f"environment URL {url!r} must start with https:// (or http:// for a local server)"
            )
        if not token:
            raise ValueError("enter a token or API key (or set $DLWIDGETS_TOKEN)")
        # A token is a JWT whose expiry can be read here; an API key may be any string: the server decides.
        exp = token_expiry(token)
        if exp is not None and exp <= datetime.datetime.now().timestamp():
            raise ValueError(f"that token expired on {_when(exp)}; get a new one")
        try:
            return signed_in(url, token, timeout=VALIDATE_TIMEOUT_S)
        except Unauthorized as e:
            raise ValueError(f"{url} refused the token or API key: {e.message}") from None
        except PlatformError as e:
            raise ValueError(
                f"{url} does not look like a Dataloop platform or dlwidgets server ({e})"
            ) from None

    def _signed_in_text(self, client: Client) -> str:
        expiry = f", token valid until {_when(client.expires_at)}" if client.expires_at else ""
        return f"signed in as {client.user_email} on {client.environment}{expiry}"


def _when(epoch: float) -> str:
    return datetime.datetime.fromtimestamp(epoch, tz=datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
