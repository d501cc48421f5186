"""Rename an item, then move it to other folders: by its filename, and with ``item.move``."""

import dtlpy as dl

project = dl.projects.create(project_name="rename-and-move")
dataset = project.datasets.create(dataset_name="photos")
item = dataset.items.upload(local_path="sample.jpg", remote_path="/images")

item.name = "renamed.jpg"
item = item.update()
renamed = dataset.items.get(item_id=item.id)

item.filename = "/archive/2024/kept.jpg"
item = item.update(system_metadata=True)
moved = dataset.items.get(item_id=item.id)

item.move(new_path="/done/")
done = dataset.items.get(filepath="/done/kept.jpg")

result = {
    "renamed": [renamed.name, renamed.filename, renamed.dir],
    "moved": [moved.name, moved.filename, moved.dir],
    "done": [done.name, done.filename, done.id == item.id],
    "files": sorted(i.filename for page in dataset.items.list() for i in page),
    "size": done.metadata["system"]["size"],
}
