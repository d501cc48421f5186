"""Set user metadata on every item a filter matches at once, with ``dataset.items.update``."""

import dtlpy as dl

project = dl.projects.create(project_name="bulk-update")
dataset = project.datasets.create(dataset_name="photos")
for i in range(3):
    dataset.items.upload(local_path=f"photos/p{i}.png", remote_path="/photos")
dataset.items.upload(local_path="notes.txt", remote_path="/docs")

in_photos = dl.Filters(field="dir", values="/photos")
dataset.items.update(filters=in_photos, update_values={"reviewed": True, "batch": {"number": 7}})
dataset.items.update(filters=in_photos, update_values={"batch": {"by": "ann"}})

result = sorted((i.filename, i.metadata.get("user")) for page in dataset.items.list() for i in page)
