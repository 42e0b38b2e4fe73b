"""Running the app in a pseudo-terminal, as a user's terminal would: what the benchmarks share.

The app is started with ``pty.fork`` so that it draws real frames; the benchmarks read what it
writes, look for a known text, and read the process's CPU time from /proc so that a busy
machine's waiting shows as the difference between wall and CPU time.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time
from pathlib import Path


def launch(command: list[str], env: dict[str, str], columns: int, rows: int) -> tuple[int, int]:
    """Start ``command`` in a new pseudo-terminal of ``columns`` x ``rows``: (pid, fd)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: become the app
        os.execvpe(command[0], command, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    return pid, fd


def read_until(fd: int, marker: bytes, timeout: float = 120.0) -> None:
    """Read the terminal output until ``marker`` has been written to it."""
    seen = b""
    deadline = time.perf_counter() + timeout
    while marker not in seen:
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{marker!r} never appeared: {seen[-400:]!r}")
        ready, _, _ = select.select([fd], [], [], 0.01)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:  # the child exited
                raise RuntimeError(f"the app exited before {marker!r}: {seen[-400:]!r}") from None


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process (all its threads) so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until_idle(pid: int, quiet: float = 0.5, timeout: float = 120.0) -> None:
    """Wait until the process has used (almost) no CPU for ``quiet`` seconds."""
    deadline = time.perf_counter() + timeout
    last = cpu_seconds(pid)
    while time.perf_counter() < deadline:
        time.sleep(quiet)
        now = cpu_seconds(pid)
        if now - last < 0.03:
            return
        last = now


def close(pid: int, fd: int) -> None:
    """Quit the app the way a user does (ctrl+q), then make sure it is gone."""
    with contextlib.suppress(OSError):
        os.write(fd, b"\x11")
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline:
        with contextlib.suppress(OSError):
            os.read(fd, 65536)
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.02)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    os.close(fd)
