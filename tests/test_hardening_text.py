"""Hostile text from documents and models never reaches the terminal or the journal raw.

Escape sequences (OSC 0 window title, OSC 52 clipboard write, ESC[2J clear screen), control
characters and lone surrogates (which cannot be written as UTF-8) are removed or replaced
wherever such text is printed or stored, also when an escape is split across stream chunks.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.config import load_settings
from assistant.journal import Journal, Source
from assistant.sanitize import clean_text
from tests.support.conversation import FLOW_ANSWERS
from tests.support.openai_server import RecordedRequest, Reply, ScriptedOpenAI

TITLE_OSC = "\x1b]0;pwned window\x07"
CLIPBOARD_OSC = "\x1b]52;c;cm0gLXJmIH4=\x1b\\"
CLEAR = "\x1b[2J"
HOSTILE = f"Plan{TITLE_OSC} the{CLIPBOARD_OSC} talk{CLEAR} \x1b[31mnow\x1b[0m \ud800done"


def assert_clean(text: str) -> None:
    assert "\x1b" not in text and "\x9b" not in text and "\x07" not in text
    assert "[31m" not in text and "[0m" not in text and "]0;" not in text and "52;" not in text
    assert "pwned" not in text
    assert "\ud800" not in text


def test_an_escape_split_across_stream_chunks_leaves_no_residue() -> None:
    from assistant.sanitize import StreamCleaner

    chunks = ["red \x1b[3", "1mX\x1b]0;ti", "tle\x07 ok\x1b]52;c;YWJj\x1b", "\\ done\r", "\nnext"]
    cleaner = StreamCleaner()
    streamed = "".join(cleaner.feed(chunk) for chunk in chunks)
    assert streamed == "red X ok done\nnext" == clean_text("".join(chunks))
    # Text without anything to remove passes through unchanged, emoji and RTL included.
    assert StreamCleaner().feed("ok 🎉 שלום\tx") == "ok 🎉 שלום\tx"


def test_a_lone_surrogate_becomes_a_replacement_character() -> None:
    from assistant.sanitize import StreamCleaner

    assert clean_text("a\ud800b") == "a\ufffdb"
    assert StreamCleaner().feed("a\udfffb") == "a\ufffdb"


def hostile_model(request: RecordedRequest) -> Reply:
    if request.body.get("stream"):
        # Split inside every escape, and a lone surrogate as a model's JSON can carry it.
        return Reply(chunks=["Plan \x1b[3", "1mthe\x1b]0;pw", "ned\x07 talk\x1b", "[2J \ud800?"])
    return Reply(text=json.dumps({"title": f"Agenda{TITLE_OSC}", "sections": []}))


def test_model_text_with_escapes_and_a_lone_surrogate_is_printed_and_saved_clean(
    model_env: ScriptedOpenAI, knowledge_home: Path, tmp_path: Path, capsys
) -> None:
    model_env.responder = hostile_model
    answers = tmp_path / "turns.txt"
    answers.write_text("\n---\n".join(FLOW_ANSWERS["prepare"]) + "\n", encoding="utf-8")
    assert main(["chat", "prepare", "--input", str(answers)]) == 0
    out = capsys.readouterr().out
    assert_clean(out)
    assert "Reflect: Plan the talk \ufffd?" in out
    with Journal(load_settings().journal_path) as journal:
        session = journal.list_sessions()[0]
        assert session.status == "done"
        for turn in journal.turns(session.id):
            assert_clean(turn.content)
        artifact = journal.artifact(session.id)
        assert artifact is not None
        assert_clean(artifact.markdown)


def test_journal_stores_document_and_model_text_without_escapes(reflect_home: Path) -> None:
    with Journal(load_settings().journal_path) as journal:
        session = journal.create_session("debrief", "guide", title=f"Title{TITLE_OSC}")
        journal.add_turn(session.id, "assistant", HOSTILE, sources=[Source(HOSTILE, HOSTILE)])
        journal.save_artifact(session.id, HOSTILE, {"sections": [HOSTILE]}, f"# {HOSTILE}\n")
        journal.add_action_item(session.id, HOSTILE)
        stored = [journal.get_session(session.id).title, journal.turns(session.id)[0].content]
        stored.append(json.dumps([asdict(s) for s in journal.turns(session.id)[0].sources]))
        artifact = journal.artifact(session.id)
        stored += [artifact.title, artifact.markdown, json.dumps(artifact.data)]
        stored.append(journal.action_items()[0].text)
    for text in stored:
        assert_clean(text)
        assert "\\u001b" not in text


def seed_raw_session(home: Path) -> tuple[str, str]:
    """A session whose artifact and action item hold escapes, as an older Reflect stored them
    (written past the journal's cleaning, straight into SQLite)."""
    import sqlite3

    storable = HOSTILE.replace("\ud800", "")  # SQLite cannot take a lone surrogate at all
    with Journal(load_settings().journal_path) as journal:
        session = journal.create_session("debrief", "guide")
        journal.save_artifact(session.id, "Notes", {}, "# Notes\n")
        item = journal.add_action_item(session.id, "placeholder")
    with sqlite3.connect(home / "journal.db") as db:
        db.execute("UPDATE artifacts SET markdown = ?", (f"# Notes\n\n{storable}\n",))
        db.execute("UPDATE action_items SET text = ?", (storable,))
        db.execute("UPDATE sessions SET title = ?", (storable,))
    return session.id, item.id


@pytest.mark.parametrize("command", [["actions"], ["journal"], ["export"]])
def test_journal_commands_print_old_stored_escapes_clean(
    command: list[str], reflect_home: Path, capsys
) -> None:
    session_id, _ = seed_raw_session(reflect_home)
    args = [*command, session_id] if command == ["export"] else command
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Plan the talk now done" in out
    assert_clean(out)


def test_knowledge_search_and_sources_print_a_hostile_document_clean(
    knowledge_home: Path, tmp_path: Path, capsys
) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "evil.md").write_text(
        f"---\ntitle: Giving feedback{TITLE_OSC}{CLEAR}\n---\n"
        f"# Ask first{CLIPBOARD_OSC}\n\nBefore giving feedback \x1b[31mask\x1b[0m whether "
        "the person wants it now, and name one concrete behaviour.\n",
        encoding="utf-8",
    )
    assert main(["knowledge", "add", str(notes)]) == 0
    capsys.readouterr()
    query = "ask whether the person wants feedback now"
    assert main(["knowledge", "search", query, "-k", "3"]) == 0
    out = capsys.readouterr().out
    assert "Giving feedback — Ask first" in out
    assert_clean(out)
    assert main(["knowledge", "sources"]) == 0
    out = capsys.readouterr().out
    assert "user/notes/evil.md" in out
    assert_clean(out)
    assert main(["knowledge", "search", "ask whether the person wants feedback", "--json"]) == 0
    raw = capsys.readouterr().out
    assert "\\u001b" not in raw and "pwned" not in raw
