"""The PromptComposer in a real browser, in JupyterLab 4 and Notebook 7, used as a person would use it.

The notebook makes an embedded workspace whose dataset holds two small JPEGs, ``/images/cat.jpg`` and
``/images/dog.jpg``, and shows ``dw.PromptComposer(dataset, remote_path="/prompts")``. The test names
the prompt, adds a text element and types two lines into it, picks the dog by clicking its thumbnail in
the picker, adds it as an image element, and uploads. This process then reads the prompt item back from
the same workspace: exactly the platform's prompt JSON, with the image referenced by its stream URL.
"""

from __future__ import annotations

import json
import re

import dlwidgets as dw

from .page import OpenNotebook
from .views import wait_decoded_thumbnails

PROMPT_NAME = "describe-dog"
TEXT = "What is in this image?\nAnswer in one sentence."

COMPOSER_CELL = """\
import io
from PIL import Image
import dlwidgets as dw

dw.connect(home=str(OUT / "workspace"))
dataset = dw.projects.create(project_name="e2e").datasets.create(dataset_name="pets")
for name, color in (("cat.jpg", (200, 60, 40)), ("dog.jpg", (40, 90, 200))):
    jpeg = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(jpeg, format="JPEG")
    dataset.items.upload(local_path=jpeg.getvalue(), remote_path="/images", remote_name=name)
composer = dw.PromptComposer(dataset, remote_path="/prompts")
composer.on_upload(lambda item: dump("uploaded.json", {"id": item.id, "filename": item.filename}))
composer
"""


def test_compose_a_text_and_an_image_upload_and_read_back(open_notebook: OpenNotebook) -> None:
    notebook = open_notebook([COMPOSER_CELL])
    notebook.run_all()
    composer = notebook.wait_widget(".dlw-prompt-composer")
    notebook.wait_ready()
    picker = composer.locator(".dlw-media-picker .dlw-grid-cards")
    wait_decoded_thumbnails(picker, ["cat.jpg", "dog.jpg"])

    # Name the prompt, add a text element and type two lines into it.
    composer.get_by_label("name", exact=True).fill(PROMPT_NAME)
    composer.get_by_role("button", name="+ text", exact=True).click()
    text = composer.locator(".dlw-prompt textarea")
    text.click()
    for index, line in enumerate(TEXT.split("\n")):
        if index:
            text.press("Enter")
        text.press_sequentially(line, delay=5)

    # Pick the dog by its thumbnail, then add it as an image element.
    dog = picker.locator(".dlw-card").filter(has=notebook.page.get_by_text("dog.jpg", exact=True))
    dog.click()
    composer.locator(".dlw-media-picker .dlw-card.dlw-selected").filter(has_text="dog.jpg").wait_for(
        timeout=30_000
    )
    composer.get_by_role("button", name="+ image", exact=True).click()
    composer.locator(".dlw-element").filter(has_text="image/*: /images/dog.jpg").wait_for(timeout=30_000)

    # The preview is the transcript: the user's turn with the text, then the image.
    turn = composer.locator(".dlw-turn")
    turn.filter(has_text=re.compile(r"Answer in one sentence\.\s*\[image: /images/dog\.jpg\]")).wait_for(
        timeout=30_000
    )
    assert turn.count() == 1

    composer.get_by_role("button", name="Upload", exact=True).click()
    uploaded = notebook.wait_file("uploaded.json")
    assert uploaded["filename"] == f"/prompts/{PROMPT_NAME}.json"
    composer.locator(".dlw-notice").filter(has_text=f"uploaded /prompts/{PROMPT_NAME}.json").wait_for(
        timeout=30_000
    )

    # Read back by this process, from the same workspace.
    client = dw.connect(home=str(notebook.out_dir / "workspace"))
    dataset = client.projects.get(project_name="e2e").datasets.get(dataset_name="pets")
    dog_item = dataset.items.get(filepath="/images/dog.jpg")
    item = dataset.items.get(filepath=f"/prompts/{PROMPT_NAME}.json")
    assert item.id == uploaded["id"]
    assert item.system["shebang"] == {"dltype": "prompt"}
    stored = json.loads(item.read())
    assert stored == {
        "shebang": "dataloop",
        "metadata": {"dltype": "prompt"},
        "prompts": {
            "1": [
                {"mimetype": "application/text", "value": TEXT},
                {"mimetype": "image/*", "value": dog_item.stream},
                {"mimetype": "metadata", "value": {"role": "user"}},
            ]
        },
    }
    assert dog_item.client.items.id_of_stream(dog_item.stream) == dog_item.id  # a reference, not a copy
    (prompt,) = dw.PromptItem.from_json(item.name, stored).prompts
    assert (prompt.key, prompt.role) == ("1", "user")
    assert [e["mimetype"] for e in prompt.elements] == ["application/text", "image/*"]
    assert [
        i.filename for i in dataset.items.list(filters=dw.Filters(field="dir", values="/prompts")).items
    ] == [f"/prompts/{PROMPT_NAME}.json"]
    client.close()
