"""``/users/me``: who the caller is."""

from __future__ import annotations

from typing import Any

from ..routing import Request, router
from ..workspace import Workspace


@router.route("GET", "/users/me")
def me(ws: Workspace, req: Request) -> dict[str, Any]:
    name = req.user.split("@")[0]
    return {"id": req.user, "email": req.user, "username": name, "firstName": name, "lastName": ""}
