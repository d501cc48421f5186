"""The API layer: entities, ``Filters``, the ``Client`` with its repositories, and the transports."""

from .client import LOCAL_ENVIRONMENT, Client, connect, token_expiry
from .entities import *  # noqa: F403
from .entities import __all__ as _entities
from .filters import *  # noqa: F403
from .filters import __all__ as _filters
from .login import signed_in
from .repositories.annotations import SavedAnnotations
from .repositories.items import remote_dir
from .transport import LocalTransport

__all__ = [
    *_entities,
    *_filters,
    "LOCAL_ENVIRONMENT",
    "Client",
    "LocalTransport",
    "SavedAnnotations",
    "connect",
    "remote_dir",
    "signed_in",
    "token_expiry",
]
