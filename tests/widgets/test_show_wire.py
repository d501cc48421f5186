"""What showing an item in the Annotator puts on the wire, counted where each comm message leaves the
kernel (not timed; benchmarks/annotator.py and benchmarks/peers.py time it): the image goes first and
untouched, its thumbnail in the stage's opening state with the item drawn, the full image in a message of
its own (in a kernel, once the cell that made it is done: after the cell's display), before the controls
and panels are built; a later item's full image in a message right after its thumbnail; and the messages,
models and bytes around it stay within their budgets. A change that adds models, messages or state to
every show fails here."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import comm
import numpy as np
import pytest

import dlwidgets as dw
from dlwidgets.widgets.annotator import Annotator

# One Annotator opened on a 1 MP JPEG with 50 boxes (the first-to-pixels case of benchmarks/peers.py), in
# a kernel that has shown one before (the anywidgets' modules go once per kernel, in SharedModule models):
# the widget models it opens, all its messages, and the bytes beside the image's (state as JSON; each
# anywidget's ``_esm`` is a 0.17 KB stub). Each model opens with its state (no updates after it), the
# layout is CSS, the status line is the kernel's shared one until it shows something, and the review bar
# and the drafts line are made when needed. The stage is one model, its drawing in its state; the toolbar's
# specs and the stage's shortcuts are the kernel's (one model for every bar, or stage, alike), and no model
# sends the values its page model has by default. The drawing sends an array once (the boxes' fill and
# stroke share x, y, width, height and colours): 4,417 bytes when sent twice (without label texts). The
# boxes' label texts are one command (5,964 bytes with one a text). The thumbnail, in the stage's opening
# state, is counted apart: it is the workspace's, its size depends on the image.
OPEN_MODELS = 4
OPEN_MESSAGES = 5  # the models' openings and the full image's
OPEN_BYTES_BESIDE_IMAGE = 4_350  # 4.3 KB
# The side panel's objects list, in its opening state: 50 boxes of two labels and a third, no attributes.
LISTED_BYTES = 200
# Showing the next item (4 MP; 1,000 boxes) with the side panel on the page: the stage's thumbnail (an
# update of its own, ahead of the image), the image, the stage's view and drawing, the panel's objects
# list with its other changes, the item counter and number;
# the bytes beside the image's, the side panel's left out (its objects list is tested with the panel).
SHOW_MESSAGES = 5
BIG_IMAGE = (2400, 1800)
SHOW_BYTES_BESIDE_IMAGE = 32 * 1024


@dataclass
class Message:
    """One comm message as it leaves the kernel: its type, its JSON payload's size, its buffers."""

    comm_id: str
    kind: str  # "comm_open", or the widget message's method: "update", "custom"
    json_bytes: int
    buffers: list[bytes]
    state: dict[str, Any]  # an opening's state ({} for other messages)


Wire = list[Message]


@pytest.fixture
def wire(monkeypatch: pytest.MonkeyPatch) -> Wire:
    """Every comm message any widget sends from now on, recorded as the kernel would send it. Without a
    kernel, comms are ``comm.DummyComm``s (ipycanvas's shared canvas manager's too, made at import)."""
    log: Wire = []

    def publish_msg(
        self: comm.DummyComm,
        msg_type: str,
        data: Any = None,
        metadata: Any = None,
        buffers: Any = None,
        **keys: Any,
    ) -> None:
        kind = msg_type if msg_type != "comm_msg" else (data or {}).get("method", "")
        payload = len(json.dumps(data, default=str).encode())
        state = (data or {}).get("state", {}) if msg_type == "comm_open" else {}
        log.append(Message(self.comm_id, kind, payload, [bytes(b) for b in buffers or ()], state))

    monkeypatch.setattr(comm.DummyComm, "publish_msg", publish_msg)
    return log


def during(wire: Wire, action: Callable[[], Any]) -> Wire:
    wire.clear()
    action()
    return list(wire)


def carrying(messages: Wire, data: bytes) -> list[int]:
    """The places of the messages that carry `data` as one of their buffers."""
    return [i for i, m in enumerate(messages) if data in m.buffers]


