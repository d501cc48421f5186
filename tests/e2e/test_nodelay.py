"""The TCP_NODELAY server extension in a real `jupyter lab`: loaded from the package's shipped config
file, it sets TCP_NODELAY on the server's side of a kernel websocket, and configuration turns it off.

The option is read from the server's own socket from outside the process, so these tests fail if the
extension only claims to have set it.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from tornado.httpclient import HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect

from .conftest import PACKAGE_JUPYTER_CONFIG
from .server import JupyterServer
from .sockets import SocketUnobservable, peer_nodelay

LOADED = "dlwidgets.jupyter_nodelay | extension was successfully loaded"


@pytest.fixture(scope="module")
def server_with_nodelay_off(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterServer]:
    server = JupyterServer(
        tmp_path_factory.mktemp("jupyter-nodelay-off"),
        config_path=[PACKAGE_JUPYTER_CONFIG],
        extra_args=["--DlwidgetsNodelay.enabled=False"],
    )
    with server:
        yield server


def test_config_file_enables_the_extension_and_nodelay_is_set(jupyter_server: JupyterServer) -> None:
    assert server_side_nodelay(jupyter_server) is True
    log = jupyter_server.log_path.read_text()
    assert LOADED in log
    assert "TCP_NODELAY on for kernel websockets" in log


def test_nodelay_can_be_switched_off(server_with_nodelay_off: JupyterServer) -> None:
    assert server_side_nodelay(server_with_nodelay_off) is False
    assert "off (DlwidgetsNodelay.enabled is False)" in server_with_nodelay_off.log_path.read_text()


def server_side_nodelay(server: JupyterServer) -> bool:
    """Open a kernel websocket to `server` as a browser does and read TCP_NODELAY on the server's end."""
    kernel = server.api("POST", "/api/kernels", json={"name": "python3"})
    try:
        # Its own thread and event loop: the session's Playwright may own this thread's loop.
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, _observe(server, kernel["id"])).result(timeout=120)
    except SocketUnobservable as error:
        pytest.skip(f"cannot read the server's socket options here: {error}")
    finally:
        server.api("DELETE", f"/api/kernels/{kernel['id']}")


async def _observe(server: JupyterServer, kernel_id: str) -> bool:
    url = f"ws://127.0.0.1:{server.port}/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
    request = HTTPRequest(url, headers={"Authorization": f"token {server.token}"}, connect_timeout=30)
    connection = await websocket_connect(request)
    try:
        # A reply proves the server finished connecting the websocket (that is where the option is set).
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "msg_type": "kernel_info_request", "session": "e2e", "username": "e2e"}
        header |= {"date": "2026-01-01T00:00:00Z", "version": "5.3"}
        message = {"header": header, "parent_header": {}, "metadata": {}, "content": {}, "channel": "shell"}
        await connection.write_message(json.dumps(message))
        await asyncio.wait_for(_reply_to(connection, msg_id), timeout=60)
        return peer_nodelay(server.pid, server.port, connection.stream.socket.getsockname())
    finally:
        connection.close()


async def _reply_to(connection: WebSocketClientConnection, msg_id: str) -> None:
    while True:
        raw = await connection.read_message()
        if raw is None:
            raise ConnectionError("the server closed the kernel websocket")
        if json.loads(raw).get("parent_header", {}).get("msg_id") == msg_id:
            return
