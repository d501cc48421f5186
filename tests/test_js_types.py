"""The ES modules' JSDoc types (js/*.js, ``// @ts-check``: traits, messages, DOM use) checked by TypeScript,
the version package-lock.json pins; ``npm ci`` installs it (.ci/run does)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TSC = REPO / "node_modules" / ".bin" / "tsc"


def test_the_es_modules_type_check() -> None:
    if not TSC.exists():
        if os.environ.get("CI"):
            pytest.fail("CI is set but TypeScript is not installed: run `npm ci` in the repository first")
        pytest.skip("TypeScript is not installed: `npm ci` here installs it (needs node and npm)")
    result = subprocess.run(
        [str(TSC), "-p", "tsconfig.json"], cwd=REPO, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
