"""``member(kind, value, what)``: a value given as an enum member or its value, as dtlpy takes them."""

from __future__ import annotations

from enum import Enum
from typing import Any, TypeVar

E = TypeVar("E", bound=Enum)


def member(kind: type[E], value: Any, what: str) -> E:
    """``value`` as a member of the enum ``kind``; anything else is refused, naming the accepted values."""
    try:
        return kind(value.value if isinstance(value, Enum) else value)
    except ValueError:
        raise ValueError(
            f"{what} {value!r} is not one of {[m.value for m in kind]} (dw.{kind.__name__})"
        ) from None
