"""dlwidgets: the Dataloop getting-started workflow inside a notebook, as widgets over a typed API.

``import dlwidgets as dw`` gives the tutorial's names (``dw.projects``, ``dw.Filters``, ``dw.Box``,
``dw.exceptions`` ...) acting on a default client: the embedded workspace on disk unless
``dw.connect(url, token=...)`` chose a platform or ``dlwidgets serve``.
"""

# ruff: noqa: F405  (the star import below brings dtlpy's FILTERS_* constants)
import os
from typing import Any

from . import exceptions
from .api import (
    Annotation,
    AnnotationArrays,
    AnnotationBuilder,
    AnnotationCollection,
    Assignment,
    Attribute,
    AttributesRange,
    AttributesTypes,
    Box,
    Classification,
    Client,
    Dataset,
    Ellipse,
    ExportType,
    ExportVersion,
    Item,
    ItemStatus,
    Label,
    Message,
    Note,
    Ontology,
    OutputExportType,
    PagedEntities,
    Point,
    Polygon,
    Polyline,
    Project,
    Prompt,
    PromptItem,
    PromptType,
    Recipe,
    Segmentation,
    Task,
    ViewAnnotationOptions,
)
from .api import default as _default
from .api.converter import AnnotationFormat, Converter
from .api.filters import *  # noqa: F403  (dtlpy's FILTERS_* constants)
from .api.filters import __all__ as _filter_names
from .api.login import add_environment, login_api_key, login_m2m, login_token, logout, setenv

__version__ = "0.1.0"


def connect(
    url: str | None = None,
    *,
    token: str | None = None,
    home: str | os.PathLike[str] | None = None,
    attempts: int = 4,
    backoff: float = 0.25,
) -> Client:
    """Open the embedded workspace (no ``url``) or a platform / ``dlwidgets serve`` at ``url``, and make
    it the default client that ``dw.projects`` and friends use. A remote call is tried up to ``attempts``
    times on transient failures, ``backoff * 2**n`` seconds apart."""
    return _default.connect_default(url, token=token, home=home, attempts=attempts, backoff=backoff)


def info() -> dict[str, str]:
    """``{'environment', 'user_email'}`` of the default client."""
    return _default.client().info()


def token_expired() -> bool:
    """Whether the default client's token needs renewing (never for the embedded workspace)."""
    return _default.client().token_expired()


def login(token: str | None = None) -> bool:
    """Make sure the default client can make calls: a no-op on the embedded workspace; on a remote one,
    ask for a token (or API key) if none is given, then check it with ``/users/me``."""
    current = _default.client()
    if current.is_local:
        return True
    if token is None:
        import getpass

        token = getpass.getpass(f"Token or API key for {current.environment}: ")
    login_token(token)
    return True


# dtlpy's module-level repositories: ``dw.items.get(item_id=...)`` and friends.
_REPOSITORIES = (
    "annotations", "assignments", "datasets", "items", "ontologies", "projects", "recipes", "tasks",
)  # fmt: skip

_WIDGETS = (
    "Annotator",
    "Browser",
    "Dropzone",
    "Login",
    "MyWork",
    "OntologyEditor",
    "PromptComposer",
    "Studio",
    "TaskCreator",
)


def __getattr__(name: str) -> Any:
    # Widgets load ipywidgets and friends only when first asked for, so API-only use stays light.
    if name in _WIDGETS:
        from . import widgets

        return getattr(widgets, name)
    # Module attributes that follow the default client, which dw.connect() may replace.
    if name in _REPOSITORIES:
        return getattr(_default.client(), name)
    if name == "client_api":
        return _default.client()
    raise AttributeError(f"module 'dlwidgets' has no attribute {name!r}")


__all__ = [
    "Annotation",
    "AnnotationArrays",
    "AnnotationBuilder",
    "AnnotationCollection",
    "AnnotationFormat",
    "Annotator",
    "Assignment",
    "Attribute",
    "AttributesRange",
    "AttributesTypes",
    "Box",
    "Browser",
    "Classification",
    "Client",
    "Converter",
    "Dataset",
    "Dropzone",
    "Ellipse",
    "ExportType",
    "ExportVersion",
    "Item",
    "ItemStatus",
    "Label",
    "Login",
    "Message",
    "Note",
    "Ontology",
    "OutputExportType",
    "OntologyEditor",
    "PagedEntities",
    "Point",
    "Polygon",
    "MyWork",
    "Polyline",
    "Project",
    "Prompt",
    "PromptComposer",
    "PromptItem",
    "PromptType",
    "Recipe",
    "Segmentation",
    "Studio",
    "Task",
    "TaskCreator",
    "ViewAnnotationOptions",
    "add_environment",
    "connect",
    "exceptions",
    "info",
    "login",
    "login_api_key",
    "login_m2m",
    "login_token",
    "logout",
    "setenv",
    "token_expired",
    *_filter_names,
]  # fmt: skip
