"""The first search after indexing starts from the search cache the indexer kept current.

Real chromadb (embedded and a `chroma run` server) and the real local model. Reads of chunks
back from the collection are counted on chromadb's own ``Collection.get``, which still runs.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from chromadb.api.models.Collection import Collection

from assistant.config import Settings, load_settings
from assistant.knowledge import KnowledgeBase, cache_files, search_cache
from assistant.knowledge.lexical import LexicalIndex
from tests import test_knowledge_store as store_tests
from tests.support.chroma_server import ChromaServer

# The store tests' fixtures: their small corpus, with the embedded store and with the server.
settings = store_tests.settings
corpus = store_tests.corpus

QUESTIONS = (
    "what should I put on the agenda before we meet",
    "situation behaviour impact",
    "how do I make my goal measurable",
    "salsa class plan",
    "how do I negotiate my salary",
)


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "salsa.md").write_text("# Salsa\n\nMy salsa class plan: turns, then timing.\n")
    (folder / "pay.md").write_text("# Pay\n\nHow to negotiate my salary with a pay band.\n")
    return folder


@pytest.fixture
def chunk_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many chunks were read back from any collection (``get`` with documents)."""
    reads = [0]
    real_get = Collection.get

    def counting_get(self: Collection, *args: Any, **kwargs: Any) -> Any:
        got = real_get(self, *args, **kwargs)
        if "documents" in (kwargs.get("include") or ()):
            reads[0] += len(got["ids"])
        return got

    monkeypatch.setattr(Collection, "get", counting_get)
    yield reads


def results(kb: KnowledgeBase) -> list[list[tuple[str, str, str, float]]]:
    return [
        [(p.source, p.heading, p.text, p.score) for p in kb.search(question, k=4)]
        for question in QUESTIONS
    ]


def assert_same_as_read_back(
    settings: Settings, corpus: Path, collection: str, first: list[list[Any]]
) -> None:
    """A knowledge base that reads every chunk from the collection finds the same passages.

    Scores may differ in the last bits of a float: chromadb keeps vectors re-normalised and
    float metadata rounded, so what it gives back is not bit for bit what was written.
    """
    search_cache.discard(settings)
    with KnowledgeBase.open(settings, builtin_dir=corpus, collection_name=collection) as kb:
        again = results(kb)
    assert [[row[:3] for row in rows] for rows in again] == [
        [row[:3] for row in rows] for rows in first
    ]
    scores = [row[3] for rows in again for row in rows]
    assert scores == pytest.approx([row[3] for rows in first for row in rows], abs=1e-5)


def test_first_search_after_adding_sources_reads_nothing_back(
    settings: Settings, corpus: Path, notes: Path, chunk_reads: list[int]
) -> None:
    collection = f"test-{uuid.uuid4().hex[:12]}"
    with KnowledgeBase.open(settings, builtin_dir=corpus, collection_name=collection) as kb:
        assert kb.add_sources([notes]).added == ["user/notes/pay.md", "user/notes/salsa.md"]
        first = results(kb)
        assert chunk_reads[0] == 0
    assert first[3][0][0] == "user/notes/salsa.md"
    assert_same_as_read_back(settings, corpus, collection, first)
    assert chunk_reads[0] > 0  # the comparison really read the collection


def test_changed_and_removed_files_after_a_cached_search(
    settings: Settings, corpus: Path, notes: Path, chunk_reads: list[int]
) -> None:
    collection = f"test-{uuid.uuid4().hex[:12]}"
    with KnowledgeBase.open(settings, builtin_dir=corpus, collection_name=collection) as kb:
        kb.add_sources([notes])
        results(kb)
        (notes / "salsa.md").unlink()
        (corpus / "goals.md").write_text(
            store_tests.GOALS.replace("time-bound", "time-bound. Salary too")
        )
        (corpus / "extra.md").write_text("# Kiln\n\nFiring a pottery kiln safely.\n")
        report = kb.ensure_index()
        assert report.removed == ["user/notes/salsa.md"]
        assert (report.added, report.updated) == (["extra.md"], ["goals.md"])
        after = results(kb)
        kiln = kb.search("pottery kiln", k=1)
        assert chunk_reads[0] == 0
    sources = {row[0] for rows in after for row in rows}
    assert "user/notes/salsa.md" not in sources
    assert kiln[0].source == "extra.md"
    assert any("Salary too" in row[2] for rows in after for row in rows)
    assert_same_as_read_back(settings, corpus, collection, after)


