"""Get entities by id through the module-level repositories, as the platform's notebooks do."""

import dtlpy as dl

project = dl.projects.create(project_name="by-id")
dataset = project.datasets.create(dataset_name="photos")
dataset.add_label(label_name="cat")
item = dataset.items.upload(local_path="sample.jpg", remote_path="/images")
builder = item.annotations.builder()
builder.add(annotation_definition=dl.Box(top=10, left=20, bottom=30, right=40, label="cat"))
annotation = item.annotations.upload(annotations=builder)[0]
task = dataset.tasks.create(task_name="check", assignee_ids=["ann.lee@example.com"], items=[item])
assignment = task.assignments.list()[0]
recipe = dataset.recipes.list()[0]

same_dataset = dl.datasets.get(dataset_id=dataset.id)
same_item = dl.items.get(item_id=item.id)
same_annotation = dl.annotations.get(annotation_id=annotation.id)
same_task = dl.tasks.get(task_id=task.id)
same_assignment = dl.assignments.get(assignment_id=assignment.id)
same_recipe = dl.recipes.get(recipe_id=recipe.id)
same_ontology = dl.ontologies.get(ontology_id=recipe.ontology_ids[0])

result = {
    "dataset": [same_dataset.id == dataset.id, same_dataset.name],
    "item": [same_item.id == item.id, same_item.filename],
    "annotation": [same_annotation.id == annotation.id, same_annotation.label, same_annotation.type],
    "task": [same_task.id == task.id, same_task.name],
    "assignment": [same_assignment.id == assignment.id, same_assignment.annotator],
    "recipe": same_recipe.id == recipe.id,
    "ontology": [label.tag for label in same_ontology.labels],
    "datasets": [d.name for d in dl.datasets.list() if d.name == "photos"],
}
