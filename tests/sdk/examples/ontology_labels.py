"""Add, change and delete labels through the dataset, and read them flat with their instance ids."""

import dtlpy as dl

project = dl.projects.create(project_name="labels")
dataset = project.datasets.create(dataset_name="photos")
dataset.add_labels(label_list=["cat", "dog"])
dataset.add_labels(
    label_list=[
        {"label_name": "vehicle", "color": (255, 0, 0)},
        dl.Label(tag="tree", color=(0, 128, 0)),
    ]
)
dataset.update_label(label_name="cat", color=(0, 0, 255))
dataset.update_labels(label_list=[{"label_name": "dog", "color": (1, 2, 3)}])
dataset.delete_labels(label_names=["tree"])

recipe = dataset.recipes.list()[0]
ontology = recipe.ontologies.get(ontology_id=recipe.ontology_ids[0])
ontology.update_attributes(
    key="age",
    title="Age",
    attribute_type=dl.AttributesTypes.SLIDER,
    attribute_range=dl.AttributesRange(min_range=0, max_range=20, step=2),
)
ontology = recipe.ontologies.get(ontology_id=recipe.ontology_ids[0])
flat = ontology.labels_flat_dict

result = {
    "flat": {tag: label.color for tag, label in flat.items()},
    "instance map": dataset.instance_map,
    "ontology instance map": ontology.instance_map,
    "age": [a["range"] for a in ontology.metadata["attributes"] if a["key"] == "age"],
}
