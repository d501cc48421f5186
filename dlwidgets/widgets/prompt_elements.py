"""``PromptElements``: the back-end of ``js/prompt_elements.js``, the PromptComposer's prompts and their
elements as one anywidget, however many there are.

The prompts travel as data in one synced list (``prompt_rows`` makes it from a ``PromptItem``); the
browser draws them and sends each edit as a small custom message (``ElementsMessage``), which the composer
applies to its draft. Typing in a text element or a prompt's key is sent as typed and is not sent back
(the list holds it from the next redraw on), so nothing is redrawn under the cursor. The traits and
messages are written down twice, alike: as the TypedDicts here and as JSDoc typedefs in
``js/prompt_elements.js``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, TypedDict

import traitlets

from ..api import PromptItem, PromptType
from .assets import asset
from .message_widget import MessageWidget


class ElementRow(TypedDict):
    """One element as the list shows it: a text's ``value``, or what a media element references."""

    mimetype: str
    value: str  # the text; for media, the stream URL
    label: str  # for media: "image/*: /images/dog.jpg"; "" for text


class PromptRow(TypedDict):
    """One prompt (a turn) as the list shows it."""

    key: str
    role: str
    elements: list[ElementRow]


class PromptEdit(TypedDict):
    """Browser -> kernel: a prompt's key or role, as typed or chosen."""

    type: Literal["prompt"]
    prompt: int
    field: Literal["key", "role"]
    value: str


class TextEdit(TypedDict):
    """Browser -> kernel: a text element's text, as typed."""

    type: Literal["text"]
    prompt: int
    element: int
    value: str


class ElementMove(TypedDict):
    type: Literal["move"]
    prompt: int
    element: int
    offset: int


class ElementDelete(TypedDict):
    type: Literal["delete"]
    prompt: int
    element: int


class PromptDelete(TypedDict):
    type: Literal["delete-prompt"]
    prompt: int


class ElementAdd(TypedDict):
    """Browser -> kernel: "+ text", or "+ image" (audio, video) with what is selected in the picker."""

    type: Literal["add"]
    prompt: int
    kind: Literal["text", "image", "audio", "video"]


ElementsMessage = PromptEdit | TextEdit | ElementMove | ElementDelete | PromptDelete | ElementAdd


def prompt_rows(prompt_item: PromptItem, names: Mapping[str, str]) -> list[PromptRow]:
    """The prompts of ``prompt_item``; ``names`` (stream URL: file name) labels the media elements."""
    rows = []
    for prompt in prompt_item.prompts:
        elements = []
        for element in prompt.elements:
            mimetype, value = str(element["mimetype"]), str(element["value"])
            label = "" if mimetype == PromptType.TEXT.value else f"{mimetype}: {names.get(value, value)}"
            elements.append(ElementRow(mimetype=mimetype, value=value, label=label))
        rows.append(PromptRow(key=prompt.key, role=prompt.role, elements=elements))
    return rows


class PromptElements(MessageWidget):
    """The prompts, each with its key, role, elements (moved, deleted, texts edited) and add buttons."""

    _esm = asset("prompt_elements.js")
    _css = asset("prompt_elements.css")
    prompts = traitlets.List(traitlets.Dict()).tag(sync=True)
    roles = traitlets.List(traitlets.Unicode()).tag(sync=True)
