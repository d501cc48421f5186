"""Reviewing a model's predictions in a real browser, in JupyterLab 4 and Notebook 7: two predictions
(scores 0.9 and 0.3) on the image, the confidence slider set to 0.5 in its readout hides the weak
one, Next selects the strong one, Accept and Save store it as a person's annotation with its model info
kept, while the weak one stays a prediction."""

from __future__ import annotations

import re

import dlwidgets as dw

from .page import OpenNotebook
from .test_annotator import WORKSPACE_CELL

DETR = {"name": "detr", "confidence": 0.9, "model_id": "m-1"}

REVIEW_CELL = f"""\
detr = {DETR!r}
item.annotations.upload([dw.Box(top=40, left=40, bottom=160, right=280, label="car")], model_info=detr)
item.annotations.upload([dw.Box(top=240, left=360, bottom=360, right=600, label="car")],
                        model_info={{**detr, "confidence": 0.3}})
annotator = dw.Annotator(item, review=True, autosave=False)

def dump_review(*_):
    review = annotator.review
    dump("review.json", {{"threshold": review.threshold, "shown": len(review.predictions())}})

annotator.review.slider.observe(dump_review, names="value")
annotator.on_save(lambda item, annotations: dump("saved.json", {{"count": len(annotations)}}))
annotator
"""


def test_the_slider_hides_a_weak_prediction_and_accepting_one_is_stored(open_notebook: OpenNotebook) -> None:
    notebook = open_notebook([WORKSPACE_CELL, REVIEW_CELL])
    notebook.run_all()
    notebook.wait_widget(".dlw-annotator .dlw-review")
    notebook.wait_ready()
    review = notebook.output(".dlw-review")
    readout = review.locator(".widget-readout").first  # the slider's value, typed over
    readout.click()
    notebook.page.keyboard.press("Control+a")
    notebook.page.keyboard.type("0.5")
    notebook.page.keyboard.press("Enter")
    shown = notebook.wait_file("review.json", until=lambda s: s["threshold"] >= 0.5 - 1e-9)
    assert shown == {"threshold": 0.5, "shown": 1}

    def press(name: str) -> None:
        review.locator("button").filter(has_text=re.compile(rf"^\s*{name}\s*$")).click()

    press("Next")
    press("Accept")
    notebook.output(".dlw-annotator").locator("button").filter(has_text=re.compile(r"^\s*Save\s*$")).click()
    assert notebook.wait_file("saved.json") == {"count": 2}

    client = dw.connect(home=str(notebook.out_dir / "workspace"))
    item = (
        client.projects.get(project_name="e2e")
        .datasets.get(dataset_name="street")
        .items.get(filepath="/e2e/quadrants.jpg")
    )
    stored = sorted(((a.model_info or {})["confidence"], a.automated) for a in item.annotations.list())
    assert stored == [(0.3, True), (0.9, False)]
    client.close()
