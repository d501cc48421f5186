"""Export a dataset as the platform's ZIP (unzipped, or kept whole) and as JSON zipped or one file per
item; a ZIP export cannot be asked for as JSON output."""

import json
import os
import zipfile

import dtlpy as dl

project = dl.projects.create(project_name="export-types")
dataset = project.datasets.create(dataset_name="photos")
dataset.add_label(label_name="cat")
photo = dataset.items.upload(local_path="photos/p0.png", remote_path="/photos")
dataset.items.upload(local_path="notes.txt", remote_path="/docs")
builder = photo.annotations.builder()
builder.add(annotation_definition=dl.Point(x=3, y=4, label="cat"))
photo.annotations.upload(annotations=builder)


def files_under(folder):
    """Each JSON file below ``folder``: the item's filename and its annotations' labels."""
    found = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            with open(path) as f:
                data = json.load(f)
            labels = [a["label"] for a in data.get("annotations", [])]
            found[os.path.relpath(path, folder).replace("\\", "/")] = [data["filename"], labels]
    return found


unzipped = dataset.export(local_path="as-zip", include_annotations=True, export_type=dl.ExportType.ZIP)
kept = dataset.export(
    local_path="zip-kept", export_type=dl.ExportType.ZIP, output_export_type=dl.OutputExportType.ZIP
)
with zipfile.ZipFile(kept) as archive:
    in_kept = sorted(archive.namelist())
json_zipped = dataset.export(local_path="json-zipped", output_export_type=dl.OutputExportType.ZIP)
with zipfile.ZipFile(json_zipped) as archive:
    in_json_zip = [name == f"{dataset.id}.json" for name in archive.namelist()]
folders = dataset.export(
    local_path="json-folders", include_annotations=True, output_export_type=dl.OutputExportType.FOLDERS
)
try:
    dataset.export(
        local_path="nope", export_type=dl.ExportType.ZIP, output_export_type=dl.OutputExportType.JSON
    )
    zip_as_json = "made"
except NotImplementedError:
    zip_as_json = "refused"

result = {
    "unzipped": [os.path.relpath(unzipped), files_under("as-zip")],
    "kept": [os.path.dirname(os.path.relpath(kept)), in_kept],
    "json zipped": [
        os.path.basename(json_zipped) == f"{dataset.id}.json.zip",
        in_json_zip,
        len(os.listdir("json-zipped")),
    ],
    "folders": [os.path.relpath(folders), files_under("json-folders")],
    "zip as json": zip_as_json,
}
