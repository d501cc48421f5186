"""``project.datasets``: get, create and list the datasets of a project."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...exceptions import BadRequest, NotFound
from ..entities.base import EntityList
from ..entities.dataset import Dataset

if TYPE_CHECKING:
    from ..client import Client
    from ..entities.project import Project


def get_dataset(client: Client, dataset_id: str) -> Dataset:
    return Dataset.from_json(client.json("GET", f"/datasets/{dataset_id}"), client)


class Datasets:
    """The datasets of one project, or (``dw.datasets``, with no project) of every project the user sees."""

    def __init__(self, client: Client, project: Project | None = None) -> None:
        self.client = client
        self.project = project

    def _where(self) -> str:
        return f"project {self.project.name!r}" if self.project is not None else "the projects you can see"

    def _query(self, filter_doc: dict[str, object], system_space: bool = False) -> list[Dataset]:
        found: list[Dataset] = []
        page = 0
        while True:
            query: dict[str, object] = {
                "filter": filter_doc,
                "page": page,
                "pageSize": 1000,
                "resource": "datasets",
            }
            if self.project is not None:
                query["context"] = {"projects": [self.project.id]}
            if system_space:
                query["systemSpace"] = True
            body = self.client.json("POST", "/datasets/query", json=query)
            found += [Dataset.from_json(d, self.client) for d in body["items"]]
            if not body["hasNextPage"]:
                return found
            page += 1

    def get(self, dataset_name: str | None = None, dataset_id: str | None = None) -> Dataset:
        """One dataset by name or id; ``NotFound`` when there is none."""
        if dataset_id is not None:
            return get_dataset(self.client, dataset_id)
        if dataset_name is None:
            raise ValueError("datasets.get needs dataset_name= or dataset_id=")
        found = self._query({"$and": [{"name": dataset_name}]})
        if not found:
            raise NotFound(f"Dataset not found: no dataset {dataset_name!r} in {self._where()}")
        if len(found) > 1:
            raise BadRequest(
                f"{len(found)} datasets are named {dataset_name!r} in {self._where()}; "
                "use project.datasets.get(dataset_name=) or dataset_id="
            )
        return found[0]

    def _get_binaries_dataset(self) -> Dataset:
        """The project's ``Binaries`` dataset (label icons, exports), which plain lists leave out."""
        found = self._query({"$and": [{"name": "Binaries"}]}, system_space=True)
        if len(found) != 1:
            raise NotFound(f"Dataset not found: no Binaries dataset in {self._where()}")
        return found[0]

    def create(self, dataset_name: str) -> Dataset:
        """A new dataset with a default recipe and an empty ontology."""
        if self.project is None:
            raise ValueError(
                f"dataset {dataset_name!r} needs a project: use project.datasets.create(dataset_name=...)"
            )
        body = self.client.json(
            "POST",
            "/datasets",
            json={"name": dataset_name, "projects": [self.project.id], "createDefaultRecipe": True},
        )
        return Dataset.from_json(body, self.client)

    def list(self) -> EntityList[Dataset]:
        return EntityList[Dataset](self._query({}))

    def update(self, dataset: Dataset, system_metadata: bool = False) -> Dataset:
        """Save a dataset's name and metadata (``system_metadata=True`` to include ``metadata.system``)."""
        params = {"system": "true"} if system_metadata else None
        self.client.dataset_ontologies.forget()
        body = self.client.json("PATCH", f"/datasets/{dataset.id}", json=dataset.to_json(), params=params)
        return Dataset.from_json(body, self.client)

    def directories(self, dataset_id: str) -> dict[str, int]:
        """Each folder of a dataset that holds items directly, with how many."""
        body = self.client.json("GET", f"/datasets/{dataset_id}/directories")
        return {entry["dir"]: entry["itemsCount"] for entry in body}

    def mimetypes(self, dataset_id: str) -> dict[str, int]:
        """Each mimetype of a dataset's items, with how many."""
        body = self.client.json("GET", f"/datasets/{dataset_id}/mimetypes")
        return {entry["mimetype"]: entry["itemsCount"] for entry in body}

    def delete(self, dataset_name: str | None = None, dataset_id: str | None = None) -> bool:
        dataset = self.get(dataset_name=dataset_name, dataset_id=dataset_id)
        self.client.request("DELETE", f"/datasets/{dataset.id}")
        return True
