"""The one exception family of dlwidgets, mapped from HTTP status codes and back.

The store raises these in its route handlers, the routes turn them into a status and a JSON
``{"status", "message"}`` body, and the client turns that body back into the same exception, so local
and remote workspaces fail the same way.
"""

from __future__ import annotations


class PlatformError(Exception):
    """Base class: a request that the workspace or platform refused or could not serve."""

    status_code: int = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"{self.status_code}: {self.message}"


class BadRequest(PlatformError):
    """Raised when a request is malformed or names values the workspace does not accept (400)."""

    status_code = 400


class Unauthorized(PlatformError):
    """Raised when no valid token was sent, or it has expired (401)."""

    status_code = 401


class Forbidden(PlatformError):
    """Raised when the token is valid but its user may not touch the entity (403)."""

    status_code = 403


class NotFound(PlatformError):
    """Raised when the entity asked for does not exist, or is not visible to the user (404)."""

    status_code = 404


class Conflict(PlatformError):
    """Raised when a write collides with existing state: a duplicate name or a newer version (409)."""

    status_code = 409


class PayloadTooLarge(PlatformError):
    """Raised when a request body is over the server's size limit (413)."""

    status_code = 413


class StorageFull(PlatformError):
    """Raised when the disk holding the workspace has no room for a write; the message says how much
    the operation needed and how much was free (507)."""

    status_code = 507


class ConnectionFailed(PlatformError, ConnectionError):
    """Raised when the platform or server could not be reached, or the connection broke during a call
    or while a response streamed; it is a ``ConnectionError`` too (503)."""

    status_code = 503


class InternalServerError(PlatformError):
    """Raised when the server failed while serving a valid request (500)."""

    status_code = 500


class UnknownError(PlatformError):
    """Raised for any other non-2xx status; ``status_code`` holds the real one."""

    def __init__(self, message: str, status_code: int = 520) -> None:
        super().__init__(message)
        self.status_code = status_code


class ConversionError(ValueError):
    """Raised when an annotation file to import is malformed: the message names the file and the entry,
    and nothing of it has been imported."""


class WorkspaceTooNew(RuntimeError):
    """Raised when opening a workspace that a newer dlwidgets wrote, in a format this one cannot read."""


_BY_STATUS: dict[int, type[PlatformError]] = {
    cls.status_code: cls
    for cls in (
        BadRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        Conflict,
        PayloadTooLarge,
        InternalServerError,
        StorageFull,
    )
}


def from_status(status_code: int, message: str) -> PlatformError:
    """The exception a response with this status and message stands for."""
    cls = _BY_STATUS.get(status_code)
    if cls is None:
        return UnknownError(message, status_code)
    return cls(message)


__all__ = [
    "BadRequest",
    "Conflict",
    "ConnectionFailed",
    "Forbidden",
    "InternalServerError",
    "NotFound",
    "PayloadTooLarge",
    "PlatformError",
    "StorageFull",
    "Unauthorized",
    "UnknownError",
    "WorkspaceTooNew",
    "from_status",
]
