"""The Login widget: local and remote sign-in, clear errors, and the token kept out of widget state."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import ipywidgets as w
import pytest
from serving import free_port, serving, serving_app
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

import dlwidgets as dw
from dlwidgets.server import create_token, workspace_secret
from dlwidgets.widgets.login import Login

USER = "ann@example.com"


def all_widget_state(root: w.Widget) -> str:
    """Every synced trait of the widget and its children, as the notebook would save it."""
    states = []
    stack = [root]
    while stack:
        widget = stack.pop()
        states.append(widget.get_state())
        stack += [c for c in getattr(widget, "children", ()) if isinstance(c, w.Widget)]
    return json.dumps(states, default=str)


def test_local_sign_in_is_the_default(workspace_home: Path) -> None:
    login = Login()
    assert str(workspace_home) in login._local_info.value
    seen = []
    login.on_login(seen.append)
    client = login.sign_in()
    assert client is not None and client.is_local and seen == [client]
    assert dw.client_api is client
    assert "ann.lee@example.com" in login.status


def test_remote_sign_in_shows_who_where_and_until_when_and_forgets_the_token(workspace_home: Path) -> None:
    token = create_token(workspace_secret(workspace_home), USER, days=3)
    with serving(workspace_home) as url:
        login = Login()
        login._mode.value = "Platform or server"
        login._url.value = url
        login._token.value = token
        client = login.sign_in()
        assert client is not None and login.client is client
        assert client.json("GET", "/users/me")["email"] == USER
    assert login._token.value == ""
    assert token not in all_widget_state(login)
    assert token not in repr(client) and token not in login.status
    assert USER in login.status and url in login.status and "valid until" in login.status


def test_environment_variables_prefill_the_form(
    workspace_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = create_token(workspace_secret(workspace_home), USER)
    with serving(workspace_home) as url:
        monkeypatch.setenv("DLWIDGETS_URL", url)
        monkeypatch.setenv("DLWIDGETS_TOKEN", token)
        login = Login()
        assert login._mode.value == "Platform or server" and login._url.value == url
        assert token not in all_widget_state(login)
        assert login.sign_in() is not None


@pytest.mark.parametrize(
    ("url", "token", "message"),
    [
        ("gate.dataloop.ai/api/v1", "x.y.z", "must start with https://"),
        ("http://127.0.0.1:1/api/v1", "", "enter a token"),
    ],
)
def test_bad_forms_are_refused_with_a_message(url: str, token: str, message: str) -> None:
    login = Login()
    login._mode.value = "Platform or server"
    login._url.value, login._token.value = url, token
    assert login.sign_in() is None
    assert message in login.status


def test_expired_forged_unreachable_and_not_a_platform(workspace_home: Path) -> None:
    secret = workspace_secret(workspace_home)
    login = Login()
    login._mode.value = "Platform or server"
    with serving(workspace_home) as url:
        login._url.value = url
        assert login.sign_in(create_token(secret, USER, days=-1)) is None
        assert "expired on" in login.status
        assert login.sign_in(create_token(secrets.token_bytes(32), USER)) is None
        assert "refused the token" in login.status and "signature" in login.status
    login._url.value = f"http://127.0.0.1:{free_port()}/api/v1"
    assert login.sign_in(create_token(secret, USER)) is None
    assert "cannot reach" in login.status

    async def page(request: object) -> HTMLResponse:
        return HTMLResponse("<html>hello</html>")

    with serving_app(Starlette(routes=[Route("/api/v1/users/me", page)])) as root:
        login._url.value = f"{root}/api/v1"
        assert login.sign_in(create_token(secret, USER)) is None
        assert "not a Dataloop platform" in login.status


def test_an_api_key_that_is_no_jwt_is_sent_for_the_server_to_judge(workspace_home: Path) -> None:
    """A platform API key is a bearer token; the widget does not refuse one for its shape."""
    login = Login()
    login._mode.value = "Platform or server"
    with serving(workspace_home) as url:
        login._url.value = url
        assert login.sign_in("an-api-key-of-no-jwt-shape") is None
    assert "refused the token or API key" in login.status
