"""``Dataset``: items and annotations, linked to recipes through ``metadata.system.recipes``."""

from __future__ import annotations

import os
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import Field, PrivateAttr

from .base import Entity

if TYPE_CHECKING:
    from ..filters import Filters
    from ..repositories.annotations import DatasetAnnotations
    from ..repositories.items import Downloaded, Items
    from ..repositories.recipes import Recipes
    from ..repositories.tasks import Tasks
    from .ontology import Label, LabelSpec, Ontology


class ExportType(str, Enum):
    """What the platform's export makes (``dl.ExportType``): one JSON list, or a ZIP of item JSONs."""

    JSON = "json"
    ZIP = "zip"


class OutputExportType(str, Enum):
    """How a JSON export is written (``dl.OutputExportType``): one file, zipped, or one file per item."""

    JSON = "json"
    ZIP = "zip"
    FOLDERS = "folders"


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
    _instance_map: dict[str, int] | None = PrivateAttr(default=None)

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
    def annotations(self) -> DatasetAnnotations:
        from ..repositories.annotations import DatasetAnnotations

        return DatasetAnnotations(self.client, dataset=self)

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
        return self.client.datasets.update(self, system_metadata)

    def download(
        self,
        filters: Filters | None = None,
        local_path: str | os.PathLike[str] | None = None,
        file_types: list[str] | None = None,
        overwrite: bool = False,
        to_items_folder: bool = True,
        without_relative_path: bool | None = None,
    ) -> Downloaded:
        """Download the items ``filters`` match (all files by default), as ``dataset.items.download``."""
        return self.items.download(
            filters=filters,
            local_path=local_path,
            file_types=file_types,
            overwrite=overwrite,
            to_items_folder=to_items_folder,
            without_relative_path=without_relative_path,
        )

    def directories(self) -> dict[str, int]:
        """Each folder that holds items directly, with how many: ``{'/': 2, '/images': 600}``."""
        return self.client.datasets.directories(self.id)

    def mimetypes(self) -> dict[str, int]:
        """Each mimetype of the dataset's items, with how many: ``{'image/jpeg': 990, 'text/plain': 10}``."""
        return self.client.datasets.mimetypes(self.id)

    def export(
        self,
        local_path: str | os.PathLike[str] | None = None,
        filters: Filters | None = None,
        annotation_filters: Filters | None = None,
        include_annotations: bool = False,
        export_type: ExportType | str = ExportType.JSON,
        output_export_type: OutputExportType | str | None = None,
    ) -> str:
        """Export the items (those ``filters`` match), with their annotations if ``include_annotations``,
        as dtlpy's export writes them: ``<local_path>/<dataset id>.json`` by default, zipped or one JSON
        per item with ``output_export_type``, or the platform's ZIP with ``export_type=ExportType.ZIP``
        (unzipped into ``local_path``); returns the path written."""
        from ..repositories.exports import export_dataset

        return export_dataset(
            self,
            local_path,
            filters,
            annotation_filters,
            include_annotations,
            export_type,
            output_export_type,
        )

    def download_annotations(
        self,
        local_path: str | os.PathLike[str] | None = None,
        filters: Filters | None = None,
        annotation_options: str | list[str] | None = None,
        annotation_filters: Filters | None = None,
        overwrite: bool = False,
        export_version: str = "V1",
    ) -> str:
        """Each item's annotations as the SDK writes them: ``<local_path>/json/<remote path>.json``, one
        JSON per item (the item with its ``annotations``); returns ``local_path``. Only the JSON option is
        made; masks and drawn images are not."""
        options = (
            [annotation_options] if isinstance(annotation_options, str) else list(annotation_options or [])
        )
        other = [o for o in options if str(getattr(o, "value", o)) != "json"]
        if other:
            raise ValueError(f"annotation_options {other} are not supported; dlwidgets writes 'json' only")
        from ..repositories.exports import download_annotations

        version = str(getattr(export_version, "value", export_version))
        return download_annotations(self, local_path, filters, annotation_filters, overwrite, version)

    def ontology(self, recipe_id: str | None = None, ontology_id: str | None = None) -> Ontology:
        """The first ontology of the first recipe (the one ``add_label`` and the annotator use), or the
        ones named by id."""
        recipe = self.recipes.get(recipe_id) if recipe_id is not None else self.recipes.list()[0]
        if ontology_id is not None:
            return recipe.ontologies.get(ontology_id)
        return recipe.ontologies.list()[0]

    def add_labels(
        self, label_list: list[LabelSpec], ontology_id: str | None = None, recipe_id: str | None = None
    ) -> list[Label]:
        """Add labels (names, ``Label`` entities or dicts) to the default ontology, saved at once."""
        return self.ontology(recipe_id, ontology_id).add_labels(label_list)

    def update_label(
        self,
        label_name: str,
        color: str | tuple[int, int, int] | None = None,
        display_label: str | None = None,
        recipe_id: str | None = None,
        ontology_id: str | None = None,
        upsert: bool = False,
        **kwargs: Any,
    ) -> Label:
        """Change one label of the default ontology (fields not given keep their values)."""
        ontology = self.ontology(recipe_id, ontology_id)
        return ontology.update_label(
            label_name, color=color, display_label=display_label, upsert=upsert, **kwargs
        )

    def update_labels(
        self,
        label_list: list[LabelSpec],
        ontology_id: str | None = None,
        recipe_id: str | None = None,
        upsert: bool = False,
    ) -> list[Label]:
        """Change several labels of the default ontology in one save."""
        return self.ontology(recipe_id, ontology_id).update_labels(label_list, upsert=upsert)

    def delete_labels(self, label_names: list[str] | str) -> bool:
        """Remove labels from every ontology of the dataset's recipes that holds them, as dtlpy does."""
        names = [label_names] if isinstance(label_names, str) else list(label_names)
        found = False
        for recipe in self.recipes.list():
            for ontology in recipe.ontologies.list():
                held: list[str | Label] = [name for name in names if name in ontology.tags()]
                if held:
                    ontology.delete_labels(held)
                    found = True
        if not found:
            raise ValueError(f"dataset {self.name!r} has no label {names} in its ontologies")
        return True

    @property
    def instance_map(self) -> dict[str, int]:
        """``{tag: id}`` of the default ontology (1, 2, ... in label order) unless set on this dataset."""
        return self._instance_map if self._instance_map is not None else self.ontology().instance_map

    @instance_map.setter
    def instance_map(self, value: dict[str, int]) -> None:
        if not isinstance(value, dict):
            raise ValueError(f"instance_map must be a dict of {{label_name: instance_id}}, got {value!r}")
        self._instance_map = dict(value)

    @property
    def labels(self) -> list[Label]:
        return self.ontology().labels

    def add_label(
        self,
        label_name: str,
        color: str | tuple[int, int, int] | None = None,
        recipe_id: str | None = None,
        ontology_id: str | None = None,
        **kwargs: Any,
    ) -> Label:
        """Add a label to the default ontology and save it (the tutorial's shortcut); as dtlpy's, it is
        ``ontology.add_label(..., update_ontology=True)``."""
        ontology = self.ontology(recipe_id, ontology_id)
        return ontology.add_label(label_name=label_name, color=color, update_ontology=True, **kwargs)
