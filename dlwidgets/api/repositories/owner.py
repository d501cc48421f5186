"""The owner a repository acts within (an item's dataset, an annotation's item ...), which the module-level
repositories (``dw.items``, ``dw.annotations`` ...) do not have: they only get entities by id, as in dtlpy."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def required(owner: T | None, repository: str, kind: str) -> T:
    """``owner``, or a ``ValueError`` saying which repository to call instead."""
    if owner is None:
        raise ValueError(
            f"dw.{repository} reaches {repository} by id only; this call needs a {kind}: "
            f"use {kind}.{repository}.<call>(...), e.g. dw.{kind}s.get({kind}_id=...).{repository}"
        )
    return owner
