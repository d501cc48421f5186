"""``dlwidgets serve``: the embedded workspace's REST routes over HTTP, with token auth."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .tokens import ForeignToken, InvalidToken, WeakSecret, create_token, verify_token, workspace_secret

if TYPE_CHECKING:
    from .app import WorkspaceServer, create_app

__all__ = [
    "ForeignToken",
    "InvalidToken",
    "WeakSecret",
    "WorkspaceServer",
    "create_app",
    "create_token",
    "verify_token",
    "workspace_secret",
]


def __getattr__(name: str) -> Any:
    # The app needs the 'serve' extra (Starlette) and tokens do not: `dlwidgets token create` works
    # without it, and the app is imported when first asked for.
    if name in ("WorkspaceServer", "create_app"):
        from . import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
