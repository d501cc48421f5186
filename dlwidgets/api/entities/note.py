"""QA notes, as the platform stores them: a ``note`` annotation, a box whose coordinates also hold the
conversation, ``{"box": [top-left, bottom-right], "note": {"messages", "status", "createTime", "creator",
"assignee"}}``, with the note's status (``issue`` while open) in ``metadata.system.status``, as dtlpy's
``annotation_definitions/note.py`` writes it.

A reviewer rejects an item by uploading a ``Note`` on it; the annotator reads ``annotation.messages``.
"""

from __future__ import annotations

import time
from typing import Any

from .annotation import DEFINITIONS, Box, Definition


def _user() -> str | None:
    """The signed-in user of the default client, as dtlpy fills a note's creator."""
    from .. import default

    return default.client().user_email


class Message:
    """One message of a note: who wrote what, when (epoch milliseconds)."""

    def __init__(
        self,
        msg_id: str | None = None,
        creator: str | None = None,
        msg_time: int | None = None,
        body: str | None = None,
    ) -> None:
        if body is not None and not isinstance(body, str):
            raise TypeError(f"a note message's body is a string, got {body!r:.80}")
        self.id = msg_id
        self.time = msg_time if msg_time is not None else int(time.time() * 1000)
        self.body = body
        self.creator = creator if creator is not None else _user()

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "creator": self.creator, "time": self.time, "body": self.body}

    @staticmethod
    def from_json(data: dict[str, Any]) -> Message:
        return Message(
            msg_id=data.get("id"),
            msg_time=data.get("time"),
            body=data.get("body"),
            creator=data.get("creator"),
        )

    def __repr__(self) -> str:
        return f"Message(creator={self.creator!r}, body={self.body!r})"


class Note(Definition):
    """A note on an area of an item (the whole image, for a note on the item), with its messages."""

    type = "note"

    def __init__(
        self,
        left: float,
        top: float,
        right: float,
        bottom: float,
        label: str,
        attributes: dict[str, Any] | None = None,
        messages: list[Message | str] | Message | str | None = None,
        status: str = "issue",
        assignee: str | None = None,
        create_time: int | None = None,
        creator: str | None = None,
        description: str | None = None,
    ) -> None:
        super().__init__(label, attributes, description)
        self.box = Box(left=left, top=top, right=right, bottom=bottom, label=label)
        self.left, self.top, self.right, self.bottom = (
            self.box.left,
            self.box.top,
            self.box.right,
            self.box.bottom,
        )
        listed = messages if isinstance(messages, list) else [] if messages is None else [messages]
        self.messages = [m if isinstance(m, Message) else Message(body=m) for m in listed]
        self.status = status
        self.create_time = create_time
        self.creator = creator if creator is not None else _user()
        self.assignee = assignee if assignee is not None else self.creator

    def add_message(self, body: str) -> Message:
        message = Message(body=body)
        self.messages.append(message)
        return message

    def coordinates(self) -> dict[str, Any]:
        return {
            "box": self.box.coordinates(),
            "note": {
                "messages": [m.to_json() for m in self.messages],
                "status": self.status,
                "createTime": self.create_time,
                "creator": self.creator,
                "assignee": self.assignee,
            },
        }

    def system_metadata(self) -> dict[str, Any]:
        return {"status": self.status}

    def _key(self) -> Any:
        return self.coordinates()

    @classmethod
    def from_coordinates(cls, coordinates: Any, label: str, attributes: dict[str, Any]) -> Note:
        box = Box.from_coordinates((coordinates or {}).get("box"), label, attributes)
        note = (coordinates or {}).get("note") or {}
        return cls(
            left=box.left,
            top=box.top,
            right=box.right,
            bottom=box.bottom,
            label=label,
            attributes=attributes,
            messages=[Message.from_json(m) for m in note.get("messages") or []],
            status=note.get("status", "open"),
            creator=note.get("creator", "me"),
            assignee=note.get("assignee", "me"),
            create_time=note.get("createTime", 0),
        )


# A stored 'note' annotation reads back as a Note.
DEFINITIONS[Note.type] = Note
