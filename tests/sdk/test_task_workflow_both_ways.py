"""A task worked with one SDK is read back with the other, on one ``dlwidgets serve``: the official SDK
creates a task, sets statuses, creates a QA task that approves an item and leaves a note, and both
dtlpy and dlwidgets read the same progress, statuses and note; then dlwidgets writes and both read.

``task_workflow/write.py`` and ``read.py`` are written with ``import dtlpy as dl`` and run as they are
with dtlpy (in its own process) and with ``import dlwidgets as dl`` (in this process, over HTTP)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from official_sdk import EMAIL, run_dtlpy
from serving import serving
from test_examples_both_ways import example_files

import dlwidgets as dw
from dlwidgets.server import create_token, workspace_secret

pytest.importorskip("dtlpy", reason="the official SDK is in the 'test' extra: pip install -e '.[test]'")

SNIPPETS = Path(__file__).with_name("task_workflow")


def with_dlwidgets(
    snippet: str, url: str, token: str, inputs: dict[str, Any], folder: Path, monkeypatch: pytest.MonkeyPatch
) -> Any:
    """The snippet with ``import dlwidgets as dl``, signed in to ``url``, in a folder of ``example_files``."""
    monkeypatch.setenv("DLW_INPUTS", json.dumps(inputs))
    monkeypatch.chdir(example_files(folder))
    dw.connect(url, token=token)
    path = SNIPPETS / snippet
    source = path.read_text().replace("import dtlpy as dl\n", "import dlwidgets as dl\n", 1)
    namespace: dict[str, Any] = {"__name__": "__snippet__", "__file__": str(path)}
    exec(compile(source, str(path), "exec"), namespace)
    return json.loads(json.dumps(namespace["result"]))


def with_dtlpy(snippet: str, url: str, token: str, inputs: dict[str, Any], folder: Path) -> Any:
    return run_dtlpy(
        "example", url, token, example_files(folder), {"example": str(SNIPPETS / snippet), **inputs}
    )


EXPECTED = {
    "task": ["label", "open", 67, {"completed": 1, "discard": 1}, 3, 1],
    "assignments": [
        ["ann.lee@example.com", "open", {"completed": 1}, 2, 0],
        ["bo.chen@example.com", "completed", {"discard": 1}, 1, 1],
    ],
    "qa": ["label_qa", "open", 50, {"approved": 1}, 2, 1],
    "qa_reviews_the_task": True,
    "statuses": [["p0.png", "completed", "approved"], ["p1.png", None, None], ["p2.png", "discard", None]],
    "completed_tasks": [],
    "open_tasks": ["label", "label_qa"],
    "project_tasks": ["label", "label_qa"],
    "reviewers": ["rev@example.com"],
    "done_in_task": ["p0.png", "p2.png"],
    "in_qa": ["p0.png", "p2.png"],
    "notes": [["p2.png", ["discarded by mistake?"], "issue"]],
}


def _without_spec(read: dict[str, Any]) -> dict[str, Any]:
    """The read with the QA task's spec checked and dropped (it holds an id)."""
    name, spec, *rest = read["qa"]
    assert spec["type"] == "qa", spec
    return {**read, "qa": [name, *rest]}


@pytest.mark.parametrize("writer", ["dtlpy", "dlwidgets"])
def test_a_task_worked_with_one_sdk_reads_the_same_with_the_other(
    writer: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "served"
    token = create_token(workspace_secret(home), EMAIL)
    with serving(home) as url:
        if writer == "dtlpy":
            ids = with_dtlpy("write.py", url, token, {}, tmp_path / "dtlpy")
        else:
            ids = with_dlwidgets("write.py", url, token, {}, tmp_path / "dlwidgets", monkeypatch)
        by_dtlpy = with_dtlpy("read.py", url, token, ids, tmp_path / "dtlpy-read")
        by_dlwidgets = with_dlwidgets("read.py", url, token, ids, tmp_path / "dlwidgets-read", monkeypatch)
    assert by_dlwidgets == by_dtlpy
    assert _without_spec(by_dtlpy) == EXPECTED
