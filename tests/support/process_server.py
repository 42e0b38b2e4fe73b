"""A server run as a child process on a free loopback port, for tests that need a real one."""

from __future__ import annotations

import os
import subprocess
import time
from abc import abstractmethod
from pathlib import Path
from typing import IO, Self

from tests.support.lifecycle import StartStop, answers, free_port


class ProcessServer(StartStop):
    """Runs :meth:`command` on a free port of ``127.0.0.1`` until :meth:`stop`.

    Ready once ``GET`` :attr:`ready_path` answers 200. The server's output goes to
    :attr:`log_path`; its tail is put in the error raised when the server dies or does not
    answer in time.
    """

    host = "127.0.0.1"
    name = "server"
    ready_path = "/"

    def __init__(self, log_path: Path) -> None:
        self.log_path = Path(log_path)
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @abstractmethod
    def command(self) -> list[str]:
        """The command line that serves on :attr:`host` and :attr:`port`."""

    def environment(self) -> dict[str, str]:
        return dict(os.environ)

    def start(self, timeout: float = 60) -> Self:
        if self._process is not None:
            raise RuntimeError(f"{self.name} is already started")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.port = free_port(self.host)
        self._log = self.log_path.open("ab")
        self._process = subprocess.Popen(
            self.command(),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=self.environment(),
        )
        try:
            self._wait_until_ready(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Terminate the server, killing it if it does not exit within 10 s."""
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def _wait_until_ready(self, timeout: float) -> None:
        assert self._process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            returncode = self._process.poll()
            if returncode is not None:
                raise RuntimeError(f"{self.name} exited with code {returncode}:\n{self.log_tail()}")
            if answers(self.url + self.ready_path):
                return
            time.sleep(0.1)
        raise RuntimeError(
            f"{self.name} did not answer on {self.url} within {timeout} s:\n{self.log_tail()}"
        )

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])
