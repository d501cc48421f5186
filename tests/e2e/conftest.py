"""Fixtures for the browser tests: one Jupyter server and one Chromium per session, a fresh browser
context per test, each test run in JupyterLab 4 and in Notebook 7 (``ipywidgets7/`` runs its tests in
JupyterLab 3 instead), and evidence saved when one fails.

A test asks for `open_notebook` and calls it with its cells:

    def test_something(open_notebook):
        notebook = open_notebook([CELL])
        notebook.run_all()
        view = notebook.wait_widget(".my-widget")
        notebook.wait_file("state.json")

On failure a screenshot and the browser console go to ``tests/e2e/artifacts/``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Generator, Iterator, Sequence
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from .browser import CHROMIUM, launch_chromium, new_context
from .page import UI, UIS, NotebookPage, OpenNotebook, open_notebook_page, record_console
from .server import JupyterServer

E2E_DIR = Path(__file__).parent
REPO = E2E_DIR.parents[1]
ARTIFACTS = E2E_DIR / "artifacts"
# The package's shipped Jupyter config files, so the test server runs as it would with dlwidgets installed.
PACKAGE_JUPYTER_CONFIG = REPO / "jupyter-config"

WIDGETS_SETTINGS = "/lab/api/settings/@jupyter-widgets/jupyterlab-manager:plugin"

_CONSOLE = pytest.StashKey[list[str]]()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Generator[None, object, object]:
    """Save a screenshot and the console of a failing test's page while the page is still open (fixture
    teardown would already have shut its kernel down)."""
    report = yield
    assert isinstance(report, pytest.TestReport)
    page = getattr(item, "funcargs", {}).get("page")
    if report.failed and isinstance(page, Page) and E2E_DIR in item.path.parents:
        report.sections.append(("e2e artifacts", _save_artifacts(item, page)))
    return report


def _save_artifacts(item: pytest.Item, page: Page) -> str:
    ARTIFACTS.mkdir(exist_ok=True)
    stem = ARTIFACTS / _slug(item.name)
    try:
        page.screenshot(path=f"{stem}.png", full_page=True)
        screenshot = f"{stem}.png"
    except Exception as error:  # a crashed page cannot be photographed; keep the console anyway
        screenshot = f"(no screenshot: {error})"
    console = item.stash.get(_CONSOLE, [])
    server = getattr(item, "funcargs", {}).get("jupyter_server")
    log = server.log_tail() if isinstance(server, JupyterServer) else ""
    Path(f"{stem}.console.txt").write_text("\n".join([f"page: {page.url}", *console, "", log]))
    return f"screenshot: {screenshot}\nconsole: {stem}.console.txt"


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")


@pytest.fixture(scope="session")
def jupyter_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterServer]:
    server = JupyterServer(tmp_path_factory.mktemp("jupyter"), config_path=[PACKAGE_JUPYTER_CONFIG])
    with server:
        yield server


@pytest.fixture
def saving_widget_state(jupyter_server: JupyterServer) -> Iterator[None]:
    """The widget manager's saveState setting on for this test (pages loaded from now on read it)."""
    jupyter_server.api("PUT", WIDGETS_SETTINGS, json={"raw": json.dumps({"saveState": True})})
    try:
        yield
    finally:
        jupyter_server.api("PUT", WIDGETS_SETTINGS, json={"raw": "{}"})


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(
                f"CI is set but {CHROMIUM} is missing: .ci/run installs it with apt-get install chromium"
            )
        pytest.skip(f"{CHROMIUM} not found (apt-get install chromium); set CI=1 to make this an error")
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright, tmp_path_factory.mktemp("chromium"))
        yield chromium
        chromium.close()


@pytest.fixture(params=UIS)
def ui(request: pytest.FixtureRequest) -> UI:
    """Each test that takes `ui` (directly or through `open_notebook`) runs in JupyterLab and Notebook 7."""
    value: UI = request.param
    return value


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies or storage from other tests)."""
    context = new_context(browser)
    page = context.new_page()
    request.node.stash[_CONSOLE] = record_console(page)
    yield page
    context.close()


@pytest.fixture
def open_notebook(
    page: Page, ui: UI, jupyter_server: JupyterServer, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[OpenNotebook]:
    """`open_notebook(cells, name="notebook")` writes the cells as a notebook in this test's folder, opens
    it in `ui` and returns the idle `NotebookPage`. The kernels are shut down after the test."""
    opened: list[NotebookPage] = []

    def open_cells(cells: Sequence[str], name: str = "notebook") -> NotebookPage:
        notebook = open_notebook_page(
            page,
            jupyter_server,
            ui,
            cells,
            nb_path=f"{_slug(request.node.name)}/{name}.ipynb",
            out_dir=tmp_path / name,
            console=request.node.stash[_CONSOLE],
        )
        opened.append(notebook)
        return notebook

    yield open_cells
    for notebook in opened:
        notebook.close()
