"""Signing in as the platform's notebooks do (``dl.add_environment``, ``dl.setenv``, ``dl.login_token``,
``dl.login_api_key``, ``dl.login_m2m``), with ``import dlwidgets as dl`` against ``dlwidgets serve``.
The official SDK signs in with the same calls in ``server/dtlpy_scripts.py``."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from serving import serving

import dlwidgets as dl
from dlwidgets.server import create_token, workspace_secret

USER = "ann@example.com"


def test_the_notebook_recipe_signs_in_to_dlwidgets_serve(workspace_home: Path) -> None:
    token = create_token(workspace_secret(workspace_home), USER)
    with serving(workspace_home) as url:
        gate = url.removesuffix("/api/v1")
        dl.add_environment(environment=url, gate_url=gate, url=gate + "/", alias="team", verify_ssl=False)
        dl.setenv("team")
        assert dl.token_expired()
        dl.login_token(token)
        assert dl.info() == {"environment": url, "user_email": USER}
        assert not dl.token_expired()
        project = dl.projects.create(project_name="signed-in")
        assert dl.projects.get(project_id=project.id).creator == USER

        dl.setenv(url)  # by URL too, with the token it was signed in with
        assert [p.name for p in dl.projects.list()] == ["signed-in"]


def test_an_api_key_is_a_bearer_token_checked_against_users_me(workspace_home: Path) -> None:
    key = create_token(workspace_secret(workspace_home), USER)
    with serving(workspace_home) as url:
        dl.add_environment(environment=url, alias="team")
        dl.setenv("team")
        with pytest.raises(ValueError, match="Invalid API key provided") as refused:
            dl.login_api_key(api_key="not-a-key-this-server-signed")
        assert "not-a-key" not in str(refused.value)
        assert dl.token_expired()  # the refused key is not kept
        dl.login_api_key(api_key=key)
        assert dl.info()["user_email"] == USER


def test_login_m2m_says_that_dlwidgets_serve_has_no_passwords(workspace_home: Path) -> None:
    with serving(workspace_home) as url:
        dl.add_environment(environment=url, alias="team")
        dl.setenv("team")
        # As dtlpy: False, and signed out; the warning says what to do instead.
        with pytest.warns(UserWarning, match=r"dlwidgets token create --email ann@example\.com"):
            assert dl.login_m2m(email=USER, password="secret") is False
        assert dl.token_expired() and dl.info()["user_email"] == "null"


def test_unknown_environments_are_named_with_the_known_ones() -> None:
    with pytest.raises(ConnectionError, match=r"Unknown platform environment: 'nowhere'\. Known: .*prod"):
        dl.setenv("nowhere")
    with pytest.raises(ValueError, match="must be an API URL"):
        dl.add_environment(environment="gate.example.com")


def test_the_embedded_workspace_needs_no_sign_in() -> None:
    dl.login_token("anything")
    dl.login_api_key(api_key="anything")
    assert dl.login_m2m(email=USER, password="secret") is True
    assert dl.client_api.is_local


def test_the_client_says_when_its_token_expires() -> None:
    token = create_token(b"k" * 32, USER, days=2)
    client = dl.connect("http://127.0.0.1:1/api/v1", token=token)
    assert client.expires_at == dl.api.token_expiry(token)
    assert client.expires_at is not None and 0 < client.expires_at - time.time() <= 2 * 86400
    assert dl.connect("http://127.0.0.1:1/api/v1", token="an-api-key").expires_at is None
    assert dl.connect("http://127.0.0.1:1/api/v1").expires_at is None
