"""Every widget model lives in the kernel and in the browser until it is closed: a widget's everyday
action, repeated, keeps the number of live models within a small constant, and ``close()`` leaves
nothing of what the widget made."""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
import pytest
from PIL import Image

import dlwidgets as dw
from dlwidgets.widgets import (
    Annotator,
    Browser,
    Dropzone,
    Login,
    OntologyEditor,
    PromptComposer,
    Studio,
    TaskCreator,
)
from dlwidgets.widgets.base import live_models

REPEATS = 50
SLACK = 10  # models an action may leave for good: a cache filled once, a late status line


def growth(action: Callable[[], object], repeats: int = REPEATS) -> int:
    """Live models added by ``repeats`` runs of ``action``, after a first run (which may fill caches)."""
    action()
    before = live_models()
    for _ in range(repeats):
        action()
    return live_models() - before


def left_after_close(make: Callable[[], dw.widgets.base.WidgetBase], use: Callable[[object], object]) -> int:
    """Live models left after making a widget, using it once and closing it (a first widget of the kind
    is made, used and closed before counting, for the models made once per kernel: the modules of the
    anywidgets it shows, the specs its bars share)."""
    first = make()
    use(first)
    first.close()
    before = live_models()
    widget = make()
    use(widget)
    widget.close()
    return live_models() - before


def png(seed: int) -> bytes:
    buffer = io.BytesIO()
    pixels = np.random.default_rng(seed).integers(0, 256, (12, 16, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def images(dataset: dw.Dataset) -> list[dw.Item]:
    """Eight images in two folders of the street dataset."""
    made = []
    for i in range(8):
        item = dataset.items.upload(
            local_path=png(i), remote_path="/a" if i % 2 else "/b", remote_name=f"img{i}.png"
        )
        assert isinstance(item, dw.Item)
        made.append(item)
    return made


# -- the everyday actions -------------------------------------------------------------------------------
def test_adding_and_removing_prompt_elements(dataset: dw.Dataset) -> None:
    composer = PromptComposer(dataset)

    def add_and_remove() -> None:
        composer.add_text(0, "describe the street")
        composer.delete(0, 0)

    assert growth(add_and_remove) <= SLACK
    composer.close()


def test_twenty_texts_in_a_prompt_keep_the_models_of_twenty_rows(dataset: dw.Dataset) -> None:
    composer = PromptComposer(dataset)
    before = live_models()
    for i in range(20):
        composer.add_text(0, f"line {i}")
    per_row = (live_models() - before) / 20
    assert per_row <= 20, f"{live_models() - before} models for 20 text rows"  # 3,480 when rows leaked
    composer.close()


def test_refreshing_tasks(dataset: dw.Dataset, images: list[dw.Item]) -> None:
    creator = TaskCreator(dataset, items=images[:2])
    dataset.tasks.create(task_name="label cars", assignee_ids=["ann@example.com"], items=images[:2])
    assert growth(creator.refresh_tasks) <= SLACK
    creator.close()


def test_paging_through_the_grid(client: dw.Client, images: list[dw.Item]) -> None:
    browser = Browser(client, page_size=3)

    def page_on() -> None:
        if browser.grid.has_next:
            browser.next_page()
        else:
            browser.refresh()

    assert growth(page_on) <= SLACK
    browser.close()


def test_changing_filters(client: dw.Client, images: list[dw.Item]) -> None:
    browser = Browser(client)
    names = iter(["img*", "img1*", "*2.png", ""] * REPEATS)
    assert growth(lambda: setattr(browser.filter_column.name_filter, "value", next(names))) <= SLACK
    browser.close()


def test_stepping_through_items_in_the_annotator(images: list[dw.Item]) -> None:
    annotator = Annotator(images[:3], width=200, height=150)

    def step() -> None:
        annotator.next() if annotator._index < 2 else annotator.go_to(0)

    assert growth(step) <= SLACK
    annotator.close()


def test_signing_in_again(workspace_home: object) -> None:
    login = Login(home=str(workspace_home))
    assert growth(login.sign_in) <= SLACK
    login.close()


# -- nothing left after close() --------------------------------------------------------------------------


def test_a_closed_prompt_composer_leaves_nothing(dataset: dw.Dataset, images: list[dw.Item]) -> None:
    assert left_after_close(lambda: PromptComposer(dataset), lambda c: c.add_text(0, "hi")) == 0  # type: ignore[attr-defined]


def test_a_closed_task_creator_leaves_nothing(dataset: dw.Dataset, images: list[dw.Item]) -> None:
    assert left_after_close(lambda: TaskCreator(dataset, items=images), lambda c: c.refresh_tasks()) == 0  # type: ignore[attr-defined]


def test_a_closed_dropzone_leaves_nothing(dataset: dw.Dataset) -> None:
    assert left_after_close(lambda: Dropzone(dataset), lambda d: None) == 0  # type: ignore[arg-type,return-value]


def test_a_closed_login_leaves_nothing(workspace_home: object) -> None:
    assert left_after_close(lambda: Login(home=str(workspace_home)), lambda lg: lg.sign_in()) == 0  # type: ignore[attr-defined]


def test_a_closed_browser_leaves_nothing(client: dw.Client, images: list[dw.Item]) -> None:
    assert left_after_close(lambda: Browser(client, page_size=3), lambda b: b.next_page()) == 0  # type: ignore[attr-defined]


def test_editing_labels(dataset: dw.Dataset) -> None:
    editor = OntologyEditor(dataset)

    def add_and_delete() -> None:
        label = editor.add_label("truck", "#123456")
        assert label is not None
        editor.draft.delete_label(label)
        editor._refresh()

    assert growth(add_and_delete) <= SLACK
    editor.close()


def test_a_closed_ontology_editor_leaves_nothing(dataset: dw.Dataset) -> None:
    assert left_after_close(lambda: OntologyEditor(dataset), lambda e: e.add_label("truck")) == 0  # type: ignore[attr-defined]


def test_a_closed_annotator_leaves_nothing(images: list[dw.Item]) -> None:
    assert left_after_close(lambda: Annotator(images[:2], width=200, height=150), lambda a: a.next()) == 0  # type: ignore[attr-defined]


def test_a_closed_studio_leaves_nothing(client: dw.Client, images: list[dw.Item]) -> None:
    assert left_after_close(lambda: Studio(client), lambda s: s.annotate_selection()) == 0  # type: ignore[attr-defined]
