"""The store's route handlers, one module per platform resource; importing this package registers them."""

from . import annotations, datasets, items, ontologies, projects, recipes, tasks, users

__all__ = ["annotations", "datasets", "items", "ontologies", "projects", "recipes", "tasks", "users"]
