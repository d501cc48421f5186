"""``recipe.ontologies`` (the ontologies a recipe lists in ``ontologyIds``) and ``project.ontologies``
(those of a project)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..entities.ontology import Ontology
from .owner import required

if TYPE_CHECKING:
    from ..client import Client
    from ..entities.project import Project
    from ..entities.recipe import Recipe

# Ontologies per page when listing those of a project.
PAGE_SIZE = 1000


class Ontologies:
    """The ontologies of one recipe or of one project; ``dw.ontologies`` (neither) gets them by id."""

    def __init__(self, client: Client, recipe: Recipe | None = None, project: Project | None = None) -> None:
        self.client = client
        self._recipe = recipe
        self._project = project

    @property
    def recipe(self) -> Recipe:
        return required(self._recipe, "ontologies", "recipe")

    def get(self, ontology_id: str) -> Ontology:
        return Ontology.from_json(self.client.json("GET", f"/ontologies/{ontology_id}"), self.client)

    def update(self, ontology: Ontology, system_metadata: bool = False) -> Ontology:
        """Replace the stored ontology with ``ontology`` (labels, attributes, title); the stored one back."""
        params = {"system": "true"} if system_metadata else None
        body = self.client.json("PUT", f"/ontologies/{ontology.id}", json=ontology.to_json(), params=params)
        return Ontology.from_json(body, self.client)

    def patch_labels(self, ontology_id: str, nodes: list[dict[str, Any]], upsert: bool) -> Ontology:
        """Add or change labels (the platform's label nodes) without sending the rest of the ontology."""
        body = self.client.json(
            "PATCH", f"/ontologies/{ontology_id}/labels", json={"labelsNode": nodes, "upsert": upsert}
        )
        return Ontology.from_json(body, self.client)

    def patch_attributes(self, ontology_id: str, attributes: list[dict[str, Any]]) -> Ontology:
        """Add or replace attributes (the platform's attribute documents), keyed by their ``key``."""
        body = self.client.json(
            "PATCH", f"/ontologies/{ontology_id}/attributes", json={"items": attributes, "upsert": True}
        )
        return Ontology.from_json(body, self.client)

    def remove_attributes(self, ontology_id: str, keys: list[str]) -> Ontology:
        """Remove the attributes with these keys."""
        body = self.client.json("DELETE", f"/ontologies/{ontology_id}/attributes", json={"keys": keys})
        return Ontology.from_json(body, self.client)

    def create(self, labels: list[Any] | None = None, title: str | None = None) -> Ontology:
        """A new ontology with ``labels`` (names or dicts); a recipe's is appended to its ``ontologyIds``."""
        project_ids = [self._project.id] if self._project is not None else self.recipe.project_ids
        body: dict[str, Any] = {"roots": [], "projectIds": project_ids, "attributes": []}
        if title:
            body["title"] = title
        ontology = Ontology.from_json(self.client.json("POST", "/ontologies", json=body), self.client)
        if labels:
            ontology.add_labels(labels)
        if self._project is None:
            self.recipe.ontology_ids = [*self.recipe.ontology_ids, ontology.id]
            self.recipe.update()
        return ontology

    def list(self) -> list[Ontology]:
        """The recipe's ontologies in its order, or every ontology of the project."""
        if self._project is None:
            return [self.get(ontology_id) for ontology_id in self.recipe.ontology_ids]
        found: list[Ontology] = []
        page = 0
        while True:
            params = {"pageOffset": page, "pageSize": PAGE_SIZE, "projects": self._project.id}
            body = self.client.json("GET", "/ontologies", params=params)
            found += [Ontology.from_json(o, self.client) for o in body["items"]]
            if not body.get("hasNextPage"):
                return found
            page += 1
