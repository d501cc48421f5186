"""``Project``: the container of datasets, recipes and tasks."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from .base import Entity

if TYPE_CHECKING:
    from ..repositories.datasets import Datasets
    from ..repositories.ontologies import Ontologies
    from ..repositories.tasks import Assignments, Tasks


class Project(Entity):
    """A project, as ``GET /projects/{id}`` returns it."""

    TABLE: ClassVar[tuple[str, ...]] = ("id", "name", "creator", "created_at")

    id: str
    name: str
    creator: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    url: str | None = None

    @property
    def ontologies(self) -> Ontologies:
        from ..repositories.ontologies import Ontologies

        return Ontologies(self.client, project=self)

    @property
    def datasets(self) -> Datasets:
        from ..repositories.datasets import Datasets

        return Datasets(self.client, project=self)

    @property
    def tasks(self) -> Tasks:
        from ..repositories.tasks import Tasks

        return Tasks(self.client, project_id=self.id)

    @property
    def assignments(self) -> Assignments:
        from ..repositories.tasks import Assignments

        return Assignments(self.client, project_id=self.id)
