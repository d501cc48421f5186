"""Joins: items filtered by their annotations' fields, and annotations by their item's fields."""

import dtlpy as dl

project = dl.projects.create(project_name="joins")
dataset = project.datasets.create(dataset_name="photos")
items = [dataset.items.upload(local_path=f"photos/p{i}.png", remote_path="/photos") for i in range(3)]
notes = dataset.items.upload(local_path="sample.jpg", remote_path="/other")
for item, labels in zip([*items, notes], [["cat"], ["dog", "cat"], ["dog"], ["cat"]], strict=True):
    builder = item.annotations.builder()
    for label in labels:
        builder.add(annotation_definition=dl.Box(top=1, left=1, bottom=4, right=4, label=label))
    item.annotations.upload(annotations=builder)

with_cats = dl.Filters()
with_cats.add_join(field="label", values="cat")
boxes_of_dogs = dl.Filters()
boxes_of_dogs.add(field="dir", values="/photos")
boxes_of_dogs.add_join(field="label", values=["dog"], operator=dl.FiltersOperations.IN)
boxes_of_dogs.add_join(field="type", values="box")
in_photos = dl.Filters(resource=dl.FiltersResource.ANNOTATION)
in_photos.add(field="label", values="cat")
in_photos.add_join(field="dir", values="/photos")

result = {
    "items_with_cats": sorted(i.filename for i in dataset.items.list(filters=with_cats).all()),
    "photos_with_dog_boxes": sorted(i.name for i in dataset.items.list(filters=boxes_of_dogs).all()),
    "cats_in_photos": sorted(
        dataset.items.get(item_id=a.item_id).name for a in dataset.items.list(filters=in_photos).all()
    ),
}
