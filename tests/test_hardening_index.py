"""A damaged vector index is found before chromadb's native code reads it, and rebuilt.

Random bytes in ``index/*/data_level0.bin`` used to kill `knowledge search`, `doctor`, `chat`
and the TUI with SIGSEGV; a damaged ``header.bin`` gave an uncaught chromadb error.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.config import load_settings
from assistant.knowledge import KnowledgeBase


@pytest.fixture
def manifested_home(knowledge_home: Path) -> Path:
    """The prebuilt index, brought up to date once by this Reflect (which records its files)."""
    with KnowledgeBase.open(load_settings()) as kb:
        kb.ensure_index()
    return knowledge_home


def damage(home: Path, name: str) -> Path:
    (target,) = (home / "index").glob(f"*/{name}")
    data = bytearray(target.read_bytes())
    noise = random.Random(7).randbytes(len(data) - 64)
    data[64:] = noise  # keep the start, scramble the rest: links point anywhere
    target.write_bytes(bytes(data))
    return target


def search(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", "knowledge", "search", *args],
        capture_output=True, text=True, timeout=600, env={**os.environ},
    )  # fmt: skip


@pytest.mark.parametrize("name", ["data_level0.bin", "header.bin"])
def test_a_damaged_index_file_is_rebuilt_with_a_notice_not_a_crash(
    manifested_home: Path, name: str
) -> None:
    target = damage(manifested_home, name)
    result = search("my mentor keeps cancelling our meetings", "-k", "2")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert (
        f"reflect: The guidance index at {manifested_home / 'index'} was damaged "
        f"({target.relative_to(manifested_home / 'index').as_posix()} changed since it was "
        "built), so it is being rebuilt from the sources; nothing of yours was lost."
    ) in result.stderr.splitlines()
    assert result.stdout.startswith("1. ")
    again = search("how to receive feedback", "-k", "1")
    assert again.returncode == 0 and "damaged" not in again.stderr
