"""Ellipses: a centre, two radii and an angle, stored and read back."""

import dtlpy as dl

project = dl.projects.create(project_name="ellipses")
dataset = project.datasets.create(dataset_name="photos")
dataset.add_label(label_name="cell")
item = dataset.items.upload(local_path="sample.jpg", remote_path="/images")
builder = item.annotations.builder()
builder.add(annotation_definition=dl.Ellipse(x=50, y=40, rx=20.5, ry=10, angle=30, label="cell"))
builder.add(annotation_definition=dl.Ellipse(x=10, y=10, rx=0, ry=0, angle=-90, label="cell"))
item.annotations.upload(annotations=builder)
annotations = item.annotations.list()

result = {
    "types": [a.type for a in annotations],
    "coordinates": sorted((a.coordinates for a in annotations), key=lambda c: c["center"]["x"]),
}
