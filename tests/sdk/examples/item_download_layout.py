"""Download one item as dtlpy lays it out: into a folder, to a file path, to its default folder, and
never over a file already there unless asked."""

import os

import dtlpy as dl

project = dl.projects.create(project_name="item-downloads")
dataset = project.datasets.create(dataset_name="photos")
item = dataset.items.upload(local_path="sample.jpg", remote_path="/more/deep")
readme = dataset.items.upload(local_path="notes.txt", remote_path="/texts", remote_name="README")

os.makedirs("existing", exist_ok=True)
paths = {
    "into a folder": item.download(local_path="existing"),
    "into a new folder": item.download(local_path="new-folder"),
    "to a file path": item.download(local_path="copies/named.jpg"),
    "another extension makes a folder": item.download(local_path="copies/other.png"),
    "a name without extension": readme.download(local_path="existing"),
    "without the items folder": readme.download(local_path="flat", to_items_folder=False),
}
default = os.path.relpath(item.download(), os.environ["DATALOOP_PATH"])

with open(paths["into a folder"], "wb") as f:
    f.write(b"changed here")
kept = item.download(local_path="existing")
with open(kept, "rb") as f:
    kept_bytes = f.read()
replaced = item.download(local_path="existing", overwrite=True)

result = {
    "paths": {what: os.path.relpath(path) for what, path in paths.items()},
    "default": default,
    "kept": [os.path.relpath(kept), kept_bytes.decode()],
    "replaced": [os.path.relpath(replaced), os.path.getsize(replaced) == item.metadata["system"]["size"]],
}
