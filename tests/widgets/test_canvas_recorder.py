"""The stage's drawn layers in the kernel: a ``CanvasRecorder`` takes ipycanvas's calls and records them
(the same commands and arrays as a held ipycanvas ``Canvas`` sends, written shorter), the record restarts at
each clear with the styles set before it, and the page's replay (js/stage_replay.js) names the same
ipycanvas command and attribute numbers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from canvas_messages import Sent, batch_commands, commands, texts_drawn
from ipycanvas import Canvas, hold_canvas
from ipycanvas.canvas import COMMANDS

from dlwidgets.widgets.annotator.canvas_recorder import CALLS, EXTENSIONS, CanvasRecorder

STAGE_JS = Path(__file__).resolve().parents[2] / "js" / "stage_replay.js"


def draw(layer: CanvasRecorder | Canvas) -> None:
    """A little of everything the annotator draws with."""
    xs = np.array([1, 20], dtype=np.int16)
    colors = np.array([[255, 0, 0], [0, 255, 0]], dtype=np.uint8)
    layer.line_width = 2
    layer.fill_styled_rects(xs, xs, xs, xs, colors, alpha=0.5)
    layer.stroke_style = "#ffffff"
    layer.stroke_polygon([[0, 0], [5, 0], [5, 5]])
    points = np.array([[0, 0], [5, 0], [5, 5], [9, 9], [9, 1], [1, 9]], dtype=np.int16)
    layer.fill_styled_polygons(points, colors, 0.35, np.array([3, 3], dtype=np.int16))
    layer.set_line_dash([6, 4])
    layer.fill_text("car", 3, 4)


def test_a_recording_draws_what_ipycanvas_would_send(sent: Sent) -> None:
    canvas = Canvas(width=40, height=40)
    sent.clear()
    with hold_canvas():
        draw(canvas)
    recorder = CanvasRecorder()
    recorder.clear()
    draw(recorder)
    expected = [("clear", []), *commands(sent)]
    got = batch_commands(recorder.batch())
    assert [name for name, _ in got] == [name for name, _ in expected]
    for (_, ours), (_, theirs) in zip(got, expected, strict=True):
        assert [np.asarray(a).tolist() for a in ours] == [np.asarray(a).tolist() for a in theirs]


def test_an_array_already_in_the_batch_is_sent_once() -> None:
    recorder = CanvasRecorder()
    recorder.clear()
    draw(recorder)  # one x array for x, y, width and height, one colour array for boxes and polygons
    xs = np.array([1, 20], dtype=np.int16).tobytes()
    colors = np.array([[255, 0, 0], [0, 255, 0]], dtype=np.uint8).tobytes()
    listed_json, arrays = recorder.batch()  # the commands, then their arrays in one buffer
    assert arrays.count(xs) == 1 and arrays.count(colors) == 1, "each sent, once"
    listed = [arg for command in json.loads(listed_json) for arg in command[1] if isinstance(arg, dict)]
    sent_once = [next(iter(arg.items())) for arg in listed if "same" not in arg]  # {dtype: shape}
    assert len(arrays) == sum(np.dtype(dtype).itemsize * np.prod(shape) for dtype, shape in sent_once)
    again = [arg for arg in listed if "same" in arg]
    assert again and all(arg.keys() <= {"same", "shape"} for arg in again), "named by its place alone"


def test_many_texts_are_one_command_that_draws_what_fill_text_would(sent: Sent) -> None:
    texts = ["car", "person", "car", "car (not in ontology)"]
    xs, ys = np.array([1, 20, 300, -4], dtype=np.int16), np.array([5, 6, 7, 500], dtype=np.int16)
    canvas = Canvas(width=40, height=40)
    sent.clear()
    with hold_canvas():
        canvas.translate(3, 3)
        for text, x, y in zip(texts, xs.tolist(), ys.tolist(), strict=True):
            canvas.fill_text(text, x, y)
    recorder = CanvasRecorder()
    recorder.clear()
    recorder.translate(3, 3)
    recorder.fill_texts(texts, xs, ys)
    found = batch_commands(recorder.batch())
    assert [name for name, _ in found] == ["clear", "translate", "fillTexts"]
    assert texts_drawn(found) == texts_drawn(commands(sent))
    expected = [(t, x + 3, y + 3) for t, x, y in zip(texts, xs.tolist(), ys.tolist(), strict=True)]
    assert [t[:3] for t in texts_drawn(found)] == expected
    assert recorder.batch()[0].count(b'"car"') == 1, "each distinct text sent once"


def test_a_clear_restarts_the_record_with_the_styles_set_before_it() -> None:
    changes: list[int] = []
    recorder = CanvasRecorder(lambda: changes.append(1))
    draw(recorder)
    recorder.clear()
    assert recorder.is_blank
    names = [name for name, _ in batch_commands(recorder.batch())]
    assert names == ["clear", "set", "set", "setLineDash"], "line width, stroke colour and dash kept"
    recorder.fill_rect(0, 0, 4)
    assert not recorder.is_blank and changes, "each call is told"


def test_a_call_the_page_cannot_replay_fails_in_the_kernel() -> None:
    with pytest.raises(AttributeError, match="draw only"):
        CanvasRecorder().draw_image(None)  # type: ignore[attr-defined]


def test_the_page_replays_every_call_under_ipycanvas_numbers() -> None:
    text = STAGE_JS.read_text()
    table = re.search(r"const COMMANDS = \{(.*?)\};", text, re.S)
    assert table is not None
    numbers = dict(re.findall(r"(\w+): (\d+)", table.group(1)))
    assert {name: int(n) for name, n in numbers.items()} == {name: COMMANDS[name] for name in numbers}
    ours = re.search(r"const EXTENSIONS = \{(.*?)\};", text, re.S)
    assert ours is not None
    extensions = {name: int(n) for name, n in re.findall(r"(\w+): (\d+)", ours.group(1))}
    assert extensions == EXTENSIONS and not set(EXTENSIONS.values()) & set(COMMANDS.values())
    numbers |= extensions
    recorder = CanvasRecorder()
    recorder.clear()
    draw(recorder)
    recorder.fill_rects([1], [1], 2)
    recorder.stroke_rects([1], [1], 2)
    recorder.fill_circle(1, 1, 2)
    recorder.stroke_circle(1, 1, 2)
    recorder.fill_styled_circles(np.array([1]), np.array([1]), 2, np.array([[1, 2, 3]], dtype=np.uint8))
    recorder.stroke_line(0, 0, 1, 1)
    recorder.stroke_lines([[0, 0], [1, 1]])
    recorder.stroke_rect(0, 0, 1, 1)
    lines = np.array([[0, 0], [1, 1]], dtype=np.int16)
    recorder.stroke_styled_polygons(lines, np.array([[1, 2, 3]], dtype=np.uint8), 1, np.array([2]))
    recorder.stroke_styled_line_segments(lines, np.array([[1, 2, 3]], dtype=np.uint8), 1, np.array([2]))
    recorder.stroke_styled_rects([1], [1], [1], [1], np.array([[1, 2, 3]], dtype=np.uint8))
    recorder.translate(1, 1)
    recorder.fill_texts(["car"], [1], [1])
    used = {name for name, _ in batch_commands(recorder.batch())}
    assert used <= set(numbers), f"the page cannot replay {used - set(numbers)}"
    assert len(CALLS) >= 19
    attrs = re.search(r"const ATTRS = .*?\(\{(.*?)\}\)", text, re.S)
    assert attrs is not None
    named = {int(n): js for n, js in re.findall(r'(\d+): "(\w+)"', attrs.group(1))}
    camel = {"fill_style": "fillStyle", "stroke_style": "strokeStyle", "line_width": "lineWidth"}
    camel |= {"font": "font", "text_baseline": "textBaseline"}
    assert named == {Canvas.ATTRS[name]: js for name, js in camel.items()}
