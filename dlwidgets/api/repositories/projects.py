"""``client.projects`` (and ``dw.projects``): get, create and list projects."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from ...exceptions import NotFound
from ..entities.base import EntityList
from ..entities.project import Project

if TYPE_CHECKING:
    from ..client import Client


class Projects:
    """The projects visible to the client's user."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def get(self, project_name: str | None = None, project_id: str | None = None) -> Project:
        """One project by name or id; ``NotFound`` when there is none."""
        if project_id is not None:
            return Project.from_json(self.client.json("GET", f"/projects/{project_id}"), self.client)
        if project_name is None:
            raise ValueError("projects.get needs project_name= or project_id=")
        found = self.client.json("GET", f"/projects/{quote(project_name, safe='')}/name")
        if len(found) != 1:
            raise NotFound(f"Project not found: {len(found)} projects are named {project_name!r}")
        return Project.from_json(found[0], self.client)

    def create(self, project_name: str) -> Project:
        """A new project; ``Conflict`` when the name is taken."""
        body = self.client.json("POST", "/projects", data={"name": project_name})
        return Project.from_json(body, self.client)

    def list(self) -> EntityList[Project]:
        return EntityList[Project](
            Project.from_json(p, self.client) for p in self.client.json("GET", "/projects")
        )

    def delete(self, project_name: str | None = None, project_id: str | None = None) -> bool:
        project = self.get(project_name=project_name, project_id=project_id)
        self.client.request("DELETE", f"/projects/{project.id}")
        return True
