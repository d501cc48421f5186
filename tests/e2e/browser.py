"""Debian's Chromium under Playwright: where it is, how to launch it, and a fresh context per test."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Playwright, ViewportSize

# The Debian package; Playwright never downloads a browser in this project (`playwright install` is not used).
CHROMIUM = Path("/usr/bin/chromium")

# No GPU, no sandbox (root in CI), and none of Chromium's own network traffic.
_CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

VIEWPORT: ViewportSize = {"width": 1280, "height": 900}


def launch_chromium(playwright: Playwright, scratch_dir: Path) -> Browser:
    """Start headless Chromium; its config and cache go under `scratch_dir` instead of ``~``."""
    env: dict[str, str | float | bool] = {
        **os.environ,
        "XDG_CONFIG_HOME": str(scratch_dir / "config"),
        "XDG_CACHE_HOME": str(scratch_dir / "cache"),
    }
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, timeout=60_000, args=_CHROMIUM_ARGS, env=env
    )


def new_context(browser: Browser) -> BrowserContext:
    """Fresh cookies and storage, with CSS pixels equal to canvas pixels so coordinates map 1:1."""
    return browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
