"""The Studio in a real browser, in JupyterLab 4 and Notebook 7, walked tab by tab as a person would.

The notebook makes an embedded workspace holding the demo dataset (six drawn street scenes, labels car,
person, tree, house and outdoor) and shows ``dw.Studio()``. The test picks the project and the dataset
in Browse, uploads a street scene with a car and a person through the Upload tab's file input, finds it
in the Browse grid and selects it, presses Annotate and draws a car box and a person box, saves, writes
a prompt about it in Prompts, then makes a task for the selection in Tasks. This process then reads the
same workspace: the uploaded bytes, the boxes in image pixels, the prompt item, the task and its
assignment.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Locator

import dlwidgets as dw
from dlwidgets.demo import DATASET, PROJECT, street_scene

from .page import NotebookPage, OpenNotebook
from .screenshots import save_screenshot
from .views import AnnotatorView, BrowserView

DEMO_IMAGES = 6
UPLOADED = "my-street.jpg"
ASSIGNEE = "ann@example.com"
TASK = "label my street"
PROMPT_NAME = "street-question"
PROMPT_TEXT = "Which of these cars are parked?"

# Where the test's image has a car and a person (image pixels), and the boxes drawn around them.
CAR = (380, 320, 480, 352)
PERSON = (150, 296, 162, 340)
CAR_BOX = ((372.0, 300.0), (488.0, 376.0))
PERSON_BOX = ((142.0, 290.0), (170.0, 346.0))

STUDIO_CELL = f"""\
import dataclasses
import dlwidgets as dw
from dlwidgets.demo import create_demo

client = dw.connect(home=str(OUT / "workspace"))
create_demo(client, images={DEMO_IMAGES})
studio = dw.Studio()
studio.browser.on_select(lambda items: dump("selected.json", [i.filename for i in items]))
studio.prompt_composer.on_upload(lambda item: dump("prompt.json", item.filename))

def on_tab(change):
    annotator = studio.annotator
    if studio.tabs.get_title(change["new"]) == "Annotate" and annotator is not None:
        dump("viewport.json", dataclasses.asdict(annotator.viewport))
        annotator.on_save(lambda item, annotations: dump("saved.json", {{"count": len(annotations)}}))

studio.tabs.observe(on_tab, names="selected_index")
studio
"""


def scene_with_car_and_person() -> bytes:
    """A demo street scene with a car and a person drawn where the test's boxes go."""
    image = Image.open(io.BytesIO(street_scene(42)))
    draw = ImageDraw.Draw(image)
    x0, y0, x1, y1 = CAR
    draw.rounded_rectangle([x0, y0, x1, y1], radius=8, fill=(200, 40, 40))
    draw.rounded_rectangle([x0 + 20, y0 - 16, x0 + 75, y0 + 4], radius=6, fill=(200, 40, 40))
    draw.ellipse([x0 + 12, y1 - 8, x0 + 32, y1 + 12], fill=(20, 20, 20))
    draw.ellipse([x0 + 68, y1 - 8, x0 + 88, y1 + 12], fill=(20, 20, 20))
    x0, y0, x1, y1 = PERSON
    draw.ellipse([x0 + 1, y0, x1 - 1, y0 + 10], fill=(230, 190, 160))
    draw.rectangle([x0, y0 + 10, x1, y1], fill=(40, 60, 160))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def button(root: Locator, text: str) -> Locator:
    """The button reading exactly `text` (by its text: an icon's glyph is part of its accessible name)."""
    return root.locator("button", has_text=re.compile(rf"^\s*{re.escape(text)}\s*$")).first


class StudioView:
    """The Studio as the page shows it: its action buttons and tabs, and each tab's widget."""

    def __init__(self, notebook: NotebookPage) -> None:
        self.notebook = notebook
        self.root = notebook.page.locator(".jp-OutputArea-output .dlw-studio").first

    def tab(self, title: str) -> None:
        self.root.get_by_role("tab", name=title, exact=True).click()

    def action(self, name: str) -> None:
        button(self.root, name).click()

    def pane(self, selector: str) -> Locator:
        widget = self.root.locator(selector).first
        widget.wait_for(state="visible", timeout=30_000)
        return widget


