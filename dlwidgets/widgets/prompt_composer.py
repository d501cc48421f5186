"""``PromptComposer``: build a prompt item (turns of text, image, audio and video elements) and upload it.

The draft is an API ``PromptItem``; image, audio and video elements hold the referenced item's
``stream`` URL, so the media is never copied. They are picked in a thumbnail grid (the Browser's
``ItemGrid``) of the dataset's image, audio and video items, or of a Browser selection. Uploading writes
exactly the platform's prompt JSON. Batch mode makes one prompt item per image from a text template.
"""

from __future__ import annotations

import base64
import contextlib
import html
import json
from collections.abc import Callable, Sequence
from typing import Any, cast

import ipywidgets as w

from ..api import Dataset, Filters, Item, Prompt, PromptItem, PromptType
from ..exceptions import NotFound
from .base import WidgetBase
from .item_grid import ItemGrid, NoThumbnail, card, item_thumbnail
from .prompt_elements import ElementsMessage, PromptElements, prompt_rows

ROLES = ("user", "assistant", "system")
MAX_IMAGE_CHOICES = 500
PICKER_PAGE = 24
# The element kinds that reference an item, with the item mimetypes each accepts.
MEDIA = {PromptType.IMAGE: "image/", PromptType.AUDIO: "audio/", PromptType.VIDEO: "video/"}


def check_prompt_item(prompt_item: PromptItem, dataset: Dataset) -> list[str]:
    """What is wrong with a draft, as messages naming the prompt and element; empty when it can go."""
    problems = []
    if not prompt_item.prompts:
        problems.append("the prompt item has no prompts: add one")
    for prompt in prompt_item.prompts:
        if not prompt.elements:
            problems.append(f"prompt {prompt.key!r} is empty: add text or an image")
        for index, element in enumerate(prompt.elements):
            if element["mimetype"] == PromptType.TEXT.value and not str(element["value"]).strip():
                problems.append(f"prompt {prompt.key!r}, element {index + 1}: the text is empty")
            item_id = (
                dataset.items.id_of_stream(str(element["value"]))
                if element["mimetype"] != PromptType.TEXT
                else None
            )
            if item_id is not None:
                try:
                    dataset.items.get(item_id=item_id)
                except NotFound:
                    problems.append(
                        f"prompt {prompt.key!r}, element {index + 1}: item {item_id!r} no longer exists"
                    )
    keys = [p.key for p in prompt_item.prompts]
    problems += [f"prompt key {k!r} is used twice" for k in sorted({k for k in keys if keys.count(k) > 1})]
    return problems


def batch_prompt_items(images: Sequence[Item], template: str, role: str = "user") -> list[PromptItem]:
    """One prompt item per image: the template (``{name}``, ``{filename}`` filled in), then the image."""
    made = []
    for image in images:
        prompt = Prompt(key="1", role=role)
        prompt.add_element(PromptType.TEXT, template.format(name=image.name, filename=image.filename))
        prompt.add_element(PromptType.IMAGE, image.stream)
        made.append(PromptItem(name=f"{image.name.rsplit('.', 1)[0]}-prompt", prompts=[prompt]))
    return made


