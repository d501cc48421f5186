"""All eight widgets render in the ipywidgets 7 frontends (JupyterLab 3.6 and the classic Notebook), each
showing its content: one notebook shows them all on a demo workspace of three street scenes, and the test
checks what each one shows (names, rows, thumbnails decoded, image pixels drawn), not only that no error
was raised."""

from __future__ import annotations

import io
import re

from PIL import Image
from playwright.sync_api import Locator

from dlwidgets.demo import DATASET, LABELS, PROJECT, street_scene
from dlwidgets.widgets.studio import TABS

from ..page import NotebookPage, OpenNotebook
from ..views import AnnotatorView, BrowserView, wait_decoded_thumbnails

IMAGES = 3
NAMES = [f"/streets/street-{n:02d}.jpg" for n in range(IMAGES)]

WORKSPACE_CELL = f"""\
import dataclasses
import ipywidgets
import dlwidgets as dw
from dlwidgets.demo import create_demo

dump("kernel.json", {{"ipywidgets": ipywidgets.__version__}})
home = str(OUT / "workspace")
dataset = create_demo(dw.connect(home=home), images={IMAGES})
item = dataset.items.get(filepath={NAMES[0]!r})
"""

WIDGET_CELLS = [
    "dw.Login(home=home)",
    "dw.Browser()",
    "dw.OntologyEditor(dataset)",
    "dw.Dropzone(dataset, remote_path='/uploads')",
    """\
annotator = dw.Annotator(item)
dump("viewport.json", dataclasses.asdict(annotator.viewport))
annotator
""",
    "dw.PromptComposer(dataset)",
    "dw.TaskCreator(dataset)",
    "dw.Studio()",
]


def widget(notebook: NotebookPage, selector: str) -> Locator:
    """The first view matching `selector` (the widgets' cells come in order, the Studio last)."""
    return notebook.wait_widget(selector, timeout=90)


def wait_text(root: Locator, selector: str, text: str | re.Pattern[str]) -> None:
    root.locator(selector).filter(has_text=text).first.wait_for(timeout=30_000)


def test_all_eight_widgets_render_with_their_content(open_notebook: OpenNotebook) -> None:
    notebook = open_notebook([WORKSPACE_CELL, *WIDGET_CELLS])
    notebook.run_all()
    notebook.wait_ready(timeout=120)
    kernel = notebook.wait_file("kernel.json")
    assert kernel["ipywidgets"].startswith("7."), f"the kernel runs ipywidgets {kernel['ipywidgets']}"

    # Login: the local workspace it would open, and a sign-in that reaches the kernel and comes back.
    login = widget(notebook, ".dlw-login")
    wait_text(login, ".dlw-home", "workspace")
    login.get_by_role("button", name=re.compile("Sign in")).click()
    wait_text(login, ".dlw-signed-in", re.compile(r"\S"))

    # Browser: the demo dataset's page, its names and every thumbnail decoded.
    browser = BrowserView(notebook)
    widget(notebook, ".dlw-browser .dlw-item-grid")
    browser.wait_label(f"1-{IMAGES} of {IMAGES}")
    browser.wait_thumbnails(loaded=IMAGES)
    assert sorted(browser.names()) == sorted(name.rsplit("/", 1)[1] for name in NAMES)

    # OntologyEditor: a row per label, each name in its field.
    editor = widget(notebook, ".dlw-ontology-editor")
    rows = editor.locator(".dlw-label-row")
    rows.nth(len(LABELS) - 1).wait_for(timeout=30_000)
    assert rows.count() == len(LABELS)
    fields = rows.locator("input[type='text']").evaluate_all("inputs => inputs.map(i => i.value)")
    assert set(LABELS) <= set(fields), fields

    # Dropzone: its drop area, buttons and target folder.
    dropzone = widget(notebook, ".dlw-dropzone")
    wait_text(dropzone, ".dlw-hint", "Drop files or folders here")
    assert dropzone.locator("button.dlw-pick-files").is_visible()
    assert dropzone.locator("input.dlw-remote-path").input_value() == "/uploads"

    # Annotator: its toolbar, and the item's image drawn where the viewport puts it (sky and road, each
    # compared with the same pixel decoded here).
    widget(notebook, ".dlw-annotator canvas.dlw-gestures")
    view = AnnotatorView(notebook)
    view.root.get_by_role("button", name="Box (B)").wait_for(timeout=30_000)
    image = Image.open(io.BytesIO(street_scene(0))).convert("RGB")
    for x, y in ((320, 5), (320, image.height - 3)):
        r, g, b = image.getpixel((x, y))  # type: ignore[misc]
        view.wait_image_pixel(x, y, (r, g, b, 255), f"the image at ({x}, {y})")

    # PromptComposer: the image picker with every thumbnail decoded, and the prompt's text button.
    composer = widget(notebook, ".dlw-prompt-composer")
    picker = composer.locator(".dlw-media-picker .dlw-grid-cards")
    expected = sorted(name.rsplit("/", 1)[1] for name in NAMES)
    wait_decoded_thumbnails(picker, expected)
    assert composer.get_by_role("button", name="+ text", exact=True).is_visible()

    # TaskCreator: the form for this dataset and its (empty) task list.
    creator = widget(notebook, ".dlw-task-creator")
    wait_text(creator, "b", f"New task in {DATASET}")
    assert creator.locator("button", has_text="Create task").is_visible()
    wait_text(creator, "i", "no tasks yet")

    # Studio: its tabs, on Browse, with the demo dataset's grid.
    studio = widget(notebook, ".dlw-studio")
    for title in TABS:
        assert studio.get_by_role("tab", name=title, exact=True).count() == 1, title
    grid = studio.locator(".dlw-browser .dlw-grid-cards")
    grid.locator(".dlw-card").nth(IMAGES - 1).wait_for(timeout=30_000)
    wait_text(studio, ".dlw-page-label", f"1-{IMAGES} of {IMAGES}")
    project = studio.get_by_label("project", exact=True)
    assert project.evaluate("select => select.selectedOptions[0].text") == PROJECT

    # No widget's front-end code complained on the way (neither UI logs errors of its own here).
    errors = [line for line in notebook.console if line.startswith(("[error]", "[pageerror]"))]
    assert not errors, "\n".join(errors)
