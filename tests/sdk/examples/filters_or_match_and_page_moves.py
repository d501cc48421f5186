"""OR filters (by filters.method and by add(method=)), MATCH on a list field's elements, and moving
through pages: go_to_page, next_page, prev_page, reversed, pages[n], and pages.items after iterating."""

import dtlpy as dl

project = dl.projects.create(project_name="or-match-pages")
dataset = project.datasets.create(dataset_name="photos")
dataset.items.upload(local_path="photos", remote_path="/")
dataset.items.upload(local_path=["sample.jpg", "notes.txt"], remote_path="/more")

either = dl.Filters()
either.method = dl.FiltersMethod.OR
either.add(field="name", values="p0.png")
either.add(field="name", values="notes.txt")
by_method = sorted(item.name for item in dataset.items.list(filters=either).all())

mixed = dl.Filters(field="dir", values="/more")
mixed.add(field="name", values="p1.png", method=dl.FiltersMethod.OR)
mixed.add(field="name", values="notes.txt", method=dl.FILTERS_METHOD_OR)
in_more_and_either = sorted(item.name for item in dataset.items.list(filters=mixed).all())

task = dataset.tasks.create(
    task_name="check",
    assignee_ids=["ann.lee@example.com"],
    filters=dl.Filters(field="name", values=["p0.png", "p2.png"], operator=dl.FiltersOperations.IN),
)
in_task = dl.Filters()
in_task.add(
    field="metadata.system.refs",
    values={"id": task.id, "type": "task"},
    operator=dl.FiltersOperations.MATCH,
)
matched = sorted(item.name for item in dataset.items.list(filters=in_task).all())

by_name = dl.Filters()
by_name.sort_by(field="name")
pages = dataset.items.list(filters=by_name, page_size=2)
moves = [[item.name for item in pages.items]]
pages.next_page()
moves.append([item.name for item in pages.items])
pages.go_to_page(2)
moves.append([item.name for item in pages.items])
pages.prev_page()
moves.append([item.name for item in pages.items])
first = [item.name for item in pages[0]]
after_index = [item.name for item in pages.items]
walked = [[item.name for item in page] for page in pages]
after_walk = [item.name for item in pages.items]
backwards = [[item.name for item in page] for page in reversed(pages)]

by_id = dataset.items.list(page_size=2)
by_id.next_page()
second_by_id = len(by_id.items)
by_id.next_page()
third_by_id = len(by_id.items)

result = {
    "or by filters.method": by_method,
    "and with or": in_more_and_either,
    "match": matched,
    "moves": moves,
    "pages[0]": [first, after_index],
    "walked": walked,
    "items after iterating": after_walk,
    "reversed": backwards,
    "next pages by id": [second_by_id, third_by_id],
    "pages": [pages.items_count, pages.total_pages_count],
}