class PromptComposer(WidgetBase):
    """``PromptComposer(dataset, remote_path="/prompts", images=None)``; ``images`` (for example a
    Browser's selection) are the choices for image elements, else the dataset's images. The picker also
    offers the dataset's audio and video items; "+ image", "+ audio" and "+ video" add the items of that
    kind selected in it."""

    def __init__(
        self, dataset: Dataset, remote_path: str = "/prompts", images: Sequence[Item] | None = None
    ) -> None:
        super().__init__()
        self.dataset = dataset
        self.remote_path = remote_path
        self.prompt_item = PromptItem("new-prompt", [Prompt(key="1", role="user")])
        self.uploaded: list[Item] = []
        self._name = self.shared.make(
            w.Text, value="new-prompt", description="name", layout={"width": "360px"}
        )
        self._name.observe(lambda c: self._rename(c["new"]), names="value")
        self._picker_start = 0
        self._picker_items: dict[str, Item] = {}  # the page shown; replaced, never mutated (threads read it)
        self._picker = ItemGrid(
            on_page=self._page_picker,
            fetch_thumbnail=self._thumbnail,
            empty_text="no image, audio or video items to reference",
        )
        self._picker.add_class("dlw-media-picker")
        self._media_items = {
            kind: self._dataset_media(prefix) for kind, prefix in MEDIA.items() if kind != PromptType.IMAGE
        }
        self._image_items: list[Item] = []
        self.images = list(images) if images is not None else self._dataset_media("image/")
        self._prompts = PromptElements(on_message=self._on_elements_message, roles=list(ROLES))
        self._preview = self.shared.html()
        add_prompt = self.button("+ prompt", self.add_prompt)
        upload = self.button("Upload", self.upload, button_style="primary")
        self._template = self.shared.make(
            w.Text, placeholder="Describe {name}", description="template", layout={"width": "360px"}
        )
        batch = self.button("One prompt per picked image", self._batch_picked)
        self.children = [
            self._name,
            self.shared.html("<b>Images, audio and video</b>: select, then + image, + audio or + video"),
            self._picker,
            self._prompts,
            self.shared.hbox(add_prompt, upload),
            self.shared.hbox(self._template, batch),
            self.status_line,
            self.shared.html("<b>Preview</b>"),
            self._preview,
        ]
        self.add_class("dlw-prompt-composer")
        self._render()

    # -- public surface ---------------------------------------------------------------------------
    @property
    def images(self) -> list[Item]:
        return list(self._image_items)

    @images.setter
    def images(self, items: Sequence[Item]) -> None:
        self._image_items = [i for i in items if (i.mimetype or "").startswith("image/")]
        ids = {i.id for i in self._image_items}
        kept = [i for i in self._picker.selected_ids if i in ids]
        self._picker_start = 0
        self._show_picker()
        # Keep the chosen images that are still offered, or choose the first (a Browser selection is the
        # choice), until another card is clicked.
        self._picker.selected_ids = kept or [i.id for i in self._image_items[:1]]

    @property
    def picked(self) -> list[Item]:
        """The items selected in the picker, in the order they were selected."""
        by_id = {i.id: i for i in self._choices()}
        return [by_id[i] for i in self._picker.selected_ids if i in by_id]

    def on_upload(self, callback: Callable[[Item], None], remove: bool = False) -> None:
        """Call ``callback(item)`` after each prompt item is uploaded."""
        self.callbacks("on_upload").register(callback, remove)

    def add_prompt(self, role: str = "user") -> Prompt:
        keys = {p.key for p in self.prompt_item.prompts}
        key = str(next(n for n in range(1, len(keys) + 2) if str(n) not in keys))
        prompt = Prompt(key=key, role=role)
        self.prompt_item.prompts.append(prompt)
        self._render()
        return prompt

    def add_text(self, prompt_index: int, text: str = "") -> None:
        self.prompt_item.prompts[prompt_index].elements.append(
            {"mimetype": PromptType.TEXT.value, "value": text}
        )
        self._render()

    def add_image(self, prompt_index: int, image: Item | None = None) -> None:
        """Reference ``image`` (default: the images selected in the picker) by its stream URL."""
        self.add_media(prompt_index, PromptType.IMAGE, image)

    def add_audio(self, prompt_index: int, audio: Item | None = None) -> None:
        """Reference ``audio`` (default: the audio items selected in the picker) by its stream URL."""
        self.add_media(prompt_index, PromptType.AUDIO, audio)

    def add_video(self, prompt_index: int, video: Item | None = None) -> None:
        """Reference ``video`` (default: the video items selected in the picker) by its stream URL."""
        self.add_media(prompt_index, PromptType.VIDEO, video)

    def add_media(self, prompt_index: int, kind: PromptType, item: Item | None = None) -> None:
        """Add an element of ``kind`` (image, audio or video) referencing ``item``, or each item of that
        kind selected in the picker: only its stream URL, never its bytes."""
        prefix, noun = MEDIA[kind], kind.value.split("/")[0]
        a_noun = f"{'a' if noun == 'video' else 'an'} {noun}"
        of_kind = [i for i in self.picked if (i.mimetype or "").startswith(prefix)]
        chosen = [item] if item is not None else of_kind
        wrong = [i.name for i in chosen if not (i.mimetype or "").startswith(prefix)]
        if wrong:
            self.error(f"{wrong[0]!r} is not {a_noun} item")
            return
        if not chosen:
            offered = self._image_items if kind == PromptType.IMAGE else self._media_items[kind]
            self.error(f"select {a_noun} in the picker first" if offered else f"there are no {noun} items")
            return
        for each in chosen:
            self.prompt_item.prompts[prompt_index].add_element(kind, each.stream)
        self.clear_status()
        self._render()

    def move(self, prompt_index: int, element_index: int, offset: int) -> None:
        elements = self.prompt_item.prompts[prompt_index].elements
        target = element_index + offset
        if 0 <= target < len(elements):
            elements[element_index], elements[target] = elements[target], elements[element_index]
            self._render()

    def delete(self, prompt_index: int, element_index: int | None = None) -> None:
        """Delete an element, or the whole prompt when ``element_index`` is None."""
        if element_index is None:
            del self.prompt_item.prompts[prompt_index]
        else:
            del self.prompt_item.prompts[prompt_index].elements[element_index]
        self._render()

    def edit(self, item: Item) -> None:
        """Edit an existing prompt item (upload overwrites it unless the name is changed)."""
        self.prompt_item = PromptItem.from_json(item.name, json.loads(item.read()))
        self._name.value = self.prompt_item.name.removesuffix(".json")
        self.remote_path = item.dir
        self._render()

    def upload(self, overwrite: bool = True) -> Item | None:
        """Check the draft, then upload it as ``<remote_path>/<name>.json``; problems are shown."""
        problems = check_prompt_item(self.prompt_item, self.dataset)
        if problems:
            self.error("; ".join(problems))
            return None
        item = self.attempt(
            lambda: self.dataset.items.upload(
                local_path=self.prompt_item, remote_path=self.remote_path, overwrite=overwrite
            )
        )
        if item is None:
            return None
        assert isinstance(item, Item)
        self.uploaded.append(item)
        self.notice(f"uploaded {item.filename}")
        self.callbacks("on_upload").fire(item)
        return item

    def duplicate(self, name: str) -> Item | None:
        """Upload the draft again under another name."""
        self._name.value = name
        return self.upload(overwrite=False)

    def batch(self, images: Sequence[Item], template: str) -> list[Item]:
        """One prompt item per image from ``template``; returns the uploaded items."""
        made = []
        for prompt_item in batch_prompt_items(images, template):
            item = self.dataset.items.upload(
                local_path=prompt_item, remote_path=self.remote_path, overwrite=True
            )
            assert isinstance(item, Item)
            made.append(item)
        self.uploaded += made
        self.notice(f"uploaded {len(made)} prompt items")
        return made

    def _batch_picked(self) -> None:
        """Batch mode from the form: the template applied to each image picked."""
        images = [i for i in self.picked if (i.mimetype or "").startswith("image/")]
        template = self._template.value.strip()
        if not images or not template:
            self.error("pick one or more images and write a template (e.g. 'Describe {name}') first")
            return
        try:
            self.batch(images, template)
        except (KeyError, IndexError, ValueError) as error:
            self.error(f"template {template!r} cannot be filled ({error}); use {{name}} or {{filename}}")

    # -- view -------------------------------------------------------------------------------------------
    def _dataset_media(self, prefix: str) -> list[Item]:
        kinds = [m for m in self.dataset.mimetypes() if m.startswith(prefix)]
        if not kinds:
            return []
        filters = Filters(field="metadata.system.mimetype", values=kinds)
        return self.dataset.items.list(filters=filters, page_size=MAX_IMAGE_CHOICES).items

    def _choices(self) -> list[Item]:
        return [*self._image_items, *(i for items in self._media_items.values() for i in items)]

    def _names(self) -> dict[str, str]:
        return {i.stream: i.filename for i in self._choices()}

    def _show_picker(self) -> None:
        choices = self._choices()
        start = self._picker_start
        shown = choices[start : start + PICKER_PAGE]
        self._picker_items = {i.id: i for i in shown}
        self._picker.page_label = f"{start + 1}-{start + len(shown)} of {len(choices)}" if shown else ""
        self._picker.has_previous = start > 0
        self._picker.has_next = start + PICKER_PAGE < len(choices)
        self._picker.cards = [card(i) for i in shown]

    def _page_picker(self, to: str) -> None:
        step = PICKER_PAGE if to == "next" else -PICKER_PAGE
        self._picker_start = max(0, min(self._picker_start + step, len(self._choices()) - 1))
        self._show_picker()

    def _thumbnail(self, item_id: str) -> bytes | None:
        """A picker card's thumbnail (called on the grid's worker threads)."""
        return item_thumbnail(self._picker_items.get(item_id))

    def _rename(self, name: str) -> None:
        if name.strip():
            self.prompt_item.name = name if name.endswith(".json") else f"{name}.json"

    def _render(self) -> None:
        rows = prompt_rows(self.prompt_item, self._names())
        self._prompts.prompts = cast("list[dict[str, Any]]", rows)
        self._render_preview()

    def _on_elements_message(self, message: ElementsMessage) -> None:
        """One edit from the prompts in the browser; what it refuses is shown."""
        self.attempt(lambda: self._apply(cast("dict[str, Any]", message)))

    def _apply(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        index = message.get("prompt")
        if not isinstance(index, int) or not 0 <= index < len(self.prompt_item.prompts):
            raise ValueError(f"there is no prompt {index!r}; the draft has {len(self.prompt_item.prompts)}")
        prompt = self.prompt_item.prompts[index]
        if kind == "prompt" and message.get("field") in ("key", "role"):
            setattr(prompt, message["field"], str(message.get("value", "")))
            # A key is typed: only the preview follows it. A role is chosen: the prompts are redrawn.
            self._render() if message["field"] == "role" else self._render_preview()
        elif kind == "delete-prompt":
            self.delete(index)
        elif kind == "add":
            adds: dict[str, Callable[[int], None]] = {
                "text": self.add_text,
                "image": self.add_image,
                "audio": self.add_audio,
                "video": self.add_video,
            }
            if message.get("kind") not in adds:
                raise ValueError(f"an element is one of {list(adds)}, got {message.get('kind')!r}")
            adds[message["kind"]](index)
        else:
            element = message.get("element")
            if not isinstance(element, int) or not 0 <= element < len(prompt.elements):
                raise ValueError(f"prompt {prompt.key!r} has no element {element!r}")
            if kind == "text":
                prompt.elements[element]["value"] = str(message.get("value", ""))
                self._render_preview()
            elif kind == "move":
                self.move(index, element, int(message.get("offset", 0)))
            elif kind == "delete":
                self.delete(index, element)

    def _render_preview(self) -> None:
        self._preview.value = transcript(self.prompt_item, self._names(), self._thumbnails())

    def _thumbnails(self) -> dict[str, str]:
        """The images' thumbnails (a few KB each, made once), as data URLs by stream, for the preview."""
        cache: dict[str, str] = self.__dict__.setdefault("_thumbnail_urls", {})
        used = {str(e["value"]) for p in self.prompt_item.prompts for e in p.elements}
        for image in self._image_items:
            if image.stream in used and image.stream not in cache:
                with contextlib.suppress(NoThumbnail):
                    data = item_thumbnail(image)
                    if data:
                        cache[image.stream] = "data:image/jpeg;base64," + base64.b64encode(data).decode()
        return cache


def transcript(
    prompt_item: PromptItem, names: dict[str, str], thumbnails: dict[str, str] | None = None
) -> str:
    """The draft as a chat transcript (HTML, every user string escaped); image elements show their
    thumbnail when ``thumbnails`` (data URLs by stream) has it."""
    turns = []
    for prompt in prompt_item.prompts:
        parts = []
        for element in prompt.elements:
            if element["mimetype"] == PromptType.TEXT.value:
                parts.append(f"<div>{html.escape(str(element['value']))}</div>")
            else:
                kind = str(element["mimetype"]).split("/")[0]
                name = names.get(str(element["value"]), str(element["value"]))
                url = (thumbnails or {}).get(str(element["value"]))
                image = (
                    f"<img class='dlw-prompt-thumb' src='{url}' alt='' style='max-height:96px;display:block'>"
                    if url and kind == "image"
                    else ""
                )
                parts.append(f"<div>{image}<i>[{html.escape(kind)}: {html.escape(name)}]</i></div>")
        side = "right" if prompt.role == "user" else "left"
        turns.append(
            f"<div class='dlw-turn' style='text-align:{side};margin:4px'><b>{html.escape(prompt.role)}</b>"
            f"{''.join(parts) or '<div><i>(empty)</i></div>'}</div>"
        )
    return "".join(turns)
