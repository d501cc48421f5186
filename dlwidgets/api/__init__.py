"""The API layer: entities, ``Filters``, the ``Client`` with its repositories, and the transports."""

from ..store import default_home
from . import default
from .client import LOCAL_ENVIRONMENT, Client, connect, token_expiry
from .converter import AnnotationFormat, Converter
from .entities import *  # noqa: F403
from .entities import __all__ as _entities
from .entities.item import metadata_diff
from .entities.masks import data_url_image, mask_runs
from .entities.ontology import derive_display_label, normalize_color
from .entities.prediction import is_prediction_metadata
from .filters import *  # noqa: F403
from .filters import __all__ as _filters
from .login import signed_in
from .repositories.annotations import SavedAnnotations, prediction_filters, with_predictions
from .repositories.items import remote_dir
from .transport import LocalTransport

__all__ = [
    *_entities,
    *_filters,
    "LOCAL_ENVIRONMENT",
    "AnnotationFormat",
    "Client",
    "Converter",
    "LocalTransport",
    "SavedAnnotations",
    "connect",
    "data_url_image",
    "default",
    "default_home",
    "derive_display_label",
    "is_prediction_metadata",
    "mask_runs",
    "metadata_diff",
    "normalize_color",
    "prediction_filters",
    "remote_dir",
    "signed_in",
    "token_expiry",
    "with_predictions",
]
