"""A guard that lets a process open network connections only to one loopback port.

Installed at the start of a subprocess, it wraps the socket layer of Python itself: every
connection and name lookup is written to a log, and any that is not to the allowed port on
loopback is refused, so the test sees both what was tried and that nothing got out.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def install(allowed_port: int, log_path: Path) -> None:
    def record(kind: str, target: Any, allowed: bool) -> None:
        with log_path.open("a", encoding="utf-8") as log:
            log.write(json.dumps({"kind": kind, "target": repr(target), "allowed": allowed}) + "\n")

    def is_allowed(address: Any) -> bool:
        if isinstance(address, tuple) and len(address) >= 2:
            return address[0] in LOOPBACK and address[1] == allowed_port
        return isinstance(address, str | bytes)  # AF_UNIX sockets stay on the machine

    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex
    original_sendto = socket.socket.sendto
    original_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> None:
        allowed = is_allowed(address)
        record("connect", address, allowed)
        if not allowed:
            raise ConnectionRefusedError(f"socket guard: connection to {address!r} refused")
        original_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        allowed = is_allowed(address)
        record("connect", address, allowed)
        return original_connect_ex(self, address) if allowed else 111

    def sendto(self: socket.socket, data: bytes, *args: Any) -> int:
        address = args[-1]
        allowed = is_allowed(address)
        record("sendto", address, allowed)
        if not allowed:
            raise ConnectionRefusedError(f"socket guard: datagram to {address!r} refused")
        return original_sendto(self, data, *args)

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        allowed = name in LOOPBACK or name is None
        record("lookup", (name, port), allowed)
        if not allowed:
            raise socket.gaierror(socket.EAI_NONAME, f"socket guard: lookup of {name!r} refused")
        return original_getaddrinfo(host, port, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.socket.sendto = sendto  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo
