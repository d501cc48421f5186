"""The Browser driven through its controls and its grid's messages, as a person in the browser would:
pickers and forms, folder tree and filters, keyset paging, selection, the detail pane, thumbnails as
binary buffers, icons for what is not an image, and names that hold HTML."""

from __future__ import annotations

import html
import io
import json
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from PIL import Image

import dlwidgets as dw
from dlwidgets.widgets.browser import Browser
from dlwidgets.widgets.item_grid import NoThumbnail, ThumbnailFeed
from dlwidgets.widgets.prompt_composer import PromptComposer
from dlwidgets.widgets.task_creator import TaskCreator

HTML_NAME = "<img src=x onerror=alert(1)>"
Messages = list[tuple[dict[str, Any], list[bytes]]]


def png(seed: int, width: int = 40, height: int = 30) -> bytes:
    pixels = np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(dataset: dw.Dataset, folder: str, name: str, content: bytes, **metadata: Any) -> dw.Item:
    item = dataset.items.upload(
        local_path=content, remote_path=folder, remote_name=name, item_metadata=metadata or None
    )
    assert isinstance(item, dw.Item)
    return item


def shown(pane: Any) -> str:
    """The text an HTML pane shows."""
    return html.unescape(re.sub(r"<[^>]+>", "", pane.value))


def names(browser: Browser) -> list[str]:
    return [card["name"] for card in browser.grid.cards]


def click(browser: Browser, *names_clicked: str) -> None:
    """What the grid's script does on clicks: the ids selected, and the last one clicked made active."""
    ids = {card["name"]: card["id"] for card in browser.grid.cards}
    chosen = [ids[n] for n in names_clicked]
    with browser.grid.hold_sync():
        browser.grid.selected_ids = [*browser.grid.selected_ids, *chosen]
        browser.grid.active_id = chosen[-1]


def page(browser: Browser, to: str) -> None:
    browser.grid._on_message(browser.grid, {"type": "page", "to": to}, [])


def thumbnails(browser: Browser, monkeypatch: pytest.MonkeyPatch) -> Messages:
    """Ask for the thumbnails of the cards shown, as the grid's script does, and return what came back."""
    sent: Messages = []
    monkeypatch.setattr(browser.grid, "send", lambda content, buffers=None: sent.append((content, buffers)))
    wanted = [card["id"] for card in browser.grid.cards if card["thumbnail"]]
    browser.grid._on_message(browser.grid, {"type": "thumbnails", "ids": wanted}, [])
    browser.grid.thumbnails.wait()
    return sent


@pytest.fixture
def street(dataset: dw.Dataset) -> dw.Dataset:
    """The 'street' dataset with images in two folders, a text file and an annotated image."""
    for i in range(3):
        upload(dataset, "/cars", f"car{i}.png", png(i), user={"quality": "good" if i else "bad"})
    upload(dataset, "/cars/night", "car-night.png", png(10))
    upload(dataset, "/people", "walker.png", png(11), user={"quality": "good"})
    upload(dataset, "/notes/v1.2", "readme.txt", b"street scenes\n")
    annotated = dataset.items.get(filepath="/people/walker.png")
    builder = annotated.annotations.builder()
    builder.add(dw.Box(top=1, left=1, bottom=9, right=9, label="person"))
    annotated.annotations.upload(annotations=builder)
    return dataset


