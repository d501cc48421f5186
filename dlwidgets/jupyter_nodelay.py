"""Jupyter server extension: turn Nagle's algorithm off on kernel websockets (TCP_NODELAY).

jupyter_server never calls tornado's ``set_nodelay(True)`` on its kernel websocket. A kernel reply
is several small websocket frames (status busy, the message, status idle); with Nagle on, each frame
after the first waits until the browser acknowledges the previous one, and browsers delay that ACK
(about 40 ms on Linux). A tiny kernel-to-browser message then takes ~45 ms instead of a few, which
is what a canvas widget feels like between mouse-up and the kernel's drawing.

The extension loads whenever dlwidgets is installed in the *server's* environment: the package ships
``etc/jupyter/jupyter_server_config.d/dlwidgets.jupyter_nodelay.json``, which enables it (a source
checkout that is not installed can put its ``jupyter-config`` folder on ``JUPYTER_CONFIG_PATH``, as the
browser tests do). Turn it off with ``c.DlwidgetsNodelay.enabled = False`` (or
``--DlwidgetsNodelay.enabled=False``), or disable the server extension:
``jupyter server extension disable dlwidgets.jupyter_nodelay``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from jupyter_server.services.kernels.connection.base import BaseKernelWebsocketConnection
from traitlets import Bool
from traitlets.config import Configurable

if TYPE_CHECKING:
    from jupyter_server.serverapp import ServerApp

EXTENSION = "dlwidgets.jupyter_nodelay"


class DlwidgetsNodelay(Configurable):
    """Configuration of the TCP_NODELAY server extension."""

    enabled = Bool(
        True,
        config=True,
        help="Set TCP_NODELAY on kernel websockets, so small kernel-to-browser messages are not held back.",
    )


class NodelayConnectionMixin(BaseKernelWebsocketConnection):
    """Put before the server's kernel websocket connection class: sets TCP_NODELAY as the websocket
    connects, then lets that class connect as usual."""

    def connect(self) -> Any:
        # Called from the handler's open(), before any kernel message is written to the socket.
        self.websocket_handler.set_nodelay(True)
        return super().connect()


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": EXTENSION}]


def _load_jupyter_server_extension(serverapp: ServerApp) -> None:
    if not DlwidgetsNodelay(parent=serverapp).enabled:
        serverapp.log.info("%s: off (DlwidgetsNodelay.enabled is False)", EXTENSION)
        return
    # Subclass whatever class is configured (plain ZMQ channels, a gateway's, ...) instead of replacing it.
    configured = serverapp.kernel_websocket_connection_class
    nodelay = cast(
        type[BaseKernelWebsocketConnection],
        type(f"Nodelay{configured.__name__}", (NodelayConnectionMixin, configured), {}),
    )
    # The handlers read the class from the web app's settings on every connection; the ServerApp trait
    # is what closes the connections at shutdown.
    serverapp.web_app.settings["kernel_websocket_connection_class"] = nodelay
    serverapp.kernel_websocket_connection_class = nodelay
    serverapp.log.info("%s: TCP_NODELAY on for kernel websockets (%s)", EXTENSION, configured.__name__)
