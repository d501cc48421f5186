"""A label with an icon: the SDK uploads the icon to the project's Binaries dataset."""

import dtlpy as dl

project = dl.projects.create(project_name="icons")
dataset = project.datasets.create(dataset_name="animals")
ontology = dataset.recipes.list()[0].ontologies.list()[0]
ontology.add_label(label_name="cat", color="#ff0000", icon_path="sample.jpg")
ontology = ontology.update()
image = ontology.labels[0].display_data["displayImage"]
project = dl.projects.get(project_id=project.id)
binaries = project.datasets.get(dataset_id=image["datasetId"])
icon = binaries.items.get(item_id=image["itemId"])

result = {
    "binaries": binaries.name,
    "icon_folder": icon.dir.split("/")[:3] + icon.dir.split("/")[4:],
    "icon_name": icon.name.endswith("-sample.jpg"),
    "icon_size": icon.metadata["system"]["size"],
    "listed_datasets": [d.name for d in project.datasets.list()],
}
