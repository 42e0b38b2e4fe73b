"""The store, for real: the local model and chromadb, embedded and a `chroma run` server.

Each test indexes a small corpus of its own (in a collection of its own on the shared server),
so that building takes a second, not the whole built-in guidance.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.config import Settings, load_settings
from assistant.knowledge import KnowledgeBase, KnowledgeError, search_cache
from assistant.knowledge.store import SCHEMA_VERSION
from tests.support.chroma_server import ChromaServer
from tests.support.openai_server import ScriptedOpenAI

AGENDA = """---
title: Meeting agendas
audience: mentee
moments: [before]
topics: [meeting-agenda]
---
# Meeting agendas

## A simple template

Send your mentor an agenda the day before the meeting: your goal for the session, wins since
last time, the topics in order of importance, and the help you want to ask for.
"""

FEEDBACK = """---
title: Giving feedback with SBI
audience: mentor
moments: [during, after]
topics: [giving-feedback]
---
# Giving feedback with SBI

## Situation, behaviour, impact

Describe the situation, the behaviour you saw and its impact, then ask an open question.
Keep judgement words out of it: say what happened, not what kind of person they are.
"""

GOALS = """---
title: SMART goals
audience: both
moments: [any]
topics: [goal-setting]
---
# SMART goals

## Make it specific

Turn a vague wish into a goal that is specific, measurable, achievable, relevant and
time-bound, and agree how you will both know it has been reached.
"""


@pytest.fixture(params=["embedded", "server"])
def settings(
    request: pytest.FixtureRequest, reflect_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    """Settings for the embedded store, or for the session's real Chroma server."""
    if request.param == "server":
        server: ChromaServer = request.getfixturevalue("chroma_server")
        monkeypatch.setenv("REFLECT_CHROMA_URL", server.url)
    return load_settings()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "agenda.md").write_text(AGENDA)
    (folder / "feedback.md").write_text(FEEDBACK)
    (folder / "goals.md").write_text(GOALS)
    return folder


def open_kb(settings: Settings, corpus: Path, collection: str | None = None) -> KnowledgeBase:
    name = collection or f"test-{uuid.uuid4().hex[:12]}"
    return KnowledgeBase.open(settings, builtin_dir=corpus, collection_name=name)


def sources_of(kb: KnowledgeBase, query: str, **filters: object) -> list[str]:
    return [p.source for p in kb.search(query, k=5, **filters)]


def test_search_follows_added_changed_and_deleted_files(settings: Settings, corpus: Path) -> None:
    kb = open_kb(settings, corpus)
    first = kb.ensure_index()
    assert sorted(first.added) == ["agenda.md", "feedback.md", "goals.md"]
    assert sources_of(kb, "what should I put on the agenda before we meet")[0] == "agenda.md"

    (corpus / "goals.md").write_text(GOALS.replace("time-bound", "time-bound. Negotiate salary"))
    (corpus / "extra.md").write_text("# Salary talks\n\nHow to ask your mentor about pay bands.\n")
    second = kb.ensure_index()
    assert (second.added, second.updated, second.unchanged) == (["extra.md"], ["goals.md"], 2)
    top = kb.search("how do I negotiate my salary", k=2)
    assert {p.source for p in top} == {"goals.md", "extra.md"}
    assert any("Negotiate salary" in p.text for p in top)

    (corpus / "agenda.md").unlink()
    third = kb.ensure_index()
    assert third.removed == ["agenda.md"]
    assert "agenda.md" not in sources_of(kb, "what should I put on the agenda before we meet")
    assert [s.source for s in kb.sources()] == ["extra.md", "feedback.md", "goals.md"]

    assert kb.ensure_index().changed is False


def test_a_section_cut_into_pieces_is_one_result_shown_whole(
    settings: Settings, corpus: Path
) -> None:
    steps = [f"In stage {i} you fire the pottery kiln slowly and let it cool." for i in range(40)]
    (corpus / "kiln.md").write_text(
        "# Kiln\n\nHow to fire a pottery kiln.\n\n## Firing schedule\n\n" + " ".join(steps) + "\n"
        "\n## Cleaning the kiln shelves\n\nScrape the kiln shelves and wash them after firing.\n"
    )
    kb = open_kb(settings, corpus)
    kb.ensure_index()
    pieces = [
        s for s in kb.store().collection().get()["metadatas"] if s["heading"].endswith("schedule")
    ]
    assert len(pieces) >= 2  # the section is too long for one chunk
    results = kb.search("pottery kiln firing schedule stages", k=3)
    schedules = [p for p in results if p.heading == "Kiln > Firing schedule"]
    assert len(schedules) == 1  # one result for the section, not one per piece
    text = schedules[0].text
    assert all(text.count(step) == 1 for step in steps)  # whole, and nothing said twice


def test_search_builds_the_index_on_first_use(settings: Settings, corpus: Path) -> None:
    kb = open_kb(settings, corpus)
    assert not kb.is_current()
    assert sources_of(kb, "situation behaviour impact")[0] == "feedback.md"
    assert kb.is_current()