def test_browse_upload_annotate_prompt_and_make_a_task(open_notebook: OpenNotebook, tmp_path: Path) -> None:
    notebook = open_notebook([STUDIO_CELL])
    notebook.run_all()
    notebook.wait_widget(".dlw-studio .dlw-browser .dlw-item-grid")
    notebook.wait_ready()
    studio = StudioView(notebook)
    browser = BrowserView(notebook)

    # 1. Browse: pick the project and the dataset (the only ones, so already shown: picked anyway).
    browser.root.get_by_label("project", exact=True).select_option(label=PROJECT)
    browser.root.get_by_label("dataset", exact=True).select_option(label=DATASET)
    browser.wait_label(f"1-{DEMO_IMAGES} of {DEMO_IMAGES}")

    # 2. Upload: a file picked with the dropzone's file input becomes an item at the dataset's root.
    picked = tmp_path / "picked" / UPLOADED
    picked.parent.mkdir()
    picked.write_bytes(scene_with_car_and_person())
    studio.tab("Upload")
    dropzone = studio.pane(".dlw-dropzone")
    dropzone.locator("input.dlw-file-input").set_input_files(picked)
    dropzone.locator('.dlw-file[data-status="done"]').wait_for(timeout=60_000)

    # 3. Browse again: the upload refreshed the grid; select the new item by its card.
    studio.tab("Browse")
    browser.wait_label(f"1-{DEMO_IMAGES + 1} of {DEMO_IMAGES + 1}")
    browser.wait_thumbnails(loaded=DEMO_IMAGES + 1)
    browser.card(UPLOADED).click()
    assert notebook.wait_file("selected.json", until=lambda names: names == [f"/{UPLOADED}"])
    studio.root.locator(".dlw-selection").filter(has_text="1 selected").first.wait_for(timeout=30_000)
    save_screenshot(browser.root, "Browser")
    save_screenshot(studio.root, "Studio")

    # 4. Annotate the selection: a car box with the first label, a person box with the second, saved.
    studio.action("Annotate")
    notebook.wait_widget(".dlw-studio .dlw-annotator canvas.dlw-gestures")
    view = AnnotatorView(notebook)
    car_corners = [view.image_xy(*screen) for screen in view.drag(*CAR_BOX)]
    view.wait_text(".dlw-selection-title", "box 1 car")
    notebook.page.keyboard.press("Escape")  # deselect the car box, or the next label would relabel it
    view.root.locator('.dlw-label-row[data-label="person"]').click()
    person_corners = [view.image_xy(*screen) for screen in view.drag(*PERSON_BOX)]
    view.wait_text(".dlw-selection-title", "box 2 person")
    view.root.locator("button", has_text=re.compile(r"^\s*Save\s*$")).click()
    # Autosave may have saved the first box already: the explicit save is the one with both.
    assert notebook.wait_file("saved.json", until=lambda s: s["count"] == 2) == {"count": 2}
    view.wait_text(".dlw-notice", "saved 2 annotations")
    save_screenshot(view.root, "Annotator")

    # 5. A prompt about the selected image: a text, then the image (the selection is the choice).
    studio.action("New prompt")
    composer = studio.pane(".dlw-prompt-composer")
    composer.get_by_label("name", exact=True).fill(PROMPT_NAME)
    composer.get_by_role("button", name="+ text", exact=True).click()
    composer.locator(".dlw-prompt textarea").fill(PROMPT_TEXT)
    composer.get_by_role("button", name="+ image", exact=True).click()
    composer.locator(".dlw-element").filter(has_text=UPLOADED).wait_for(timeout=30_000)
    composer.get_by_role("button", name="Upload", exact=True).click()
    assert notebook.wait_file("prompt.json") == f"/prompts/{PROMPT_NAME}.json"
    save_screenshot(composer, "PromptComposer")
    studio.tab("Browse")  # the new prompt item is in the grid too
    browser.wait_label(f"1-{DEMO_IMAGES + 2} of {DEMO_IMAGES + 2}")

    # 6. A task for the selection, assigned to one annotator.
    studio.action("New task")
    creator = studio.pane(".dlw-task-creator")
    creator.locator(".dlw-count").filter(has_text=re.compile(r"^1 item$")).wait_for(timeout=30_000)
    name = creator.get_by_label("name", exact=True)
    name.fill(TASK)
    name.press("Enter")  # the name field syncs on Enter or blur (continuous_update=False)
    creator.get_by_label("assignees", exact=True).fill(ASSIGNEE)
    button(creator, "Create task").click()
    creator.locator(".dlw-assignment").filter(has_text=f"{ASSIGNEE}: 1 item").wait_for(timeout=30_000)
    creator.locator(".dlw-task").filter(has_text=TASK).wait_for(timeout=30_000)
    save_screenshot(creator, "TaskCreator")

    # What is stored, read from the same workspace by this process.
    client = dw.connect(home=str(notebook.out_dir / "workspace"))
    dataset = client.projects.get(project_name=PROJECT).datasets.get(dataset_name=DATASET)
    item = dataset.items.get(filepath=f"/{UPLOADED}")
    assert item.read() == picked.read_bytes()
    boxes = {a.label: a for a in item.annotations.list()}
    assert sorted(boxes) == ["car", "person"]
    for label, meant in (("car", car_corners), ("person", person_corners)):
        assert boxes[label].type == "box"
        corners = [(p["x"], p["y"]) for p in boxes[label].coordinates]
        assert corners == [pytest.approx(point, abs=1) for point in meant], label
    prompt = dataset.items.get(filepath=f"/prompts/{PROMPT_NAME}.json")
    assert PROMPT_TEXT in prompt.read().decode()
    (task,) = dataset.tasks.list()
    assert (task.name, task.total_items) == (TASK, 1)
    (assignment,) = task.assignments.list()
    assert (assignment.annotator, assignment.total_items) == (ASSIGNEE, 1)
    assert [i.id for i in assignment.get_items().all()] == [item.id]
    client.close()