def test_opens_on_the_first_project_and_dataset_and_switches_with_the_pickers(
    client: dw.Client, street: dw.Dataset
) -> None:
    project = client.projects.get(project_id=street.project_id)
    empty = project.datasets.create(dataset_name="empty")
    second = client.projects.create(project_name="second")
    second.datasets.create(dataset_name="elsewhere")

    browser = dw.Browser()
    assert browser.client is client
    assert [label for label, _ in browser.pickers.project_picker.options] == ["widgets", "second"]
    assert [label for label, _ in browser.pickers.dataset_picker.options] == ["street", "empty"]
    assert (browser.project.name, browser.dataset.name) == ("widgets", "street")  # type: ignore[union-attr]
    assert browser.grid.page_label == "1-6 of 6"
    assert sorted(names(browser)) == sorted(
        ["car0.png", "car1.png", "car2.png", "car-night.png", "walker.png", "readme.txt"]
    )

    browser.pickers.dataset_picker.value = empty.id
    assert browser.dataset.name == "empty" and browser.grid.cards == []  # type: ignore[union-attr]
    assert browser.grid.empty_text == "Dataset 'empty' has no items yet."
    browser.pickers.project_picker.value = second.id
    assert browser.dataset.name == "elsewhere"  # type: ignore[union-attr]
    browser.dataset = street
    assert (browser.project.name, browser.dataset.name) == ("widgets", "street")  # type: ignore[union-attr]
    assert browser.status == ""
    # Projects and datasets made after the widget listed them.
    late = client.projects.create(project_name="late").datasets.create(dataset_name="later")
    browser.dataset = late
    assert (browser.project.name, browser.dataset.name) == ("late", "later")  # type: ignore[union-attr]
    newer = project.datasets.create(dataset_name="newer")
    browser.dataset = newer
    assert browser.dataset.name == "newer" and browser.pickers.project_picker.value == project.id  # type: ignore[union-attr]


def test_new_project_then_its_empty_state_offers_the_first_dataset(client: dw.Client) -> None:
    browser = Browser()
    assert browser.pickers.project_picker.options == ()
    assert "No projects yet" in browser.grid.empty_text
    assert browser.pickers.new_project.form.layout.display == ""

    browser.pickers.new_project.name.value = "birds"
    create_project = browser.pickers.new_project.form.children[-1].children[1]
    create_project.click()
    assert client.projects.get(project_name="birds").name == "birds"
    assert browser.project.name == "birds"  # type: ignore[union-attr]
    # A project without datasets: an empty state that offers to make one.
    assert browser.dataset is None and browser.pickers.dataset_picker.disabled
    assert browser.grid.empty_text == "Project 'birds' has no datasets yet: create the first one."
    assert browser.pickers.new_dataset.form.layout.display == ""
    assert "no datasets yet" in browser.pickers.new_dataset.hint.value

    browser.pickers.new_dataset.name.value = "gulls"
    browser.pickers.new_dataset.form.children[-1].children[1].click()
    assert browser.dataset.name == "gulls"  # type: ignore[union-attr]
    assert not browser.pickers.dataset_picker.disabled
    assert browser.pickers.new_dataset.form.layout.display == "none"
    assert browser.grid.empty_text == "Dataset 'gulls' has no items yet."
    assert browser.status == "created dataset 'gulls'"

    # A name taken already is refused in the widget, not with a traceback.
    next(b for b in browser._top_row.children if getattr(b, "description", "") == "New project").click()
    assert browser.pickers.new_project.form.layout.display == ""
    browser.pickers.new_project.name.value = "birds"
    create_project.click()
    assert browser.status_kind == "error" and "'birds'" in browser.status


def test_pages_of_a_thousand_items_by_keyset(dataset: dw.Dataset) -> None:
    for i in range(250):
        upload(dataset, "/many", f"{i:04d}.txt", b"%d" % i)
    browser = Browser(page_size=100)
    assert (browser.grid.page_label, browser.grid.has_previous, browser.grid.has_next) == (
        "1-100 of 250",
        False,
        True,
    )
    assert names(browser)[0] == "0000.txt"
    page(browser, "next")
    assert browser.grid.page_label == "101-200 of 250" and names(browser)[0] == "0100.txt"
    browser.next_page()
    assert browser.grid.page_label == "201-250 of 250" and browser.grid.has_previous
    assert not browser.grid.has_next and names(browser)[-1] == "0249.txt"
    page(browser, "next")  # nothing after the last page
    assert browser.grid.page_label == "201-250 of 250"
    page(browser, "previous")
    assert names(browser)[0] == "0100.txt"
    browser.previous_page()
    assert browser.grid.page_label == "1-100 of 250" and not browser.grid.has_previous
    with pytest.raises(ValueError, match="page_size"):
        Browser(page_size=5000)
    with pytest.raises(TypeError):
        Browser(pagesize=10)  # type: ignore[call-arg]


