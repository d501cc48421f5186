"""The ipywidgets 7 browser job: the tests here run in JupyterLab 3.6 with jupyterlab_widgets 1.x and in
the classic Notebook 6.5 with widgetsnbextension 3.6, the ipywidgets 7 frontends (Colab's widget manager
follows the same protocol). They need their own venv (``.venv-lab3``, made by ``.ci/run``); anywhere
else, e.g. the main venv's ``python -m pytest``, they are skipped. They use the harness of ``tests/e2e``
with ``ui="lab3"`` and ``ui="classic"`` (both served by one JupyterLab 3 server).

The widget libraries' newest releases serve both UIs, and each ships an nbextension for the classic one.
ipycanvas 0.14's labextension accepts ``@jupyter-widgets/base`` 2 to 6 (jupyterlab_widgets 1.x provides
4); anywidget 0.11's asks for base 6 and JupyterLab 4 packages, but not strictly, so JupyterLab 3 loads it
with its own (console warnings only) and it works, as these tests show. Nothing is pinned below the
package's own ranges.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

from ..frontends import UI

# What the server's and the kernel's venv must hold for these tests: the major version of each package.
REQUIRED = {
    "jupyterlab": "3",
    "jupyterlab_widgets": "1",
    "notebook": "6",
    "widgetsnbextension": "3",
    "ipywidgets": "7",
}


def _mismatches() -> list[str]:
    found = []
    for package, major in REQUIRED.items():
        try:
            installed = version(package)
        except PackageNotFoundError:
            installed = "not installed"
        if installed.split(".")[0] != major:
            found.append(f"{package} {installed} (needs {major}.x)")
    return found


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    mismatches = _mismatches()
    if not mismatches:
        return
    skip = pytest.mark.skip(
        reason="the ipywidgets 7 browser job runs in .venv-lab3 (see .ci/run); here: " + ", ".join(mismatches)
    )
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(skip)


@pytest.fixture(params=("lab3", "classic"))
def ui(request: pytest.FixtureRequest) -> UI:
    """Every test here runs in JupyterLab 3 and in the classic Notebook."""
    value: UI = request.param
    return value
