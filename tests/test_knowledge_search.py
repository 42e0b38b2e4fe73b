"""Searching the built-in guidance, from Python and from `reflect knowledge`, and the doctor."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.config import load_settings
from assistant.knowledge import KnowledgeBase
from assistant.knowledge.chunking import chunk_document, embedding_text
from assistant.knowledge.documents import read_document
from assistant.knowledge.health import check_index
from assistant.knowledge.sources import builtin_files
from assistant.resources import BUILTIN_KNOWLEDGE_DIR

ISSUE_QUERY = "how do I take critical feedback without getting defensive"


def test_critical_feedback_question_finds_receiving_feedback_first(knowledge_home: Path):
    passages = KnowledgeBase.open(load_settings()).search(ISSUE_QUERY)
    assert "receiving-feedback" in passages[0].topics
    assert passages[0].audience in ("mentee", "both")


def test_results_are_best_first_and_the_answering_section_ranks(knowledge_home: Path) -> None:
    passages = KnowledgeBase.open(load_settings()).search(
        "my mentor keeps cancelling and I don't know how to bring it up", k=5
    )
    assert len(passages) == 5
    scores = [p.score for p in passages]
    assert scores == sorted(scores, reverse=True)
    assert passages[0].source == "raising-a-problem-with-your-mentor.md"
    # The file's section on exactly this problem ranks, not only its general introduction,
    # and other files still get places.
    assert any(p.heading.endswith("They keep cancelling") for p in passages[:3])
    assert len({p.source for p in passages}) >= 2


def test_filters_hold_on_the_builtin_guidance(knowledge_home: Path) -> None:
    kb = KnowledgeBase.open(load_settings())
    mentor = kb.search("how do I give feedback", k=8, audience="mentor")
    assert mentor and all(p.audience in ("mentor", "both") for p in mentor)
    after = kb.search("what do I do after the meeting", k=8, moments=["after"])
    assert after and all({"after", "any"} & set(p.moments) for p in after)
    assert kb.search("   ") == []
    with pytest.raises(ValueError, match="audience"):
        kb.search("x", audience="manager")


def test_a_section_written_for_the_other_side_gives_way(knowledge_home: Path) -> None:
    kb = KnowledgeBase.open(load_settings())

    def sections(question: str, audience: str | None = None) -> list[str]:
        return [p.heading.split(" > ")[-1] for p in kb.search(question, k=4, audience=audience)]

    # The celebrating file is for both sides; two of its sections say whom they are for, and
    # one ("Ways to mark it") is for both. The side comes from the wording or the caller.
    asked_by_mentor = sections("how can I celebrate my mentee's milestones?")
    assert "Mentors: notice it out loud" in asked_by_mentor
    assert "Mentees: bring your wins" not in asked_by_mentor
    asked_by_mentee = sections("how do I celebrate my wins with my mentor?")
    assert asked_by_mentee[0] == "Mentees: bring your wins"
    assert "Mentors: notice it out loud" not in asked_by_mentee
    assert "Mentees: bring your wins" in sections("how do we celebrate a milestone?", "mentee")
    assert "Mentees: bring your wins" not in sections("how do we celebrate a milestone?", "mentor")


def test_sources_list_the_builtin_files(knowledge_home: Path) -> None:
    sources = KnowledgeBase.open(load_settings()).sources()
    assert [s.source for s in sources] == [f.source for f in builtin_files(BUILTIN_KNOWLEDGE_DIR)]
    assert all(s.builtin and s.chunks >= 1 for s in sources)


def test_cli_search_json_has_the_documented_shape(knowledge_home: Path, capsys) -> None:
    assert main(["knowledge", "search", ISSUE_QUERY, "--json", "-k", "3"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"query", "results"}
    assert data["query"] == ISSUE_QUERY
    assert len(data["results"]) == 3
    for result in data["results"]:
        assert set(result) == {"source", "title", "heading", "topics", "text", "score"}
        assert isinstance(result["score"], float)
        assert all(isinstance(t, str) for t in result["topics"])
        assert (BUILTIN_KNOWLEDGE_DIR / result["source"]).is_file()
    assert "receiving-feedback" in data["results"][0]["topics"]


def test_a_warm_cli_search_does_not_load_chromadb(knowledge_home: Path) -> None:
    """Once the index has been searched, a search process reads the copy in the home."""
    import subprocess
    import sys

    KnowledgeBase.open(load_settings()).search("my mentor keeps cancelling")
    code = (
        "import sys\n"
        "from assistant.cli import main\n"
        "code = main(['knowledge', 'search', 'my mentor keeps cancelling', '--json'])\n"
        "print('chromadb' in sys.modules, code, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stderr.strip().splitlines()[-1] == "False 0"
    assert json.loads(result.stdout)["results"][0]["source"].startswith("raising-a-problem")


def test_cli_search_prints_numbered_results(knowledge_home: Path, capsys) -> None:
    assert main(["knowledge", "search", "SMART goals", "-k", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1. ")
    assert "\n2. " in out
    assert "smart-goals.md" in out


def test_cli_index_skips_unchanged_files(knowledge_home: Path, capsys) -> None:
    assert main(["knowledge", "index"]) == 0
    err = capsys.readouterr().err
    files = len(builtin_files(BUILTIN_KNOWLEDGE_DIR))
    assert f"0 added, 0 updated, 0 removed, {files} unchanged" in err
    assert "\r" not in err  # not a terminal: no progress bar, only the final line


def test_cli_add_reports_each_bad_file_and_exits_by_outcome(
    knowledge_home: Path, tmp_path: Path, capsys
) -> None:
    (tmp_path / "empty.md").write_text("")
    assert main(["knowledge", "add", str(tmp_path / "empty.md")]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'empty.md'}: skipped, is empty" in err
    assert "nothing was added" in err

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "one-on-ones.md").write_text("# One-on-ones\n\nBring a short list of topics.\n")
    (notes / "binary.md").write_bytes(b"\x00\x01")
    assert main(["knowledge", "add", str(notes)]) == 0
    captured = capsys.readouterr()
    assert "Added 1 file(s): user/notes/one-on-ones.md" in captured.out
    assert captured.err.count("skipped") == 1 and "binary.md" in captured.err

    assert main(["knowledge", "search", "one-on-ones topics list", "--json", "-k", "1"]) == 0
    assert json.loads(capsys.readouterr().out)["results"][0]["source"] == (
        "user/notes/one-on-ones.md"
    )


def test_doctor_reports_the_index(knowledge_home: Path) -> None:
    settings = load_settings()
    result = check_index(settings)
    assert result.ok
    assert f"chunks from {len(builtin_files(BUILTIN_KNOWLEDGE_DIR))} files" in result.detail
    assert "up to date" in result.detail

    other = check_index(replace(settings, embedding="ollama", embedding_model="nomic-embed-text"))
    assert not other.ok
    assert "--rebuild" in other.detail


def test_doctor_before_any_index(reflect_home: Path) -> None:
    result = check_index(load_settings())
    assert result.ok
    assert "not built yet" in result.detail


def test_every_chunk_is_embedded_with_its_files_opening_paragraph(tmp_path: Path) -> None:
    opening = "Skip-level meetings let you hear from the people two levels down."
    sections = "\n\n".join(
        f"## Step {n}\n\n" + " ".join(f"Point {n}.{i} about the meeting." for i in range(60))
        for n in range(1, 4)
    )
    path = tmp_path / "skip-level.md"
    path.write_text(f"# Skip-level meetings\n\n- a list is not prose\n\n{opening}\n\n{sections}\n")
    document = read_document(path, "user/skip-level.md")
    chunks = chunk_document(document)
    assert len(chunks) >= 3

    later = embedding_text(document, chunks[-1])
    heading, summary, body = later.split("\n", 2)
    assert heading == f"Skip-level meetings > {chunks[-1].heading.split(' > ', 1)[1]}"
    assert summary == opening
    assert body == chunks[-1].text
    assert embedding_text(document, chunks[0]).count(opening) == 1

    listing = tmp_path / "list-only.md"
    listing.write_text("# Checklist\n\n- book a room\n- send the agenda\n")
    document = read_document(listing, "user/list-only.md")
    (chunk,) = chunk_document(document)
    assert embedding_text(document, chunk) == f"Checklist\n{chunk.text}"


def test_a_short_note_on_the_question_comes_before_longer_guidance(
    knowledge_home: Path, tmp_path: Path
) -> None:
    note = tmp_path / "rota.md"
    note.write_text(
        "# Our mentoring rota\n\nMentoring pairs in the platform team meet on the second "
        "Thursday of every month, in the library room, booked through the facilities form.\n"
    )
    kb = KnowledgeBase.open(load_settings())
    assert kb.add_sources([note]).added == ["user/rota.md"]
    passages = kb.search("when and where do the mentoring pairs in my team meet each month?")
    assert passages[0].source == "user/rota.md"
