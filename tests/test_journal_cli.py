"""`reflect journal`, `reflect export` and `reflect actions` as a script would use them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.journal import Journal
from tests.support.cli import reflect


@pytest.fixture
def seeded(reflect_home: Path) -> dict[str, str]:
    with Journal(reflect_home / "journal.db") as journal:
        session = journal.create_session("debrief", "guide", title="After the review")
        journal.add_turn(session.id, "user", "It went well")
        journal.save_artifact(
            session.id, "Reflection", {"title": "Reflection"}, "# Reflection\n\n- It went well\n"
        )
        item = journal.add_action_item(session.id, "Send Sam the roadmap", due="2031-05-02")
        draft = journal.create_session("prepare", "guide", title="Next meeting")
    return {"session": session.id, "item": item.id, "draft": draft.id}


def test_journal_lists_sessions_as_text_and_json(seeded: dict[str, str]) -> None:
    text = reflect("journal")
    assert text.returncode == 0
    assert "After the review" in text.stdout and "debrief" in text.stdout
    data = json.loads(reflect("journal", "--json").stdout)
    assert {s["id"] for s in data["sessions"]} == {seeded["session"], seeded["draft"]}


def test_export_writes_the_artifact_privately(seeded: dict[str, str], tmp_path: Path) -> None:
    assert reflect("export", seeded["session"]).stdout == "# Reflection\n\n- It went well\n"
    target = tmp_path / "out" / "reflection.md"
    result = reflect("export", seeded["session"][:4], "-o", str(target))
    assert result.returncode == 0
    assert target.read_text() == "# Reflection\n\n- It went well\n"
    assert target.stat().st_mode & 0o777 == 0o600


def test_export_explains_missing_sessions_and_artifacts(seeded: dict[str, str]) -> None:
    missing = reflect("export", "zzzz")
    assert missing.returncode == 1
    assert "no session matches 'zzzz'" in missing.stderr
    unfinished = reflect("export", seeded["draft"])
    assert unfinished.returncode == 1
    assert "has no artifact yet" in unfinished.stderr


def test_actions_lists_and_marks_done(seeded: dict[str, str]) -> None:
    listed = reflect("actions")
    assert "Send Sam the roadmap (due 2031-05-02)" in listed.stdout
    data = json.loads(reflect("actions", "--json").stdout)
    assert data["action_items"][0]["id"] == seeded["item"]
    assert data["action_items"][0]["overdue"] is False
    done = reflect("actions", "--done", seeded["item"])
    assert done.returncode == 0 and "Done: Send Sam the roadmap" in done.stdout
    assert json.loads(reflect("actions", "--json").stdout)["action_items"] == []
    assert reflect("actions", "--done", "nope").returncode == 1


def test_help_lists_the_commands() -> None:
    result = reflect("--help")
    assert result.returncode == 0
    for command in ("doctor", "journal", "export", "actions"):
        assert command in result.stdout


def test_a_reader_that_stops_early_gets_no_traceback(seeded: dict[str, str]) -> None:
    """`reflect journal | head -1`: the pipe closes before reflect writes; it stops quietly."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "assistant", "journal"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert result.stderr == ""
    assert result.returncode == 141


def test_the_cli_names_statuses_with_the_words_the_app_uses(seeded: dict[str, str]) -> None:
    from assistant.ui.widgets.journal_tables import status_label

    text = reflect("journal").stdout
    with Journal(Path(os.environ["REFLECT_HOME"]) / "journal.db") as journal:
        sessions = {s.id: s for s in journal.list_sessions()}
    for session_id, session in sessions.items():
        line = next(row for row in text.splitlines() if row.startswith(session_id))
        assert f" {status_label(session)} " in line
    assert "finished" in text and "unfinished" in text
    assert " done " not in text and " active " not in text
