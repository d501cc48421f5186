"""Filter with the module-level constants, sort as the SDK does, and walk the pages."""

import dtlpy as dl

project = dl.projects.create(project_name="pages")
dataset = project.datasets.create(dataset_name="photos")
dataset.items.upload(local_path="photos", remote_path="/")
dataset.items.upload(local_path="sample.jpg", remote_path="/more")
dataset.items.upload(local_path="notes.txt", remote_path="/more")

filters = dl.Filters()
filters.add(field=dl.FiltersKnownFields.DIR, values="/more", operator=dl.FILTERS_OPERATIONS_NOT_EQUAL)
filters.sort_by(field=dl.FiltersKnownFields.NAME, value=dl.FiltersOrderByDirection.DESCENDING)
descending = [item.name for item in dataset.items.list(filters=filters).all()]

images = dl.Filters(field="metadata.system.mimetype", values="image/png")
images.add(field="metadata.system.size", values=0, operator=dl.FiltersOperations.GREATER_THAN)
images.sort_by(field="name")
pages = dataset.items.list(filters=images, page_offset=0, page_size=2)
count = [pages.items_count, len(pages.items)]
walked = [[item.name for item in page] for page in pages]

by_name = dl.Filters()
by_name.sort_by(field="filename", value=dl.FILTERS_ORDERBY_DIRECTION_ASCENDING)
second = dataset.items.list(filters=by_name, page_offset=1, page_size=3)
nothing = dataset.items.list(filters=dl.Filters(field="name", values="absent.png"))
in_list = dl.Filters(field="name", values=["p0.png", "notes.txt"], operator=dl.FILTERS_OPERATIONS_IN)

result = {
    "descending": descending,
    "walked": walked,
    "count": count,
    "second page": [item.filename for item in second.items],
    "all from the second": [item.filename for item in second.all()],
    "nothing": [[len(page) for page in nothing], list(nothing.all()), nothing.items_count],
    "in": sorted(item.name for item in dataset.items.list(filters=in_list).all()),
}
