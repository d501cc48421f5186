"""Reviewing a model's predictions in a real browser, in JupyterLab 4 and Notebook 7: two predictions
(scores 0.9 and 0.3) on the image, the confidence slider set to 0.5 in its readout hides the weak
one, Next selects the strong one, Accept and Save store it as a person's annotation with its model info
kept, while the weak one stays a prediction. Then, on an assignment of two items, "Accept all in the
assignment…" says how many it will accept on how many items, and "Accept them" stores them."""

from __future__ import annotations

import re

import dlwidgets as dw

from .page import NotebookPage, OpenNotebook
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

annotator.review.observe(dump_review, names="values")
annotator.on_save(lambda item, annotations: dump("saved.json", {{"count": len(annotations)}}))
annotator
"""


ASSIGNMENT_CELL = f"""\
detr = {DETR!r}
second = dataset.items.upload(local_path=jpeg.getvalue(), remote_path="/e2e", remote_name="second.jpg")
for target, score in ((item, 0.9), (item, 0.3), (second, 0.8)):
    box = dw.Box(top=40, left=40 + 100 * score, bottom=160, right=280, label="car")
    target.annotations.upload([box], model_info={{**detr, "confidence": score}})
task = dataset.tasks.create(task_name="review", assignee_ids=["ann@example.com"], items=[item, second])
annotator = dw.Annotator(task.assignments.list()[0], review=True)
annotator.review.observe(lambda change: dump("threshold.json", change["new"]["threshold"]), names="values")
annotator
"""


def set_threshold(notebook: NotebookPage, value: str) -> None:
    """Type ``value`` into the score slider's readout, as a person would."""
    readout = notebook.output(".dlw-review").locator("input.dlw-cb-readout").first
    readout.click()
    notebook.page.keyboard.press("Control+a")
    notebook.page.keyboard.type(value)
    notebook.page.keyboard.press("Enter")


def press(notebook: NotebookPage, name: str) -> None:
    """Click the review bar's button whose whole label is ``name``."""
    button = notebook.output(".dlw-review").locator("button")
    button.filter(has_text=re.compile(rf"^\s*{re.escape(name)}\s*$")).click()


def stored(notebook: NotebookPage) -> dict[str, list[tuple[float, bool]]]:
    """(confidence, automated) of each annotation, by item name, as the workspace holds them."""
    client = dw.connect(home=str(notebook.out_dir / "workspace"))
    dataset = client.projects.get(project_name="e2e").datasets.get(dataset_name="street")
    found = {
        item.name: sorted(((a.model_info or {})["confidence"], a.automated) for a in item.annotations.list())
        for item in dataset.items.list().all()
    }
    client.close()
    return found


def test_the_slider_hides_a_weak_prediction_and_accepting_one_is_stored(open_notebook: OpenNotebook) -> None:
    notebook = open_notebook([WORKSPACE_CELL, REVIEW_CELL])
    notebook.run_all()
    notebook.wait_widget(".dlw-annotator .dlw-review")
    notebook.wait_ready()
    set_threshold(notebook, "0.5")
    shown = notebook.wait_file("review.json", until=lambda s: s["threshold"] >= 0.5 - 1e-9)
    assert shown == {"threshold": 0.5, "shown": 1}

    press(notebook, "Next")
    press(notebook, "Accept")
    notebook.output(".dlw-annotator").locator("button").filter(has_text=re.compile(r"^\s*Save\s*$")).click()
    assert notebook.wait_file("saved.json") == {"count": 2}

    assert stored(notebook) == {"quadrants.jpg": [(0.3, True), (0.9, False)]}


def test_accept_all_in_the_assignment_says_how_many_then_stores_them(open_notebook: OpenNotebook) -> None:
    notebook = open_notebook([WORKSPACE_CELL, ASSIGNMENT_CELL])
    notebook.run_all()
    notebook.wait_widget(".dlw-annotator .dlw-queue")
    notebook.wait_ready()
    set_threshold(notebook, "0.5")
    notebook.wait_file("threshold.json", until=lambda value: value >= 0.5 - 1e-9)
    press(notebook, "Accept all in the assignment…")
    question = notebook.output(".dlw-review-question")
    question.wait_for(timeout=30_000)
    assert question.inner_text() == "Accept 2 predictions at or above 0.50 on 2 items in the assignment?"
    press(notebook, "Accept them")
    notice = notebook.output(".dlw-annotator .dlw-accepted")
    notice.filter(has_text="accepted 2 predictions on 2 items").wait_for(timeout=30_000)
    assert not question.is_visible()
    assert stored(notebook) == {
        "quadrants.jpg": [(0.3, True), (0.9, False)],  # the item shown: accepted in its edits, autosaved
        "second.jpg": [(0.8, False)],  # accepted in the store
    }
