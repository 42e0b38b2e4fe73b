"""The optimised model saved in the home: used by the next search, remade when damaged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.knowledge.model_cache import CACHE_DIR_NAME, DIGEST_SUFFIX

QUESTION = "my mentor keeps cancelling our meetings"


def search(home: Path) -> tuple[list[dict[str, object]], str]:
    """``reflect knowledge search --json`` in a process of its own: its results, and which
    modules it loaded to get its session (one line from ``-X importtime``)."""
    env = {**os.environ, "REFLECT_HOME": str(home)}
    command = ["-X", "importtime", "-m", "assistant", "knowledge", "search", QUESTION, "--json"]
    result = subprocess.run(
        [sys.executable, *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(result.stdout)["results"], result.stderr


def assert_same_results(again: list[dict[str, object]], first: list[dict[str, object]]) -> None:
    """The same passages in the same order. Scores are rounded to six places, and a score on
    a rounding boundary may come out one unit apart from another process's (float sums)."""
    assert [{**r, "score": None} for r in again] == [{**r, "score": None} for r in first]
    assert [r["score"] for r in again] == pytest.approx([r["score"] for r in first], abs=2e-6)


def saved_files(home: Path) -> tuple[Path, Path]:
    folder = home / CACHE_DIR_NAME
    (model,) = folder.glob("*.onnx")
    return model, model.with_name(model.name + DIGEST_SUFFIX)


def test_the_second_search_loads_the_saved_model_and_finds_the_same(knowledge_home: Path) -> None:
    first, first_imports = search(knowledge_home)
    model, digest = saved_files(knowledge_home)
    saved_at = model.stat().st_mtime_ns
    second, second_imports = search(knowledge_home)
    assert_same_results(second, first)
    assert len(first) == 5
    assert model.stat().st_mtime_ns == saved_at, "the saved model was made again"
    # Only making the model rewrites its graph (protobuf); loading the saved one does not.
    assert "google.protobuf" in first_imports
    assert "google.protobuf" not in second_imports
    assert model.stat().st_mode & 0o777 == 0o600 and digest.stat().st_mode & 0o777 == 0o600


def test_a_damaged_saved_model_is_made_again_and_finds_the_same(knowledge_home: Path) -> None:
    first, _ = search(knowledge_home)
    model, _ = saved_files(knowledge_home)
    good = model.read_bytes()
    damaged = bytearray(good)
    damaged[len(damaged) // 2] ^= 0xFF
    model.write_bytes(bytes(damaged))
    again, imports = search(knowledge_home)
    assert_same_results(again, first)
    assert "google.protobuf" in imports, "the damaged model was used"
    remade, _ = saved_files(knowledge_home)
    assert remade.read_bytes() == good


def test_a_model_without_its_digest_is_not_used(knowledge_home: Path) -> None:
    first, _ = search(knowledge_home)
    _, digest = saved_files(knowledge_home)
    digest.unlink()
    again, imports = search(knowledge_home)
    assert_same_results(again, first)
    assert "google.protobuf" in imports
    assert saved_files(knowledge_home)[1].is_file()
