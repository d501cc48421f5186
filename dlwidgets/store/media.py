"""What the store learns from an uploaded file's bytes: mimetype, image size, and prompt-item JSON."""

from __future__ import annotations

import json
import mimetypes
import os
import struct
from pathlib import Path
from typing import Any

from PIL import Image, ImageFile, UnidentifiedImageError

from ..exceptions import BadRequest
from .names import describe, hidden_character

# Prompt items are small JSON documents; larger JSON files are not parsed to look for one.
MAX_PROMPT_BYTES = 16 << 20


def guess_mimetype(filename: str, declared: str | None) -> str:
    """The declared part type unless it is the generic one, else a guess from the extension."""
    char = hidden_character(declared or "")
    if char is not None:
        raise BadRequest(
            f"the upload's Content-Type {declared!r:.120} contains {describe(char)}; "
            "give a type such as 'image/png'"
        )
    if declared and declared not in ("application/octet-stream", "binary/octet-stream"):
        return declared.split(";")[0].strip()
    guessed, _ = mimetypes.guess_type(filename)
    return guessed or "application/octet-stream"


def open_image(path: Path) -> ImageFile.ImageFile:
    """The image at ``path`` opened (its header read, no pixels decoded), as ``Image.open`` does but
    without Pillow's process-wide pixel limit: reading a header costs the same at any size, and
    thumbnails apply their own limit (``THUMBNAIL_MAX_PIXELS``). Raises ``UnidentifiedImageError`` when
    no format accepts the bytes, and whatever a format's reader raises on bytes it chokes on."""
    Image.init()
    with open(path, "rb") as f:
        prefix = f.read(16)
    for name in Image.ID:
        factory, accept = Image.OPEN[name]
        accepted = accept(prefix) if accept is not None else True
        if not accepted or isinstance(accepted, str):
            continue
        try:
            # Given a path, the image opens the file itself and closes it with the image.
            return factory(path, os.fspath(path))  # type: ignore[arg-type]
        except (SyntaxError, IndexError, TypeError, struct.error):
            continue  # not this format after all: try the next, as Image.open does
    raise UnidentifiedImageError("no image format recognises these bytes")


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) read from the image header, or None if it cannot be decoded."""
    try:
        with open_image(path) as image:
            return image.size
    except FileNotFoundError:
        raise
    except Exception:  # readers of damaged files raise anything: NotImplementedError, KeyError...
        return None


def system_metadata(path: Path, filename: str, declared_type: str | None, size: int) -> dict[str, Any]:
    """The ``metadata.system`` block of a new item."""
    mimetype = guess_mimetype(filename, declared_type)
    system: dict[str, Any] = {
        "originalname": filename.rsplit("/", 1)[-1],
        "size": size,
        "encoding": "7bit",
        "mimetype": mimetype,
        "refs": [],
        "isBinary": not (mimetype.startswith("text/") or "json" in mimetype),
    }
    if mimetype.startswith("image/"):
        dims = image_size(path)
        if dims is not None:
            system["width"], system["height"] = dims
    elif "json" in mimetype and size <= MAX_PROMPT_BYTES:
        dltype = _dataloop_json_type(path)
        if dltype is not None:
            system["shebang"] = {"dltype": dltype}
    return system


def _dataloop_json_type(path: Path) -> str | None:
    """The ``metadata.dltype`` of a JSON file whose top-level ``shebang`` is ``dataloop``."""
    try:
        doc = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError):
        return None
    if isinstance(doc, dict) and doc.get("shebang") == "dataloop":
        dltype = (doc.get("metadata") or {}).get("dltype")
        return str(dltype) if dltype else None
    return None
