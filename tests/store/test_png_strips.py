"""``reduced_png``: a PNG decoded a strip of rows at a time gives exactly Pillow's whole decode, reduced."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from dlwidgets.store.png_strips import reduced_png


def noisy(mode: str, size: tuple[int, int] = (301, 203)) -> Image.Image:
    """A gradient with noise: Pillow's encoder picks different row filters for it (Sub, Up, Paeth...)."""
    bands = len(mode)
    ramp = np.linspace(0, 200, size[0] * bands).reshape(1, size[0], bands)
    pixels = np.repeat(ramp, size[1], axis=0) + np.random.default_rng(1).integers(
        0, 50, (size[1], size[0], bands)
    )
    pixels = pixels.astype(np.uint8)
    return Image.fromarray(pixels[:, :, 0] if bands == 1 else pixels, mode)


@pytest.mark.parametrize("mode", ["L", "LA", "RGB", "RGBA"])
@pytest.mark.parametrize("factor", [1, 3, 8])
@pytest.mark.parametrize("strip_bytes", [1, 5_000, 1 << 24])
def test_strips_decode_exactly_as_pillow_does(
    tmp_path: Path, mode: str, factor: int, strip_bytes: int
) -> None:
    path = tmp_path / "image.png"
    noisy(mode).save(path)
    reduced = reduced_png(path, factor, strip_bytes=strip_bytes)
    assert reduced is not None
    expected = Image.open(path).reduce(factor)
    assert reduced.mode == expected.mode and reduced.size == expected.size
    assert np.array_equal(np.asarray(reduced), np.asarray(expected))


def test_other_layouts_are_left_to_pillow(tmp_path: Path) -> None:
    layouts = {
        "palette.png": (noisy("RGB").convert("P"), {}),
        "deep.png": (Image.fromarray(np.zeros((20, 30), dtype=np.uint16)), {}),
        "one-bit.png": (noisy("L").convert("1"), {}),
    }
    for name, (image, options) in layouts.items():
        image.save(tmp_path / name, **options)
        assert reduced_png(tmp_path / name, 2) is None, name
    # Pillow writes no interlaced PNG: mark one as such in its header (byte 28, then the header's CRC).
    png = bytearray((tmp_path / "palette.png").read_bytes())
    png[25], png[28] = 2, 1
    png[29:33] = zlib.crc32(bytes(png[12:29])).to_bytes(4, "big")
    (tmp_path / "interlaced.png").write_bytes(png)
    assert reduced_png(tmp_path / "interlaced.png", 2) is None
    (tmp_path / "text.png").write_bytes(b"not a png at all")
    assert reduced_png(tmp_path / "text.png", 2) is None


def test_pixel_data_cut_short_is_a_value_error(tmp_path: Path) -> None:
    path = tmp_path / "cut.png"
    noisy("RGB").save(path)
    path.write_bytes(path.read_bytes()[:2000])
    with pytest.raises(ValueError, match="ends before row"):
        reduced_png(path, 2, strip_bytes=5_000)
