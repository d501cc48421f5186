"""``dataset.recipes``: the recipes a dataset lists in ``metadata.system.recipes``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..entities.recipe import Recipe
from .owner import required

if TYPE_CHECKING:
    from ..client import Client
    from ..entities.dataset import Dataset


class Recipes:
    """The recipes of one dataset; ``dw.recipes`` (no dataset) gets recipes by id."""

    def __init__(self, client: Client, dataset: Dataset | None = None) -> None:
        self.client = client
        self._dataset = dataset

    @property
    def dataset(self) -> Dataset:
        return required(self._dataset, "recipes", "dataset")

    def get(self, recipe_id: str) -> Recipe:
        return Recipe.from_json(self.client.json("GET", f"/recipes/{recipe_id}"), self.client)

    def update(self, recipe: Recipe, system_metadata: bool = False) -> Recipe:
        """Save a recipe (its title and ontology list above all)."""
        params = {"system": "true"} if system_metadata else None
        self.client.dataset_ontologies.forget()
        body = self.client.json("PATCH", f"/recipes/{recipe.id}", json=recipe.to_json(), params=params)
        return Recipe.from_json(body, self.client)

    def create(self, recipe_name: str | None = None, ontology_ids: list[str] | None = None) -> Recipe:
        """A new recipe, with a new empty ontology unless ``ontology_ids`` is given."""
        project_ids = [self.dataset.project_id]
        if not ontology_ids:
            ontology = self.client.json(
                "POST", "/ontologies", json={"roots": [], "projectIds": project_ids, "attributes": []}
            )
            ontology_ids = [ontology["id"]]
        body = self.client.json(
            "POST",
            "/recipes",
            json={
                "title": recipe_name or f"{self.dataset.name} Default Recipe",
                "projectIds": project_ids,
                "ontologyIds": ontology_ids,
            },
        )
        return Recipe.from_json(body, self.client)

    def list(self) -> list[Recipe]:
        return [self.get(recipe_id) for recipe_id in self.dataset.recipe_ids]
