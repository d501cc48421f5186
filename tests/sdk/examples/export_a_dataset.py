"""Export a dataset to JSON, with annotations and with a filter, and read what was written."""

import json

import dtlpy as dl

project = dl.projects.create(project_name="export")
dataset = project.datasets.create(dataset_name="photos")
dataset.add_label(label_name="cat")
items = [dataset.items.upload(local_path=f"photos/p{i}.png", remote_path="/photos") for i in range(3)]
dataset.items.upload(local_path="notes.txt", remote_path="/docs")
builder = items[0].annotations.builder()
builder.add(annotation_definition=dl.Box(top=1, left=2, bottom=5, right=6, label="cat"))
builder.add(annotation_definition=dl.Classification(label="cat"))
items[0].annotations.upload(annotations=builder)

everything = dataset.export(local_path="exported", include_annotations=True)
with open(everything) as f:
    exported = json.load(f)
photos = dl.Filters(field="dir", values="/photos")
only_photos = dataset.export(local_path="photos-only", filters=photos)
with open(only_photos) as f:
    exported_photos = json.load(f)

result = {
    "file": everything.replace("\\", "/").split("/")[-1] == f"{dataset.id}.json",
    "items": sorted(
        (e["filename"], sorted((a["type"], a["label"]) for a in e["annotations"])) for e in exported
    ),
    "photos": sorted(e["filename"] for e in exported_photos),
    "photos_carry_their_names": sorted(e["name"] for e in exported_photos) == ["p0.png", "p1.png", "p2.png"],
}
