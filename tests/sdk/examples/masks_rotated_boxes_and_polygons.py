"""A NumPy mask stored as a PNG and read back, a box turned by an angle, a polygon: dtlpy's layouts."""

import dtlpy as dl
import numpy as np

project = dl.projects.create(project_name="masks")
dataset = project.datasets.create(dataset_name="photos")
dataset.add_labels(label_list=["cell", "nucleus"])
item = dataset.items.upload(local_path="sample.jpg", remote_path="/images")
mask = np.zeros((100, 150), dtype=bool)
mask[20:60, 30:90] = True
mask[70:75, 100:140] = True

builder = item.annotations.builder()
builder.add(annotation_definition=dl.Segmentation(geo=mask, label="cell"))
builder.add(annotation_definition=dl.Box(left=5, top=5, right=45, bottom=25, label="nucleus", angle=12.5))
builder.add(annotation_definition=dl.Polygon(geo=np.array([[1, 1], [20, 1.5], [10, 15]]), label="nucleus"))
item.annotations.upload(annotations=builder)
stored = {a.type: a for a in item.annotations.list()}
# Read the PNG before the mask: dtlpy 1.126.5 cannot encode a mask again once it was decoded.
is_png = stored["binary"].coordinates.startswith("data:image/png;base64,")
segmentation = stored["binary"].annotation_definition

result = {
    "types": sorted(stored),
    "mask": [list(segmentation.geo.shape), int(segmentation.geo.sum())],
    "mask_edges": [
        int(v) for v in (segmentation.left, segmentation.top, segmentation.right, segmentation.bottom)
    ],
    "is_png": is_png,
    "box": stored["box"].coordinates,
    "angle": stored["box"].annotation_definition.angle,
    "polygon": stored["segment"].coordinates,
}
