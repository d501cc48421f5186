"""The Browser's project and dataset pickers, with their "New project" and "New dataset" forms: they list
the client's projects and a project's datasets, create them, and hand the chosen dataset to the Browser."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ...api import Client, Dataset, Project
from ...exceptions import NotFound
from ..base import WidgetBase


class Pickers:
    """Two dropdowns and two forms inside ``host`` (whose ``attempt``, ``button``, ``notice`` and quiet
    mode they use): ``show_dataset(dataset)`` is called with each dataset chosen, ``clear(message)`` when
    there is none to show."""

    def __init__(
        self,
        host: WidgetBase,
        client: Client,
        show_dataset: Callable[[Dataset], None],
        clear: Callable[[str], None],
        place: Callable[[w.Widget], None],
    ) -> None:
        self._host, self._client = host, client
        self._show_dataset, self._clear = show_dataset, clear
        self._projects: dict[str, Project] = {}
        self._datasets: dict[str, Dataset] = {}
        make = host.shared.make
        self.project_picker = make(w.Dropdown, description="project", layout={"width": "300px"})
        self.dataset_picker = make(w.Dropdown, description="dataset", layout={"width": "300px"})
        self.project_picker.observe(self._on_project_picked, names="value")
        self.dataset_picker.observe(self._on_dataset_picked, names="value")
        self.new_project = NewForm(host, "project", self._create_project, place)
        self.new_dataset = NewForm(host, "dataset", self._create_dataset, place, with_hint=True)

    def controls(self) -> list[w.Widget]:
        """The pickers with their "New ..." buttons, for the Browser's top row."""
        return [
            self.project_picker,
            self._host.button("New project", lambda: _toggle_form(self.new_project.form), "plus"),
            self.dataset_picker,
            self._host.button("New dataset", lambda: _toggle_form(self.new_dataset.form), "plus"),
        ]

    @property
    def project(self) -> Project | None:
        return self._projects.get(self.project_picker.value or "")

    @property
    def dataset(self) -> Dataset | None:
        return self._datasets.get(self.dataset_picker.value or "")

    def choose(self, dataset: Dataset) -> None:
        """Show ``dataset`` (choosing its project first)."""
        if dataset.project_id not in self._projects:
            self.load_projects(dataset.project_id, dataset.id)
        else:
            self._choose_project(dataset.project_id, dataset.id)

    def load_projects(self, project_id: str | None = None, dataset_id: str | None = None) -> None:
        projects = self._client.projects.list()
        self._projects = {p.id: p for p in projects}
        with self._host.quietly():
            self.project_picker.options = [(p.name, p.id) for p in projects]
            self.project_picker.value = None
        if not projects:
            self._clear("No projects yet: create one with “New project”.")
            self._show_datasets([])
            _open_form(self.new_project.form)
            return
        self._choose_project(project_id or projects[0].id, dataset_id)

    def _choose_project(self, project_id: str, dataset_id: str | None = None) -> None:
        """Show the project's datasets and open ``dataset_id`` (the first one when None)."""
        if project_id not in self._projects:
            raise NotFound(f"Project not found: no project has id {project_id!r}")
        if self.project_picker.value == project_id and dataset_id in self._datasets:
            self._choose_dataset(dataset_id)
            return
        with self._host.quietly():
            self.project_picker.value = project_id
        self._show_datasets(list(self._projects[project_id].datasets.list()), choose=dataset_id)

    def _show_datasets(self, datasets: list[Dataset], choose: str | None = None) -> None:
        project = self.project
        if choose is not None and choose not in {d.id for d in datasets}:
            where = f"project {project.name!r}" if project else "this project"
            raise NotFound(f"Dataset not found: {where} has no dataset with id {choose!r}")
        self._datasets = {d.id: d for d in datasets}
        with self._host.quietly():
            self.dataset_picker.options = [(d.name, d.id) for d in datasets]
            self.dataset_picker.value = None
        self.dataset_picker.disabled = not datasets
        if not datasets:
            if project is not None:
                text = f"Project {project.name!r} has no datasets yet: create the first one."
                self.new_dataset.hint.value = f"<i>{html.escape(text)}</i>"
                self._clear(text)
                _open_form(self.new_dataset.form)
            return
        self.new_dataset.close()
        self._choose_dataset(choose or datasets[0].id)

    def _choose_dataset(self, dataset_id: str) -> None:
        if self.dataset_picker.value != dataset_id:
            with self._host.quietly():
                self.dataset_picker.value = dataset_id
        self._show_dataset(self._datasets[dataset_id])

    def _on_project_picked(self, change: dict[str, Any]) -> None:
        if not self._host.is_quiet and change["new"]:
            project = self._projects[change["new"]]
            self._host.attempt(lambda: self._show_datasets(list(project.datasets.list())))

    def _on_dataset_picked(self, change: dict[str, Any]) -> None:
        if not self._host.is_quiet and change["new"]:
            dataset = self._datasets[change["new"]]
            self._host.attempt(lambda: self._show_dataset(dataset))

    def _create_project(self) -> None:
        name = self.new_project.name.value.strip()
        if not name:
            raise ValueError("type a name for the new project")
        project = self._client.projects.create(project_name=name)
        self.new_project.name.value = ""
        _close_form(self.new_project.form)
        self.load_projects(project.id)
        self._host.notice(f"created project {project.name!r}")

    def _create_dataset(self) -> None:
        project = self.project
        if project is None:
            raise ValueError("create or choose a project first")
        name = self.new_dataset.name.value.strip()
        if not name:
            raise ValueError("type a name for the new dataset")
        dataset = project.datasets.create(dataset_name=name)
        self.new_dataset.name.value = ""
        self._show_datasets(list(project.datasets.list()), choose=dataset.id)
        self._host.notice(f"created dataset {dataset.name!r}")


class NewForm:
    """The "New project" or "New dataset" form: a name and a Create button (a hint above them with
    ``with_hint``). Made, hidden, when first asked for, and handed to ``place`` to be shown."""

    def __init__(
        self,
        host: WidgetBase,
        kind: str,
        create: Callable[[], None],
        place: Callable[[w.Widget], None],
        with_hint: bool = False,
    ) -> None:
        self._host, self._kind, self._create, self._place = host, kind, create, place
        self._with_hint = with_hint
        self._made: tuple[w.VBox, w.Text, w.HTML] | None = None

    @property
    def form(self) -> w.VBox:
        return self._parts()[0]

    @property
    def name(self) -> w.Text:
        return self._parts()[1]

    @property
    def hint(self) -> w.HTML:
        return self._parts()[2]

    def close(self) -> None:
        """Hide the form and clear its hint (nothing to do if it was never made)."""
        if self._made is not None:
            self.hint.value = ""
            _close_form(self.form)

    def _parts(self) -> tuple[w.VBox, w.Text, w.HTML]:
        if self._made is None:
            shared = self._host.shared
            name = shared.make(w.Text, placeholder=f"new {self._kind} name", layout={"width": "260px"})
            hint = shared.html()
            submit = self._host.button(f"Create {self._kind}", self._create, "check")
            form = w.VBox([*([hint] if self._with_hint else []), shared.hbox(name, submit)])
            form.layout.display = "none"  # a layout of its own: hidden until opened
            self._made = (form, name, hint)
            self._place(form)
        return self._made


def _open_form(form: w.Box) -> None:
    form.layout.display = ""


def _toggle_form(form: w.Box) -> None:
    form.layout.display = "" if form.layout.display == "none" else "none"


def _close_form(form: w.Box) -> None:
    form.layout.display = "none"
