"""Change and delete stored annotations, list them across a dataset, and relabel many at once."""

import dtlpy as dl

project = dl.projects.create(project_name="relabel")
dataset = project.datasets.create(dataset_name="photos")
dataset.add_labels(label_list=["cat", "dog", "bird"])
items = [dataset.items.upload(local_path=f"photos/p{i}.png", remote_path="/photos") for i in range(3)]
for i, item in enumerate(items):
    builder = item.annotations.builder()
    builder.add(annotation_definition=dl.Box(top=1, left=2, bottom=5 + i, right=6, label="cat"))
    builder.add(annotation_definition=dl.Point(x=3, y=4 + i, label="bird"))
    item.annotations.upload(annotations=builder)

first = items[0].annotations.list()[0]
first.label = "dog"
first = first.update()
items[0].annotations.list()[1].delete()

cats = dl.Filters(resource=dl.FiltersResource.ANNOTATION, field="label", values="cat")
pages = dataset.annotations.list(filters=cats)
found = list(pages.all())
for annotation in found:
    annotation.label = "bird"
relabelled = dataset.annotations.update(annotations=found)

everything = dl.Filters(resource=dl.FiltersResource.ANNOTATION)
everything.sort_by(field="label")
after = [[a.label, a.type] for a in dataset.annotations.list(filters=everything).all()]
points = dl.Filters(resource=dl.FiltersResource.ANNOTATION, field="type", values="point")
dataset.annotations.delete(filters=points)

result = {
    "updated": [first.label, first.type],
    "cats": [pages.items_count, sorted(a.type for a in found)],
    "relabelled": sorted(a.label for a in relabelled),
    "after": sorted(after),
    "left": sorted(a.label for page in dataset.annotations.list(filters=everything) for a in page),
}
