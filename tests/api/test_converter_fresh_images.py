"""An export with images gives the items' bytes as they are now, over files left by an earlier export."""

from __future__ import annotations

from pathlib import Path

from converter_data import annotated_dataset

import dlwidgets as dw


def test_an_export_into_an_earlier_ones_folder_writes_todays_images(
    client: dw.Client, tmp_path: Path
) -> None:
    dataset = annotated_dataset(client)
    stale = tmp_path / "images" / "sub" / "b.png"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"an image exported earlier")
    dw.Converter().convert_dataset(
        dataset=dataset, to_format=dw.AnnotationFormat.COCO, local_path=tmp_path, with_images=True
    )
    assert stale.read_bytes() == dataset.items.get(filepath="/sub/b.png").read()
