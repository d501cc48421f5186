"""``ItemGrid``: the back-end of ``js/item_grid.js``, a grid of item cards (an anywidget) used by the Browser
and the PromptComposer; ``card``, how an item becomes a card; and ``ThumbnailFeed``, which sends it
thumbnails.

The grid's durable state lives in traits: the cards of the page shown, the selected ids (set in the
browser by clicks), the page label. Thumbnails never do: the browser asks for a page's thumbnails with a
custom message, and the feed answers with the JPEG bytes as the message's binary buffers, a batch at a
time. It fetches them on worker threads, so the kernel stays free for clicks and paging while a page's
thumbnails are being made for the first time.

The traits and messages are written down twice, alike: as the TypedDicts here and as JSDoc typedefs in
``js/item_grid.js``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from typing import Any, Literal, TypedDict, cast

import anywidget
import traitlets

from ..api import Item
from ..exceptions import PlatformError
from .assets import asset
from .base import AnyWidgetChrome

# A first batch of thumbnails goes out after this long, then one batch per interval, then the rest.
BATCH_INTERVAL_S = 0.1
FETCH_WORKERS = 4


class Card(TypedDict):
    """One item as the grid shows it: ``icon`` names the kind drawn for an item without a thumbnail, and
    ``thumbnail`` says whether the browser should ask for one."""

    id: str
    name: str
    size: str  # readable: "1.2 MB"
    mimetype: str
    annotations: int
    icon: str
    thumbnail: bool


class PageRequest(TypedDict):
    """Browser -> kernel: the user pages (a button, PageUp or PageDown)."""

    type: Literal["page"]
    to: Literal["next", "previous"]


class ThumbnailsRequest(TypedDict):
    """Browser -> kernel: the thumbnails of the cards just shown."""

    type: Literal["thumbnails"]
    ids: list[str]


class OpenRequest(TypedDict):
    """Browser -> kernel: open this card's item (a double-click or Enter on it)."""

    type: Literal["open"]
    id: str


GridRequest = PageRequest | ThumbnailsRequest | OpenRequest


class Thumbnails(TypedDict):
    """Kernel -> browser, with one JPEG buffer per id of ``ids``, in order; ``failed`` says why an id has
    none (shown on hover)."""

    type: Literal["thumbnails"]
    ids: list[str]
    failed: dict[str, str]


class NoThumbnail(Exception):
    """Raised by a thumbnail fetcher for an item that has none; the message says why (shown on hover)."""


def item_thumbnail(item: Item | None) -> bytes | None:
    """The thumbnail bytes of a card's item (None for a card no longer shown); ``NoThumbnail`` with the
    reason when the workspace has none for it or cannot be reached."""
    if item is None:
        return None
    try:
        return item.thumbnail()
    except PlatformError as error:
        raise NoThumbnail(error.message) from None
    except ConnectionError as error:
        raise NoThumbnail(str(error)) from None


def card(item: Item) -> Card:
    """What the grid shows of an item."""
    mimetype = item.mimetype or "application/octet-stream"
    return {
        "id": item.id,
        "name": item.name,
        "size": human_size(item.size),
        "mimetype": mimetype,
        "annotations": item.annotations_count or 0,
        "icon": icon(item),
        "thumbnail": mimetype.startswith("image/"),
    }


def icon(item: Item) -> str:
    """The kind of icon an item without a thumbnail gets, from its type."""
    mimetype = item.mimetype or ""
    if (item.system.get("shebang") or {}).get("dltype") == "prompt":
        return "prompt"
    family, _, subtype = mimetype.partition("/")
    if family in ("image", "video", "audio"):
        return family
    if subtype == "pdf":
        return "pdf"
    if subtype == "json" or subtype.endswith("+json"):
        return "json"
    return "text" if family == "text" else "file"


def human_size(size: int | None) -> str:
    if size is None:
        return "? B"
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


Send = Callable[[Thumbnails, list[bytes]], None]


