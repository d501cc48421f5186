"""Prompt items: ``PromptItem`` holds ordered ``Prompt`` turns, each a list of typed elements.

``PromptItem.to_json()`` is the platform's prompt file (``shebang: dataloop``, ``metadata.dltype:
prompt``); uploading a ``PromptItem`` stores that file, and image elements keep the referenced item's
``stream`` URL, never a copy of its bytes.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .item import Item


class PromptType(str, Enum):
    """Element mimetypes as the platform writes them."""

    TEXT = "application/text"
    IMAGE = "image/*"
    AUDIO = "audio/*"
    VIDEO = "video/*"
    METADATA = "metadata"


class Prompt:
    """One turn of a conversation: a key, a role and ordered elements."""

    def __init__(self, key: str, role: str = "user") -> None:
        if not isinstance(key, str) or not key:
            raise ValueError(f"a prompt needs a non-empty key, got {key!r}")
        self.key = key
        self.role = role
        self.elements: list[dict[str, Any]] = []

    def add_element(self, mimetype: PromptType | str, value: Any) -> None:
        kind = PromptType(mimetype)
        if kind == PromptType.TEXT and not isinstance(value, str):
            raise ValueError(f"a text element's value must be a string, got {value!r}")
        if kind in (PromptType.IMAGE, PromptType.AUDIO, PromptType.VIDEO) and not (
            isinstance(value, str) and value
        ):
            raise ValueError(f"a {kind.name.lower()} element's value is a stream URL, got {value!r}")
        self.elements.append({"mimetype": kind.value, "value": value})

    def to_json(self) -> list[dict[str, Any]]:
        return [*self.elements, {"mimetype": PromptType.METADATA.value, "value": {"role": self.role}}]

    @classmethod
    def from_json(cls, key: str, elements: list[dict[str, Any]]) -> Prompt:
        prompt = cls(key)
        for element in elements:
            if element.get("mimetype") == PromptType.METADATA.value:
                prompt.role = (element.get("value") or {}).get("role", prompt.role)
            else:
                prompt.elements.append(dict(element))
        return prompt

    def __repr__(self) -> str:
        return f"Prompt(key={self.key!r}, role={self.role!r}, elements={len(self.elements)})"


class PromptItem:
    """A prompt item before (or after) upload; ``name`` becomes the file name, ``.json`` added."""

    def __init__(self, name: str, prompts: list[Prompt] | None = None) -> None:
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"a prompt item needs a name, got {name!r}")
        self.name = name if name.endswith(".json") else f"{name}.json"
        self.prompts: list[Prompt] = list(prompts or [])
        # The stored item this prompt item was read from (``from_item``), else None.
        self.item: Item | None = None

    @classmethod
    def from_item(cls, item: Item) -> PromptItem:
        """The prompt item stored as ``item`` (a JSON file the platform marks ``dltype: prompt``), read
        back with its prompts, as dtlpy's ``PromptItem.from_item``."""
        shebang = item.system.get("shebang") or {}
        if "json" not in (item.mimetype or "") or shebang.get("dltype") != "prompt":
            raise ValueError(
                f"item {item.filename!r} is not a prompt item: expecting a json item with "
                f"system.shebang.dltype = prompt, got mimetype {item.mimetype!r} and shebang {shebang!r}"
            )
        prompt_item = cls.from_json(item.name, json.loads(item.read()))
        prompt_item.item = item
        return prompt_item

    def to_json(self) -> dict[str, Any]:
        keys = [p.key for p in self.prompts]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise ValueError(f"prompt keys must be unique within a prompt item; repeated: {repeated}")
        return {
            "shebang": "dataloop",
            "metadata": {"dltype": "prompt"},
            "prompts": {p.key: p.to_json() for p in self.prompts},
        }

    @classmethod
    def from_json(cls, name: str, data: dict[str, Any]) -> PromptItem:
        if data.get("shebang") != "dataloop" or (data.get("metadata") or {}).get("dltype") != "prompt":
            raise ValueError(f"{name!r} is not a prompt item (no 'shebang: dataloop' with dltype 'prompt')")
        return cls(name, [Prompt.from_json(k, v) for k, v in (data.get("prompts") or {}).items()])

    def __repr__(self) -> str:
        return f"PromptItem(name={self.name!r}, prompts={self.prompts!r})"
