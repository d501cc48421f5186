"""COCO run-length encoding of masks: ``{"size": [height, width], "counts": [...]}``, the runs of a mask
read column by column (Fortran order), the first run counting zeros. Written uncompressed (a list of
ints); read in that form or in COCO's compressed string form (what ``pycocotools.mask.encode`` writes).
"""

from __future__ import annotations

from typing import Any

import numpy as np


def encode(mask: np.ndarray) -> dict[str, Any]:
    """The uncompressed RLE of ``mask`` (non-zero pixels are in)."""
    height, width = mask.shape
    flat = (np.asarray(mask) > 0).ravel(order="F").astype(np.int8)
    changes = np.flatnonzero(np.diff(flat)) + 1
    edges = np.concatenate(([0], changes, [flat.size]))
    counts = np.diff(edges).tolist()
    if flat.size and flat[0]:
        counts.insert(0, 0)  # the runs start with the zeros, even when there are none
    return {"size": [int(height), int(width)], "counts": [int(c) for c in counts]}


def _string_counts(text: str) -> list[int]:
    """The counts of COCO's compressed form: 5 bits a character (offset 48, bit 0x20 says more follow,
    the last character's bit 0x10 the sign), each count after the second one relative to the one two
    before it."""
    counts: list[int] = []
    position = 0
    while position < len(text):
        value, shift, more = 0, 0, True
        while more:
            if position >= len(text):
                raise ValueError("the compressed counts end in the middle of a number")
            code = ord(text[position]) - 48
            value |= (code & 0x1F) << (5 * shift)
            more = bool(code & 0x20)
            position += 1
            shift += 1
            if not more and code & 0x10:
                value |= -1 << (5 * shift)
        if len(counts) > 2:
            value += counts[-2]
        counts.append(value)
    return counts


def decode(segmentation: dict[str, Any]) -> np.ndarray:
    """The (height, width) uint8 mask of an RLE segmentation; a ``ValueError`` says what is wrong."""
    size, counts = segmentation.get("size"), segmentation.get("counts")
    if (
        not isinstance(size, list)
        or len(size) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in size)
    ):
        raise ValueError(f"an RLE segmentation needs 'size' [height, width], got {size!r}")
    if isinstance(counts, str):
        counts = _string_counts(counts)
    if not isinstance(counts, list) or not all(
        isinstance(c, int) and not isinstance(c, bool) and c >= 0 for c in counts
    ):
        raise ValueError("an RLE segmentation needs 'counts': a list of whole numbers >= 0 or a COCO string")
    height, width = size
    if sum(counts) != height * width:
        raise ValueError(
            f"its counts add up to {sum(counts)} pixels, not {height} x {width} = {height * width}"
        )
    values = np.zeros(len(counts), dtype=np.uint8)
    values[1::2] = 1
    flat = np.repeat(values, counts)
    return flat.reshape((width, height)).T.copy()