class ThumbnailFeed:
    """Fetches the thumbnails of the ids asked for and sends them, as binary buffers, in batches.

    ``fetch(item_id)`` returns the JPEG bytes, None to skip the id (it is not on the page any more), or
    raises ``NoThumbnail``. Each ``request`` supersedes the previous one: what the older one has not sent
    yet is dropped, so paging quickly never queues thumbnails nobody will see.
    """

    def __init__(
        self,
        fetch: Callable[[str], bytes | None],
        send: Send,
        *,
        workers: int = FETCH_WORKERS,
        batch_interval_s: float = BATCH_INTERVAL_S,
    ) -> None:
        self._fetch = fetch
        self._send = send
        self._batch_interval_s = batch_interval_s
        self._lock = threading.Lock()
        self._generation = 0
        self._job: Future[None] | None = None
        self._jobs = ThreadPoolExecutor(1, thread_name_prefix="dlw-thumbnail-feed")
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="dlw-thumbnail-fetch")

    def request(self, ids: Sequence[str]) -> Future[None]:
        with self._lock:
            self._generation += 1
            generation = self._generation
        self._job = self._jobs.submit(self._run, list(ids), generation)
        return self._job

    def wait(self, timeout: float | None = 60.0) -> None:
        """Until the latest request has been answered (for tests and benchmarks)."""
        if self._job is not None:
            self._job.result(timeout)

    def close(self) -> None:
        with self._lock:
            self._generation += 1
        self._jobs.shutdown(wait=False, cancel_futures=True)
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _run(self, ids: list[str], generation: int) -> None:
        futures = {self._pool.submit(self._fetch, item_id): item_id for item_id in ids}
        ready: list[str] = []
        buffers: list[bytes] = []
        failed: dict[str, str] = {}
        flushed_at = time.monotonic()
        try:
            for future in as_completed(futures):
                if generation != self._generation:
                    return
                item_id = futures[future]
                try:
                    data = future.result()
                except NoThumbnail as reason:
                    failed[item_id] = str(reason)
                except Exception as error:  # a bug or a lost connection: a placeholder, not a dead feed
                    failed[item_id] = f"{type(error).__name__}: {error}"
                else:
                    if data is not None:
                        ready.append(item_id)
                        buffers.append(data)
                if time.monotonic() - flushed_at >= self._batch_interval_s and (ready or failed):
                    self._flush(generation, ready, buffers, failed)
                    ready, buffers, failed = [], [], {}
                    flushed_at = time.monotonic()
            self._flush(generation, ready, buffers, failed)
        finally:
            for future in futures:
                future.cancel()

    def _flush(self, generation: int, ready: list[str], buffers: list[bytes], failed: dict[str, str]) -> None:
        with self._lock:
            if generation == self._generation and (ready or failed):
                self._send({"type": "thumbnails", "ids": ready, "failed": failed}, buffers)


class ItemGrid(AnyWidgetChrome, anywidget.AnyWidget):
    """Cards of one page of items; selection is made in the browser and read from ``selected_ids``.

    ``on_page(to)`` is called with ``"next"`` or ``"previous"`` when the user pages; ``on_open(item_id)``
    when a card is double-clicked (or Enter is pressed on it); ``fetch_thumbnail`` is the
    ``ThumbnailFeed``'s fetcher. ``cards`` holds one ``Card`` per item, made by ``card(item)``.
    """

    _esm = asset("item_grid.js")
    _css = asset("item_grid.css")
    # ``Card``s; Any because traitlets types a Dict trait's value dict[Any, Any], which a Card is not.
    cards: traitlets.List[Any] = traitlets.List(traitlets.Dict()).tag(sync=True)
    selected_ids = traitlets.List(traitlets.Unicode()).tag(sync=True)
    active_id = traitlets.Unicode("").tag(sync=True)
    page_label = traitlets.Unicode("").tag(sync=True)
    has_previous = traitlets.Bool(False).tag(sync=True)
    has_next = traitlets.Bool(False).tag(sync=True)
    empty_text = traitlets.Unicode("").tag(sync=True)

    def __init__(
        self,
        on_page: Callable[[str], None],
        fetch_thumbnail: Callable[[str], bytes | None],
        on_open: Callable[[str], None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._on_page = on_page
        self._on_open = on_open
        self.thumbnails = ThumbnailFeed(fetch_thumbnail, self._send_thumbnails)
        self.on_msg(self._on_message)

    def _send_thumbnails(self, content: Thumbnails, buffers: list[bytes]) -> None:
        self.send(content, buffers)

    def _on_message(self, _widget: Any, content: dict[str, Any], _buffers: list[bytes]) -> None:
        """A ``GridRequest`` from the browser; a message of any other shape is ignored."""
        kind = content.get("type")
        if kind == "page" and content.get("to") in ("next", "previous"):
            self._on_page(cast(PageRequest, content)["to"])
        elif kind == "thumbnails" and isinstance(content.get("ids"), list):
            wanted = cast(ThumbnailsRequest, content)["ids"]
            self.thumbnails.request([str(item_id) for item_id in wanted])
        elif kind == "open" and isinstance(content.get("id"), str) and self._on_open is not None:
            self._on_open(cast(OpenRequest, content)["id"])

    def close(self) -> None:
        self.thumbnails.close()
        super().close()
