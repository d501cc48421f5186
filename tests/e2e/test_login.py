"""The Login widget in a real browser: sign in with a typed token, then save the notebook with widget
state, and find the token nowhere in the browser's form or in the saved file."""

from __future__ import annotations

import json
from pathlib import Path

from serving import serving

from dlwidgets.server import create_token, workspace_secret

from .page import OpenNotebook
from .polling import poll
from .server import JupyterServer

USER = "ann@example.com"
# jupyterlab-manager's setting that puts every widget's state into the notebook file on save.
SAVE_STATE = Path("@jupyter-widgets", "jupyterlab-manager", "plugin.jupyterlab-settings")

LOGIN_CELL = """\
import dlwidgets as dw

os.environ["DLWIDGETS_URL"] = {url!r}
login = dw.Login()
login.on_login(lambda client: dump("signed_in.json", {{"email": client.user_email}}))
login
"""


def test_the_token_is_in_no_widget_state_or_saved_notebook(
    open_notebook: OpenNotebook, jupyter_server: JupyterServer, workspace_home: Path
) -> None:
    settings = jupyter_server.base_dir / "lab-user-settings" / SAVE_STATE
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps({"saveState": True}))
    try:
        sign_in_and_save(open_notebook, jupyter_server, workspace_home)
    finally:
        settings.unlink()  # the server is shared: later tests keep the default


def sign_in_and_save(
    open_notebook: OpenNotebook, jupyter_server: JupyterServer, workspace_home: Path
) -> None:
    token = create_token(workspace_secret(workspace_home), USER)
    with serving(workspace_home) as url:
        notebook = open_notebook([LOGIN_CELL.format(url=url)])
        notebook.run_all()
        login = notebook.wait_widget(".dlw-login")
        notebook.wait_ready()
        field = login.locator("input[type='password']")
        field.fill(token)
        login.get_by_role("button", name="Sign in").click()
        assert notebook.wait_file("signed_in.json") == {"email": USER}
        login.locator(".dlw-signed-in").filter(has_text=USER).wait_for(timeout=30_000)
        assert field.input_value() == ""  # the kernel cleared the browser's copy

        saved = jupyter_server.root_dir / notebook.nb_path
        before = saved.stat().st_mtime
        notebook.page.evaluate("window.jupyterapp.commands.execute('docmanager:save')")

        def saved_with_state() -> str | None:
            if saved.stat().st_mtime == before:
                return None
            text = saved.read_text()
            return text if "application/vnd.jupyter.widget-state+json" in text else None

        text = poll(saved_with_state, timeout=30, what="the notebook saved with its widget state")
    assert token not in text
    assert token.split(".")[2] not in text  # not even the signature part
    assert USER in text  # the saved state does hold the widget's visible text
