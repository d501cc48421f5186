"""List and create a project's ontologies through ``project.ontologies``."""

import dtlpy as dl

project = dl.projects.create(project_name="ontologies")
dataset = project.datasets.create(dataset_name="photos")
dataset.add_labels(label_list=["cat", "dog"])
other = dl.projects.create(project_name="elsewhere")
other.datasets.create(dataset_name="unrelated")

plants = [dl.Label(tag="tree", color=(0, 128, 0)), dl.Label(tag="bush", color=(0, 96, 0))]
made = project.ontologies.create(labels=plants, title="plants")
listed = project.ontologies.list()
again = project.ontologies.get(ontology_id=made.id)

result = {
    "listed": sorted(sorted(label.tag for label in ontology.labels) for ontology in listed),
    "titles include plants": "plants" in [ontology.title for ontology in listed],
    "again": [again.title, sorted(label.tag for label in again.labels)],
    "other project": len(other.ontologies.list()),
}