def cache_file(settings: Settings, name: str) -> Path:
    """One file of the copy the header names."""
    folder = search_cache.cache_dir(settings)
    header = json.loads((folder / cache_files.HEADER_NAME).read_text(encoding="utf-8"))
    return folder / header["generation"] / name


def small_arrays(settings: Settings) -> Path:
    # The test corpus is small: every array of its copy is in the one file of small arrays.
    return cache_file(settings, cache_files.SMALL_ARRAYS_NAME)


def garble_arrays(settings: Settings) -> None:
    """Bytes that are not numpy's, of the size the header says."""
    path = small_arrays(settings)
    path.write_bytes(b"\0" * path.stat().st_size)


def truncate_arrays(settings: Settings) -> None:
    path = small_arrays(settings)
    path.write_bytes(path.read_bytes()[:-10])


def shorten_postings(settings: Settings) -> None:
    """Arrays numpy reads, of the size the header says, that do not fit together."""
    path = small_arrays(settings)
    with np.load(path) as stored:
        arrays = {name: stored[name] for name in stored.files}
    arrays["lexical_docs"] = arrays["lexical_docs"][:-1]
    with path.open("wb") as stream:
        np.savez(stream, **arrays)
    header_path = search_cache.cache_dir(settings) / cache_files.HEADER_NAME
    header = json.loads(header_path.read_text(encoding="utf-8"))
    header["sizes"][cache_files.SMALL_ARRAYS_NAME] = path.stat().st_size
    header_path.write_text(json.dumps(header), encoding="utf-8")


def garble_header(settings: Settings) -> None:
    (search_cache.cache_dir(settings) / cache_files.HEADER_NAME).write_text("{not json")


def remove_generation(settings: Settings) -> None:
    shutil.rmtree(small_arrays(settings).parent)


@pytest.mark.parametrize(
    "damage",
    [garble_arrays, truncate_arrays, shorten_postings, garble_header, remove_generation],
)
def test_a_damaged_cache_is_read_again_from_the_index(
    settings: Settings,
    corpus: Path,
    notes: Path,
    chunk_reads: list[int],
    damage: Callable[[Settings], None],
) -> None:
    collection = f"test-{uuid.uuid4().hex[:12]}"
    with KnowledgeBase.open(settings, builtin_dir=corpus, collection_name=collection) as kb:
        kb.ensure_index()
        damage(settings)
        kb.add_sources([notes])  # nothing the indexer can start from
        after = results(kb)
    assert chunk_reads[0] > 0
    assert after[3][0][0] == "user/notes/salsa.md"
    assert_same_as_read_back(settings, corpus, collection, after)


def test_a_new_knowledge_base_opens_the_copy_on_disk(
    settings: Settings, corpus: Path, notes: Path, chunk_reads: list[int]
) -> None:
    """A new knowledge base opens the private copy the indexer wrote and reads no chunk back."""
    collection = f"test-{uuid.uuid4().hex[:12]}"
    with KnowledgeBase.open(settings, builtin_dir=corpus, collection_name=collection) as kb:
        kb.add_sources([notes])
        first = results(kb)
    with KnowledgeBase.open(settings, builtin_dir=corpus, collection_name=collection) as kb:
        again = results(kb)
        listed = kb.sources()
    assert chunk_reads[0] == 0
    assert again == first
    assert {info.source for info in listed} >= {"user/notes/pay.md", "user/notes/salsa.md"}
    folder = search_cache.cache_dir(settings)
    files = [path for path in folder.rglob("*") if path.is_file()]
    assert files and all(path.stat().st_mode & 0o777 == 0o600 for path in files)
    folders = [folder, *(path for path in folder.rglob("*") if path.is_dir())]
    assert all(path.stat().st_mode & 0o777 == 0o700 for path in folders)


def test_a_pass_stopped_half_way_is_not_trusted_to_the_cache(
    settings: Settings, corpus: Path, chunk_reads: list[int]
) -> None:
    """Chunks gone from the collection behind the copy's back: the copy is not revised."""
    collection = f"test-{uuid.uuid4().hex[:12]}"
    with KnowledgeBase.open(settings, builtin_dir=corpus, collection_name=collection) as kb:
        kb.ensure_index()
        held = kb.store().collection()
        assert held is not None
        held.delete(where={"source": "agenda.md"})  # as a pass killed after deleting
        (corpus / "goals.md").write_text(
            store_tests.GOALS.replace("time-bound", "time-bound. Salary too")
        )
        report = kb.ensure_index()
        assert (report.added, report.updated) == (["agenda.md"], ["goals.md"])
        after = results(kb)
    assert chunk_reads[0] > 0
    assert after[0][0][0] == "agenda.md"
    assert_same_as_read_back(settings, corpus, collection, after)


