"""A real ``chroma run`` server on loopback, for tests that talk to Chroma over HTTP."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from tests.support.process_server import ProcessServer

HEARTBEAT_PATH = "/api/v2/heartbeat"


class ChromaServer(ProcessServer):
    """Runs ``chroma run --path PATH`` on a free port of ``127.0.0.1``.

    The server's output goes to :attr:`log_path`, next to ``path``.
    """

    name = "chroma run"
    ready_path = HEARTBEAT_PATH

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        super().__init__(self.path.with_name(self.path.name + ".log"))

    def command(self) -> list[str]:
        return [
            _chroma_executable(),
            "run",
            "--path",
            str(self.path),
            "--host",
            self.host,
            "--port",
            str(self.port),
        ]

    def environment(self) -> dict[str, str]:
        return {**os.environ, "ANONYMIZED_TELEMETRY": "False"}


def _chroma_executable() -> str:
    """The ``chroma`` installed with the running interpreter, else the one on PATH."""
    beside = Path(sys.executable).with_name("chroma")
    if beside.exists():
        return str(beside)
    found = shutil.which("chroma")
    if found is None:
        raise RuntimeError("the chroma executable was not found (is chromadb installed?)")
    return found
