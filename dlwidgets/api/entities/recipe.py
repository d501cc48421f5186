"""``Recipe``: the annotation schema of a dataset, pointing at its ontologies."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from pydantic import Field

from .base import Entity

if TYPE_CHECKING:
    from ..repositories.ontologies import Ontologies


class Recipe(Entity):
    """A recipe, as ``GET /recipes/{id}`` returns it."""

    TABLE: ClassVar[tuple[str, ...]] = ("id", "title", "ontology_ids")

    id: str
    title: str | None = None
    project_ids: list[str] = Field(default_factory=list)
    ontology_ids: list[str] = Field(default_factory=list)
    creator: str | None = None
    created_at: str | None = None

    @property
    def ontologies(self) -> Ontologies:
        from ..repositories.ontologies import Ontologies

        return Ontologies(self.client, recipe=self)

    def update(self, system_metadata: bool = False) -> Recipe:
        """Save the recipe (its title and ontology list above all)."""
        return self.client.recipes.update(self, system_metadata)
