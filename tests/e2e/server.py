"""A throwaway `jupyter lab` server for browser tests.

It listens on 127.0.0.1 on a free port with a random token, keeps every Jupyter and IPython directory
inside one temporary folder (nothing lands in ``~``), and on stop ends exactly the processes it started.
The same process serves JupyterLab (``/lab``) and Notebook 7 (``/notebooks``).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

import httpx
import psutil

from .polling import poll

# User settings written before the server starts. Without the first, JupyterLab asks about news in a
# toast that covers the page.
_SETTINGS: dict[str, dict[str, object]] = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}
# JupyterLab 3 has no `extension_manager` option (passing it makes Lab ignore all of its options): its
# extension manager is switched off by a user setting instead.
_LAB3_SETTINGS: dict[str, dict[str, object]] = {
    "@jupyterlab/extensionmanager-extension/plugin.jupyterlab-settings": {"enabled": False},
}
_LAB4_ARGS = ("--LabApp.extension_manager=readonly",)

# Flags that keep the server local, quiet and offline; see docs/browser-testing.md for each one's reason.
_FIXED_ARGS = (
    "--no-browser",
    "--ServerApp.ip=127.0.0.1",
    "--ServerApp.port_retries=0",
    "--ServerApp.terminals_enabled=False",
    "--ServerApp.allow_root=True",
    "--FileContentsManager.delete_to_trash=False",
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    "--LabApp.expose_app_in_browser=True",
    "--JupyterNotebookApp.expose_app_in_browser=True",
)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class JupyterServer:
    """One `jupyter lab` process under `base_dir`, started with `start()` and ended with `stop()`.

    `config_path` dirs go on ``JUPYTER_CONFIG_PATH`` (e.g. the project's ``jupyter-config`` folder, so the
    server sees the config files the package ships); `extra_args` are appended to the command line.
    """

    def __init__(
        self,
        base_dir: Path,
        *,
        config_path: Sequence[Path] = (),
        extra_args: Sequence[str] = (),
    ) -> None:
        self.base_dir = base_dir
        self.root_dir = base_dir / "root"
        self.log_path = base_dir / "server.log"
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self._config_path = tuple(config_path)
        self._extra_args = tuple(extra_args)
        self._proc: subprocess.Popen[bytes] | None = None
        self._http = httpx.Client(
            base_url=self.url, headers={"Authorization": f"token {self.token}"}, timeout=10
        )

    def __enter__(self) -> JupyterServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def environment(self) -> dict[str, str]:
        """The server's environment: private Jupyter/IPython dirs, this interpreter's bin dir first."""
        env = {k: v for k, v in os.environ.items() if k not in ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH")}
        env.update(
            JUPYTER_CONFIG_DIR=str(self.base_dir / "config"),
            JUPYTER_DATA_DIR=str(self.base_dir / "data"),
            JUPYTER_RUNTIME_DIR=str(self.base_dir / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(self.base_dir / "lab-user-settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(self.base_dir / "lab-workspaces"),
            IPYTHONDIR=str(self.base_dir / "ipython"),
            JUPYTER_PLATFORM_DIRS="1",
            PYDEVD_DISABLE_FILE_VALIDATION="1",
            PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
        )
        if self._config_path:
            env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(str(p) for p in self._config_path)
        return env

    def start(self, timeout: float = 90) -> None:
        """Spawn the server and return once ``/api/status`` answers; fail with the log tail if it dies."""
        self.root_dir.mkdir(parents=True, exist_ok=True)
        lab3 = version("jupyterlab").startswith("3.")
        for name, values in {**_SETTINGS, **(_LAB3_SETTINGS if lab3 else {})}.items():
            settings = self.base_dir / "lab-user-settings" / name
            settings.parent.mkdir(parents=True, exist_ok=True)
            settings.write_text(json.dumps(values))
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            *_FIXED_ARGS,
            *(() if lab3 else _LAB4_ARGS),
            f"--ServerApp.port={self.port}",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            *self._extra_args,
        ]
        with self.log_path.open("wb") as log:
            self._proc = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.environment(),
                cwd=self.base_dir,
                start_new_session=True,
            )
        poll(
            self._ready,
            timeout=timeout,
            interval=0.1,
            what=f"jupyter lab on {self.url}",
            explain=self.log_tail,
        )

    def _ready(self) -> bool | None:
        assert self._proc is not None
        if self._proc.poll() is not None:
            raise RuntimeError(f"jupyter lab exited with code {self._proc.returncode}.\n{self.log_tail()}")
        try:
            return self._http.get("/api/status").status_code == 200 or None
        except httpx.TransportError:
            return None

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the server's log, for failure messages."""
        if not self.log_path.exists():
            return "(no server log)"
        tail = self.log_path.read_text(errors="replace").splitlines()[-lines:]
        return "server log tail:\n" + "\n".join(tail)

    @property
    def pid(self) -> int:
        assert self._proc is not None, "server not started"
        return self._proc.pid

    def api(self, method: str, path: str, **kwargs: Any) -> Any:
        """Call the server's REST API with the token; return the decoded JSON body (None if empty)."""
        response = self._http.request(method, path, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def sessions(self) -> list[dict[str, Any]]:
        sessions: list[dict[str, Any]] = self.api("GET", "/api/sessions")
        return sessions

    def stop(self) -> None:
        """Shut the server down and make sure it and every process it started (kernels) have ended.

        Raises if a recorded process survived even SIGKILL, so a leak cannot go unnoticed.
        """
        if self._proc is None:
            return
        proc, self._proc = self._proc, None
        started = [psutil.Process(proc.pid)] if proc.poll() is None else []
        if started:
            started += started[0].children(recursive=True)
        with contextlib.suppress(httpx.HTTPError):  # already dying; the signals below finish the job
            self._http.post("/api/shutdown")
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        _, alive = psutil.wait_procs(started, timeout=10)
        for leftover in alive:
            leftover.kill()
        _, alive = psutil.wait_procs(alive, timeout=10)
        self._http.close()
        if alive:
            raise RuntimeError(f"processes started by jupyter lab survived SIGKILL: {[p.pid for p in alive]}")
