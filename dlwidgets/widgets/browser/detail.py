"""``DetailPane``: the Browser's pane for one item: its system metadata, its user metadata to edit and
save, and a download of its bytes."""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from pathlib import Path

import ipywidgets as w

from ...api import Item
from ..base import MUTED_COLOR, NOTICE, WidgetBase, status_html

# Detail-pane fields of ``metadata.system``, in the order shown.
SYSTEM_FIELDS = ("mimetype", "size", "width", "height", "originalname", "encoding")


class DetailPane(w.VBox):
    """The active item's metadata. ``on_saved(item)`` gets the item as stored after its user metadata is
    saved; the pane's buttons run under the host's ``attempt``, so refusals show in its status line."""

    def __init__(self, host: WidgetBase, on_saved: Callable[[Item], None]) -> None:
        self._on_saved = on_saved
        self.active: Item | None = None
        make = host.shared.make
        self.title = make(w.HTML, value="<i>select an item to see its metadata</i>")
        self.system = make(w.HTML)
        wide = {"width": "96%"}
        self.user_metadata = make(w.Textarea, rows=7, layout=wide, placeholder='{"key": "value"}')
        self.download_folder = make(
            w.Text, value=".", description="to folder", style={"description_width": "60px"}, layout=wide
        )
        self.status = make(w.HTML)
        self.body = w.VBox(  # a layout of its own: hidden while no item is active
            [
                self.system,
                make(w.HTML, value="<b>User metadata</b> (JSON)"),
                self.user_metadata,
                host.button("Save metadata", self.save_metadata, "save"),
                self.download_folder,
                host.button("Download", self.download, "download"),
                self.status,
            ]
        )
        super().__init__(
            [self.title, self.body],
            layout=host.shared.layout(width="270px", flex="0 0 auto", padding="0 0 0 8px"),
        )

    def show(self, item: Item | None) -> None:
        """Show ``item`` (None: nothing is active)."""
        self.active = item
        self.status.value = ""
        if item is None:
            self.title.value = "<i>select an item to see its metadata</i>"
            self.body.layout.display = "none"
            return
        self.body.layout.display = ""
        self.title.value = (
            f"<b class='dlw-detail-name'>{html.escape(item.name)}</b><br>"
            f"<span class='dlw-detail-path'>{html.escape(item.filename)}</span>"
        )
        self.system.value = _system_table(item)
        user = item.metadata.get("user", {})
        self.user_metadata.value = json.dumps(user, indent=2, ensure_ascii=False) if user else "{}"

    def save_metadata(self) -> None:
        item = self.active
        if item is None:
            raise ValueError("select an item first")
        text = self.user_metadata.value.strip() or "{}"
        try:
            user = json.loads(text)
        except ValueError as error:
            raise ValueError(f"the user metadata is not valid JSON ({error})") from None
        if not isinstance(user, dict):
            raise ValueError(
                f'user metadata must be a JSON object such as {{"quality": "good"}}, got {text!r}'
            )
        item.metadata["user"] = user
        saved = item.update()
        self._on_saved(saved)
        self.show(saved)
        self.status.value = status_html(NOTICE, "metadata saved")

    def download(self) -> None:
        item = self.active
        if item is None:
            raise ValueError("select an item first")
        # As the item is now, over a file of its name already there (dtlpy's default keeps that file).
        path = item.download(local_path=Path(self.download_folder.value.strip() or "."), overwrite=True)
        self.status.value = status_html(NOTICE, f"saved to {path}")


def _system_table(item: Item) -> str:
    system = item.system
    rows = [("id", item.id), ("annotations", str(item.annotations_count or 0))]
    rows += [(key, str(system[key])) for key in SYSTEM_FIELDS if key in system]
    rows += [("created", item.created_at or ""), ("creator", item.creator or "")]
    cell = "padding:1px 8px 1px 0;text-align:left;vertical-align:top;border:none"
    cells = "".join(
        f"<tr><td style='{cell};color:{MUTED_COLOR}'>{html.escape(k)}</td>"
        f"<td style='{cell};word-break:break-all'>{html.escape(v)}</td></tr>"
        for k, v in rows
    )
    others = {k: v for k, v in item.metadata.items() if k not in ("system", "user")}
    extra = ""
    if others:
        extra = f"<pre class='dlw-other-metadata'>{html.escape(json.dumps(others, indent=2))}</pre>"
    table = "border-collapse:collapse;font-size:12px;line-height:1.4;margin:0"
    return f"<table class='dlw-system' style='{table}'>{cells}</table>{extra}"