def test_folder_tree_and_filters_list_what_they_say(street: dw.Dataset) -> None:
    browser = Browser()
    assert browser.filter_column.folders.options == (
        ("/ (all)  (6)", "/"),
        ("  cars  (4)", "/cars"),
        ("    night  (1)", "/cars/night"),
        ("  notes  (1)", "/notes"),
        ("    v1.2  (1)", "/notes/v1.2"),
        ("  people  (1)", "/people"),
    )
    assert [value for _, value in browser.filter_column.type_filter.options] == [
        "",
        "image/*",
        "image/png",
        "text/*",
        "text/plain",
    ]

    browser.filter_column.folders.value = "/cars"
    assert sorted(names(browser)) == ["car-night.png", "car0.png", "car1.png", "car2.png"]
    browser.filter_column.name_filter.value = "night"
    assert names(browser) == ["car-night.png"]
    browser.filter_column.name_filter.value = "car?.png"  # '?' is literal: only '*' is a wildcard
    assert names(browser) == [] and browser.grid.empty_text == "No items match these filters."
    browser.filter_column.name_filter.value = "car*.png"
    assert sorted(names(browser)) == ["car-night.png", "car0.png", "car1.png", "car2.png"]
    browser.act(browser.filter_column.clear)()
    assert len(names(browser)) == 6
    browser.filter_column.folders.value = "/notes/v1.2"  # a dot in a folder's name does not make it a file
    assert names(browser) == ["readme.txt"]
    browser.filter_column.folders.value = "/"

    browser.filter_column.type_filter.value = "text/*"
    assert names(browser) == ["readme.txt"]
    browser.filter_column.type_filter.value = "image/png"
    assert len(names(browser)) == 5
    browser.filter_column.annotated_filter.value = "yes"
    assert names(browser) == ["walker.png"]
    browser.filter_column.annotated_filter.value = "no"
    assert len(names(browser)) == 4
    browser.filter_column.annotated_filter.value = ""

    browser.filter_column.field_filter.value = "quality"
    assert sorted(names(browser)) == ["car0.png", "car1.png", "car2.png", "walker.png"]
    browser.filter_column.value_filter.value = "good"
    assert sorted(names(browser)) == ["car1.png", "car2.png", "walker.png"]
    # The same filters as DQL, for the other widgets.
    assert [i.name for i in street.items.list(filters=browser.filters).items] == names(browser)

    browser.filter_column.field_filter.value = 'bad"key'
    assert browser.status_kind == "error" and "bad" in browser.status


def test_selection_across_pages_reaches_on_select_and_the_annotator(
    dataset: dw.Dataset, make_jpeg: Callable[[int, int], bytes]
) -> None:
    for i in range(5):
        upload(dataset, "/photos", f"p{i}.jpg", make_jpeg(64, 48))
    browser = Browser(page_size=2)
    seen: list[list[str]] = []
    browser.on_select(lambda items: seen.append([i.name for i in items]))

    click(browser, "p0.jpg", "p1.jpg")
    browser.next_page()
    click(browser, "p3.jpg")
    assert [i.name for i in browser.selected_items] == ["p0.jpg", "p1.jpg", "p3.jpg"]
    assert seen[-1] == ["p0.jpg", "p1.jpg", "p3.jpg"]
    assert "3 selected" in browser._selection_info.value

    # The other widgets take the selection as it is.
    annotator = dw.Annotator(browser.selected_items)
    assert annotator.item.name == "p0.jpg"
    annotator.next()
    assert annotator.item.name == "p1.jpg"
    creator = TaskCreator(browser.dataset, items=browser.selected_items)  # type: ignore[arg-type]
    assert [i.name for i in creator.items] == ["p0.jpg", "p1.jpg", "p3.jpg"]
    composer = PromptComposer(dataset, images=browser.selected_items)
    assert [i.name for i in composer.images] == ["p0.jpg", "p1.jpg", "p3.jpg"]

    browser.select([])
    assert browser.selected_items == [] and seen[-1] == []
    browser.select([dataset.items.get(filepath="/photos/p4.jpg")])
    assert [i.name for i in browser.selected_items] == ["p4.jpg"]
    assert "p4.jpg" in browser.detail_pane.title.value

    def broken(items: list[dw.Item]) -> None:
        raise RuntimeError("my callback broke")

    browser.on_select(broken)
    click(browser, "p2.jpg")
    assert "on_select callback failed: RuntimeError: my callback broke" in browser.status