def beside(messages: Wire, *images: bytes) -> int:
    """The bytes the messages carry beside `images`: JSON payloads and other buffers."""
    buffers = sum(len(b) for m in messages for b in m.buffers)
    return sum(m.json_bytes for m in messages) + buffers - sum(len(i) for i in images)


def model_id(widget: Any) -> str:
    assert widget.comm is not None
    return str(widget.comm.comm_id)


def opening(messages: Wire, widget: Any) -> int:
    """The place of the message that opens ``widget``'s model."""
    return next(i for i, m in enumerate(messages) if m.kind == "comm_open" and m.comm_id == model_id(widget))


def upload(
    dataset: dw.Dataset, jpeg: bytes, name: str, boxes: int, seed: int, size: tuple[int, int] = (24, 18)
) -> dw.Item:
    item = dataset.items.upload(local_path=jpeg, remote_path="/wire", remote_name=name)
    assert isinstance(item, dw.Item)
    rng = np.random.default_rng(seed)
    builder = item.annotations.builder()
    for k, (x, y) in enumerate(rng.uniform(0, 600, (boxes, 2))):
        label = ("car", "person")[k % 2] if k < boxes - 1 else f"probe-{seed}"
        # By default too small on the 800 px canvas for label text, as in a crowded image.
        builder.add(dw.Box(left=x, top=y, right=x + size[0], bottom=y + size[1], label=label))
    item.annotations.upload(annotations=builder)
    return item


def test_an_annotator_opens_with_its_image_first_within_budget(
    dataset: dw.Dataset, make_jpeg: Callable[[int, int], bytes], wire: Wire
) -> None:
    jpeg = make_jpeg(1152, 864)
    item = upload(dataset, jpeg, "one.jpg", 50, 0, size=(90, 60))  # each with its label's text
    thumbnail = item.thumbnail()
    Annotator(item, width=800, height=520).close()  # the kernel's first: its modules go once
    annotators: list[Annotator] = []
    messages = during(wire, lambda: annotators.append(Annotator(item, width=800, height=520)))
    image = carrying(messages, jpeg)  # the stored bytes, untouched
    stage = opening(messages, annotators[0].stage)
    assert stage == 0 and len(messages[0].buffers) > 1, "the stage's model first, with the item drawn"
    assert carrying(messages, thumbnail) == [0], "the thumbnail in the stage's opening state"
    # Outside a cell (here) at once; in a kernel after the cell's display (the test in a kernel below).
    assert image == [1] and messages[1].kind == "custom", "the full image in a message of its own, next"
    opened = [i for i, m in enumerate(messages) if m.kind == "comm_open"]
    assert len(opened) == len({m.comm_id for m in messages if m.kind == "comm_open"}), "a model opened twice"
    assert messages[-1].comm_id == model_id(annotators[0]), "the annotator's own model last, with its parts"
    updates = [m for m in messages if m.kind == "update"]
    assert updates == [], "every model opens with its state: no update after it"
    models = sum(m.kind == "comm_open" for m in messages)
    assert models <= OPEN_MODELS, f"{models} widget models (budget {OPEN_MODELS})"
    assert len(messages) <= OPEN_MESSAGES, f"{len(messages)} messages (budget {OPEN_MESSAGES})"
    extra = beside(messages, jpeg, thumbnail)
    assert extra <= OPEN_BYTES_BESIDE_IMAGE, f"{extra:,} bytes beside the image's"
    # The objects list opens with the side panel: the page shows it without asking (no request, no reply
    # with the kernel's busy and idle statuses while the page opens), in its short form.
    listed = messages[opening(messages, annotators[0].side_panel)].state["listed"]
    assert listed["keys"] == [annotators[0].side_panel.objects[0]["key"], 50] and len(listed["labels"]) == 50
    assert len(json.dumps(listed)) <= LISTED_BYTES, f"{len(json.dumps(listed)):,} bytes of objects list"