def test_two_homes_on_one_server_each_keep_their_own_cache(
    chroma_server: ChromaServer, corpus: Path, notes: Path, tmp_path: Path, chunk_reads: list[int]
) -> None:
    other_notes = tmp_path / "other"
    other_notes.mkdir()
    (other_notes / "kiln.md").write_text("# Kiln\n\nFiring a pottery kiln safely.\n")
    ana, ben = (
        load_settings(
            {"REFLECT_HOME": str(tmp_path / home), "REFLECT_CHROMA_URL": chroma_server.url}
        )
        for home in ("ana-home", "ben-home")
    )
    with KnowledgeBase.open(ana, builtin_dir=corpus) as kb:
        kb.add_sources([notes])
        ana_first = results(kb)
    with KnowledgeBase.open(ben, builtin_dir=corpus) as kb:
        kb.add_sources([other_notes])
        ben_kiln = kb.search("pottery kiln salsa class", k=5)
    with KnowledgeBase.open(ana, builtin_dir=corpus) as kb:
        assert kb.ensure_index().changed is False
        ana_again = results(kb)
        ana_kiln = kb.search("pottery kiln salsa class", k=5)
    assert chunk_reads[0] == 0
    assert ana_again == ana_first
    assert "user/other/kiln.md" not in {p.source for p in ana_kiln}
    assert "user/notes/salsa.md" not in {p.source for p in ben_kiln}
    assert ben_kiln[0].source == "user/other/kiln.md"


def test_bm25_revised_by_the_documents_changed_scores_as_one_built_again() -> None:
    documents = [
        store_tests.AGENDA,
        store_tests.FEEDBACK,
        store_tests.GOALS,
        "Salsa class plan: turns, timing.",
        "Kiln firing.",
    ]
    index = LexicalIndex(documents[:4])
    keep = np.array([True, False, True, False])
    revised = index.revised(keep, [documents[1], documents[3]], [documents[4]])
    rebuilt = LexicalIndex([documents[0], documents[2], documents[4]])
    for question in (*QUESTIONS, "kiln firing", "salsa"):
        assert revised.scores(question).tolist() == rebuilt.scores(question).tolist()
    # Words only the removed documents used are no longer offered as spellings.
    assert not revised.knows("salsa") and revised.knows("kiln")
    assert list(revised.words) == list(rebuilt.words)


LAID_OFF = (
    "# Setbacks\n\n## After a restructure\n\n{asked}Treat the gap as a project: list what you"
    " shipped, call two former colleagues each week, and keep one small routine every day.\n"
)
ASKED = "<!-- asked:\nmy whole team got cut last friday and I have no job now\n-->\n\n"
IN_THEIR_WORDS = "the company let my whole team go on friday, what now"


def test_asked_lines_lift_their_section_through_every_copy_of_the_index(
    settings: Settings, corpus: Path, tmp_path: Path, chunk_reads: list[int]
) -> None:
    """A question in the words of a section's asked line finds it before the same section
    without the line, from the copy the indexer revised (after a source before it went) and
    from one read back from the collection."""
    notes = tmp_path / "setbacks"
    notes.mkdir()
    (notes / "a-kiln.md").write_text("# Kiln\n\nFiring a pottery kiln safely.\n")
    (notes / "plain.md").write_text(LAID_OFF.format(asked=""))
    (notes / "with-lines.md").write_text(LAID_OFF.format(asked=ASKED))
    collection = f"test-{uuid.uuid4().hex[:12]}"
    with KnowledgeBase.open(settings, builtin_dir=corpus, collection_name=collection) as kb:
        kb.add_sources([notes])
        first = kb.search(IN_THEIR_WORDS, k=2)
        (notes / "a-kiln.md").unlink()  # the rows after it move up, their lines with them
        assert kb.ensure_index().removed == ["user/setbacks/a-kiln.md"]
        after = [(p.source, p.score) for p in kb.search(IN_THEIR_WORDS, k=2)]
    assert chunk_reads[0] == 0
    assert [p.source for p in first] == ["user/setbacks/with-lines.md", "user/setbacks/plain.md"]
    assert "cut last friday" not in first[0].text
    assert after == [(p.source, p.score) for p in first]
    search_cache.discard(settings)
    with KnowledgeBase.open(settings, builtin_dir=corpus, collection_name=collection) as kb:
        read_back = [(p.source, p.score) for p in kb.search(IN_THEIR_WORDS, k=2)]
    assert chunk_reads[0] > 0
    assert read_back == pytest.approx(after, abs=1e-5)
