"""Labels added without a colour: ``ontology.add_label`` picks a random one, for the label and for its
children given as dicts (seeded here, so both runs pick the same); where no colour is sent
(``update_ontology=True``, ``add_labels``, ``dataset.add_label``) the server's default is stored. A label
made here without one has none."""

import random

import dtlpy as dl

project = dl.projects.create(project_name="colours")
dataset = project.datasets.create(dataset_name="photos")
recipe = dataset.recipes.list()[0]
ontology = recipe.ontologies.list()[0]

random.seed(25)
plain = ontology.add_label(label_name="plain")
ontology.add_label(label_name="saved", update_ontology=True)
ontology.add_label(label_name="vehicle", children=[{"label_name": "car"}], update_ontology=True)
ontology.add_labels(label_list=["listed", {"label_name": "given", "color": None}])
dataset.add_label(label_name="shortcut")
ontology = recipe.ontologies.get(ontology_id=ontology.id)
ontology.add_label(
    label_name="tree", children=[{"label_name": "leaf"}, {"label_name": "bark", "color": (0, 99, 0)}]
)

stored = recipe.ontologies.get(ontology_id=ontology.id)
# dtlpy also saves each child given as a dict as a label of its own at the top ("leaf", "bark"): not compared.
paths = ["plain", "saved", "vehicle", "vehicle.car", "listed", "given", "shortcut", "tree", "tree.leaf",
         "tree.bark"]  # fmt: skip
result = {
    "returned": list(plain.rgb),
    "made here": [dl.Label(tag="new").color, dl.Label(tag="new").rgb],
    "stored": {path: stored.labels_flat_dict[path].color for path in paths},
    "color map": {path: list(stored.color_map[path]) for path in paths},
}
