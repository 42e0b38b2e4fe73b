"""Recovering what can still be read from a journal with damaged pages.

A damaged page (a disk error, a copy cut short) makes every query that touches it fail with
"database disk image is malformed", while the rest of the file is fine. Recovery:

1. keeps one copy of the damaged file beside it (``journal.db.damaged``, and its
   ``-wal`` if there is one), replacing an older copy rather than piling up one per run;
2. copies every row that can still be read into a new journal with the current schema,
   table by table; where a table cannot be read in one go, it is read by ranges of row ids
   that are halved around the damage until single rows, so only the unreadable rows are lost;
3. puts the new journal in place of the old one (the old WAL files go with it);
4. says what was recovered and what was lost: turns missing from a session (their
   sequence numbers show the gaps) and sessions whose turns survived but not the session.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.private_files import make_private

#: The tables copied, parents before children; the full-text index is rebuilt by triggers.
TABLES = ("sessions", "turns", "artifacts", "action_items", "saved_questions", "profile")
#: Row ids are searched up to here when the table cannot even say its largest one.
MAX_ROWID_GUESS = 1 << 40
#: The most queries spent on one table's damaged ranges: the damage is given up on after.
MAX_PROBES = 20_000
DAMAGE_MARKERS = ("malformed", "not a database", "disk image", "database corrupt")


class NothingReadable(Exception):
    """Not one row could be read: the journal is left as it is (a copy was kept)."""

    def __init__(self, backup: Path) -> None:
        super().__init__(str(backup))
        self.backup = backup


def is_damage(exc: sqlite3.DatabaseError) -> bool:
    """Whether ``exc`` says the file is damaged (not busy, full or read-only)."""
    text = str(exc).lower()
    return any(marker in text for marker in DAMAGE_MARKERS)


@dataclass
class Recovery:
    """What a recovery kept and lost, and where the damaged copy is."""

    backup: Path
    recovered: dict[str, int] = field(default_factory=dict)
    #: Per table, how many rows (or ranges of rows) could not be read.
    unreadable: dict[str, int] = field(default_factory=dict)
    lost_turns: int = 0
    sessions_with_lost_turns: list[str] = field(default_factory=list)
    lost_sessions: list[str] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return any(self.recovered.values())

    def sentence(self, path: Path) -> str:
        kept = ", ".join(f"{count} {table.replace('_', ' ')}" for table, count in
                         self.recovered.items() if count)  # fmt: skip
        lost: list[str] = []
        if self.lost_turns:
            ids = ", ".join(self.sessions_with_lost_turns[:5])
            lost.append(f"at least {self.lost_turns} turn(s) of session(s) {ids}")
        if self.lost_sessions:
            lost.append(f"the session record(s) {', '.join(self.lost_sessions[:5])}")
        damaged_tables = [table.replace("_", " ") for table, bad in self.unreadable.items() if bad]
        if damaged_tables:
            lost.append(f"the unreadable rows of {', '.join(damaged_tables)} (the copy has them)")
        return (
            f"The journal at {path} had damaged pages. A copy of it was kept at {self.backup}; "
            f"everything readable was recovered ({kept or 'nothing'}). "
            f"Lost: {'; '.join(lost) if lost else 'nothing that could be counted'}."
        )


def recover_journal(path: Path, migrations: Sequence[str]) -> Recovery:
    """Replace the journal at ``path`` by what can be read of it (see the module's notes).

    The caller has closed its own connection. Raises :class:`NothingReadable` (and changes
    nothing but the copy) when no row at all can be read, e.g. when the file is not a
    database: that is never replaced by an empty journal. Raises ``OSError`` if the copy or
    the new file cannot be written.
    """
    backup = _keep_one_copy(path)
    rebuilt = path.with_name(f".{path.name}.recovering")
    rebuilt.unlink(missing_ok=True)
    recovery = Recovery(backup)
    source = sqlite3.connect(backup)  # the copy: reading it may checkpoint its WAL
    target = sqlite3.connect(rebuilt, isolation_level=None)
    try:
        try:
            source.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError:
            recovery.recovered = {}  # not even the list of tables: nothing to read
        else:
            _copy_tables(source, target, migrations, recovery)
    finally:
        source.close()
        target.close()
    if not recovery.anything:
        rebuilt.unlink(missing_ok=True)
        raise NothingReadable(backup)
    make_private(rebuilt)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(rebuilt, path)
    return recovery


def _copy_tables(
    source: sqlite3.Connection,
    target: sqlite3.Connection,
    migrations: Sequence[str],
    recovery: Recovery,
) -> None:
    for number, script in enumerate(migrations, start=1):
        target.executescript(f"BEGIN;{script};PRAGMA user_version = {number};COMMIT;")
    target.execute("BEGIN")
    for table in TABLES:
        rows, bad_ranges = _readable_rows(source, table)
        recovery.unreadable[table] = bad_ranges
        recovery.recovered[table] = _insert(target, table, rows)
    target.execute("COMMIT")
    _count_losses(target, recovery)


def _keep_one_copy(path: Path) -> Path:
    backup = path.with_name(f"{path.name}.damaged")
    for suffix in ("", "-wal"):
        original = Path(f"{path}{suffix}")
        copy = Path(f"{backup}{suffix}")
        copy.unlink(missing_ok=True)
        if original.exists() and (suffix == "" or original.stat().st_size):
            shutil.copyfile(original, copy)
            make_private(copy)
    return backup


def _readable_rows(db: sqlite3.Connection, table: str) -> tuple[list[sqlite3.Row], int]:
    """Every row of ``table`` that can be read, and how many ranges of row ids could not."""
    db.row_factory = sqlite3.Row
    try:
        return db.execute(f"SELECT rowid AS _rowid, * FROM {table}").fetchall(), 0
    except sqlite3.DatabaseError:
        pass
    try:
        top = db.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0
    except sqlite3.DatabaseError:
        top = MAX_ROWID_GUESS
    rows: list[sqlite3.Row] = []
    bad = 0
    pending = [(1, top)]
    probes = 0
    while pending and probes < MAX_PROBES:
        probes += 1
        low, high = pending.pop()
        try:
            rows += db.execute(
                f"SELECT rowid AS _rowid, * FROM {table} WHERE rowid BETWEEN ? AND ?",
                (low, high),
            ).fetchall()
        except sqlite3.DatabaseError:
            if low == high:
                bad += 1
            else:
                middle = (low + high) // 2
                pending += [(middle + 1, high), (low, middle)]
    return sorted(rows, key=lambda row: row["_rowid"]), bad


def _insert(db: sqlite3.Connection, table: str, rows: list[sqlite3.Row]) -> int:
    count = 0
    for row in rows:
        columns = [key for key in row.keys() if key != "_rowid"]  # noqa: SIM118
        values: list[Any] = [row[key] for key in columns]
        marks = ", ".join("?" * len(columns))
        try:
            db.execute(
                f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ({marks})", values
            )
        except sqlite3.Error:
            continue  # a row whose values were damaged too
        count += 1
    return count


def _count_losses(db: sqlite3.Connection, recovery: Recovery) -> None:
    gaps = db.execute(
        "SELECT session_id, max(seq) - count(*) FROM turns GROUP BY session_id "
        "HAVING max(seq) > count(*) ORDER BY session_id"
    ).fetchall()
    recovery.lost_turns = sum(missing for _, missing in gaps)
    recovery.sessions_with_lost_turns = [session for session, _ in gaps]
    recovery.lost_sessions = [
        session
        for (session,) in db.execute(
            "SELECT DISTINCT session_id FROM turns WHERE session_id NOT IN "
            "(SELECT id FROM sessions) ORDER BY session_id"
        )
    ]
