"""``Task`` and ``Assignment``: annotation work split among assignees."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import Field

from .base import Entity

if TYPE_CHECKING:
    from ..filters import Filters
    from ..repositories.tasks import Assignments
    from .dataset import Dataset
    from .item import Item
    from .page import PagedEntities


class Task(Entity):
    """A task, as ``GET /annotationtasks/{id}`` returns it."""

    TABLE: ClassVar[tuple[str, ...]] = ("id", "name", "status", "progress", "total_items", "due_date")

    id: str
    name: str
    status: str | None = None
    project_id: str | None = None
    dataset_id: str | None = None
    recipe_id: str | None = None
    due_date: float | None = None
    task_owner: str | None = None
    creator: str | None = None
    assignment_ids: list[str] = Field(default_factory=list)
    total_items: int | None = None
    # Read from the items' statuses in the task: {"completed": 12, "discard": 1}, and the percentage done.
    item_status: Any = None
    progress: int | float | None = None
    # Annotations on its items with the status 'issue' (open QA notes among them) and 'review'.
    issues: int | None = None
    for_review: int | None = None
    priority: int | None = None
    spec: dict[str, Any] = Field(default_factory=dict)
    metadata: dict[str, Any] = Field(default_factory=dict)
    created_at: str | None = None

    @property
    def assignments(self) -> Assignments:
        from ..repositories.tasks import Assignments

        return Assignments(self.client, task=self)

    def add_items(
        self,
        filters: Filters | None = None,
        items: list[Item] | Item | None = None,
        assignee_ids: list[str] | None = None,
        workload: list[dict[str, Any]] | None = None,
        limit: int | None = None,
        wait: bool = True,
        query: dict[str, Any] | None = None,
    ) -> Task:
        """Add items (entities, or those ``filters`` or ``query`` match) to the task, shared among
        ``assignee_ids`` (or a ``workload`` of ``{'assigneeId', 'load'}``), else among its assignees."""
        from ..repositories.tasks import change_task_items

        change_task_items(self, "addToTask", filters, items, query, assignee_ids, workload, limit)
        return self._fetched()

    def remove_items(
        self,
        filters: Filters | None = None,
        query: dict[str, Any] | None = None,
        items: list[Item] | Item | None = None,
        wait: bool = True,
    ) -> bool:
        """Take items (entities, or those ``filters`` or ``query`` match) out of the task."""
        from ..repositories.tasks import change_task_items

        change_task_items(self, "removeFromTask", filters, items, query)
        return True

    def delete(self, wait: bool = True) -> bool:
        """Delete the task and its assignments; its items lose their refs to it."""
        return self.client.tasks.delete(task_id=self.id, wait=wait)

    def set_status(self, status: str, operation: str, item_ids: list[str]) -> bool:
        """Set (``operation='create'``) or clear (``'delete'``) the status of these items in the task."""
        return self.client.tasks.set_status(
            status=status, operation=operation, task_id=self.id, item_ids=item_ids
        )

    def create_qa_task(self, assignee_ids: list[str], **options: Any) -> Task:
        """A QA task reviewing this one: ``dataset.tasks.create_qa_task(task=self, assignee_ids=, ...)``
        with its options (``due_date``, ``filters``, ``items``, ``query``, ``metadata``, ``priority``)."""
        if self.dataset_id is None:
            raise ValueError(f"task {self.name!r} does not say its dataset; use dataset.tasks.create_qa_task")
        dataset = self.client.datasets.get(dataset_id=self.dataset_id)
        return dataset.tasks.create_qa_task(task=self, assignee_ids=assignee_ids, **options)

    def _fetched(self) -> Task:
        """The task as stored now."""
        return self.client.tasks.get(task_id=self.id)

    def get_items(self, filters: Filters | None = None) -> PagedEntities[Any]:
        """The task's items (and those of ``filters`` among them), a page at a time, as the SDK finds
        them: by the task's ref in each item's ``metadata.system.refs``."""
        from ..repositories.tasks import referring_items

        return referring_items(self.client, self.dataset_id, self.id, filters)


class Assignment(Entity):
    """An assignment: one annotator's share of a task."""

    TABLE: ClassVar[tuple[str, ...]] = ("id", "name", "annotator", "status", "progress", "total_items")

    id: str
    name: str | None = None
    annotator: str | None = None
    status: str | None = None
    project_id: str | None = None
    total_items: int | None = None
    # As on the task, over this assignment's items.
    item_status: Any = None
    progress: int | float | None = None
    issues: int | None = None
    for_review: int | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)

    @property
    def task_id(self) -> str | None:
        return self.metadata.get("system", {}).get("taskId")

    @property
    def dataset_id(self) -> str | None:
        return self.metadata.get("system", {}).get("datasetId")

    def set_status(self, status: str, operation: str, item_id: str) -> bool:
        """Set (``operation='create'``) or clear (``'delete'``) an item's status in this assignment."""
        return self.client.assignments.set_status(
            status=status, operation=operation, item_id=item_id, assignment_id=self.id
        )

    def get_items(self, dataset: Dataset | None = None, filters: Filters | None = None) -> PagedEntities[Any]:
        """The assignment's items (and those of ``filters`` among them), a page at a time, as the SDK
        finds them: by the assignment's ref in each item's ``metadata.system.refs``."""
        from ..repositories.tasks import referring_items

        dataset_id = dataset.id if dataset is not None else self.dataset_id
        return referring_items(self.client, dataset_id, self.id, filters)
