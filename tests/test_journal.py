"""The journal keeps every turn the moment it happens, in private files, through kills."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from assistant.journal import SCHEMA_VERSION, Journal, JournalCorruptError, Source


@pytest.fixture
def journal(reflect_home: Path) -> Journal:
    with Journal(reflect_home / "journal.db") as opened:
        yield opened


def test_files_and_folder_are_private(journal: Journal, reflect_home: Path) -> None:
    session = journal.create_session("prepare", "guide")
    journal.add_turn(session.id, "user", "hello")
    assert reflect_home.stat().st_mode & 0o777 == 0o700
    for path in reflect_home.iterdir():
        assert path.stat().st_mode & 0o777 == 0o600, path


def test_schema_is_versioned_and_wal(journal: Journal) -> None:
    db = sqlite3.connect(journal.path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_sessions_turns_artifacts_round_trip(journal: Journal) -> None:
    session = journal.create_session("debrief", "guide", title="Debrief with Sam")
    journal.add_turn(session.id, "assistant", "What was discussed?", step=0)
    journal.add_turn(
        session.id,
        "user",
        "We talked about my promotion case",
        step=0,
        sources=[Source("receiving-feedback.md", "Receiving feedback")],
    )
    journal.update_session(session.id, step=1, state={"answers": {"discussed": "promotion"}})
    journal.save_artifact(session.id, "Reflection", {"sections": []}, "# Reflection\n")
    reopened = journal.get_session(session.id[:5])
    assert reopened is not None and reopened.step == 1
    assert reopened.state == {"answers": {"discussed": "promotion"}}
    turns = journal.turns(session.id)
    assert [t.role for t in turns] == ["assistant", "user"]
    assert turns[1].sources == [Source("receiving-feedback.md", "Receiving feedback")]
    assert journal.artifact(session.id).markdown == "# Reflection\n"
    assert journal.search("promotion")[0].session.id == session.id


def test_a_session_is_found_by_a_unique_prefix_of_its_id_only(journal: Journal) -> None:
    first = journal.create_session("ask", "guide")
    second = journal.create_session("ask", "guide")
    shared = 0
    while first.id[shared] == second.id[shared]:
        shared += 1
    assert journal.get_session(first.id[: shared + 1]).id == first.id
    assert journal.get_session(second.id[: shared + 1]).id == second.id
    assert journal.get_session(first.id[:shared]) is None  # both match: ambiguous
    assert journal.get_session("%") is None  # typed literally, not a wildcard
    assert journal.get_session("") is None


def test_action_items_and_profile(journal: Journal) -> None:
    session = journal.create_session("debrief", "guide")
    late = journal.add_action_item(session.id, "Send the draft", due="2020-01-03")
    journal.add_action_item(session.id, "Book a call")
    assert [item.text for item in journal.action_items()] == ["Send the draft", "Book a call"]
    assert journal.action_items()[0].is_overdue()
    journal.set_action_status(late.id, "done")
    assert [item.text for item in journal.action_items()] == ["Book a call"]
    journal.set_profile(mentor="Priya", goals="Lead a project")
    assert journal.profile()["mentor"] == "Priya"


def test_deleting_a_session_removes_its_turns(journal: Journal) -> None:
    session = journal.create_session("ask", "guide")
    journal.add_turn(session.id, "user", "a question about budgets")
    journal.delete_session(session.id)
    assert journal.get_session(session.id) is None
    assert journal.turns(session.id) == []
    assert journal.search("budgets") == []


def test_a_turn_survives_sigkill_right_after_it_is_recorded(reflect_home: Path) -> None:
    path = reflect_home / "journal.db"
    script = textwrap.dedent(
        f"""
        import os, sys, time
        from pathlib import Path
        from assistant.journal import Journal
        journal = Journal(Path({str(path)!r}))
        session = journal.create_session("prepare", "guide")
        journal.add_turn(session.id, "user", "my answer that must not be lost")
        print(session.id, flush=True)
        time.sleep(60)
        """
    )
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    session_id = process.stdout.readline().strip()
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    with Journal(path) as journal:
        assert journal.integrity_check() == "ok"
        assert [t.content for t in journal.turns(session_id)] == ["my answer that must not be lost"]


def test_two_processes_writing_at_once_do_not_corrupt(reflect_home: Path) -> None:
    path = reflect_home / "journal.db"
    Journal(path).close()
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from assistant.journal import Journal
        journal = Journal(Path({str(path)!r}))
        session = journal.create_session("ask", "guide")
        for n in range(150):
            journal.add_turn(session.id, "user", f"turn {{n}}")
        """
    )
    writers = [subprocess.Popen([sys.executable, "-c", script]) for _ in range(2)]
    assert [writer.wait(timeout=60) for writer in writers] == [0, 0]
    with Journal(path) as journal:
        assert journal.integrity_check() == "ok"
        sessions = journal.list_sessions()
        assert len(sessions) == 2
        assert all(len(journal.turns(s.id)) == 150 for s in sessions)


def test_processes_opening_a_new_journal_at_once_migrate_it_once(reflect_home: Path) -> None:
    path = reflect_home / "journal.db"
    script = (
        "from pathlib import Path\nfrom assistant.journal import Journal\n"
        f"Journal(Path({str(path)!r}))"
    )
    openers = [subprocess.Popen([sys.executable, "-c", script]) for _ in range(4)]
    assert [opener.wait(timeout=60) for opener in openers] == [0, 0, 0, 0]
    assert list(reflect_home.glob("journal.db.damaged-*")) == []
    with Journal(path) as journal:
        assert journal.integrity_check() == "ok"


def test_a_damaged_file_is_kept_and_reported_never_reset(reflect_home: Path) -> None:
    reflect_home.mkdir(parents=True)
    path = reflect_home / "journal.db"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(JournalCorruptError) as caught:
        Journal(path)
    assert str(path) in str(caught.value)
    backups = list(reflect_home.glob("journal.db.damaged-*"))
    assert len(backups) == 1
    assert backups[0].read_bytes() == path.read_bytes()
