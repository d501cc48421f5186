"""Upload a prompt item, then read it back from the stored item."""

import dtlpy as dl

project = dl.projects.create(project_name="prompts")
dataset = project.datasets.create(dataset_name="chats")
image = dataset.items.upload(local_path="sample.jpg", remote_path="/images")

prompt_item = dl.PromptItem(name="first-chat")
prompt = dl.Prompt(key="1")
prompt.add_element(mimetype=dl.PromptType.TEXT, value="What is in the picture?")
prompt.add_element(mimetype=dl.PromptType.IMAGE, value=image.stream)
prompt_item.prompts.append(prompt)
item = dataset.items.upload(local_path=prompt_item, remote_path="/prompts")

again = dl.PromptItem.from_item(dataset.items.get(item_id=item.id))
try:
    dl.PromptItem.from_item(image)
    refused = False
except ValueError:
    refused = True

result = {
    "name": again.name,
    "prompts": [
        [p.key, [e["mimetype"] for e in p.elements], [e["value"] == image.stream for e in p.elements]]
        for p in again.prompts
    ],
    "text": again.prompts[0].elements[0]["value"],
    "an image is refused": refused,
}
