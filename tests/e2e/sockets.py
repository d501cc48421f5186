"""Options of a socket held by another process, read from the outside (Linux ``pidfd_getfd``).

Used to check the server's side of a connection the test opened, without any hook in the server.
"""

from __future__ import annotations

import ctypes
import os
import socket

import psutil

_SYS_PIDFD_GETFD = (
    438  # the same number on every Linux architecture (syscalls added after 5.1 share one table)
)


class SocketUnobservable(OSError):
    """Raised when this kernel or this process's privileges do not allow reading another process's socket."""


def peer_nodelay(pid: int, port: int, peer: tuple[str, int]) -> bool:
    """Whether TCP_NODELAY is set on process `pid`'s socket for the connection from `peer` to `port`."""
    matches = [
        c
        for c in psutil.Process(pid).net_connections(kind="tcp")
        if c.laddr and c.laddr.port == port and c.raddr and tuple(c.raddr) == peer
    ]
    if len(matches) != 1:
        raise LookupError(f"process {pid} has {len(matches)} connections from {peer} to port {port}")
    fd = _duplicate_fd(pid, matches[0].fd)
    with socket.socket(fileno=fd) as copy:
        return bool(copy.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))


def _duplicate_fd(pid: int, target_fd: int) -> int:
    """A duplicate, in this process, of file descriptor `target_fd` of process `pid` (same open socket)."""
    libc = ctypes.CDLL(None, use_errno=True)
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError) as error:
        raise SocketUnobservable(f"pidfd_open unavailable: {error}") from error
    try:
        fd: int = libc.syscall(_SYS_PIDFD_GETFD, pidfd, target_fd, 0)
    finally:
        os.close(pidfd)
    if fd < 0:
        errno = ctypes.get_errno()
        raise SocketUnobservable(errno, f"pidfd_getfd failed: {os.strerror(errno)}")
    return fd
