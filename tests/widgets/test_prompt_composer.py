"""The PromptComposer: compose, preview, upload as the platform's prompt JSON, reopen, batch, refuse."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable

import ipywidgets as w
import pytest

import dlwidgets as dw
from dlwidgets.widgets.base import live_models
from dlwidgets.widgets.prompt_composer import PromptComposer


@pytest.fixture
def images(dataset: dw.Dataset, make_jpeg: Callable[[int, int], bytes]) -> list[dw.Item]:
    made = []
    for name in ("cat.jpg", "dog.jpg"):
        item = dataset.items.upload(local_path=make_jpeg(40, 30), remote_path="/images", remote_name=name)
        assert isinstance(item, dw.Item)
        made.append(item)
    dataset.items.upload(local_path=b"notes", remote_path="/docs", remote_name="notes.txt")
    return made


def test_a_two_element_prompt_uploads_the_platforms_json(dataset: dw.Dataset, images: list[dw.Item]) -> None:
    composer = PromptComposer(dataset)
    assert [i.name for i in composer.images] == ["cat.jpg", "dog.jpg"]  # image items only
    composer._name.value = "describe-cat"
    composer.add_text(0, "What is in this image?")
    composer._picker.selected_ids = [images[0].id]  # a click on its card in the picker
    composer.add_image(0)
    assert (
        "What is in this image?" in composer._preview.value and "/images/cat.jpg" in composer._preview.value
    )
    # The image is previewed as its thumbnail, the workspace's own JPEG.
    (url,) = re.findall(r"<img class='dlw-prompt-thumb' src='([^']+)'", composer._preview.value)
    assert url == "data:image/jpeg;base64," + base64.b64encode(images[0].thumbnail()).decode()
    uploaded = []
    composer.on_upload(uploaded.append)
    item = composer.upload()
    assert item is not None and uploaded == [item]
    assert item.filename == "/prompts/describe-cat.json"
    assert item.system["shebang"] == {"dltype": "prompt"}
    assert json.loads(item.read()) == {
        "shebang": "dataloop",
        "metadata": {"dltype": "prompt"},
        "prompts": {
            "1": [
                {"mimetype": "application/text", "value": "What is in this image?"},
                {"mimetype": "image/*", "value": images[0].stream},
                {"mimetype": "metadata", "value": {"role": "user"}},
            ]
        },
    }


def test_reorder_delete_turns_and_reopen(dataset: dw.Dataset, images: list[dw.Item]) -> None:
    composer = PromptComposer(dataset, images=images)
    composer.add_text(0, "first")
    composer.add_image(0, images[1])
    composer.move(0, 1, -1)
    assert [e["mimetype"] for e in composer.prompt_item.prompts[0].elements] == [
        "image/*",
        "application/text",
    ]
    answer = composer.add_prompt(role="assistant")
    composer.add_text(1, "a dog")
    assert answer.key == "2"
    composer.add_text(0, "to delete")
    composer.delete(0, 2)
    item = composer.upload()
    assert item is not None
    reopened = PromptComposer(dataset)
    reopened.edit(item)
    assert [(p.key, p.role, len(p.elements)) for p in reopened.prompt_item.prompts] == [
        ("1", "user", 2),
        ("2", "assistant", 1),
    ]
    copy = reopened.duplicate("copy")
    assert copy is not None and copy.filename == "/prompts/copy.json" and copy.id != item.id


def test_batch_makes_one_prompt_item_per_image(dataset: dw.Dataset, images: list[dw.Item]) -> None:
    made = PromptComposer(dataset).batch(images, "Describe {name}")
    assert [i.filename for i in made] == ["/prompts/cat-prompt.json", "/prompts/dog-prompt.json"]
    first = json.loads(made[0].read())["prompts"]["1"]
    assert first[0] == {"mimetype": "application/text", "value": "Describe cat.jpg"}
    assert first[1] == {"mimetype": "image/*", "value": images[0].stream}


def test_empty_prompts_and_deleted_images_are_refused_and_nothing_is_written(
    dataset: dw.Dataset, images: list[dw.Item]
) -> None:
    composer = PromptComposer(dataset)
    assert composer.upload() is None
    assert "prompt '1' is empty" in composer.status
    composer.add_image(0, images[0])
    dataset.items.delete(item_id=images[0].id)
    assert composer.upload() is None
    assert f"item '{images[0].id}' no longer exists" in composer.status
    assert dataset.items.list(filters=dw.Filters(field="dir", values="/prompts")).items_count == 0


def test_user_text_is_escaped_in_the_preview(dataset: dw.Dataset) -> None:
    composer = PromptComposer(dataset)
    composer.add_text(0, "<img src=x onerror=alert(1)>")
    assert "<img" not in composer._preview.value and "&lt;img" in composer._preview.value


def test_the_picker_is_the_browsers_thumbnail_grid(dataset: dw.Dataset, images: list[dw.Item]) -> None:
    composer = PromptComposer(dataset)
    assert [c["name"] for c in composer._picker.cards] == ["cat.jpg", "dog.jpg"]
    assert all(c["thumbnail"] for c in composer._picker.cards)
    assert composer._picker.selected_ids == [images[0].id]  # the first image is chosen until a click
    sent: list[tuple[dict[str, object], list[bytes]]] = []
    composer._picker.send = lambda content, buffers=None: sent.append((content, buffers or []))  # type: ignore[method-assign]
    composer._picker.thumbnails.request([images[1].id]).result(30)
    ((message, buffers),) = sent
    assert message["ids"] == [images[1].id] and buffers[0][:2] == b"\xff\xd8"  # a JPEG, as a binary buffer
    composer._picker.selected_ids = [images[1].id]
    composer.add_image(0)
    assert composer.prompt_item.prompts[0].elements == [{"mimetype": "image/*", "value": images[1].stream}]
    composer._picker.selected_ids = [images[0].id, images[1].id]  # Ctrl-click: both, in that order
    composer.add_image(0)
    assert [e["value"] for e in composer.prompt_item.prompts[0].elements] == [
        images[1].stream,
        images[0].stream,
        images[1].stream,
    ]
    composer.close()


def test_a_browser_selection_becomes_the_picker_and_its_choice(
    dataset: dw.Dataset, images: list[dw.Item]
) -> None:
    composer = PromptComposer(dataset)
    composer.images = [images[1]]
    assert [c["id"] for c in composer._picker.cards] == [images[1].id]
    assert composer.picked == [images[1]]
    composer.images = images  # still offered: the choice is kept
    assert [i.id for i in composer.picked] == [images[1].id]


def test_audio_and_video_elements_reference_their_items(dataset: dw.Dataset, images: list[dw.Item]) -> None:
    audio = dataset.items.upload(local_path=b"RIFF....WAVE", remote_path="/sounds", remote_name="bark.wav")
    video = dataset.items.upload(
        local_path=b"\x00\x00\x00\x18ftypmp42", remote_path="/clips", remote_name="run.mp4"
    )
    assert isinstance(audio, dw.Item) and isinstance(video, dw.Item)
    assert audio.mimetype is not None and audio.mimetype.startswith("audio/")
    assert video.mimetype is not None and video.mimetype.startswith("video/")
    composer = PromptComposer(dataset)
    cards = {c["name"]: c for c in composer._picker.cards}
    assert (cards["bark.wav"]["icon"], cards["run.mp4"]["icon"]) == ("audio", "video")
    assert not cards["bark.wav"]["thumbnail"] and not cards["run.mp4"]["thumbnail"]

    composer.add_audio(0)  # the picker's choice is an image, not an audio item
    assert "select an audio in the picker first" in composer.status
    assert composer.prompt_item.prompts[0].elements == []
    composer._picker.selected_ids = [audio.id]
    composer.add_audio(0)
    composer._picker.selected_ids = [video.id]
    composer.add_video(0)
    composer.add_video(0, images[0])  # an image is no video
    assert "'cat.jpg' is not a video item" in composer.status
    composer.add_text(0, "What happens here?")
    assert "[audio: /sounds/bark.wav]" in composer._preview.value
    assert "[video: /clips/run.mp4]" in composer._preview.value
    item = composer.upload()
    assert item is not None
    assert json.loads(item.read())["prompts"]["1"] == [
        {"mimetype": "audio/*", "value": audio.stream},
        {"mimetype": "video/*", "value": video.stream},
        {"mimetype": "application/text", "value": "What happens here?"},
        {"mimetype": "metadata", "value": {"role": "user"}},
    ]


def test_audio_and_video_buttons_say_when_the_dataset_has_none(
    dataset: dw.Dataset, images: list[dw.Item]
) -> None:
    composer = PromptComposer(dataset)
    composer._prompts.receive({"type": "add", "prompt": 0, "kind": "video"})  # "+ video"
    assert "there are no video items" in composer.status
    composer._prompts.receive({"type": "add", "prompt": 0, "kind": "image"})  # the first image, chosen
    assert composer.prompt_item.prompts[0].elements == [{"mimetype": "image/*", "value": images[0].stream}]


def test_batch_mode_from_the_form_uses_the_picked_images(dataset: dw.Dataset, images: list[dw.Item]) -> None:
    composer = PromptComposer(dataset)
    composer._picker.selected_ids = [images[1].id, images[0].id]
    composer._template.value = "What is in {name}?"
    next(b for b in _buttons(composer) if b.description == "One prompt per picked image").click()
    made = {i.filename for i in composer.uploaded}
    assert made == {"/prompts/cat-prompt.json", "/prompts/dog-prompt.json"}
    dog = dataset.items.get(filepath="/prompts/dog-prompt.json")
    assert json.loads(dog.read())["prompts"]["1"][0]["value"] == "What is in dog.jpg?"
    composer._template.value = "Describe {missing}"
    next(b for b in _buttons(composer) if b.description == "One prompt per picked image").click()
    assert "cannot be filled" in composer.status


def _buttons(widget: w.Widget) -> list[w.Button]:
    found = [widget] if isinstance(widget, w.Button) else []
    for child in getattr(widget, "children", ()):
        found += _buttons(child)
    return found


def test_edits_sent_from_the_prompts_in_the_browser(dataset: dw.Dataset, images: list[dw.Item]) -> None:
    composer = PromptComposer(dataset, images=images)
    send = composer._prompts.receive  # what the prompts' buttons, fields and text boxes send
    send({"type": "add", "prompt": 0, "kind": "text"})
    send({"type": "text", "prompt": 0, "element": 0, "value": "What is this?"})
    send({"type": "add", "prompt": 0, "kind": "image"})
    send({"type": "move", "prompt": 0, "element": 1, "offset": -1})
    send({"type": "prompt", "prompt": 0, "field": "role", "value": "system"})
    assert [e["mimetype"] for e in composer.prompt_item.prompts[0].elements] == [
        "image/*",
        "application/text",
    ]
    shown = composer._prompts.prompts[0]
    assert shown["role"] == "system" and shown["elements"][0]["label"] == "image/*: /images/cat.jpg"
    assert shown["elements"][1] == {"mimetype": "application/text", "value": "What is this?", "label": ""}
    assert "What is this?" in composer._preview.value
    send({"type": "delete", "prompt": 0, "element": 5})
    assert "prompt '1' has no element 5" in composer.status
    send({"type": "delete-prompt", "prompt": 0})
    assert composer.prompt_item.prompts == [] and composer._prompts.prompts == []


def test_the_prompts_are_one_widget_however_many_elements(dataset: dw.Dataset) -> None:
    composer = PromptComposer(dataset)
    before = live_models()
    for n in range(50):
        composer.add_text(0, f"line {n}")
    composer.add_prompt("assistant")
    assert live_models() == before
    composer.close()
