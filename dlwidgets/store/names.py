"""Names as the store keeps them: strings in Unicode NFC, without characters that hide or fake text.

A name that prints the same as another must be the same name, so every name is normalised to NFC. Control
characters (CR/LF above all), bidi overrides and zero-width characters make a name look like something it
is not, so they are refused, naming the character. The zero-width joiners U+200C and U+200D are kept:
Persian, Indic scripts and emoji sequences need them.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from ..exceptions import BadRequest

# Bidi embeddings, overrides, isolates and marks; zero-width space, word joiner and BOM; line separators.
_HIDDEN = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u2060\ufeff\u2028\u2029"
)


def hidden_character(text: str) -> str | None:
    """The first control, bidi or zero-width character in ``text``, or None."""
    for char in text:
        if char in _HIDDEN or unicodedata.category(char) == "Cc":
            return char
    return None


def describe(char: str) -> str:
    """``U+202E (RIGHT-TO-LEFT OVERRIDE)``."""
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'a control character')})"


def check_name(value: Any, what: str) -> str:
    """``value`` as a stored name: a non-empty string, NFC-normalised, with no hidden characters.
    ``what`` says whose name it is in the error (``a project name``)."""
    if not isinstance(value, str):
        raise BadRequest(f"{what} must be a string, got {value!r:.80} ({type(value).__name__})")
    name = unicodedata.normalize("NFC", value)
    if not name.strip():
        raise BadRequest(f"{what} must be a non-empty string, got {value!r}")
    char = hidden_character(name)
    if char is not None:
        raise BadRequest(
            f"{what} {value!r:.120} contains {describe(char)}; names may not hold control, bidi or "
            "zero-width characters"
        )
    return name
