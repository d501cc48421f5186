"""The label texts beside boxes in a real browser: the stage sends them as one command for many texts (an
extension of ipycanvas's vocabulary, replayed by js/stage_replay.js), and the page draws each where the
kernel put it, in its ink, pixel for pixel as the browser's own ``fillText`` at that place does."""

from __future__ import annotations

from typing import Any

from widgets.canvas_messages import batch_commands, texts_drawn

from .polling import poll
from .views import open_annotator

CELL = """\
import io
import numpy as np
from PIL import Image
import dlwidgets as dw

# Label texts in white on a red plate and in black on a yellow one, over a black image.
dw.connect(home=str(OUT / "workspace"))
dataset = dw.projects.create(project_name="e2e").datasets.create(dataset_name="labels")
for name, color in {"car": "#ff0000", "person": "#ffff00"}.items():
    dataset.ontology().add_label(label_name=name, color=color)
black = io.BytesIO()
Image.new("RGB", (640, 400)).save(black, format="JPEG")
item = dataset.items.upload(local_path=black.getvalue(), remote_path="/e2e", remote_name="black.jpg")
boxes = [(40, 60, 200, 180, "car"), (300, 200, 460, 330, "person"), (480, 40, 620, 150, "car")]
item.annotations.upload([dw.Box(left=l, top=t, right=r, bottom=b, label=n) for l, t, r, b, n in boxes])
annotator = dw.Annotator(item)

def dump_drawing(_change=None):
    dump("drawing.json", [bytes(b).hex() for b in annotator.stage.drawing])

dump_drawing()
annotator.stage.observe(dump_drawing, "drawing")
annotator
"""

# For each text: the pixels the browser's own fillText of it, on a blank canvas, covers mostly (small text is
# antialiased: few pixels are wholly covered), how many the stage's annotations canvas shows nearly in that
# ink (over the label's plate), and (a control) how many 3 px up-left of them it shows so.
_INK_MATCH_JS = """(canvas, texts) => {
  const reference = document.createElement("canvas");
  reference.width = canvas.width;
  reference.height = canvas.height;
  const ref = reference.getContext("2d");
  const shown = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  const near = (i, rgb) => shown[i + 3] > 230 && [0, 1, 2].every((c) => Math.abs(shown[i + c] - rgb[c]) < 70);
  return texts.map(([text, x, y, fill, font]) => {
    ref.clearRect(0, 0, reference.width, reference.height);
    Object.assign(ref, { font, textBaseline: "top", fillStyle: fill });
    ref.fillText(text, x, y);
    const solid = ref.getImageData(0, 0, reference.width, reference.height).data;
    const rgb = [1, 3, 5].map((k) => parseInt(fill.slice(k, k + 2), 16));
    let cores = 0, matched = 0, shifted = 0;
    for (let i = 0; i < solid.length; i += 4) {
      if (solid[i + 3] < 192) continue;
      cores++;
      if (near(i, rgb)) matched++;
      const moved = i - 4 * (3 * canvas.width + 3);
      if (moved >= 0 && near(moved, rgb)) shifted++;
    }
    return [cores, matched, shifted];
  });
}"""


def test_the_label_texts_are_drawn_where_the_kernel_put_them(open_notebook: Any) -> None:
    view = open_annotator(open_notebook, [CELL])
    canvas = view.layers
    seen: list[Any] = []

    def check() -> bool | None:
        batch = [bytes.fromhex(b) for b in view.notebook.wait_file("drawing.json")]
        texts = texts_drawn(batch_commands(batch))
        counts = canvas.evaluate(_INK_MATCH_JS, [list(t) for t in texts])
        seen[:] = [texts, counts]
        sorted_texts = sorted(t.text for t in texts)
        inks = {t.text: t.fill_style for t in texts}
        if sorted_texts != ["car", "car", "person"] or inks != {"car": "#ffffff", "person": "#000000"}:
            return None
        # Every solid pixel of each text in its ink; 3 px away, most are not (the check sees position).
        drawn = [
            cores >= 20 and matched == cores and shifted < cores / 2 for cores, matched, shifted in counts
        ]
        return all(drawn) or None

    poll(check, timeout=30, what="the label texts drawn where the kernel put them", explain=lambda: f"{seen}")
