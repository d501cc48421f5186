"""The canvas commands a widget drew, read back from the messages recorded by the ``sent`` fixture or from
the annotator stage's synced drawing."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
from ipycanvas.canvas import COMMANDS

Sent = list[tuple[Any, list[bytes]]]  # (the custom message's content, its buffers)
NAMES = {number: name for name, number in COMMANDS.items()}


def commands(sent: Sent) -> list[tuple[str, list[Any]]]:
    """Each canvas command sent, by name, with its array arguments decoded."""
    found = []
    for _content, buffers in sent:
        listed = json.loads(buffers[0])
        batch = listed if listed and isinstance(listed[0], list) else [listed]
        rest = buffers[1:]
        for command in batch:
            name, args = NAMES.get(command[0], str(command[0])), command[1] if len(command) > 1 else []
            count = command[2] if len(command) > 2 else 0
            own, rest = rest[:count], rest[count:]
            decoded = [
                np.frombuffer(own[a["idx"]], dtype=a["dtype"]).reshape(a["shape"])
                if isinstance(a, dict) and "idx" in a
                else a
                for a in args
            ]
            if name != "switchCanvas":  # which layer the next commands draw on
                found.append((name, decoded))
    return found


def batch_commands(batch: list[Any]) -> list[tuple[str, list[Any]]]:
    """The commands of one of the stage's synced drawings (its ``drawing`` or ``highlight``): the buffers
    of one ipycanvas message."""
    return commands([({}, [bytes(b) for b in batch])]) if batch else []


def drawn(stage: Any) -> list[str]:
    """The names of the commands the stage's annotations layer holds now (since it was last cleared)."""
    return [name for name, _ in batch_commands(stage.drawing)]
