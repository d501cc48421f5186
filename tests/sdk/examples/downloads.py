"""Download items: one into memory, several by filters into the SDK's folder layout, a whole dataset."""

import hashlib
import os

import dtlpy as dl

project = dl.projects.create(project_name="downloads")
dataset = project.datasets.create(dataset_name="photos")
dataset.items.upload(local_path="photos", remote_path="/")
item = dataset.items.upload(local_path="sample.jpg", remote_path="/more")
dataset.items.upload(local_path="notes.txt", remote_path="/more")

buffer = item.download(save_locally=False)


def files_under(folder):
    """Every file below ``folder`` by its relative path, with a digest of its bytes."""
    found = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                found[os.path.relpath(path, folder)] = hashlib.sha256(f.read()).hexdigest()[:12]
    return found


pngs = dl.Filters(field="metadata.system.mimetype", values="image/png")
several = dataset.items.download(filters=pngs, local_path="by-filters")
one = dataset.items.download(items=item, local_path="one/copy.jpg")
flat = dataset.items.download(
    filters=pngs, local_path="flat", to_items_folder=False, without_relative_path=True
)
memory = dataset.items.download(filters=dl.Filters(field="name", values="notes.txt"), save_locally=False)
whole = dataset.download(local_path="whole")

result = {
    "buffer": [buffer.name, hashlib.sha256(buffer.getvalue()).hexdigest()[:12]],
    "several": sorted(os.path.relpath(path) for path in several),
    "by filters": files_under("by-filters"),
    "one": [os.path.relpath(one), files_under("one")],
    "flat": files_under("flat"),
    "memory": memory.getvalue().decode(),
    "whole": files_under("whole"),
}
