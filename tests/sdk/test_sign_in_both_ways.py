"""Signing in to ``dlwidgets serve`` with the platform notebooks' calls (``add_environment``, ``setenv``,
``login_api_key``), run with dtlpy and with dlwidgets against a server each, and the results compared.
Unlike ``examples/``, both sides talk HTTP: signing in to the embedded workspace is a no-op."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from official_sdk import EMAIL, run_dtlpy
from serving import serving

from dlwidgets.server import create_token, workspace_secret

pytest.importorskip("dtlpy", reason="the official SDK is in the 'test' extra: pip install -e '.[test]'")

SNIPPETS = sorted(Path(__file__).with_name("sign_in").glob("*.py"))


def with_dlwidgets(snippet: Path, url: str, token: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("DLW_URL", url)
    monkeypatch.setenv("DLW_TOKEN", token)
    source = snippet.read_text().replace("import dtlpy as dl\n", "import dlwidgets as dl\n", 1)
    namespace: dict[str, Any] = {"__name__": "__snippet__"}
    exec(compile(source, str(snippet), "exec"), namespace)
    return json.loads(json.dumps(namespace["result"]))


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda p: p.stem)
def test_signing_in_gives_the_same_result_both_ways(
    snippet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = []
    for side in ("dtlpy", "dlwidgets"):
        home = tmp_path / side / "served"
        token = create_token(workspace_secret(home), EMAIL)
        with serving(home) as url:
            if side == "dtlpy":
                results.append(run_dtlpy("example", url, token, tmp_path / side, {"example": str(snippet)}))
            else:
                results.append(with_dlwidgets(snippet, url, token, monkeypatch))
    assert results[1] == results[0]
    assert results[0]["user"] == EMAIL
