"""Two conditions on one field make a range: both are kept, as the SDK keeps them."""

import dtlpy as dl

project = dl.projects.create(project_name="ranges")
dataset = project.datasets.create(dataset_name="photos")
dataset.items.upload(local_path="photos", remote_path="/")
sizes = {item.name: item.metadata["system"]["size"] for item in dataset.items.list().all()}
low, high = sorted(sizes.values())[0], sorted(sizes.values())[-1]

between = dl.Filters()
between.add(field="metadata.system.size", values=low, operator=dl.FiltersOperations.GREATER_THAN)
between.add(field="metadata.system.size", values=high, operator=dl.FiltersOperations.LESS_THAN)
retyped = dl.Filters()
retyped.add(field="type", values="dir")
retyped.add(field="type", values="file")

result = {
    "between": sorted(item.name for item in dataset.items.list(filters=between).all()),
    "all": sorted(sizes),
    "type replaced": sorted(item.name for item in dataset.items.list(filters=retyped).all()),
}
