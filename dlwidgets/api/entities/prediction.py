"""Model predictions as the platform keeps them: ``metadata.user.model`` (``confidence``, ``name``,
``model_id``), written exactly as dtlpy's ``builder.add(..., model_info=)`` writes it.

A prediction is an annotation with that metadata and ``metadata.system.automated`` true (made by a
program, as the SDK marks every annotation it uploads). Accepting one makes it a human annotation the
way the platform tells them apart: ``automated`` turns false, and the model metadata stays as provenance.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any


def model_metadata(model_info: Any) -> dict[str, Any]:
    """``metadata.user.model`` for ``model_info``: ``{'confidence', 'name', 'model_id'}``, the confidence a
    float from 0 to 1, as dtlpy checks and writes it."""
    if not isinstance(model_info, Mapping) or "confidence" not in model_info:
        raise ValueError(
            f"model_info must be a dict with a 'confidence' from 0 to 1 (and optionally 'name' and "
            f"'model_id'), got {model_info!r}"
        )
    try:
        confidence = float(model_info["confidence"])
    except (TypeError, ValueError):
        confidence = math.nan
    if not 0 <= confidence <= 1:
        raise ValueError(
            f"model_info 'confidence' must be a number from 0 to 1, got {model_info['confidence']!r}"
        )
    return {"confidence": confidence, "name": model_info.get("name"), "model_id": model_info.get("model_id")}


def add_model_info(data: dict[str, Any], model_info: Any) -> dict[str, Any]:
    """``data`` (an annotation's JSON) with ``metadata.user.model`` set from ``model_info``; returns it."""
    model = model_metadata(model_info)
    metadata = dict(data.get("metadata") or {})  # copies: the caller's dicts stay as they were
    metadata["user"] = {**(metadata.get("user") or {}), "model": model}
    data["metadata"] = metadata
    return data


def model_info_of(metadata: Mapping[str, Any]) -> dict[str, Any] | None:
    """The ``metadata.user.model`` of an annotation's metadata, or None for an annotation no model made."""
    user = metadata.get("user")
    model = user.get("model") if isinstance(user, Mapping) else None
    return dict(model) if isinstance(model, Mapping) else None


def is_prediction_metadata(metadata: Mapping[str, Any] | None) -> bool:
    """Whether an annotation with ``metadata`` is a model's prediction not accepted yet: it has model info
    (``metadata.user.model``) and is still ``automated``. Asked of every shape of every item an Annotator
    shows: most have no ``user`` metadata, answered after two lookups."""
    if not metadata:
        return False
    user = metadata.get("user")
    if not isinstance(user, Mapping) or not isinstance(user.get("model"), Mapping):
        return False  # ``user`` as another tool may write it (a name) holds no model info
    return (metadata.get("system") or {}).get("automated") is not False
