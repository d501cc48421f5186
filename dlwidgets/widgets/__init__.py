"""Notebook widgets over the API layer; each widget lives in its own module."""

from .annotator import Annotator

__all__ = ["Annotator"]
