"""The API layer: entities, ``Filters``, the ``Client`` with its repositories, and the transports."""

from .client import LOCAL_ENVIRONMENT, Client, connect
from .entities import *  # noqa: F403
from .entities import __all__ as _entities
from .filters import Filters, FiltersMethod, FiltersOperations, FiltersOrderByDirection, FiltersResource
from .transport import LocalTransport

__all__ = [
    *_entities,
    "LOCAL_ENVIRONMENT",
    "Client",
    "Filters",
    "FiltersMethod",
    "FiltersOperations",
    "FiltersOrderByDirection",
    "FiltersResource",
    "LocalTransport",
    "connect",
]
