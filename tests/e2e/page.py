"""A notebook open in a browser page: run it, wait for its widgets, read what its kernel wrote.

`open_notebook_page()` writes the notebook, opens it in one of the UIs of `frontends` (JupyterLab 4,
Notebook 7, or with the ipywidgets 7 frontend JupyterLab 3 and the classic Notebook) and waits until its
kernel is really idle. The returned `NotebookPage` has `run_all()`, `wait_widget(selector)` and
`wait_file(name)`. Every wait is bounded, and a failed wait says what the page shows instead (outputs,
cell errors, console errors), so a broken widget fails the test with an explanation instead of hanging it.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

from playwright.sync_api import ConsoleMessage, Locator, Page

from .frontends import FRONTENDS, UI
from .notebook import READY_FILE, write_notebook
from .polling import poll
from .saved_state import STATE_MIME, VIEW_MIME
from .server import JupyterServer

# The UIs of the main venv; "lab3" and "classic" need the ipywidgets-7 venv (see tests/e2e/ipywidgets7).
UIS: tuple[UI, ...] = ("lab", "notebook7")

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_MODEL_NOT_FOUND = "Error displaying widget: model not found"

_WIDGET_HINT = (
    "An output area that shows a widget's text repr (e.g. 'Canvas(...)') means the widget manager or the "
    "widget's labextension is missing from the *server's* environment (jupyterlab_widgets, ipycanvas, "
    "anywidget). One that shows nothing, with console errors, means the widget's front-end code threw."
)


def record_console(page: Page) -> list[str]:
    """Collect the page's console messages and uncaught errors, as lines, into the returned list."""
    lines: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        lines.append(f"[{message.type}] {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: lines.append(f"[pageerror] {error}"))
    return lines


class NotebookPage:
    """A notebook open in `page`, served by `server` from `nb_path` (relative to the server's root)."""

    def __init__(
        self, page: Page, server: JupyterServer, ui: UI, nb_path: str, out_dir: Path, console: list[str]
    ) -> None:
        self.page = page
        self.server = server
        self.ui = ui
        self.nb_path = nb_path
        self.out_dir = out_dir
        self.console = console
        self.frontend = FRONTENDS[ui]
        # A Lab workspace of its own, so Lab does not reopen the notebooks of earlier pages.
        self._workspace = f"e2e-{secrets.token_hex(4)}"

    @property
    def url(self) -> str:
        """The address a user would open; ``?token=`` on the first load sets the auth cookie."""
        address = self.frontend.address.format(path=quote(self.nb_path), workspace=self._workspace)
        return f"{self.server.url}{address}?token={self.server.token}"

    def open(self, timeout: float = 90) -> None:
        """Load the page and wait until the kernel is idle on the server and in the page."""
        self.page.goto(self.url, timeout=timeout * 1000)
        self.page.locator(self.frontend.panel).first.wait_for(state="visible", timeout=timeout * 1000)
        self.wait_kernel_idle(timeout)

    def wait_kernel_idle(self, timeout: float = 90) -> None:
        """Both sides must agree: a Run All issued before the page's kernel connection exists is dropped
        without any error, so the server's session alone is not enough."""
        poll(
            self._kernel_idle,
            timeout=timeout,
            interval=0.1,
            what=f"an idle kernel for {self.nb_path} ({self.ui})",
            explain=lambda: f"server sessions: {self._session()}\n{self.console_tail()}",
        )

    def _kernel_idle(self) -> bool | None:
        dialog_accept = self.page.locator(".jp-Dialog button.jp-mod-accept")
        if dialog_accept.count():  # e.g. "Select Kernel"; accepting starts the default kernel
            dialog_accept.first.click()
        session = self._session()
        server_idle = session is not None and session["kernel"]["execution_state"] == "idle"
        return (server_idle and bool(self.page.evaluate(self.frontend.kernel_idle_js))) or None

    def _session(self) -> dict[str, Any] | None:
        return next((s for s in self.server.sessions() if s["path"] == self.nb_path), None)

    def run_all(self) -> None:
        """Run all cells the way a user does, from the UI's menu."""
        self.frontend.run_all(self.page)

    def restart_kernel(self) -> None:
        """Start restarting the kernel, as a confirmed Kernel > Restart does; see `wait_restarted()`."""
        self.page.evaluate(self.frontend.restart_kernel_js)

    def wait_restarted(self) -> None:
        """Wait until the server has restarted the kernel and the new one is idle (shutting a kernel down
        while it restarts fails)."""
        self.page.evaluate("() => window.e2eRestart")
        self.wait_kernel_idle()

    def output(self, selector: str) -> Locator:
        """The first element matching `selector` inside a cell's output area."""
        return self.page.locator(f"{self.frontend.output} {selector}").first

    def wait_ready(self, timeout: float = 60) -> None:
        """Wait until the last cell has run in the kernel."""
        self.wait_file(READY_FILE, timeout=timeout)

    def wait_widget(self, selector: str, timeout: float = 60, grace: float = 10) -> Locator:
        """Wait until a widget view matching `selector` is visible in an output area; return it.

        Fails at once if a cell raised, and `grace` seconds after the last cell ran if the view has not
        appeared by then (a view that never renders must not cost the whole `timeout`).
        """
        view = self.output(selector)
        ready_at: float | None = None

        def check() -> Locator | None:
            nonlocal ready_at
            if view.is_visible():
                return view
            cells = self.cells()
            errors = [o for c in cells for o in c["outputs"] if o.get("output_type") == "error"]
            if errors:
                raise AssertionError(
                    f"A cell raised before {selector!r} appeared:\n{_describe_error(errors[0])}"
                )
            if ready_at is None and (self.out_dir / READY_FILE).exists():
                ready_at = time.monotonic()
            if ready_at is not None and time.monotonic() - ready_at > grace:
                raise AssertionError(
                    f"All cells ran but no widget view matching {selector!r} rendered within {grace:g} s.\n"
                    f"{self.describe()}\n{_WIDGET_HINT}"
                )
            return None

        return poll(
            check,
            timeout=timeout,
            interval=0.1,
            what=f"widget view {selector!r} ({self.ui})",
            explain=lambda: f"{self.describe()}\n{_WIDGET_HINT}",
        )

    def wait_file(self, name: str, until: Callable[[Any], bool] | None = None, timeout: float = 30) -> Any:
        """Wait until the kernel has written `name` (JSON, via ``dump``) with content that satisfies
        `until` (any content if None); return the decoded content."""
        path = self.out_dir / name
        last: list[Any] = []

        def check() -> Any:
            if not path.exists():
                return None
            content = json.loads(path.read_text())
            last[:] = [content]
            return content if until is None or until(content) else None

        return poll(
            check,
            timeout=timeout,
            what=f"{name} from the kernel ({self.ui})",
            explain=lambda: f"last content: {last[0] if last else '(file never written)'}\n{self.describe()}",
        )

    def cells(self) -> list[dict[str, Any]]:
        """The code cells as the page's notebook model holds them (see `Frontend.cells_js`)."""
        cells: list[dict[str, Any]] | None = self.page.evaluate(self.frontend.cells_js)
        return cells or []

    def describe(self) -> str:
        """What the page shows: each code cell's prompt number and output areas, then console errors."""
        try:
            cells = self.cells()
        except Exception as error:  # the page itself may be what broke
            return f"(could not read the notebook from the page: {error})\n{self.console_tail()}"
        lines = [f"{self.ui} page {self.page.url}, code cells:"]
        for index, cell in enumerate(cells):
            kinds = [_output_kind(o) for o in cell["outputs"]] or ["no outputs"]
            lines.append(f"  cell {index} [{cell['count'] or ' '}]: {', '.join(kinds)}")
            shown = [text for text in cell["shown"] if text.strip()]
            if cell["outputs"] and not shown:
                lines.append("    the output area shows nothing")
            lines += [f"    shows: {_clip(text)!r}" for text in shown]
            if any(_MODEL_NOT_FOUND in text for text in shown):
                lines += [f"    {note}" for note in self._saved_models_note(cell["outputs"])]
        return "\n".join(lines) + "\n" + self.console_tail()

    def _saved_models_note(self, outputs: list[dict[str, Any]]) -> list[str]:
        """Whether the notebook file holds, in its saved widget state, the models its outputs show: a
        page reopened without them fails for the save's fault, one reopened with them for the restore's."""
        try:
            metadata = json.loads((self.server.root_dir / self.nb_path).read_text())["metadata"]
        except (OSError, ValueError, KeyError) as error:
            return [f"(could not read the notebook file: {error!r})"]
        saved = metadata.get("widgets", {}).get(STATE_MIME, {}).get("state", {})
        notes = []
        for output in outputs:
            model_id = output.get("data", {}).get(VIEW_MIME, {}).get("model_id")
            if not model_id:
                continue
            if model_id in saved:
                notes.append(
                    f"model {model_id} IS in the file's saved widget state ({len(saved)} models): the "
                    "page lost it while restoring, not the save (ipywidgets 8's get_model stops waiting "
                    "for a model after 2 s without a last look; a restore ending just then leaves "
                    "JupyterLab showing this)"
                )
            else:
                notes.append(
                    f"model {model_id} is NOT in the file's saved widget state ({len(saved)} models): the "
                    "save lacked it"
                )
        return notes

    def console_tail(self, count: int = 15) -> str:
        interesting = [line for line in self.console if line.startswith(("[error]", "[pageerror]"))]
        if not interesting:
            return "browser console: no errors"
        return "browser console errors:\n" + "\n".join(f"  {_clip(line)}" for line in interesting[-count:])

    def again(self, page: Page | None = None) -> NotebookPage:
        """The same notebook, to open again in ``page`` (this one's page by default), its console recorded
        like this one's (a failure then shows the reopened page's console errors)."""
        console = self.console if page is None or page is self.page else record_console(page)
        return NotebookPage(page or self.page, self.server, self.ui, self.nb_path, self.out_dir, console)

    def close(self) -> None:
        """Shut this notebook's kernel down (the server keeps sessions after the page goes away)."""
        session = self._session()
        if session is not None:
            self.server.api("DELETE", f"/api/sessions/{session['id']}")


class OpenNotebook(Protocol):
    """The `open_notebook` fixture: write `cells` as notebook `name`, open it, return it once idle."""

    def __call__(self, cells: Sequence[str], name: str = "notebook") -> NotebookPage: ...


def open_notebook_page(
    page: Page,
    server: JupyterServer,
    ui: UI,
    cells: Sequence[str],
    *,
    nb_path: str,
    out_dir: Path,
    console: list[str],
) -> NotebookPage:
    """Write `cells` as a notebook at `nb_path` under the server root, open it, wait for an idle kernel."""
    write_notebook(server.root_dir / nb_path, cells, out_dir)
    notebook = NotebookPage(page, server, ui, nb_path, out_dir, console)
    notebook.open()
    return notebook


def _output_kind(output: dict[str, Any]) -> str:
    kind = output.get("output_type", "?")
    if kind == "error":
        return f"error {output.get('ename')}: {output.get('evalue')}"
    if kind == "stream":
        return f"{output.get('name')} text"
    data = output.get("data", {})
    mimes = [m for m in data if m != "text/plain"]
    plain = data.get("text/plain", "")
    return f"{kind} {mimes or ''} text/plain={_clip(''.join(plain))!r}"


def _describe_error(output: dict[str, Any]) -> str:
    traceback = "\n".join(_ANSI.sub("", line) for line in output.get("traceback", []))
    return traceback or f"{output.get('ename')}: {output.get('evalue')}"


def _clip(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
