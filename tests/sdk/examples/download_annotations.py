"""Download a dataset's annotations as the SDK lays them out: one JSON per item under ``json/``."""

import json
import os

import dtlpy as dl

project = dl.projects.create(project_name="annotation-files")
dataset = project.datasets.create(dataset_name="photos")
dataset.add_label(label_name="cat")
items = [dataset.items.upload(local_path=f"photos/p{i}.png", remote_path="/photos") for i in range(2)]
dataset.items.upload(local_path="notes.txt", remote_path="/docs")
builder = items[0].annotations.builder()
builder.add(annotation_definition=dl.Box(top=1, left=2, bottom=5, right=6, label="cat"))
items[0].annotations.upload(annotations=builder)

folder = dataset.download_annotations(
    local_path="annotations", annotation_options=dl.ViewAnnotationOptions.JSON
)
photos = dl.Filters(field="dir", values="/photos")
only_photos = dataset.download_annotations(local_path="photos-only", filters=photos)


def written(root):
    """Each JSON file below ``root``: its item's filename and its annotations' types and labels."""
    found = {}
    for here, _, names in os.walk(root):
        for name in names:
            with open(os.path.join(here, name)) as f:
                data = json.load(f)
            relative = os.path.relpath(os.path.join(here, name), root).replace("\\", "/")
            found[relative] = [data["filename"], sorted((a["type"], a["label"]) for a in data["annotations"])]
    return found


result = {
    "folder": os.path.basename(folder),
    "files": written("annotations"),
    "photos only": sorted(written("photos-only")),
}
