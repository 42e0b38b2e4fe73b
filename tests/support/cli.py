"""Run the `reflect` command in a fresh interpreter, as a user or a script would."""

from __future__ import annotations

import os
import subprocess
import sys


def reflect(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m assistant ARGS`` with the test's environment plus ``env``."""
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )
