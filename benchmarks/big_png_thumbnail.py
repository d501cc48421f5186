"""The thumbnail of one big PNG (20000 x 10000 RGB by default): peak memory and time, at most 256 MiB.

Such a PNG takes 800 MB once decoded whole; PNGs too big for the store's memory budget are decoded a strip
of rows at a time (``dlwidgets/store/png_strips.py``). Each measurement runs in a fresh process, so its
peak resident memory (``VmHWM``, imports included) is the thumbnail's alone.

    .venv/bin/python benchmarks/big_png_thumbnail.py [--size 20000x10000]
"""

from __future__ import annotations

import argparse
import struct
import subprocess
import sys
import zlib
from pathlib import Path

from _common import Figure, progress, report, scratch

MiB = 1 << 20

# Run in the child: make the thumbnail, print its time and the process's peak memory.
CHILD = """
import sys, time
from pathlib import Path
from dlwidgets.store.handlers.thumbnails import render_thumbnail
started = time.perf_counter()
render_thumbnail(Path(sys.argv[1]))
elapsed = time.perf_counter() - started
status = Path("/proc/self/status").read_text().splitlines()
print(elapsed, next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:")))
"""


def rgb_png(width: int, height: int) -> bytes:
    """A gradient PNG written row by row: a few MB on disk however big it is decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\0" + bytes(i % 256 for i in range(width * 3))
    deflate = zlib.compressobj(6)
    data = b"".join(deflate.compress(row) for _ in range(height)) + deflate.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def dimensions(text: str) -> tuple[int, int]:
    """``20000x10000`` as (20000, 10000)."""
    width, _, height = text.partition("x")
    return int(width), int(height)


def thumbnail_cost(path: Path) -> tuple[float, int]:
    """(seconds, peak bytes) of making the thumbnail of the image at ``path`` in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True
    )
    seconds, peak = done.stdout.split()
    return float(seconds), int(peak)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=dimensions, default=(20000, 10000), help="WIDTHxHEIGHT of the PNG")
    width, height = parser.parse_args().size
    with scratch("big-png") as tmp:
        progress(f"writing a {width} x {height} RGB PNG, then making its thumbnail in a fresh process")
        (tmp / "big.png").write_bytes(rgb_png(width, height))
        seconds, peak = thumbnail_cost(tmp / "big.png")
    return report(
        Figure(f"thumbnail of a {width} x {height} PNG: peak memory", peak / MiB, "MiB", 256, False),
        Figure(f"thumbnail of a {width} x {height} PNG: time", seconds, "s"),
    )


if __name__ == "__main__":
    sys.exit(main())
