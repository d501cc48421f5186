"""The store's route handlers, one module per platform resource; importing this package registers them."""

from . import (
    annotation_saves,
    annotations,
    datasets,
    exports,
    facets,
    items,
    ontologies,
    projects,
    recipes,
    statuses,
    tasks,
    thumbnails,
    users,
)

__all__ = [
    "annotation_saves", "annotations", "datasets", "exports", "facets", "items", "ontologies", "projects",
    "recipes", "statuses", "tasks", "thumbnails", "users",
]  # fmt: skip
