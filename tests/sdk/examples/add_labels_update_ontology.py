"""Labels added through the ontology with and without update_ontology, with children and attributes:
each is saved at once, and the stored fields are those dtlpy's calls leave."""

import dtlpy as dl

project = dl.projects.create(project_name="update-ontology")
dataset = project.datasets.create(dataset_name="photos")
recipe = dataset.recipes.list()[0]
ontology = recipe.ontologies.list()[0]

ontology.add_labels(label_list=["plain", "group.member"])
ontology.add_labels(label_list=[dl.Label(tag="entity", color=(9, 9, 9))], update_ontology=True)
ontology.add_label(label_name="snake_case_name", color=(1, 2, 3))
ontology.add_label(label_name="saved", color="#00ff00", update_ontology=True)
ontology.add_label(
    label_name="parent",
    color="#0000ff",
    attributes=["big"],
    children=[{"label_name": "kid", "color": "#ff0000"}],
    update_ontology=True,
)
dataset.add_label(label_name="shortcut", color="#ffc0cb")
local = sorted(ontology.labels_flat_dict)


def values(nodes):
    """Each stored label's fields, by path, children after their parent."""
    found = {}
    for node in nodes:
        value = node["value"]
        found[value["tag"]] = {
            key: value.get(key) for key in sorted(value) if key not in ("displayData", "tag")
        }
        for tag, fields in values(node["children"]).items():
            found[value["tag"] + "." + tag] = fields
    return found


stored = recipe.ontologies.get(ontology_id=ontology.id)
result = {"local": local, "stored": values(stored.to_json()["roots"])}
