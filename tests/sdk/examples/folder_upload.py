"""Upload a folder: its own name stays in the remote paths, and ``folder/*`` uploads what is inside."""

import dtlpy as dl

project = dl.projects.create(project_name="folders")
dataset = project.datasets.create(dataset_name="photos")
dataset.items.upload(local_path="photos", remote_path="/kept")
dataset.items.upload(local_path="photos/*", remote_path="/contents")
dataset.items.upload(local_path="photos")

result = sorted(item.filename for item in dataset.items.list().all())
