"""The page an Annotator is shown in asks its stage for nothing while it opens: every message it sends costs
the kernel's busy and idle status back, in every page. The kernel sized the stage for the page already (a
fixed size, or the width a page as wide reported before), and the opening state tells the page that got it
that it needs no image again. A page opened later (reloaded) asks for the image, and only for it."""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Page, WebSocket

from .page import NotebookPage, OpenNotebook
from .test_annotator import QUADRANTS, WORKSPACE_CELL
from .views import AnnotatorView

FIXED_CELL = "annotator = dw.Annotator(item, width=640, height=400, autosave=False)\nannotator\n"
FLUID_CELL = "annotator = dw.Annotator(item, autosave=False)\nannotator\n"
_SAVE_JS = "() => window.jupyterapp.commands.execute('docmanager:save')"


@dataclass
class SentToKernel:
    """The widget messages (``comm_msg`` contents' data) the page sends on its kernel websockets."""

    messages: list[dict[str, Any]] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        """Watch the kernel websockets `page` opens from now on (before the notebook loads)."""
        page.on("websocket", self._watch)

    def _watch(self, socket: WebSocket) -> None:
        if "/api/kernels/" in socket.url:
            socket.on("framesent", self._sent)

    def _sent(self, payload: str | bytes) -> None:
        header, content = _message(payload)
        if header.get("msg_type") == "comm_msg":
            self.messages.append(content.get("data", {}))

    def stage(self) -> list[Any]:
        """The stage's messages: its "ready", its "resize" (the side panel asks for its objects list, once per
        view, and is left out)."""
        contents = [m.get("content") for m in self.messages if m.get("method") == "custom"]
        return [c for c in contents if c.get("type") in ("ready", "resize")]


def _message(payload: str | bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and content of one frame: JSON text, or the ``v1.kernel.websocket.jupyter.org`` layout
    (the number of offsets, the offsets, then channel, header, parent header, metadata, content ...)."""
    if isinstance(payload, str):
        message = json.loads(payload)
        return message.get("header", {}), message.get("content", {})
    (count,) = struct.unpack_from("<Q", payload, 0)
    offsets = struct.unpack_from(f"<{count}Q", payload, 8)
    parts = [payload[offsets[i] : offsets[i + 1]] for i in range(min(count - 1, 5))]
    return json.loads(parts[1]), json.loads(parts[4])


def _wait_image(notebook: NotebookPage, when: str) -> AnnotatorView:
    """The annotator's view, once its image is drawn."""
    notebook.wait_widget(".dlw-annotator canvas.dlw-gestures")
    view = AnnotatorView(notebook)
    view.wait_image_pixel(600, 380, (*QUADRANTS["bottom-right"], 255), f"the image {when}")
    return view


def _shown(page: Page, open_notebook: OpenNotebook, cell: str) -> tuple[SentToKernel, NotebookPage]:
    """`cell`'s annotator shown in a notebook, with what its page sends recorded from the page's load."""
    sent = SentToKernel()
    sent.attach(page)
    notebook = open_notebook([WORKSPACE_CELL, cell])
    notebook.run_all()
    return sent, notebook


def _reloaded(notebook: NotebookPage) -> AnnotatorView:
    """The notebook saved and its page loaded again (the kernel, and the annotator, still run)."""
    notebook.page.evaluate(_SAVE_JS)
    notebook.open()
    return _wait_image(notebook, "after the page was reloaded")


def test_the_page_sends_nothing_while_an_annotator_opens_and_asks_for_the_image_after_a_reload(
    page: Page, open_notebook: OpenNotebook
) -> None:
    sent, notebook = _shown(page, open_notebook, FIXED_CELL)
    _wait_image(notebook, "as first shown")
    notebook.wait_ready()
    assert sent.stage() == [], "the page the annotator was made for asks the stage for nothing"
    _reloaded(notebook)
    assert sent.stage() == [{"type": "ready"}], "the reloaded page asks for the image, once"


def test_a_reloaded_page_as_wide_as_the_first_reports_no_width(
    page: Page, open_notebook: OpenNotebook
) -> None:
    sent, notebook = _shown(page, open_notebook, FLUID_CELL)
    view = _wait_image(notebook, "as first shown")
    width = view.shown_view()["canvas_width"]  # once the kernel has sized the stage to the page's width
    assert {m["type"] for m in sent.stage()} == {"resize"}, "the fluid stage's width reported, no ready"
    sent.messages.clear()
    reloaded = _reloaded(notebook)
    assert reloaded.shown_view()["canvas_width"] == width
    notebook.wait_ready()
    assert sent.stage() == [{"type": "ready"}], "the reloaded page asks for the image and reports no width"
