"""Big PNGs decoded a strip of rows at a time, each strip shrunk as soon as it is decoded.

Pillow decodes a PNG whole (a 20000 x 10000 RGB image takes 800 MB) and has no reduced decoding for it,
as it has for JPEG. Rows of a PNG depend only on the row above, so the pixel data is inflated here as a
stream, and each strip of rows becomes a small PNG of its own that Pillow decodes: the strip starts with
the previous strip's last row, stored unfiltered, for the rows that refer to it. Memory stays at a few
strips whatever the image size. Only the common layout is handled (8 bits per sample, grey or RGB with
or without alpha, not interlaced); for any other, ``reduced_png`` answers None and the caller decodes whole.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from PIL import Image

SIGNATURE = b"\x89PNG\r\n\x1a\n"
# PNG colour type -> (Pillow mode, bytes per pixel) at 8 bits per sample.
_LAYOUTS = {0: ("L", 1), 2: ("RGB", 3), 4: ("LA", 2), 6: ("RGBA", 4)}
# Compressed bytes read, and bytes inflated, at a time.
_PIECE = 1 << 20
# Rows decoded at once, at most (their filtered bytes); a strip's decode holds about WORKING_SET_FACTOR
# times as much (the rows, their zlib framing, the decoded image and its reduction).
STRIP_BYTES = 4 << 20
WORKING_SET_FACTOR = 4


def reduced_png(path: Path, factor: int, strip_bytes: int = STRIP_BYTES) -> Image.Image | None:
    """The PNG at ``path`` shrunk by ``factor`` on both sides (box filter), decoded in strips of about
    ``strip_bytes``; None if its layout is not one this module decodes. Raises ``ValueError`` if its pixel
    data is cut short."""
    with open(path, "rb") as f:
        header = _header(f)
        if header is None:
            return None
        width, height, colour = header
        mode, channels = _LAYOUTS[colour]
        stride = 1 + width * channels
        rows = _filtered_rows(_pixel_data(f), stride)
        strip = max(factor, strip_bytes // stride // factor * factor)
        reduced = Image.new(mode, (-(-width // factor), -(-height // factor)))
        above = b""  # the last decoded row of the previous strip, unfiltered
        for top in range(0, height, strip):
            count = min(strip, height - top)
            raw = b"".join(next(rows, b"") for _ in range(count))
            if len(raw) != count * stride:
                raise ValueError(
                    f"the PNG's pixel data ends before row {top + len(raw) // stride} of {height}"
                )
            lead = b"\0" + above if above else b""
            decoded = _decode(width, count + bool(above), mode, lead + raw)
            if above:
                decoded = decoded.crop((0, 1, width, count + 1))
            above = decoded.crop((0, count - 1, width, count)).tobytes()
            reduced.paste(decoded.reduce(factor), (0, top // factor))
        return reduced


def _header(f: BinaryIO) -> tuple[int, int, int] | None:
    """(width, height, colour type) of a PNG in a layout this module decodes, else None."""
    if f.read(8) != SIGNATURE:
        return None
    length, kind = struct.unpack(">I4s", f.read(8))
    if kind != b"IHDR" or length != 13:
        return None
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", f.read(13))
    f.read(4)  # CRC
    if depth != 8 or colour not in _LAYOUTS or compression or filtering or interlace:
        return None
    return width, height, colour


def _pixel_data(f: BinaryIO) -> Iterator[bytes]:
    """The compressed bytes of every IDAT chunk, in pieces; other chunks are skipped."""
    while len(head := f.read(8)) == 8:
        length, kind = struct.unpack(">I4s", head)
        if kind == b"IEND":
            return
        if kind != b"IDAT":
            f.seek(length + 4, io.SEEK_CUR)
            continue
        while length:
            piece = f.read(min(length, _PIECE))
            if not piece:
                return
            length -= len(piece)
            yield piece
        f.read(4)  # CRC


def _filtered_rows(pieces: Iterator[bytes], stride: int) -> Iterator[bytes]:
    """Inflate the pixel data as a stream, a bounded amount at a time, and cut it into rows."""
    inflate = zlib.decompressobj()
    pending = b""
    for piece in pieces:
        while piece:
            pending += inflate.decompress(piece, _PIECE)
            piece = inflate.unconsumed_tail
            whole = len(pending) - len(pending) % stride
            for start in range(0, whole, stride):
                yield pending[start : start + stride]
            pending = pending[whole:]


def _decode(width: int, height: int, mode: str, rows: bytes) -> Image.Image:
    """``rows`` (filtered, as in the file) decoded by Pillow's PNG pixel decoder. They are stored, not
    compressed: the bytes only pass through zlib's framing on their way to it."""
    return Image.frombytes(mode, (width, height), zlib.compress(rows, 0), "zip", mode)
