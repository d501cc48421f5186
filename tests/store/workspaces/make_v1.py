"""Write ``v1.tar.gz``: a small workspace in format version 1, for the upgrade test (test_migrations.py).

Run it with the dlwidgets that wrote format version 1 on the path (any commit before the migrations
module, e.g. ``git archive 610b957 | tar -x -C /tmp/v1``), never with a newer one:

    PYTHONPATH=/tmp/v1 python tests/store/workspaces/make_v1.py

What it stores is what the test expects to read back: keep the two in step.
"""

from __future__ import annotations

import io
import sqlite3
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

import dlwidgets as dw

OUT = Path(__file__).with_name("v1.tar.gz")


def cat_png() -> bytes:
    """A 12 x 8 picture whose every pixel is known: red rises to the right, green downwards."""
    x, y = np.meshgrid(np.arange(12) * 20, np.arange(8) * 30)
    pixels = np.stack([x, y, np.full_like(x, 128)], axis=-1).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def write(home: Path) -> None:
    client = dw.connect(home=str(home))
    project = client.projects.create(project_name="upgraded")
    dataset = project.datasets.create(dataset_name="pets")
    ontology = dataset.ontology()
    ontology.add_label(label_name="cat", color="#ff0000")
    ontology.add_label(label_name="dog", color="#00ff00")
    ontology.update_attributes(
        key="color", title="Colour", attribute_type=dw.AttributesTypes.RADIO_BUTTON, values=["black", "white"]
    )
    image = dataset.items.upload(local_path=cat_png(), remote_path="/pets", remote_name="cat.png")
    assert isinstance(image, dw.Item)
    image.metadata["user"] = {"source": "v1"}
    image = image.update()
    box = {"system": {"attributes": {"color": "white"}, "objectId": "1"}}
    image.annotations.upload(
        [
            {
                "type": "box",
                "label": "cat",
                "coordinates": [{"x": 2, "y": 1, "z": 0}, {"x": 9, "y": 6, "z": 0}],
                "metadata": box,
            },
            {"type": "point", "label": "dog", "coordinates": {"x": 3, "y": 4}},
            {"type": "class", "label": "cat"},
        ]
    )
    dataset.tasks.create(task_name="check the cat", assignee_ids=["ann.lee@example.com"], items=[image])
    image.thumbnail()
    client.close()
    db = sqlite3.connect(home / "workspace.sqlite", isolation_level=None)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1, "not the dlwidgets of format version 1"
    db.execute("VACUUM")
    db.close()  # the last connection to close folds the WAL into the database file and removes it


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "workspace"
        write(home)
        with tarfile.open(OUT, "w:gz") as tar:
            for path in sorted(home.rglob("*")):
                if path.is_file() and path.name not in (".swept", "workspace.sqlite-shm"):
                    tar.add(path, arcname=str(path.relative_to(home)), recursive=False)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
