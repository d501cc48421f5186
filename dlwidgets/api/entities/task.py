"""``Task`` and ``Assignment``: annotation work split among assignees."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import Field

from .base import Entity

if TYPE_CHECKING:
    from ..repositories.tasks import Assignments
    from .item import Item


class Task(Entity):
    """A task, as ``GET /annotationtasks/{id}`` returns it."""

    TABLE: ClassVar[tuple[str, ...]] = ("id", "name", "status", "total_items", "due_date")

    id: str
    name: str
    status: str | None = None
    project_id: str | None = None
    dataset_id: str | None = None
    recipe_id: str | None = None
    due_date: float | None = None
    task_owner: str | None = None
    assignment_ids: list[str] = Field(default_factory=list)
    total_items: int | None = None
    priority: int | None = None
    progress: float | None = None
    spec: dict[str, Any] = Field(default_factory=dict)
    metadata: dict[str, Any] = Field(default_factory=dict)
    created_at: str | None = None

    @property
    def assignments(self) -> Assignments:
        from ..repositories.tasks import Assignments

        return Assignments(self.client, task=self)


class Assignment(Entity):
    """An assignment: one annotator's share of a task."""

    TABLE: ClassVar[tuple[str, ...]] = ("id", "name", "annotator", "status", "total_items")

    id: str
    name: str | None = None
    annotator: str | None = None
    status: str | None = None
    project_id: str | None = None
    total_items: int | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)

    @property
    def task_id(self) -> str | None:
        return self.metadata.get("system", {}).get("taskId")

    def get_items(self, limit: int | None = None) -> list[Item]:
        """The items in this assignment (the first ``limit`` of them, if given)."""
        from ..repositories.items import get_item

        ids = self.client.json("GET", f"/assignments/{self.id}/items")["items"]
        return [get_item(self.client, item_id) for item_id in ids[:limit]]
