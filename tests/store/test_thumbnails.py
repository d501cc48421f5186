"""``make_thumbnail``: any image PIL reads becomes a small upright 8-bit JPEG; anything else becomes None."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from dlwidgets.store.handlers.thumbnails import (
    THUMBNAIL_MAX_PIXELS,
    THUMBNAIL_SIDE,
    Undecodable,
    make_thumbnail,
    render_thumbnail,
)


def thumbnail_of(path: Path) -> Image.Image:
    data = make_thumbnail(path)
    assert data is not None
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.mode in ("RGB", "L")
    return image


def test_a_big_photo_becomes_160_px_on_its_longest_side(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    pixels = np.random.default_rng(0).integers(0, 256, (3000, 4000, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(path, quality=90)
    assert thumbnail_of(path).size == (THUMBNAIL_SIDE, 120)


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    path = tmp_path / "rotated.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, shown rotated 90 degrees clockwise
    Image.new("RGB", (400, 200), "red").save(path, exif=exif)
    assert thumbnail_of(path).size == (80, 160)


@pytest.mark.parametrize(
    ("mode", "size"),
    [("I;16", (300, 150)), ("F", (300, 150)), ("CMYK", (300, 150)), ("P", (300, 150)), ("LA", (300, 150))],
)
def test_every_image_mode_becomes_eight_bit(tmp_path: Path, mode: str, size: tuple[int, int]) -> None:
    path = tmp_path / ("image.tiff" if mode in ("I;16", "F", "CMYK") else "image.png")
    ramp = np.tile(np.linspace(0, 1, size[0], dtype=np.float32), (size[1], 1))
    if mode == "I;16":
        image = Image.fromarray((ramp * 4000).astype(np.uint16))
    elif mode == "F":
        image = Image.fromarray(ramp * 1e-3)
    else:
        image = Image.fromarray((ramp * 255).astype(np.uint8)).convert(mode)
    image.save(path)
    small = thumbnail_of(path)
    assert small.size == (THUMBNAIL_SIDE, 80)
    grey = np.asarray(small.convert("L"), dtype=float)
    # Deep images are stretched to the full 8-bit range: dark on the left, light on the right.
    assert grey[:, :10].mean() < 40 and grey[:, -10:].mean() > 200


def test_what_is_not_an_image_gives_none(tmp_path: Path) -> None:
    for name, content in (("text.jpg", b"hello"), ("empty.png", b""), ("cut.png", b"\x89PNG\r\n\x1a\n")):
        (tmp_path / name).write_bytes(content)
        assert make_thumbnail(tmp_path / name) is None
    with pytest.raises(FileNotFoundError):
        make_thumbnail(tmp_path / "gone.jpg")


def test_any_decoder_failure_is_undecodable_with_its_reason(tmp_path: Path) -> None:
    dds = io.BytesIO()
    Image.new("RGBA", (8, 8), "red").save(dds, format="DDS")
    damaged = bytearray(dds.getvalue())
    damaged[80:84] = bytes(4)  # pixel format flags naming no format: Pillow raises NotImplementedError
    (tmp_path / "odd.dds").write_bytes(damaged)
    assert make_thumbnail(tmp_path / "odd.dds") is None
    with pytest.raises(Undecodable, match="NotImplementedError"):
        render_thumbnail(tmp_path / "odd.dds")


def test_images_over_the_pixel_limit_get_no_thumbnail(tmp_path: Path) -> None:
    side = int(THUMBNAIL_MAX_PIXELS**0.5) + 1
    small = io.BytesIO()
    Image.new("1", (8, 8)).save(small, format="PNG")
    png = bytearray(small.getvalue())
    png[16:24] = struct.pack(">II", side, side)  # the header claims side x side pixels
    png[29:33] = struct.pack(">I", zlib.crc32(bytes(png[12:29])))
    (tmp_path / "huge.png").write_bytes(png)
    with pytest.raises(Undecodable, match=f"{side} x {side} pixels is over the {THUMBNAIL_MAX_PIXELS}"):
        render_thumbnail(tmp_path / "huge.png")
