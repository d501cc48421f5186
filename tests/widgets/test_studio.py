"""The Studio: the Browser's dataset drives the other widgets, and its selection opens in them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from route_recorder import requests_made

import dlwidgets as dw
from dlwidgets.widgets.annotator import Annotator
from dlwidgets.widgets.studio import TABS, Studio
from tests.widgets.test_dropzone import Browser as DropzonePage


def studio_on_three_items(
    client: dw.Client, dataset: dw.Dataset, make_jpeg: Callable[[int, int], bytes]
) -> tuple[list[dw.Item], Studio]:
    """Three images in "/s", and a Studio showing their dataset."""
    items = [
        dataset.items.upload(local_path=make_jpeg(64, 48), remote_path="/s", remote_name=f"{n}.jpg")
        for n in range(3)
    ]
    studio = Studio(client)
    studio.browser.dataset = dataset
    return items, studio


def test_the_dataset_and_selection_flow_through_the_studio(
    client: dw.Client, dataset: dw.Dataset, make_jpeg: Callable[[int, int], bytes]
) -> None:
    items, studio = studio_on_three_items(client, dataset, make_jpeg)
    assert studio.dataset is not None and studio.dataset.id == dataset.id
    assert studio.task_creator is not None and studio.task_creator.dataset.id == dataset.id
    assert (
        studio.ontology_editor is not None
        and studio.dropzone is not None
        and studio.prompt_composer is not None
    )

    studio.browser.select(items[:2])
    assert "2 selected" in studio._selection.value
    assert [i.id for i in studio.task_creator.items] == [i.id for i in items[:2]]
    assert [i.id for i in studio.prompt_composer.images] == [i.id for i in items[:2]]

    annotator = studio.annotate_selection()
    assert annotator is not None and annotator._total == 2
    assert TABS[studio.tabs.selected_index] == "Annotate"

    studio.task_creator._name.value = "from the studio"
    studio.task_creator._assignees.value = "ann@example.com"
    task = studio.task_creator.create()
    assert task is not None and dataset.tasks.get(task_id=task.id).total_items == 2
    studio.task_creator._result.children[1].children[1].click()  # "annotate" on the assignment
    assert studio.annotator is not annotator and studio.annotator._total == 2


def test_signing_in_again_rebuilds_the_browser(client: dw.Client, dataset: dw.Dataset) -> None:
    studio = Studio(client)
    first = studio.browser
    studio.login.sign_in()
    assert studio.browser is not first
    assert studio.tabs.children[1].children[0] is studio.browser
    assert TABS[studio.tabs.selected_index] == "Browse"


def test_widgets_of_a_dataset_left_behind_are_closed(
    client: dw.Client, dataset: dw.Dataset, make_jpeg: Callable[[int, int], bytes]
) -> None:
    item = dataset.items.upload(local_path=make_jpeg(64, 48), remote_path="/s", remote_name="a.jpg")
    other = client.projects.get(project_id=dataset.project_id).datasets.create(dataset_name="other")
    studio = Studio(client)
    studio.browser.dataset = dataset
    studio.browser.select([item])
    first_editor, first_annotator = studio.ontology_editor, studio.annotate_selection()
    assert first_editor is not None and first_annotator is not None
    studio.browser.dataset = other
    assert studio.ontology_editor is not first_editor
    assert first_editor.comm is None and all(c.comm is None for c in first_editor.children)
    studio.browser.dataset = dataset
    studio.browser.select([item])
    studio.annotate_selection()
    assert first_annotator.comm is None and first_annotator.stage.comm is None


def test_annotating_a_new_selection_loses_no_edits(
    client: dw.Client, dataset: dw.Dataset, make_jpeg: Callable[[int, int], bytes]
) -> None:
    a, b = (
        dataset.items.upload(local_path=make_jpeg(64, 48), remote_path="/s", remote_name=f"{n}.jpg")
        for n in ("a", "b")
    )
    studio = Studio(client)
    studio.browser.dataset = dataset

    def annotate(item: dw.Item) -> Annotator:
        studio.browser.select([item])
        annotator = studio.annotate_selection()
        assert annotator is not None
        return annotator

    def draw(annotator: Annotator) -> None:
        annotator._on_gesture({"type": "down", "x": 100, "y": 100, "button": 0})
        annotator._on_gesture({"type": "up", "x": 200, "y": 200, "x0": 100, "y0": 100})

    draw(annotate(a))
    annotate(b)  # a new selection replaces the annotator: autosave saved the box first
    assert len(a.annotations.list()) == 1
    first = annotate(a)
    assert len(first.annotations) == 1 and first.save_state == "saved"

    first.autosave = False
    draw(first)
    annotate(b)  # without autosave the draft outlives the annotator, listed in the new one
    assert [i.name for i in studio.annotator.drafts] == ["a.jpg"] and not studio.annotator.autosave
    again = annotate(a)  # re-opening the Annotate tab on it shows the draft, unsaved
    assert len(again.annotations) == 2 and again.save_state == "unsaved"
    assert len(a.annotations.list()) == 1

    again.autosave = True  # turned back on: the draft is saved at once
    assert len(a.annotations.list()) == 2
    draw(again)
    same = annotate(a)  # the same item opened again: its edits are saved before they are re-read
    assert len(same.annotations) == 3 and len(a.annotations.list()) == 3
    draw(same)
    annotate(b)
    assert len(a.annotations.list()) == 4


def test_closing_the_studio_autosaves_its_annotators_edits(
    client: dw.Client, dataset: dw.Dataset, make_jpeg: Callable[[int, int], bytes]
) -> None:
    item = dataset.items.upload(local_path=make_jpeg(64, 48), remote_path="/s", remote_name="a.jpg")
    studio = Studio(client)
    studio.browser.dataset = dataset
    studio.browser.select([item])
    annotator = studio.annotate_selection()
    assert annotator is not None
    annotator.annotations = [dw.Box(left=1, top=1, right=20, bottom=20, label="car")]
    studio.close()
    assert len(item.annotations.list()) == 1


def test_my_work_lists_the_users_assignments_and_opens_their_queue(
    client: dw.Client, dataset: dw.Dataset, make_jpeg: Callable[[int, int], bytes]
) -> None:
    items = [
        dataset.items.upload(local_path=make_jpeg(64, 48), remote_path="/", remote_name=f"{n}.jpg")
        for n in range(2)
    ]
    dataset.tasks.create(task_name="mine", assignee_ids=[client.user_email], items=items[:1])
    dataset.tasks.create(task_name="theirs", assignee_ids=["bo@example.com"], items=items[1:])
    studio = Studio(client)
    rows = studio.my_work._rows.children
    assert [r.children[0].value for r in rows] == ["<span class='dlw-my-assignment'>mine: 0 of 1 done</span>"]
    rows[0].children[1].click()
    assert TABS[studio.tabs.selected_index] == "Annotate"
    annotator = studio.annotator
    assert annotator is not None and annotator.queue_bar is not None
    annotator.queue_bar.complete()
    studio.tabs.selected_index = TABS.index("My work")  # read again when shown
    assert "mine: 1 of 1 done" in studio.my_work._rows.children[0].children[0].value


def test_a_card_opened_in_the_browser_shows_in_the_annotator(
    client: dw.Client, dataset: dw.Dataset, make_jpeg: Callable[[int, int], bytes]
) -> None:
    items, studio = studio_on_three_items(client, dataset, make_jpeg)
    studio.browser.grid._on_message(studio.browser.grid, {"type": "open", "id": items[1].id}, [])
    assert TABS[studio.tabs.selected_index] == "Annotate"
    assert studio.annotator is not None and studio.annotator.item.id == items[1].id
    assert studio.annotator._total == 3  # the page shown, to go on with


def test_uploads_go_to_the_folder_open_in_the_browser_and_show_there(
    client: dw.Client, dataset: dw.Dataset, make_jpeg: Callable[[int, int], bytes]
) -> None:
    dataset.items.upload(local_path=make_jpeg(64, 48), remote_path="/cats", remote_name="a.jpg")
    studio = Studio(client)
    studio.browser.dataset = dataset
    assert studio.dropzone is not None and studio.dropzone.remote_path == "/"
    studio.browser.filter_column.folders.value = "/cats"
    assert studio.dropzone.remote_path == "/cats"
    page = DropzonePage(studio.dropzone)
    reply = page.send_file("f1", "b.jpg", make_jpeg(32, 32))
    assert reply["status"] == "done", reply
    page.finish()
    assert sorted(card["name"] for card in studio.browser.grid.cards) == ["a.jpg", "b.jpg"]


# The request a Browser's refresh makes once: its folders and their item counts.
FOLDERS = ("GET", "/datasets/{dataset_id}/directories")


def studio_dropping_into(client: dw.Client, dataset: dw.Dataset) -> tuple[Studio, DropzonePage]:
    """A Studio showing ``dataset``, and its Dropzone driven as the page drives it."""
    studio = Studio(client)
    studio.browser.dataset = dataset
    assert studio.dropzone is not None
    return studio, DropzonePage(studio.dropzone)


def test_a_drop_of_many_files_refreshes_the_browser_once(
    client: dw.Client,
    dataset: dw.Dataset,
    make_jpeg: Callable[[int, int], bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    studio, page = studio_dropping_into(client, dataset)
    with requests_made(monkeypatch) as made:
        for n in range(30):
            assert page.send_file(f"f{n}", f"{n:02}.jpg", make_jpeg(8, 8))["status"] == "done"
        assert made.count(FOLDERS) == 0
        page.finish()
    assert made.count(FOLDERS) == 1
    assert len(studio.browser.grid.cards) == 30


def test_a_drop_that_fails_part_way_shows_what_landed_once(
    client: dw.Client,
    dataset: dw.Dataset,
    make_jpeg: Callable[[int, int], bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    studio, page = studio_dropping_into(client, dataset)
    batches: list[list[str]] = []
    assert studio.dropzone is not None
    studio.dropzone.on_batch(lambda items: batches.append([i.name for i in items]))
    with requests_made(monkeypatch) as made:
        assert page.send_file("f1", "a.jpg", make_jpeg(8, 8))["status"] == "done"
        assert page.begin("f2", "b.jpg", 5000) == "uploading"
        assert page.end("f2", 5)["status"] == "failed"  # no chunk arrived
        assert page.send_file("f3", "c.jpg", make_jpeg(8, 8))["status"] == "done"
        page.finish()
        page.finish()  # a page that sends nothing more ends no other drop
    assert made.count(FOLDERS) == 1
    assert batches == [["a.jpg", "c.jpg"]]
    assert sorted(card["name"] for card in studio.browser.grid.cards) == ["a.jpg", "c.jpg"]
