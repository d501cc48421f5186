"""``GET /ontologies`` (dtlpy's ``project.ontologies.list()``) shows a caller only the ontologies of the
projects she sees, and says which query value it cannot read."""

from __future__ import annotations

from pathlib import Path

import pytest
from serving import serving

import dlwidgets as dw
from dlwidgets.exceptions import BadRequest
from dlwidgets.server import create_token, workspace_secret


def test_another_users_ontologies_are_not_listed(workspace_home: Path) -> None:
    secret = workspace_secret(workspace_home)
    with serving(workspace_home) as url:
        ann = dw.connect(url, token=create_token(secret, "ann@example.com"))
        bob = dw.connect(url, token=create_token(secret, "bob@example.com"))
        mine = ann.projects.create(project_name="ann's")
        mine.datasets.create(dataset_name="d").add_label(label_name="secret-label")
        theirs = bob.projects.create(project_name="bob's")
        assert [o.labels[0].tag for o in mine.ontologies.list()] == ["secret-label"]
        assert theirs.ontologies.list() == []
        seen = bob.json("GET", "/ontologies", params={"projects": mine.id})
        assert (seen["totalItemsCount"], seen["items"]) == (0, [])
        with pytest.raises(BadRequest, match=r"pageSize='many' must be a whole number"):
            bob.json("GET", "/ontologies", params={"pageSize": "many"})
