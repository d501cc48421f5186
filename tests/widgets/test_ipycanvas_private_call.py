"""The annotator draws each image by sending its stored JPEG as ipycanvas's ``putImageData`` command
through ``_canvas_manager.send_draw_command``, a private call. These tests fail loudly when an ipycanvas
release changes that call or the message its public ``put_image_data`` sends; pyproject pins ipycanvas
below its next minor version so that such a release is met here first, not by users. The browser side
(the JPEG decoded and drawn) is tested by tests/e2e/test_annotator.py's image pixels."""

from __future__ import annotations

import inspect
import io
import json
from typing import Any

import ipycanvas
import numpy as np
from canvas_messages import Sent
from ipycanvas.canvas import COMMANDS
from PIL import Image

from dlwidgets.widgets.annotator.canvas_drawing import put_encoded_image


def put_image_commands(sent: Sent) -> list[tuple[list[Any], list[bytes]]]:
    """The ``putImageData`` commands among the recorded canvas messages, with the image buffers each
    carries. A canvas message's first buffer is its command list as JSON bytes."""
    found = []
    for _content, buffers in sent:
        command = json.loads(buffers[0])
        if command[0] == COMMANDS["putImageData"]:
            found.append((command, buffers[1:]))
    return found


def jpeg(width: int, height: int) -> tuple[np.ndarray[Any, Any], bytes]:
    pixels = np.zeros((height, width, 3), dtype=np.uint8)
    pixels[:, : width // 2] = (200, 30, 30)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG")
    return pixels, buffer.getvalue()


def test_the_private_call_is_there_with_the_arguments_we_pass() -> None:
    canvas = ipycanvas.Canvas(width=8, height=8)
    manager = canvas._canvas_manager
    assert "putImageData" in COMMANDS, "ipycanvas renamed or dropped its putImageData command"
    parameters = list(inspect.signature(manager.send_draw_command).parameters)
    assert parameters == ["canvas", "name", "args", "buffers"], (
        f"ipycanvas changed _CanvasManager.send_draw_command to {parameters}: put_encoded_image must follow"
    )


def test_the_stored_jpeg_goes_as_the_public_put_image_data_sends_one(sent: Sent) -> None:
    pixels, stored = jpeg(64, 48)
    canvas = ipycanvas.Canvas(width=64, height=48)

    canvas.put_image_data(pixels, 0, 0)
    ((public_command, public_buffers),) = put_image_commands(sent)
    # The public call encodes an RGB array as JPEG and the browser decodes whatever encoded image comes.
    assert public_command == [COMMANDS["putImageData"], [0, 0], 1]
    assert public_buffers[0].startswith(b"\xff\xd8"), "ipycanvas's putImageData no longer carries a JPEG"

    sent.clear()
    put_encoded_image(canvas, stored)
    ((command, buffers),) = put_image_commands(sent)
    assert command == public_command
    assert buffers == [stored], "the stored bytes travel untouched, as the one image buffer"