def test_filters_by_audience_and_moment(settings: Settings, corpus: Path) -> None:
    kb = open_kb(settings, corpus)
    query = "agenda feedback goals"
    assert sorted(sources_of(kb, query)) == ["agenda.md", "feedback.md", "goals.md"]
    assert sorted(sources_of(kb, query, audience="mentor")) == ["feedback.md", "goals.md"]
    assert sorted(sources_of(kb, query, audience="mentee")) == ["agenda.md", "goals.md"]
    assert sorted(sources_of(kb, query, moments=["before"])) == ["agenda.md", "goals.md"]
    assert sorted(sources_of(kb, query, moments=["during", "after"])) == [
        "feedback.md",
        "goals.md",
    ]
    assert sources_of(kb, query, audience="mentee", moments=["during"]) == ["goals.md"]
    for passage in kb.search(query, audience="mentor", moments=["after"]):
        assert passage.audience in ("mentor", "both")
        assert {"after", "any"} & set(passage.moments)


def test_user_sources_with_bad_files(settings: Settings, corpus: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    (notes / "deep").mkdir(parents=True)
    (notes / "good.md").write_text("# Skip-level meetings\n\nAsk your skip-level about strategy.\n")
    (notes / "deep" / "plain.txt").write_text("Keep a brag document of your wins every Friday.\n")
    (notes / "empty.md").write_text("")
    (notes / "photo.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (notes / "huge.md").write_text("x" * 1_100_000)
    (notes / "gone.md").symlink_to(tmp_path / "nowhere.md")
    (notes / "image.png").write_bytes(b"\x89PNG")  # not a text suffix: ignored silently
    lone = tmp_path / "lone.md"
    lone.write_text("Networking at conferences: prepare two questions.\n")

    kb = open_kb(settings, corpus)
    report = kb.add_sources([notes, tmp_path / "missing.md", notes / "image.png", lone])

    added = ["user/lone.md", "user/notes/deep/plain.txt", "user/notes/good.md"]
    assert sorted(report.added) == added
    assert len(report.problems) == 6, report.problems
    for name, reason in [
        ("empty.md", "is empty"),
        ("photo.md", "binary"),
        ("huge.md", "too large"),
        ("gone.md", "broken link"),
        ("missing.md", "does not exist"),
        ("image.png", "only .md and .txt"),
    ]:
        assert [line for line in report.problems if name in line and reason in line], name
    assert all("\n" not in line for line in report.problems)

    top = kb.search("skip-level strategy", k=1)[0]
    assert (top.source, top.title, top.topics, top.audience) == (
        "user/notes/good.md",
        "Skip-level meetings",
        (),
        "both",
    )
    assert kb.search("brag document of wins", k=1)[0].title == "Plain"

    # A second KnowledgeBase (a later run) sees the recorded sources; deletions follow.
    (notes / "good.md").unlink()
    again = KnowledgeBase.open(settings, builtin_dir=corpus, collection_name=kb.collection_name)
    assert again.ensure_index().removed == ["user/notes/good.md"]
    assert "user/notes/good.md" not in {s.source for s in again.sources()}


def test_add_with_nothing_usable_adds_nothing(settings: Settings, corpus: Path, tmp_path: Path):
    (tmp_path / "blank.md").write_text("   \n")
    kb = open_kb(settings, corpus)
    report = kb.add_sources([tmp_path / "blank.md", tmp_path / "nope"])
    assert report.added == []
    assert len(report.problems) == 2
    assert not (settings.home / "sources.json").exists()


def test_an_index_in_an_older_format_is_rebuilt_by_itself(settings: Settings, corpus: Path) -> None:
    """After an upgrade that changes what a chunk holds, the old index is not searched as is."""
    kb = open_kb(settings, corpus)
    kb.ensure_index()
    collection = kb.store().collection()
    collection.modify(metadata={**collection.metadata, "schema": SCHEMA_VERSION - 1})
    # The search cache the older version wrote is keyed by its schema (in the sources'
    # fingerprint), so the new version finds none of its own.
    search_cache.discard(settings)
    assert not kb.is_current()

    report = kb.ensure_index()
    assert report.rebuilt and sorted(report.added) == ["agenda.md", "feedback.md", "goals.md"]
    assert kb.store().collection().metadata["schema"] == SCHEMA_VERSION
    assert sources_of(kb, "what should I put on the agenda before we meet")[0] == "agenda.md"


def test_mixing_guard_refuses_an_index_built_by_another_function(
    settings: Settings, corpus: Path, scripted_openai: ScriptedOpenAI
) -> None:
    collection = f"test-{uuid.uuid4().hex[:12]}"
    local = open_kb(settings, corpus, collection)
    local.ensure_index()

    remote_settings = replace(
        settings,
        embedding="openai",
        embedding_model="test-model",
        base_url=scripted_openai.base_url,
    )
    remote = open_kb(remote_settings, corpus, collection)
    with pytest.raises(KnowledgeError, match="reflect knowledge index --rebuild") as refused:
        remote.search("agenda")
    assert "local/all-MiniLM-L6-v2-int8" in str(refused.value)
    assert "openai/test-model" in str(refused.value)
    assert scripted_openai.embedding_requests() == []

    rebuilt = remote.ensure_index(rebuild=True)
    assert rebuilt.rebuilt and len(rebuilt.added) == 3
    assert scripted_openai.embedding_requests()[0].body["model"] == "test-model"
    assert remote.search("agenda template before the meeting", k=1)[0].source == "agenda.md"

    with pytest.raises(KnowledgeError, match="built with openai/test-model"):
        open_kb(settings, corpus, collection).search("agenda")


def test_filters_hold_on_a_store_larger_than_the_candidate_pool(
    settings: Settings, tmp_path: Path
) -> None:
    """Filtered search asks chromadb for unfiltered neighbours first; when too few of those
    pass the filters, it must still find every passage that does."""
    import numpy as np

    from assistant.knowledge.indexer import fingerprint

    empty = tmp_path / "empty"
    empty.mkdir()
    kb = open_kb(settings, empty)
    store = kb.store()
    collection = store.create()
    count, mentor_chunks = 1200, {7, 301, 602, 903, 1104, 1199}
    vectors = np.random.default_rng(3).standard_normal((count, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    collection.add(
        ids=[f"c{i}" for i in range(count)],
        embeddings=vectors,
        documents=[f"passage {i}" for i in range(count)],
        metadatas=[
            {
                "source": f"s{i}.md",
                "builtin": True,
                "title": f"Title {i}",
                "heading": f"Title {i}",
                "topics": "",
                "audience": "mentor" if i in mentor_chunks else "mentee",
                "moments": ["any"],
                "file_hash": "h",
                "chunk_hash": "h",
                "chunk_index": 0,
                "chunk_count": 1,
                "tokens": 2,
            }
            for i in range(count)
        ],
    )
    collection.modify(metadata=store.metadata(fingerprint(kb.planned_files())))

    found = kb.search("how do I give feedback to my mentee", k=10, audience="mentor")
    assert {p.source for p in found} == {f"s{i}.md" for i in mentor_chunks}
    assert len(kb.search("anything", k=10, audience="mentee")) == 10


def test_unreachable_chroma_server_is_one_clear_line(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"  # nobody listens once closed
    monkeypatch.setenv("REFLECT_CHROMA_URL", url)
    with pytest.raises(KnowledgeError, match=f"cannot reach the Chroma server at {url}") as error:
        open_kb(load_settings(), corpus).search("agenda")
    assert "\n" not in str(error.value)


def test_two_homes_on_one_chroma_server_keep_their_own_sources(
    chroma_server: ChromaServer, corpus: Path, tmp_path: Path
) -> None:
    notes = {}
    for name, text in (("ana", "Ana's salsa class plan."), ("ben", "Ben's pottery kiln notes.")):
        folder = tmp_path / f"{name}-notes"
        folder.mkdir()
        (folder / f"{name}.md").write_text(f"# {name.title()}\n\n{text}\n")
        notes[name] = folder
    ana, ben = (
        load_settings(
            {"REFLECT_HOME": str(tmp_path / home), "REFLECT_CHROMA_URL": chroma_server.url}
        )
        for home in ("ana-home", "ben-home")
    )

    # Each home opens the store without naming a collection, as the app does.
    with KnowledgeBase.open(ana, builtin_dir=corpus) as kb:
        assert kb.add_sources([notes["ana"]]).added == ["user/ana-notes/ana.md"]
    with KnowledgeBase.open(ben, builtin_dir=corpus) as kb:
        report = kb.add_sources([notes["ben"]])
        assert report.added == ["user/ben-notes/ben.md"]
        assert report.index is not None and report.index.removed == []
        ben_sources = {info.source for info in kb.sources()}
    with KnowledgeBase.open(ana, builtin_dir=corpus) as kb:
        assert kb.ensure_index().removed == []
        ana_sources = {info.source for info in kb.sources()}
        assert kb.search("salsa class", k=1)[0].source == "user/ana-notes/ana.md"

    assert "user/ana-notes/ana.md" in ana_sources and "user/ben-notes/ben.md" not in ana_sources
    assert "user/ben-notes/ben.md" in ben_sources and "user/ana-notes/ana.md" not in ben_sources
    assert {"agenda.md", "feedback.md", "goals.md"} <= ana_sources & ben_sources


def test_a_new_knowledge_base_searches_the_sources_as_they_are_now(
    settings: Settings, corpus: Path
) -> None:
    """The search cache a first search leaves in the home never hides a changed source."""
    collection = f"test-{uuid.uuid4().hex[:12]}"
    with open_kb(settings, corpus, collection) as kb:
        assert sources_of(kb, "situation behaviour impact")[0] == "feedback.md"
    assert (settings.home / "search-cache").is_dir()

    (corpus / "goals.md").write_text(GOALS.replace("time-bound", "time-bound. Negotiate salary"))
    with open_kb(settings, corpus, collection) as kb:
        top = kb.search("how do I negotiate my salary", k=1)
        assert top[0].source == "goals.md" and "Negotiate salary" in top[0].text
