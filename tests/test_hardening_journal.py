"""A journal with a damaged page: nothing crashes, one copy is kept, the readable is recovered.

Before, `reflect export` gave a traceback, opening the session crashed the TUI, and every run
made another full ``journal.db.damaged-*`` copy.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

from assistant.cli import main
from assistant.config import load_settings
from assistant.journal import Journal

SESSIONS = 30
TURNS = 6


def seed(path: Path) -> list[str]:
    ids = []
    with Journal(path) as journal:
        for n in range(SESSIONS):
            session = journal.create_session("debrief", "guide", title=f"Meeting {n}")
            for t in range(TURNS):
                journal.add_turn(session.id, "user", f"answer {n}.{t} " + "words " * 80)
            journal.save_artifact(session.id, f"Notes {n}", {}, f"# Notes {n}\n\n" + "- x\n" * 60)
            ids.append(session.id)
    return ids


def damage_a_leaf_page(path: Path, table: str) -> None:
    """Overwrite one leaf page of ``table`` in the middle of the file with random bytes."""
    with sqlite3.connect(path) as db:
        pages = [p for (p,) in db.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
            (table,),
        )]  # fmt: skip
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
    page = pages[len(pages) // 2]
    with path.open("r+b") as handle:
        handle.seek((page - 1) * page_size)
        handle.write(random.Random(page).randbytes(page_size))


def test_export_and_reading_recover_with_one_copy_and_say_what_was_lost(
    reflect_home: Path, capsys
) -> None:
    path = load_settings().journal_path
    ids = seed(path)
    damage_a_leaf_page(path, "artifacts")
    damage_a_leaf_page(path, "turns")
    codes = [main(["export", session_id]) for session_id in ids]
    captured = capsys.readouterr()
    assert set(codes) <= {0, 1}
    assert "Traceback" not in captured.err
    notices = [line for line in captured.err.splitlines() if "had damaged pages" in line]
    assert len(notices) == 1
    backup = path.with_name("journal.db.damaged")
    assert notices[0].startswith(
        f"reflect: The journal at {path} had damaged pages. A copy of it was kept at {backup}; "
        "everything readable was recovered ("
    )
    assert "Lost: at least " in notices[0]
    assert "the unreadable rows of turns, artifacts (the copy has them)" in notices[0]
    exported = codes.count(0)
    assert SESSIONS // 2 <= exported < SESSIONS  # one damaged page held some artifacts
    # The turns of every session can be read again (what the TUI does when resuming).
    with Journal(path) as journal:
        assert journal.integrity_check() == "ok"
        turns = [len(journal.turns(session_id)) for session_id in ids]
    assert sum(turns) > SESSIONS * TURNS * 0.8
    # Running again makes no second copy and needs no repair.
    assert main(["journal"]) == 0
    assert "damaged" not in capsys.readouterr().err
    assert sorted(p.name for p in reflect_home.glob("journal.db.damaged*")) == [
        "journal.db.damaged"
    ]


def test_a_damaged_page_met_while_resuming_is_repaired_not_a_crash(reflect_home: Path) -> None:
    path = load_settings().journal_path
    ids = seed(path)
    damage_a_leaf_page(path, "turns")
    heard: list[str] = []
    with Journal(path, on_notice=heard.append) as journal:
        for session_id in ids:
            journal.turns(session_id)
        assert len(heard) == 1 and "Lost: at least " in heard[0]
        assert journal.notices == heard
        journal.add_turn(ids[0], "user", "written after the repair")
        assert journal.turns(ids[0])[-1].content == "written after the repair"
