"""``dlwidgets serve``: the embedded workspace's REST routes over HTTP, with token auth."""

from .app import WorkspaceServer, create_app
from .tokens import ForeignToken, InvalidToken, WeakSecret, create_token, verify_token, workspace_secret

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
