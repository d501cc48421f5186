"""The Browser in a real browser, in JupyterLab 4 and Notebook 7, against a ``dlwidgets serve`` this test
starts on its own workspace (in a thread of the test process).

The workspace has a project with no datasets (the Browser opens on it, showing the empty state) and a
project "e2e" whose dataset "photos" holds 1,000 items: small JPEGs, plus on the first page a text file,
a broken JPEG and an image whose name is HTML. The notebook signs in with the Login widget (the test
types the token), then shows ``dw.Browser(client)``. The test picks the project and the dataset, pages
through all 1,000 items and back, selects with click, Ctrl-click and Ctrl+Shift-click, edits the last
clicked item's user metadata in the detail pane, and checks the kernel's selection and the store; then
it uses the grid's keys (Ctrl+A, PageDown), which must not reach the notebook until Esc.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from serving import serving

import dlwidgets as dw
from dlwidgets.server import create_token, workspace_secret

from .page import OpenNotebook
from .polling import poll
from .screenshots import save_screenshot
from .views import BrowserView

USER = "ann.lee@example.com"
ITEMS = 1000
PAGE = 100
HTML_NAME = "<img src=x onerror=alert(1)>.jpg"
SPECIAL = {1: "notes.txt", 2: "broken.jpg", 3: HTML_NAME}

BROWSER_CELL = """\
import ipywidgets as widgets
import dlwidgets as dw

os.environ["DLWIDGETS_URL"] = {url!r}
login = dw.Login()
holder = widgets.VBox()

def open_browser(client):
    global browser
    browser = dw.Browser(client)
    browser.on_select(lambda items: dump("selected.json", [item.name for item in items]))
    holder.children = [browser]
    dump("signed_in.json", {{"email": client.user_email}})

login.on_login(open_browser)
widgets.VBox([login, holder])
"""


def item_name(index: int) -> str:
    return SPECIAL.get(index, f"img-{index:04d}.jpg")


def jpeg(index: int) -> bytes:
    image = Image.new("RGB", (48, 36), ((index * 37) % 256, (index * 91) % 256, (index * 53) % 256))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


@pytest.fixture
def served(workspace_home: Path) -> Iterator[tuple[str, dw.Dataset]]:
    """The workspace described above, served over HTTP; yields the server's URL and the dataset."""
    client = dw.connect()
    client.projects.create(project_name="a first project")  # no datasets: the Browser opens here
    project = client.projects.create(project_name="e2e")
    dataset = project.datasets.create(dataset_name="photos")
    with pytest.warns(UserWarning, match="not a readable image"):
        for index in range(ITEMS):
            content = b"field notes\n" if index == 1 else b"\xff\xd8 broken" if index == 2 else jpeg(index)
            dataset.items.upload(local_path=content, remote_path="/photos", remote_name=item_name(index))
    with serving(workspace_home) as url:
        yield url, dataset


def test_sign_in_pick_page_select_and_edit_metadata(
    open_notebook: OpenNotebook, served: tuple[str, dw.Dataset], workspace_home: Path
) -> None:
    url, dataset = served
    token = create_token(workspace_secret(workspace_home), USER)
    notebook = open_notebook([BROWSER_CELL.format(url=url)])
    notebook.run_all()
    login = notebook.wait_widget(".dlw-login")
    notebook.wait_ready()
    save_screenshot(login, "Login")

    # Sign in with a token, as a person would: typed into the Login widget's password field.
    login.locator("input[type='password']").fill(token)
    login.get_by_role("button", name="Sign in").click()
    assert notebook.wait_file("signed_in.json") == {"email": USER}
    notebook.wait_widget(".dlw-browser .dlw-item-grid")
    view = BrowserView(notebook)
    empty = view.root.locator(".dlw-grid-empty")
    empty.filter(has_text="has no datasets yet: create the first one").wait_for(timeout=30_000)
    assert view.root.get_by_placeholder("new dataset name").is_visible()

    # Pick the project, then the dataset, with the pickers.
    view.root.get_by_label("project", exact=True).select_option(label="e2e")
    view.root.get_by_label("dataset", exact=True).select_option(label="photos")
    view.wait_label(f"1-{PAGE} of {ITEMS:,}")
    assert view.names() == [item_name(i) for i in range(PAGE)]
    view.wait_thumbnails(loaded=PAGE - 2, broken=1, icons=1)
    # The HTML name is shown as text: no element came of it.
    assert view.card(HTML_NAME).count() == 1
    assert view.grid.locator("img[src='x']").count() == 0

    # Page through all 1,000 items with the pager, then back one page.
    next_page = view.root.get_by_role("button", name="Next ▶")
    for start in range(PAGE, ITEMS, PAGE):
        next_page.click()
        view.wait_label(f"{start + 1:,}-{start + PAGE:,} of {ITEMS:,}")
        assert view.names()[0] == item_name(start)
    view.wait_thumbnails(loaded=PAGE)
    assert next_page.is_disabled()
    view.root.get_by_role("button", name="◀ Previous").click()
    view.wait_label(f"801-900 of {ITEMS:,}")

    # Select: a click, a Ctrl-click, a Ctrl+Shift-click range, a Ctrl-click that deselects, one more.
    view.card("img-0805.jpg").click()
    view.card("img-0807.jpg").click(modifiers=["Control"])
    view.card("img-0810.jpg").click(modifiers=["Control", "Shift"])
    view.card("img-0808.jpg").click(modifiers=["Control"])
    view.card("img-0812.jpg").click(modifiers=["Control"])
    expected = ["img-0805.jpg", "img-0807.jpg", "img-0809.jpg", "img-0810.jpg", "img-0812.jpg"]
    assert notebook.wait_file("selected.json", until=lambda names: names == expected) == expected
    assert view.grid.locator(".dlw-card.dlw-selected").count() == len(expected)
    view.root.locator(".dlw-selection").filter(has_text="5 selected").wait_for(timeout=30_000)

    # The detail pane shows the last card clicked; edit its user metadata and save.
    view.root.locator(".dlw-detail-name").filter(has_text=re.compile("^img-0812.jpg$")).wait_for(
        timeout=30_000
    )
    view.root.locator("textarea").fill('{"quality": "good", "reviewer": "e2e"}')
    view.root.get_by_role("button", name="Save metadata").click()
    view.root.locator(".dlw-notice").filter(has_text="metadata saved").wait_for(timeout=30_000)
    stored = dataset.items.get(filepath="/photos/img-0812.jpg")
    assert stored.metadata["user"] == {"quality": "good", "reviewer": "e2e"}
    assert stored.metadata["system"]["mimetype"] == "image/jpeg"

    # Keys in the grid: Ctrl+A selects the page and PageDown pages; none of them (nor 'a' or 'b', which
    # add cells in command mode) reaches the notebook, and Esc hands the keyboard back to it.
    keyboard = notebook.page.keyboard
    cells = len(notebook.cells())
    view.card("img-0850.jpg").click()
    keyboard.press("Control+a")
    whole_page = [item_name(i) for i in range(800, 900)]
    assert notebook.wait_file("selected.json", until=lambda names: names == whole_page) == whole_page
    for key in ("a", "b", "PageDown"):
        keyboard.press(key)
    view.wait_label(f"901-1,000 of {ITEMS:,}")
    assert len(notebook.cells()) == cells, "a key meant for the grid reached the notebook"
    keyboard.press("Escape")
    keyboard.press("b")
    poll(lambda: len(notebook.cells()) == cells + 1 or None, timeout=10, what="'b' after Esc to add a cell")