def test_showing_the_next_item_is_its_image_and_a_few_small_messages(
    dataset: dw.Dataset, make_jpeg: Callable[[int, int], bytes], wire: Wire
) -> None:
    for label in ("probe-0", "probe-1"):
        dataset.ontology().add_label(label_name=label, color="#ff00ff")
    jpegs = [make_jpeg(*BIG_IMAGE) for _ in range(2)]
    items = [upload(dataset, jpeg, f"{n}.jpg", 1000, n) for n, jpeg in enumerate(jpegs)]
    annotator = Annotator(items, width=800, height=520)
    annotator.side_panel._on_message(annotator.side_panel, {"type": "objects"}, [])  # as its view does
    messages = during(wire, annotator.next)
    thumbnail = items[1].thumbnail()
    assert carrying(messages, thumbnail) == [0] and messages[0].kind == "update", "the thumbnail: state"
    assert carrying(messages, jpegs[1]) == [1], "the thumbnail first, then the image, before anything else"
    assert len(messages) <= SHOW_MESSAGES, [m.kind for m in messages]
    assert annotator.side_panel.comm is not None
    panel = annotator.side_panel.comm.comm_id
    extra = beside([m for m in messages if m.comm_id != panel], jpegs[1], thumbnail)
    assert extra <= SHOW_BYTES_BESIDE_IMAGE, f"{extra:,} bytes beside the image's"


def test_a_page_opened_later_reads_the_thumbnail_in_the_state_and_gets_the_full_image_once(
    dataset: dw.Dataset, make_jpeg: Callable[[int, int], bytes], wire: Wire
) -> None:
    jpeg = make_jpeg(*BIG_IMAGE)
    item = upload(dataset, jpeg, "one.jpg", 50, 0)
    annotator = Annotator(item, width=800, height=520)
    state = annotator.stage.get_state()  # what a page opening later reads
    assert state["later_page"] is True and state["thumbnail"]["image"] == item.thumbnail()
    assert "image" not in state, "the full image is the opening state's alone: the ready asks for it"
    messages = during(wire, lambda: annotator.stage._handle_custom_msg({"type": "ready"}, []))
    assert [m.buffers for m in messages] == [[jpeg]], "the full image alone, once: not the thumbnail again"


KERNEL_CELL = """\
import io
import numpy as np
from PIL import Image
import dlwidgets as dw

dw.connect(home={home!r})
dataset = dw.projects.create(project_name="wire").datasets.create(dataset_name="wire")
pixels = np.random.default_rng(0).integers(0, 256, (864, 1152, 3), dtype=np.uint8)
jpeg = io.BytesIO()
Image.fromarray(pixels).save(jpeg, format="JPEG", quality=90)
item = dataset.items.upload(local_path=jpeg.getvalue(), remote_path="/wire", remote_name="one.jpg")
item.annotations.upload(annotations=[dw.Box(left=10, top=10, right=200, bottom=100, label="car")])
annotator = dw.Annotator(item, width=800, height=520)
annotator
"""


def test_in_a_kernel_the_cells_display_reaches_the_page_before_the_full_image(tmp_path: Any) -> None:
    """A real kernel, as a page gets its messages: the stage opens with its thumbnail, the cell's display
    of the annotator comes next, and the full image (the stored JPEG) follows once, after it."""
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")
    try:
        msg_id = client.execute(KERNEL_CELL.format(home=str(tmp_path / "workspace")))
        iopub: list[dict[str, Any]] = []
        while not iopub or iopub[-1]["content"].get("execution_state") != "idle":
            msg = client.get_iopub_msg(timeout=120)
            if msg["parent_header"].get("msg_id") == msg_id:
                iopub.append(msg)
        reply = client.get_shell_msg(timeout=120)
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    kinds = [m["msg_type"] for m in iopub]
    views = [m.get("content", {}).get("data", {}) for m in iopub]  # ipywidgets 7: a display_data
    shown = next(i for i, d in enumerate(views) if "application/vnd.jupyter.widget-view+json" in d)
    images = [i for i, m in enumerate(iopub) if any(len(b) > 100_000 for b in m.get("buffers", []))]
    assert len(images) == 1, f"the full image once: {images} of {kinds}"
    assert images[0] > shown and kinds[images[0]] == "comm_msg", f"after the display: {kinds}"
    opened = [m for m in iopub if m["msg_type"] == "comm_open"]
    stage = next(m for m in opened if "thumbnail" in m["content"]["data"]["state"])
    thumbnail = [bytes(b) for b in stage["buffers"] if bytes(b[:2]) == b"\xff\xd8"]
    assert len(thumbnail) == 1 and len(thumbnail[0]) < 10_000, "the stage opens with its thumbnail"
