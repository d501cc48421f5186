"""Set system metadata on every item a filter matches, with dataset.items.update(system_update_values=)
and system_metadata=True; without it only the user metadata changes, as dtlpy warns."""

import dtlpy as dl

project = dl.projects.create(project_name="bulk-system-update")
dataset = project.datasets.create(dataset_name="photos")
dataset.items.upload(local_path="photos", remote_path="/")
note = dataset.items.upload(local_path="notes.txt", remote_path="/docs")

in_photos = dl.Filters(field="dir", values="/photos")
dataset.items.update(
    filters=in_photos, system_update_values={"stage": {"name": "second"}}, system_metadata=True
)
dataset.items.update(filters=in_photos, update_values={"seen": 1}, system_update_values={"skipped": True})
try:
    dataset.items.update(item=note, update_values={"seen": 2})
    one_item_with_values = "accepted"
except Exception:
    one_item_with_values = "refused"

result = {
    "items": sorted(
        (
            i.filename,
            i.metadata["system"].get("stage"),
            i.metadata["system"].get("skipped"),
            i.metadata.get("user"),
        )
        for i in dataset.items.list().all()
    ),
    "one item with values": one_item_with_values,
}
