"""How many widget models each widget makes on big ontologies, crowded items and the demo (the goals in
tests/scale_data.py), so that a change which makes more fails the run."""

from __future__ import annotations

from collections.abc import Callable

from scale_data import ANNOTATOR_GROWTH_GOAL, MODEL_GOALS, big_ontology, image_item, live_models

import dlwidgets as dw
from dlwidgets.demo import create_demo
from dlwidgets.widgets import Annotator, OntologyEditor, Studio

EDITOR = "OntologyEditor, 1,000 labels and 50 attributes"
STUDIO = "Studio on the demo dataset"


def models_made_by(make: Callable[[], object]) -> int:
    """Widget models alive after `make()` that were not before (the widget is kept alive meanwhile)."""
    before = live_models()
    widget = make()
    made = live_models() - before
    del widget
    return made


def test_the_ontology_editor_makes_a_bounded_number_of_models(client: dw.Client) -> None:
    goal = MODEL_GOALS[EDITOR]
    project = client.projects.create(project_name="scale")
    # A widget's count never shrinks as the ontology grows, so a small ontology already over the goal
    # settles the case without building the big one.
    small = big_ontology(project, "twenty-labels", labels=20, attributes=5)
    made = models_made_by(lambda: OntologyEditor(small))
    assert made <= goal, f"{made} models for 20 labels and 5 attributes (goal: {goal} at 1,000 and 50)"
    big = big_ontology(project, "thousand-labels")
    made = models_made_by(lambda: OntologyEditor(big))
    assert made <= goal, f"{made} models for 1,000 labels and 50 attributes (goal: {goal})"


def test_the_annotators_models_do_not_grow_with_labels_and_annotations(client: dw.Client) -> None:
    project = client.projects.create(project_name="scale")
    base = models_made_by(lambda: Annotator(image_item(big_ontology(project, "ten", 10, 0), 0)))
    # As above: growth already at 100 labels and 500 annotations settles the case quickly.
    for labels, boxes in ((100, 500), (1000, 5000)):
        item = image_item(big_ontology(project, f"labels-{labels}", labels, 0), boxes)
        grown = models_made_by(lambda item=item: Annotator(item)) - base
        assert grown <= ANNOTATOR_GROWTH_GOAL, (
            f"{grown} more models at {labels} labels and {boxes} annotations than at 10 and 0 ({base})"
        )


def test_the_studio_on_the_demo_makes_a_bounded_number_of_models(client: dw.Client) -> None:
    goal = MODEL_GOALS[STUDIO]
    demo = create_demo(client)

    def studio_on_the_demo() -> Studio:
        studio = Studio(client)
        studio.browser.dataset = demo
        return studio

    made = models_made_by(studio_on_the_demo)
    assert made <= goal, f"{made} models (goal: {goal})"
