"""``faulty_proxy(upstream, fault)``: an HTTP proxy on a loopback port that forwards every request to
``upstream`` and then, when ``fault(method, path)`` says so, loses the answer: ``"drop"`` closes the
connection without a byte, ``"cut"`` after half the answer's body, ``"504"`` answers Gateway Timeout. The
request itself always reached the server.

It speaks HTTP/1.1 through h11 over asyncio, one request per connection (it answers ``connection: close``),
in a thread of its own.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import h11
import httpx

# Hop-by-hop and length headers: the proxy sets its own.
_SKIP = {"host", "connection", "content-length", "transfer-encoding", "keep-alive"}


async def _read_request(reader: asyncio.StreamReader) -> tuple[h11.Request, bytes] | None:
    conn = h11.Connection(h11.SERVER)
    request: h11.Request | None = None
    body = bytearray()
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            data = await reader.read(1 << 16)
            if not data:
                return None
            conn.receive_data(data)
        elif isinstance(event, h11.Request):
            request = event
        elif isinstance(event, h11.Data):
            body += event.data
        elif isinstance(event, h11.EndOfMessage):
            assert request is not None
            return request, bytes(body)


def _answer(status: int, headers: list[tuple[str, str]], body: bytes) -> bytes:
    conn = h11.Connection(h11.SERVER)
    # h11 must see a request before it writes a response.
    conn.receive_data(b"GET / HTTP/1.1\r\nhost: proxy\r\n\r\n")
    conn.next_event()
    headers = [*headers, ("content-length", str(len(body))), ("connection", "close")]
    return b"".join(
        (
            conn.send(h11.Response(status_code=status, headers=headers)) or b"",
            conn.send(h11.Data(data=body)) or b"",
            conn.send(h11.EndOfMessage()) or b"",
        )
    )


@contextmanager
def faulty_proxy(upstream: str, fault: Callable[[str, str], str | None]) -> Iterator[str]:
    """Serve the proxy; yields its ``http://127.0.0.1:PORT`` (``upstream`` is ``http://host:port``)."""
    loop = asyncio.new_event_loop()
    started = threading.Event()
    port: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            received = await _read_request(reader)
            if received is None:
                return
            request, body = received
            method, target = request.method.decode(), request.target.decode()
            headers = [
                (k.decode(), v.decode()) for k, v in request.headers if k.decode().lower() not in _SKIP
            ]
            answer = await client.request(method, upstream + target, headers=headers, content=body)
            what = fault(method, target.split("?", 1)[0])
            if what == "drop":
                return
            if what == "504":
                writer.write(_answer(504, [("content-type", "text/plain")], b"upstream timed out"))
            else:
                kept = [(k, v) for k, v in answer.headers.items() if k.lower() not in _SKIP]
                whole = _answer(answer.status_code, kept, answer.content)
                writer.write(whole[: len(whole) - len(answer.content) // 2] if what == "cut" else whole)
            await writer.drain()
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port.append(server.sockets[0].getsockname()[1])
        started.set()
        async with server:
            await stopping.wait()

    client = httpx.AsyncClient(timeout=120)
    stopping = asyncio.Event()
    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    started.wait(10)
    try:
        yield f"http://127.0.0.1:{port[0]}"
    finally:
        loop.call_soon_threadsafe(stopping.set)
        thread.join(10)
        loop.run_until_complete(client.aclose())
        loop.close()
