"""``recipe.ontologies``: the ontologies a recipe lists in ``ontologyIds``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..entities.ontology import Ontology
from .owner import required

if TYPE_CHECKING:
    from ..client import Client
    from ..entities.recipe import Recipe


class Ontologies:
    """The ontologies of one recipe; ``dw.ontologies`` (no recipe) gets ontologies by id."""

    def __init__(self, client: Client, recipe: Recipe | None = None) -> None:
        self.client = client
        self._recipe = recipe

    @property
    def recipe(self) -> Recipe:
        return required(self._recipe, "ontologies", "recipe")

    def get(self, ontology_id: str) -> Ontology:
        return Ontology.from_json(self.client.json("GET", f"/ontologies/{ontology_id}"), self.client)

    def create(self, labels: list[Any] | None = None, title: str | None = None) -> Ontology:
        """A new ontology with ``labels`` (names or dicts), appended to the recipe's ``ontologyIds``."""
        body: dict[str, Any] = {"roots": [], "projectIds": self.recipe.project_ids, "attributes": []}
        if title:
            body["title"] = title
        ontology = Ontology.from_json(self.client.json("POST", "/ontologies", json=body), self.client)
        if labels:
            ontology.add_labels(labels)
        self.recipe.ontology_ids = [*self.recipe.ontology_ids, ontology.id]
        self.recipe.update()
        return ontology

    def list(self) -> list[Ontology]:
        return [self.get(ontology_id) for ontology_id in self.recipe.ontology_ids]