def test_detail_pane_saves_user_metadata_and_downloads(street: dw.Dataset, tmp_path: Path) -> None:
    browser = Browser()
    click(browser, "car1.png")
    assert (
        "car1.png" in browser.detail_pane.title.value and "/cars/car1.png" in browser.detail_pane.title.value
    )
    system = browser.detail_pane.system.value
    assert "image/png" in system and ">40<" in system and ">30<" in system
    assert json.loads(browser.detail_pane.user_metadata.value) == {"quality": "good"}

    browser.detail_pane.user_metadata.value = json.dumps({"quality": "blurry", "reviewed": True})
    save = next(
        b for b in browser.detail_pane.body.children if getattr(b, "description", "") == "Save metadata"
    )
    save.click()
    assert "metadata saved" in browser.detail_pane.status.value
    stored = street.items.get(filepath="/cars/car1.png")
    assert stored.metadata["user"] == {"quality": "blurry", "reviewed": True}
    assert stored.metadata["system"]["mimetype"] == "image/png"
    assert browser.selected_items[0].metadata["user"]["quality"] == "blurry"

    browser.detail_pane.user_metadata.value = "{not json"
    save.click()
    assert "not valid JSON" in browser.status
    browser.detail_pane.user_metadata.value = "[1, 2]"
    save.click()
    assert "must be a JSON object" in browser.status
    assert street.items.get(filepath="/cars/car1.png").metadata["user"]["quality"] == "blurry"

    browser.detail_pane.download_folder.value = str(tmp_path / "one")
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "car1.png").write_bytes(b"an older copy")  # replaced: a download gives today's bytes
    download = next(
        b for b in browser.detail_pane.body.children if getattr(b, "description", "") == "Download"
    )
    download.click()
    assert (tmp_path / "one" / "car1.png").read_bytes() == png(1)
    assert "saved to" in browser.detail_pane.status.value
    click(browser, "readme.txt")
    (tmp_path / "all").mkdir()
    (tmp_path / "all" / "readme.txt").write_bytes(b"an older copy")
    paths = browser.download(tmp_path / "all")
    assert sorted(Path(p).name for p in paths) == ["car1.png", "readme.txt"]
    assert (tmp_path / "all" / "readme.txt").read_bytes() != b"an older copy"


