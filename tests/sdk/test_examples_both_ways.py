"""Examples written as a user writes them, run both ways, and the results compared.

Each file in ``examples/`` is one snippet that starts with ``import dtlpy as dl``. It runs once with the
official SDK against ``dlwidgets serve`` (in its own process, signed in first, as
``server/dtlpy_scripts.py`` runs the tutorial) and once, in this process, with ``import dlwidgets as dl``
on the embedded workspace. Each run starts from an empty workspace, in a folder holding the files that
``example_files`` writes (``sample.jpg``, ``notes.txt``, ``photos/``). A snippet leaves a JSON-able
``result`` (names, counts, coordinates; never ids, which differ between runs): the two must be equal.

To add a case, write ``examples/<what_it_does>.py``; it is collected by itself. Add it once it runs both
ways: a case whose ``dlwidgets`` side is not written yet is not committed failing.

The routes each side calls are recorded; after the examples, a test checks that dlwidgets called no route
that dtlpy did not (the wire stays the platform's).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from official_sdk import EMAIL, run_dtlpy
from PIL import Image
from route_recorder import routes_called
from serving import serving

from dlwidgets.server import create_token, workspace_secret

pytest.importorskip("dtlpy", reason="the official SDK is in the 'test' extra: pip install -e '.[test]'")

EXAMPLES = Path(__file__).with_name("examples")
PLACEHOLDER = "import dtlpy as dl\n"


def example_files(folder: Path) -> Path:
    """The files a snippet may upload: the same bytes for both runs."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(17)
    Image.fromarray(rng.integers(0, 256, (100, 150, 3), dtype=np.uint8)).save(folder / "sample.jpg")
    (folder / "notes.txt").write_text("words to keep\n")
    (folder / "photos").mkdir(exist_ok=True)
    for i, size in enumerate([(20, 30), (40, 20), (10, 10)]):
        Image.fromarray(rng.integers(0, 256, (*size, 3), dtype=np.uint8)).save(folder / f"photos/p{i}.png")
    return folder


# The routes each side called, over the examples run so far in this session.
CALLED: dict[str, set[tuple[str, str]]] = {"dtlpy": set(), "dlwidgets": set()}


def with_dtlpy(example: Path, tmp_path: Path) -> Any:
    """The snippet as written, with the official SDK against ``dlwidgets serve`` on a fresh workspace."""
    home = tmp_path / "served"
    token = create_token(workspace_secret(home), EMAIL)
    with serving(home) as url:
        return run_dtlpy("example", url, token, example_files(tmp_path / "dtlpy"), {"example": str(example)})


def with_dlwidgets(example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The snippet with ``import dlwidgets as dl``, in this process, on the test's embedded workspace."""
    source = example.read_text()
    assert PLACEHOLDER in source, f"{example.name} does not start with {PLACEHOLDER!r}"
    folder = example_files(tmp_path / "dlwidgets")
    monkeypatch.chdir(folder)
    # dtlpy's own folder, as the dtlpy process has it in its home: downloads without a path go there.
    monkeypatch.setenv("DATALOOP_PATH", str(folder / ".dataloop"))
    namespace: dict[str, Any] = {"__name__": "__example__", "__file__": str(example)}
    exec(compile(source.replace(PLACEHOLDER, "import dlwidgets as dl\n", 1), str(example), "exec"), namespace)
    return json.loads(json.dumps(namespace["result"]))


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.py")), ids=lambda p: p.stem)
def test_the_example_gives_the_same_result_both_ways(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with routes_called(monkeypatch) as sdk_routes:
        sdk = with_dtlpy(example, tmp_path)
    with routes_called(monkeypatch) as dw_routes:
        dw = with_dlwidgets(example, tmp_path, monkeypatch)
    assert dw == sdk
    CALLED["dtlpy"] |= sdk_routes
    CALLED["dlwidgets"] |= dw_routes


def test_dlwidgets_calls_no_route_that_dtlpy_does_not_call() -> None:
    """The wire stays dtlpy's: across the examples run above (this test comes after them in the module),
    every route dlwidgets called is one dtlpy called too."""
    if not CALLED["dlwidgets"]:
        pytest.skip("no example ran in this session")
    only_dlwidgets = sorted(CALLED["dlwidgets"] - CALLED["dtlpy"])
    assert not only_dlwidgets, f"routes dlwidgets called and dtlpy did not: {only_dlwidgets}"
