"""``run_dtlpy(step, ...)``: one step of ``server/dtlpy_scripts.py`` with the official ``dtlpy`` SDK, in a
fresh process whose home is a test's folder, against a ``dlwidgets serve`` URL; returns its summary."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

EMAIL = "ann.lee@example.com"
SCRIPTS = Path(__file__).parent / "server" / "dtlpy_scripts.py"
SUMMARY = "SUMMARY "


def dtlpy_env(workdir: Path, url: str, token: str, inputs: dict[str, Any] | None = None) -> dict[str, str]:
    """The environment of a dtlpy process homed in ``workdir`` and pointed at a ``dlwidgets serve`` URL:
    none of the caller's Dataloop settings, and the URL, token and inputs its script reads."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATALOOP", "DTLPY", "DLWIDGETS")) and k != "INTERNAL_REQUESTS_URL"
    }
    env.update(
        HOME=str(workdir),
        DATALOOP_PATH=str(workdir / ".dataloop"),
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
        DLW_URL=url,
        DLW_TOKEN=token,
        DLW_EMAIL=EMAIL,
        DLW_INPUTS=json.dumps(inputs or {}),
    )
    return env


def run_dtlpy(step: str, url: str, token: str, workdir: Path, inputs: dict[str, Any] | None = None) -> Any:
    """Run one step of ``dtlpy_scripts.py`` in a fresh process whose home is ``workdir``."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = dtlpy_env(workdir, url, token, inputs)
    done = subprocess.run(
        [sys.executable, str(SCRIPTS), step],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, (
        f"dtlpy step {step!r} failed (exit {done.returncode})\n--- stdout\n{done.stdout[-6000:]}"
        f"\n--- stderr\n{done.stderr[-12000:]}"
    )
    summary = [line for line in done.stdout.splitlines() if line.startswith(SUMMARY)]
    assert summary, f"dtlpy step {step!r} printed no summary:\n{done.stdout[-6000:]}"
    return json.loads(summary[-1][len(SUMMARY) :])
