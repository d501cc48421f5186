"""``Dataset``: items and annotations, linked to recipes through ``metadata.system.recipes``."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import Field

from .base import Entity

if TYPE_CHECKING:
    from ..filters import Filters
    from ..repositories.items import Items
    from ..repositories.recipes import Recipes
    from ..repositories.tasks import Tasks
    from .ontology import Label, Ontology


class Dataset(Entity):
    """A dataset, as ``GET /datasets/{id}`` returns it."""

    TABLE: ClassVar[tuple[str, ...]] = ("id", "name", "items_count", "annotations_count", "created_at")

    id: str
    name: str
    projects: list[str] = Field(default_factory=list)
    metadata: dict[str, Any] = Field(default_factory=dict)
    creator: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    items_count: int | None = None
    annotations_count: int | None = None
    annotated: bool | None = None
    url: str | None = None

    @property
    def project_id(self) -> str:
        return self.projects[0]

    @property
    def recipe_ids(self) -> list[str]:
        return list(self.metadata.get("system", {}).get("recipes", []))

    @property
    def items(self) -> Items:
        from ..repositories.items import Items

        return Items(self.client, dataset=self)

    @property
    def recipes(self) -> Recipes:
        from ..repositories.recipes import Recipes

        return Recipes(self.client, dataset=self)

    @property
    def tasks(self) -> Tasks:
        from ..repositories.tasks import Tasks

        return Tasks(self.client, dataset=self)

    def update(self, system_metadata: bool = False) -> Dataset:
        """Save name and metadata (``system_metadata=True`` to include ``metadata.system``)."""
        params = {"system": "true"} if system_metadata else None
        body = self.client.json("PATCH", f"/datasets/{self.id}", json=self.to_json(), params=params)
        return Dataset.from_json(body, self.client)

    def directories(self) -> dict[str, int]:
        """Each folder that holds items directly, with how many: ``{'/': 2, '/images': 600}``."""
        body = self.client.json("GET", f"/datasets/{self.id}/directories")
        return {entry["dir"]: entry["itemsCount"] for entry in body}

    def mimetypes(self) -> dict[str, int]:
        """Each mimetype of the dataset's items, with how many: ``{'image/jpeg': 990, 'text/plain': 10}``."""
        body = self.client.json("GET", f"/datasets/{self.id}/mimetypes")
        return {entry["mimetype"]: entry["itemsCount"] for entry in body}

    def export(
        self,
        local_path: str | os.PathLike[str] | None = None,
        filters: Filters | None = None,
        annotation_filters: Filters | None = None,
        include_annotations: bool = False,
        export_type: str = "json",
    ) -> str:
        """Export the items (those ``filters`` match) to ``<local_path>/<dataset id>.json``, with their
        annotations if ``include_annotations``, as the SDK's JSON export does; returns that file's path."""
        from ..repositories.exports import export_dataset

        if str(getattr(export_type, "value", export_type)) != "json":
            raise ValueError(f"export_type {export_type!r} is not supported; use 'json'")
        return export_dataset(self, local_path, filters, annotation_filters, include_annotations)

    def ontology(self) -> Ontology:
        """The first ontology of the first recipe: the one ``add_label`` and the annotator use."""
        recipe = self.recipes.list()[0]
        return recipe.ontologies.list()[0]

    @property
    def labels(self) -> list[Label]:
        return self.ontology().labels

    def add_label(
        self, label_name: str, color: str | tuple[int, int, int] | None = None, **kwargs: Any
    ) -> Label:
        """Add a label to the default ontology and save it (the tutorial's shortcut)."""
        return self.ontology().add_label(label_name=label_name, color=color, **kwargs)
