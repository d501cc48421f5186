"""``PromptComposer``: build a prompt item (turns of text, image, audio and video elements) and upload it.

The draft is an API ``PromptItem``; image elements hold the referenced item's ``stream`` URL, so the
image is never copied. Uploading writes exactly the platform's prompt JSON. Batch mode makes one prompt
item per image from a text template.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as w

from ..api import Dataset, Filters, Item, Prompt, PromptItem, PromptType
from ..exceptions import NotFound, PlatformError

ROLES = ("user", "assistant", "system")
_STREAM = re.compile(r"/items/([^/]+)/stream$")
MAX_IMAGE_CHOICES = 500


def referenced_item_id(stream: str) -> str | None:
    """The item id in a ``.../items/<id>/stream`` URL."""
    match = _STREAM.search(stream)
    return match.group(1) if match else None


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
                referenced_item_id(str(element["value"])) if element["mimetype"] != PromptType.TEXT else None
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


class PromptComposer(w.VBox):
    """``PromptComposer(dataset, remote_path="/prompts", images=None)``; ``images`` (for example a
    Browser's selection) are the choices for image elements, else the dataset's images."""

    def __init__(
        self, dataset: Dataset, remote_path: str = "/prompts", images: Sequence[Item] | None = None
    ) -> None:
        self.dataset = dataset
        self.remote_path = remote_path
        self.prompt_item = PromptItem("new-prompt", [Prompt(key="1", role="user")])
        self.uploaded: list[Item] = []
        self._on_upload: list[Callable[[Item], None]] = []
        self._name = w.Text(value="new-prompt", description="name", layout=w.Layout(width="360px"))
        self._name.observe(lambda c: self._rename(c["new"]), names="value")
        self._images = w.Dropdown(description="image", layout=w.Layout(width="360px"))
        self.images = list(images) if images is not None else self._dataset_images()
        self._prompts = w.VBox()
        self._preview = w.HTML()
        self._status = w.HTML()
        add_prompt = _button("+ prompt", self.add_prompt)
        upload = _button("Upload", lambda: self.upload(), style="primary")
        super().__init__(
            [
                w.HBox([self._name, self._images]),
                self._prompts,
                w.HBox([add_prompt, upload]),
                self._status,
                w.HTML("<b>Preview</b>"),
                self._preview,
            ]
        )
        self.add_class("dlw-prompt-composer")
        self._render()

    # -- public surface ---------------------------------------------------------------------------
    @property
    def images(self) -> list[Item]:
        return list(self._image_items)

    @images.setter
    def images(self, items: Sequence[Item]) -> None:
        self._image_items = [i for i in items if (i.mimetype or "").startswith("image/")]
        self._images.options = [(i.filename, i.id) for i in self._image_items]

    def on_upload(self, callback: Callable[[Item], None]) -> None:
        """Call ``callback(item)`` after each prompt item is uploaded."""
        self._on_upload.append(callback)

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
        """Reference ``image`` (default: the one chosen in the image picker) by its stream URL."""
        chosen = image or next((i for i in self._image_items if i.id == self._images.value), None)
        if chosen is None:
            self._error("choose an image first (the dataset has no image items?)")
            return
        self.prompt_item.prompts[prompt_index].add_element(PromptType.IMAGE, chosen.stream)
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
            self._error("; ".join(problems))
            return None
        try:
            item = self.dataset.items.upload(
                local_path=self.prompt_item, remote_path=self.remote_path, overwrite=overwrite
            )
        except (ValueError, PlatformError) as error:
            self._error(getattr(error, "message", str(error)))
            return None
        assert isinstance(item, Item)
        self.uploaded.append(item)
        self._status.value = f"<span class='dlw-notice'>uploaded {html.escape(item.filename)}</span>"
        for callback in self._on_upload:
            callback(item)
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
        self._status.value = f"<span class='dlw-notice'>uploaded {len(made)} prompt items</span>"
        return made

    # -- view -------------------------------------------------------------------------------------------
    def _dataset_images(self) -> list[Item]:
        kinds = [m for m in self.dataset.mimetypes() if m.startswith("image/")]
        if not kinds:
            return []
        filters = Filters(field="metadata.system.mimetype", values=kinds)
        return self.dataset.items.list(filters=filters, page_size=MAX_IMAGE_CHOICES).items

    def _rename(self, name: str) -> None:
        if name.strip():
            self.prompt_item.name = name if name.endswith(".json") else f"{name}.json"

    def _render(self) -> None:
        self._prompts.children = [self._prompt_box(i, p) for i, p in enumerate(self.prompt_item.prompts)]
        self._render_preview()

    def _prompt_box(self, index: int, prompt: Prompt) -> w.Widget:
        key = w.Text(value=prompt.key, description="key", layout=w.Layout(width="200px"))
        key.observe(functools.partial(self._set, prompt, "key"), names="value")
        role = w.Dropdown(
            options=ROLES, value=prompt.role if prompt.role in ROLES else "user", description="role"
        )
        role.observe(functools.partial(self._set, prompt, "role"), names="value")
        rows: list[w.Widget] = [w.HBox([key, role, _button("✕ prompt", lambda: self.delete(index))])]
        for j, element in enumerate(prompt.elements):
            rows.append(
                w.HBox(
                    [
                        self._element_editor(element),
                        _button("↑", functools.partial(self.move, index, j, -1)),
                        _button("↓", functools.partial(self.move, index, j, 1)),
                        _button("✕", functools.partial(self.delete, index, j)),
                    ]
                )
            )
        rows.append(
            w.HBox(
                [
                    _button("+ text", lambda: self.add_text(index)),
                    _button("+ image", lambda: self.add_image(index)),
                ]
            )
        )
        box = w.VBox(rows, layout=w.Layout(border="1px solid #ddd", padding="4px", margin="4px 0"))
        box.add_class("dlw-prompt")
        return box

    def _element_editor(self, element: dict[str, object]) -> w.Widget:
        if element["mimetype"] == PromptType.TEXT.value:
            text = w.Textarea(value=str(element["value"]), layout=w.Layout(width="480px", height="60px"))
            text.observe(functools.partial(self._set_text, element), names="value")
            return text
        names = {i.stream: i.filename for i in self._image_items}
        label = names.get(str(element["value"]), str(element["value"]))
        return w.HTML(
            f"<span class='dlw-element'>{html.escape(str(element['mimetype']))}: {html.escape(label)}</span>",
            layout=w.Layout(width="480px"),
        )

    def _set(self, prompt: Prompt, field: str, change: dict[str, Any]) -> None:
        setattr(prompt, field, change["new"])
        self._render_preview()

    def _set_text(self, element: dict[str, object], change: dict[str, Any]) -> None:
        element["value"] = change["new"]
        self._render_preview()

    def _render_preview(self) -> None:
        self._preview.value = transcript(self.prompt_item, {i.stream: i.filename for i in self._image_items})

    def _error(self, message: str) -> None:
        self._status.value = f"<span class='dlw-error' style='color:#c62828'>{html.escape(message)}</span>"


def transcript(prompt_item: PromptItem, names: dict[str, str]) -> str:
    """The draft as a chat transcript (HTML, every user string escaped)."""
    turns = []
    for prompt in prompt_item.prompts:
        parts = []
        for element in prompt.elements:
            if element["mimetype"] == PromptType.TEXT.value:
                parts.append(f"<div>{html.escape(str(element['value']))}</div>")
            else:
                kind = str(element["mimetype"]).split("/")[0]
                name = names.get(str(element["value"]), str(element["value"]))
                parts.append(f"<div><i>[{html.escape(kind)}: {html.escape(name)}]</i></div>")
        side = "right" if prompt.role == "user" else "left"
        turns.append(
            f"<div class='dlw-turn' style='text-align:{side};margin:4px'><b>{html.escape(prompt.role)}</b>"
            f"{''.join(parts) or '<div><i>(empty)</i></div>'}</div>"
        )
    return "".join(turns)


def _button(text: str, action: Callable[[], object], style: str = "") -> w.Button:
    button = w.Button(description=text, button_style=style, layout=w.Layout(width="auto"))
    button.on_click(lambda _: action())
    return button
