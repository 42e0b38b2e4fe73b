"""A build killed half-way leaves an index that the next run completes, and search works."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from assistant.config import load_settings
from assistant.knowledge import KnowledgeBase
from assistant.knowledge.chunking import chunk_document
from assistant.knowledge.documents import read_document
from assistant.knowledge.indexer import indexed_sources
from assistant.knowledge.sources import builtin_files, new_root, save_user_roots
from assistant.resources import BUILTIN_KNOWLEDGE_DIR


def test_index_killed_after_its_first_file_is_completed_next_time(
    reflect_home: Path, tmp_path: Path
) -> None:
    """Killed while the model embeds a user's folder (the built-in guidance takes its shipped
    vectors and is written within a second, too fast to be stopped part-way reliably)."""
    notes = tmp_path / "notes"
    notes.mkdir()
    for path in builtin_files(BUILTIN_KNOWLEDGE_DIR)[:6]:
        shutil.copy(path.path, notes / path.path.name)
    settings = load_settings()
    save_user_roots(settings, [new_root(notes, [])])
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant", "knowledge", "index", "--verbose"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env={**os.environ},
    )
    try:
        assert process.stderr is not None
        for line in process.stderr:
            if line.startswith("indexed ") and ": user/" in line:
                break
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    kb = KnowledgeBase.open(settings)
    before = indexed_sources(kb.store().collection())
    files = kb.planned_files()
    assert any(source.startswith("user/") for source in before)  # reported, so it was written
    assert 1 <= len(before) < len(files)  # killed part-way: some files, not all
    assert not kb.is_current()

    passages = kb.search("how do I take critical feedback without getting defensive")
    assert "receiving-feedback" in passages[0].topics

    collection = kb.store().collection()
    assert collection is not None
    after = indexed_sources(collection)
    assert sorted(after) == sorted(f.source for f in files)
    assert all(state.complete for state in after.values())
    expected = sum(len(chunk_document(read_document(f.path, f.source))) for f in files)
    assert collection.count() == expected
    assert kb.is_current()


def test_damaged_index_is_reported_and_rebuild_starts_over(
    knowledge_home: Path, tmp_path: Path
) -> None:
    database = knowledge_home / "index" / "chroma.sqlite3"
    data = bytearray(database.read_bytes())
    data[100:8000] = b"x" * 7900
    database.write_bytes(bytes(data))

    result = subprocess.run(
        [sys.executable, "-m", "assistant", "knowledge", "search", "feedback"],
        capture_output=True,
        text=True,
        env={**os.environ},
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "cannot be read" in result.stderr
    assert "reflect knowledge index --rebuild" in result.stderr

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "agenda.md").write_text("# Agendas\n\nSend an agenda the day before you meet.\n")
    kb = KnowledgeBase.open(load_settings(), builtin_dir=corpus)
    assert kb.ensure_index(rebuild=True).added == ["agenda.md"]
    assert kb.search("agenda before the meeting", k=1)[0].source == "agenda.md"