def test_thumbnails_travel_as_small_jpeg_buffers(
    dataset: dw.Dataset, make_jpeg: Callable[[int, int], bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    upload(dataset, "/big", "wide.jpg", make_jpeg(1600, 900))
    upload(dataset, "/big", "tall.png", png(3, 300, 900))
    with pytest.warns(UserWarning, match="not a readable image"):
        upload(dataset, "/big", "broken.jpg", b"\xff\xd8 not really a jpeg")
    upload(dataset, "/big", "clip.mp4", b"\x00\x00\x00\x18ftypmp42")
    browser = Browser()
    cards = {card["name"]: card for card in browser.grid.cards}
    assert [cards[n]["thumbnail"] for n in ("wide.jpg", "tall.png", "broken.jpg", "clip.mp4")] == [
        True,
        True,
        True,
        False,
    ]

    messages = thumbnails(browser, monkeypatch)
    by_id = {card["id"]: name for name, card in cards.items()}
    received = {by_id[i]: data for m, buffers in messages for i, data in zip(m["ids"], buffers, strict=True)}
    failed = {by_id[i]: reason for m, _ in messages for i, reason in m["failed"].items()}
    assert sorted(received) == ["tall.png", "wide.jpg"]
    assert list(failed) == ["broken.jpg"] and "cannot be decoded" in failed["broken.jpg"]
    for name, data in received.items():
        assert isinstance(data, bytes) and len(data) <= 20_000, name
        image = Image.open(io.BytesIO(data))
        assert image.format == "JPEG" and max(image.size) == 160
    assert Image.open(io.BytesIO(received["wide.jpg"])).size == (160, 90)
    assert Image.open(io.BytesIO(received["tall.png"])).size == (53, 160)
    # Nothing of a thumbnail is ever in the synced state.
    state = {k: v for k, v in browser.grid.get_state().items() if k != "_esm"}
    assert len(json.dumps(state, default=str)) < 5_000


def test_a_newer_thumbnail_request_drops_what_the_older_one_has_not_sent() -> None:
    release = threading.Event()
    sent: list[list[str]] = []

    def fetch(item_id: str) -> bytes | None:
        if item_id.startswith("old"):
            release.wait(10)
        if item_id == "new-broken":
            raise NoThumbnail("cannot be decoded")
        return item_id.encode()

    feed = ThumbnailFeed(fetch, lambda content, buffers: sent.append(content["ids"]), workers=2)
    try:
        feed.request(["old-1", "old-2"])
        newer = feed.request(["new-1", "new-broken"])
        release.set()
        newer.result(10)
        feed.wait()
    finally:
        feed.close()
    assert sent == [["new-1"]]


def test_items_that_are_not_images_get_an_icon_by_type(dataset: dw.Dataset) -> None:
    upload(dataset, "/", "clip.mp4", b"\x00\x00\x00\x18ftypmp42")
    upload(dataset, "/", "song.wav", b"RIFF0000WAVE")
    upload(dataset, "/", "notes.txt", b"hello")
    upload(dataset, "/", "paper.pdf", b"%PDF-1.4")
    upload(dataset, "/", "data.json", b"{}")
    upload(dataset, "/", "blob.bin", b"\x00\x01")
    prompt = dw.PromptItem(name="question")
    question = dw.Prompt(key="1")
    question.add_element(mimetype=dw.PromptType.TEXT, value="What is in the picture?")
    prompt.prompts.append(question)
    dataset.items.upload(local_path=prompt, remote_path="/")
    browser = Browser()
    icons = {card["name"]: (card["icon"], card["thumbnail"]) for card in browser.grid.cards}
    assert icons == {
        "clip.mp4": ("video", False),
        "song.wav": ("audio", False),
        "notes.txt": ("text", False),
        "paper.pdf": ("pdf", False),
        "data.json": ("json", False),
        "blob.bin": ("file", False),
        "question.json": ("prompt", False),
    }


def test_names_holding_html_are_text_everywhere(client: dw.Client) -> None:
    project = client.projects.create(project_name=f"{HTML_NAME} project")
    dataset = project.datasets.create(dataset_name=f"{HTML_NAME} data")
    item = upload(dataset, f"/{HTML_NAME}", f"{HTML_NAME}.png", png(1))
    browser = Browser()
    # Option labels and card names are text for the front end (option.textContent, node.textContent).
    assert browser.pickers.project_picker.options[0][0] == f"{HTML_NAME} project"
    assert browser.grid.cards[0]["name"] == f"{HTML_NAME}.png"
    browser.select([item])
    for pane in (browser.detail_pane.title, browser.detail_pane.system):
        assert "<img" not in pane.value
    assert "&lt;img src=x onerror=alert(1)&gt;.png" in browser.detail_pane.title.value
    # An error naming it: a project of that name exists already.
    browser.pickers.new_project.name.value = f"{HTML_NAME} project"
    browser.pickers.new_project.form.children[-1].children[1].click()
    assert "<img" not in browser.status_line.value and HTML_NAME in browser.status


class _WithoutFacets(httpx.BaseTransport):
    """A platform that has no folder and type summaries: those two routes answer 404."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith(("/directories", "/mimetypes")):
            return httpx.Response(404, json={"status": 404, "message": f"no route for {request.url.path}"})
        return self.inner.handle_request(request)


def test_a_platform_without_folder_and_type_summaries_still_lists(
    client: dw.Client, street: dw.Dataset
) -> None:
    platform = dw.Client(client.environment, transport=_WithoutFacets(client.http._transport))
    browser = Browser(platform)
    assert browser.filter_column.folders.options == (("/ (all)", "/"),)
    assert browser.filter_column.type_filter.options == (("any type", ""),)
    assert browser.grid.page_label == "1-6 of 6" and browser.status == ""
    browser.filter_column.name_filter.value = "car*"
    assert len(names(browser)) == 4


def test_items_filter_by_their_status_in_a_task(street: dw.Dataset) -> None:
    cars = [street.items.get(filepath=f"/cars/car{i}.png") for i in range(3)]
    task = street.tasks.create(task_name="cars", assignee_ids=["ann@example.com"], items=cars)
    cars[0].update_status(status=dw.ItemStatus.COMPLETED, task_id=task.id)
    cars[1].update_status(status=dw.ItemStatus.DISCARDED, task_id=task.id)
    browser = Browser()
    column = browser.filter_column
    assert (
        column.task_filter.options == (("any task", ""), ("cars", task.id)) and column.status_filter.disabled
    )
    column.task_filter.value = task.id
    assert (
        sorted(names(browser)) == ["car0.png", "car1.png", "car2.png"] and not column.status_filter.disabled
    )
    column.status_filter.value = "completed"
    assert names(browser) == ["car0.png"]
    column.status_filter.value = "discard"
    assert names(browser) == ["car1.png"]
    column.status_filter.value = "to do"
    assert names(browser) == ["car2.png"]
    assert [i.name for i in street.items.list(filters=browser.filters).items] == ["car2.png"]
    browser.act(column.clear)()
    assert len(names(browser)) == 6 and column.status_filter.value == ""


def test_refresh_reads_items_and_folders_made_since(street: dw.Dataset) -> None:
    browser = dw.Browser()
    upload(street, "/late", "late.png", png(20))
    assert "late.png" not in names(browser)
    refresh = next(b for b in browser._top_row.children if getattr(b, "description", "") == "Refresh")
    refresh.click()
    assert "late.png" in names(browser) and browser.grid.page_label == "1-7 of 7"
    assert "/late" in [value for _, value in browser.filter_column.folders.options]


def test_after_each_cell_the_browser_shows_items_uploaded_in_it(street: dw.Dataset) -> None:
    """As "Run all" in a notebook: the Browser is shown first, the items are uploaded by later cells."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        empty = dw.projects.get(project_id=street.project_id).datasets.create(dataset_name="filled-later")
        browser = dw.Browser()
        browser.dataset = empty
        assert browser.grid.cards == [] and "no items yet" in browser.grid.empty_text
        shell.user_ns.update(empty=empty, content=png(21))
        cell = "empty.items.upload(local_path=content, remote_path='/a', remote_name='x.png')"
        result = shell.run_cell(cell)
        assert result.success
        assert names(browser) == ["x.png"]
        assert "/a" in [value for _, value in browser.filter_column.folders.options]
        browser.close()
        assert shell.events.callbacks["post_run_cell"] == []
    finally:
        InteractiveShell.clear_instance()


def test_a_double_click_or_enter_on_a_card_opens_its_item(street: dw.Dataset) -> None:
    browser = dw.Browser()
    opened: list[dw.Item] = []
    browser.on_open(opened.append)
    car = next(c for c in browser.grid.cards if c["name"] == "car1.png")
    browser.grid._on_message(browser.grid, {"type": "open", "id": car["id"]}, [])
    assert [item.name for item in opened] == ["car1.png"]


def test_the_folder_open_is_told_to_who_asks(street: dw.Dataset) -> None:
    browser = dw.Browser()
    folders: list[str] = []
    browser.on_folder(folders.append)
    assert browser.folder == "/"
    browser.filter_column.folders.value = "/cars"
    assert browser.folder == "/cars" and folders == ["/cars"]
