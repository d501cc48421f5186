"""Nested labels: added as 'parent.child' names, as Label children and as dicts with children; read back
as a tree of short tags, flat as 'parent.child', in the instance map, in annotations and attributes."""

import dtlpy as dl

project = dl.projects.create(project_name="nested")
dataset = project.datasets.create(dataset_name="photos")
dataset.add_labels(label_list=["animal", "animal.cat", "animal.dog", "fruit.apple"])
dataset.add_labels(
    label_list=[
        dl.Label(
            tag="vehicle",
            color=(255, 0, 0),
            children=[
                dl.Label(tag="car", color=(0, 0, 255)),
                dl.Label(tag="bike", children=[dl.Label(tag="wheel")]),
            ],
        )
    ]
)
dataset.add_labels(
    label_list=[{"label_name": "plant", "children": [{"label_name": "tree", "color": "#00ff00"}]}]
)
dataset.delete_labels(label_names=["animal.dog"])

recipe = dataset.recipes.list()[0]
ontology = recipe.ontologies.list()[0]
ontology.update_attributes(
    key="wheels",
    title="Wheels",
    attribute_type=dl.AttributesTypes.CHECKBOX,
    values=["2", "4"],
    scope=["vehicle.car"],
)
ontology = recipe.ontologies.get(ontology_id=ontology.id)


def tree(labels):
    """Each label's own tag with its children's, depth first."""
    return [[label.tag, tree(label.children)] for label in labels]


def root_tags(nodes):
    return [[node["value"]["tag"], root_tags(node["children"])] for node in nodes]


item = dataset.items.upload(local_path="sample.jpg")
builder = item.annotations.builder()
builder.add(annotation_definition=dl.Box(top=1, left=2, bottom=30, right=40, label="vehicle.car"))
item.annotations.upload(annotations=builder)

result = {
    "tree": tree(ontology.labels),
    "json": root_tags(ontology.to_json()["roots"]),
    "flat": {tag: [label.tag, label.color] for tag, label in ontology.labels_flat_dict.items()},
    "instance map": ontology.instance_map,
    "dataset instance map": dataset.instance_map,
    "dataset labels": tree(dataset.labels),
    "scope": [a["scope"] for a in ontology.metadata["attributes"]],
    "annotated": [a.label for a in item.annotations.list()],
}
