"""Notebook widgets over the API layer; each widget lives in its own module."""

from .annotator import Annotator
from .login import Login

__all__ = ["Annotator", "Login"]
