"""The journal: every session, turn, artifact, action item and the user's profile, in SQLite.

Each write is its own committed transaction, so a turn survives a crash or a kill the moment
``add_turn`` returns. The database runs in WAL mode with a busy timeout so that two Reflect
processes on one home can share it. The schema is versioned with ``PRAGMA user_version``.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from assistant.private_files import PRIVATE_FILE_MODE, ensure_private_dir, make_private
from assistant.sanitize import clean_data, clean_text

BUSY_TIMEOUT_MS = 10_000
#: Ids per ``IN (...)`` query, well under SQLite's limit on bound parameters.
SQL_BATCH = 500

MIGRATIONS: list[str] = [
    # 1: the first schema
    """
    CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        flow TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'active',
        mode TEXT NOT NULL DEFAULT 'guide',
        step INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX sessions_by_time ON sessions(created_at DESC);
    CREATE TABLE turns (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        role TEXT NOT NULL,
        content TEXT NOT NULL,
        step INTEGER NOT NULL DEFAULT 0,
        sources TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL DEFAULT 'complete',
        created_at TEXT NOT NULL
    );
    CREATE INDEX turns_by_session ON turns(session_id, seq);
    CREATE TABLE artifacts (
        session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        data TEXT NOT NULL,
        markdown TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE action_items (
        id TEXT PRIMARY KEY,
        session_id TEXT REFERENCES sessions(id) ON DELETE SET NULL,
        text TEXT NOT NULL,
        due TEXT,
        status TEXT NOT NULL DEFAULT 'open',
        created_at TEXT NOT NULL,
        closed_at TEXT
    );
    CREATE INDEX action_items_by_status ON action_items(status, due);
    CREATE TABLE saved_questions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT REFERENCES sessions(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        used_in TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE profile (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 2: full-text search across every turn
    """
    CREATE VIRTUAL TABLE turns_fts USING fts5(
        content, content='turns', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER turns_ai AFTER INSERT ON turns BEGIN
        INSERT INTO turns_fts(rowid, content) VALUES (new.id, new.content);
    END;
    CREATE TRIGGER turns_ad AFTER DELETE ON turns BEGIN
        INSERT INTO turns_fts(turns_fts, rowid, content) VALUES ('delete', old.id, old.content);
    END;
    CREATE TRIGGER turns_au AFTER UPDATE OF content ON turns BEGIN
        INSERT INTO turns_fts(turns_fts, rowid, content) VALUES ('delete', old.id, old.content);
        INSERT INTO turns_fts(rowid, content) VALUES (new.id, new.content);
    END;
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)
PROFILE_FIELDS = ("name", "mentor", "goals", "context")


class JournalError(Exception):
    """The journal cannot be used. ``str()`` is a sentence for the user."""


class JournalWriteError(JournalError):
    """A write was refused (disk full, read-only, busy). What was saved before is intact."""


class JournalCorruptError(JournalError):
    """The journal file is damaged and could not be repaired; nothing was deleted."""


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_id(nbytes: int = 4) -> str:
    """A random hex id (``secrets`` would import OpenSSL at start-up for the same bytes)."""
    return os.urandom(nbytes).hex()


@dataclass
class Session:
    id: str
    flow: str
    title: str
    status: str
    mode: str
    step: int
    state: dict[str, Any]
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class Source:
    """A guidance file a reply was grounded in: its path in its knowledge root and title."""

    source: str
    title: str

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        return cls(str(data.get("source", "")), str(data.get("title", "")))


@dataclass
class Turn:
    id: int
    session_id: str
    seq: int
    role: str
    content: str
    step: int
    sources: list[Source] = field(default_factory=list)
    status: str = "complete"
    created_at: str = ""


@dataclass
class Artifact:
    session_id: str
    title: str
    data: dict[str, Any]
    markdown: str
    updated_at: str


@dataclass
class ActionItem:
    id: str
    session_id: str | None
    text: str
    due: str | None
    status: str
    created_at: str
    closed_at: str | None

    def is_overdue(self, today: date | None = None) -> bool:
        if self.status != "open" or not self.due:
            return False
        return date.fromisoformat(self.due) < (today or date.today())


@dataclass
class SavedQuestion:
    id: int
    session_id: str | None
    text: str
    used_in: str | None
    created_at: str


@dataclass
class SearchHit:
    session: Session
    snippet: str


def _session(row: sqlite3.Row) -> Session:
    return Session(
        id=row["id"],
        flow=row["flow"],
        title=row["title"],
        status=row["status"],
        mode=row["mode"],
        step=row["step"],
        state=json.loads(row["state"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _turn(row: sqlite3.Row) -> Turn:
    return Turn(
        id=row["id"],
        session_id=row["session_id"],
        seq=row["seq"],
        role=row["role"],
        content=row["content"],
        step=row["step"],
        sources=[Source.from_dict(raw) for raw in json.loads(row["sources"])],
        status=row["status"],
        created_at=row["created_at"],
    )


def _action_item(row: sqlite3.Row) -> ActionItem:
    return ActionItem(**{key: row[key] for key in row.keys()})  # noqa: SIM118


def _is_damage(exc: sqlite3.DatabaseError) -> bool:
    """Whether ``exc`` says the file is damaged. The recovery module is loaded when a query
    has failed, not with every start of the app (some 1 ms of its time to the first frame)."""
    from assistant.journal_recovery import is_damage

    return is_damage(exc)


class Journal:
    """One open journal database. Safe to share between threads of one process."""

    def __init__(self, path: Path, on_notice: Callable[[str], None] | None = None) -> None:
        """Open (creating or migrating) the journal at ``path``.

        ``on_notice`` hears what a user should know, such as a repair of damaged pages; the
        sentences are also kept in :attr:`notices`.
        """
        self.path = path
        self._lock = threading.RLock()
        self._on_notice = on_notice
        self.notices: list[str] = []
        #: True when the journal's folder refuses writes: it is read, and nothing can be saved.
        self.read_only = path.exists() and not is_writable(path)
        if self.read_only:
            self._open_read_only()
            return
        try:
            ensure_private_dir(path.parent)
        except OSError as exc:
            raise JournalError(
                f"Cannot create the journal's folder {path.parent}: {exc.strerror}."
            ) from None
        try:
            self._connect()
        except sqlite3.DatabaseError as exc:
            self._close_quietly()
            if not _is_damage(exc) or not path.exists() or path.stat().st_size == 0:
                raise self._unusable(exc) from None
            self._recover()
        for suffix in ("", "-wal", "-shm"):
            make_private(Path(f"{path}{suffix}"))

    def _connect(self) -> None:
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = FULL")
        self._db.execute("PRAGMA foreign_keys = ON")
        self._migrate()

    def _recover(self) -> None:
        """Replace a journal with damaged pages by what can be read of it, and say so."""
        from assistant.journal_recovery import NothingReadable, recover_journal

        with self._lock:
            self._close_quietly()
            if self.read_only:
                raise JournalCorruptError(
                    f"The journal at {self.path} is damaged, and its folder is read-only, so "
                    f"it cannot be repaired there; nothing was changed."
                )
            try:
                recovery = recover_journal(self.path, MIGRATIONS)
                self._connect()
            except NothingReadable as nothing:
                raise JournalCorruptError(
                    f"The journal at {self.path} is damaged and nothing in it could be read. "
                    f"A copy was kept at {nothing.backup}. Move the damaged file away to start "
                    f"a new journal; nothing was deleted."
                ) from None
            except (OSError, sqlite3.Error) as exc:
                self._close_quietly()
                raise JournalCorruptError(
                    f"The journal at {self.path} is damaged and could not be repaired ({exc}); "
                    f"nothing was deleted."
                ) from None
            notice = recovery.sentence(self.path)
            self.notices.append(notice)
            if self._on_notice is not None:
                self._on_notice(notice)

    def _open_read_only(self) -> None:
        """Open for reading only, without creating or migrating anything.

        SQLite reads a WAL journal read-only only if it may use the ``-shm`` file; when that
        is missing on a read-only folder the file is opened as immutable instead (the last
        writer checkpointed it when it closed).
        """
        error: sqlite3.DatabaseError | None = None
        for options in ("mode=ro", "immutable=1"):
            try:
                self._db = sqlite3.connect(
                    f"{self.path.absolute().as_uri()}?{options}",
                    uri=True,
                    isolation_level=None,
                    check_same_thread=False,
                )
                self._db.row_factory = sqlite3.Row
                version = self._db.execute("PRAGMA user_version").fetchone()[0]
                self._db.execute("SELECT count(*) FROM sessions").fetchone()
            except sqlite3.DatabaseError as exc:
                error = exc
                self._close_quietly()
                continue
            if version != SCHEMA_VERSION:
                self._close_quietly()
                raise JournalError(
                    f"The journal at {self.path} is read-only and in schema {version}, but "
                    f"this Reflect needs schema {SCHEMA_VERSION}; it cannot be updated there."
                )
            return
        raise JournalError(f"The journal at {self.path} cannot be read: {error}.")

    @property
    def read_only_notice(self) -> str:
        return (
            f"The journal's folder {self.path.parent} is read-only: you can read your "
            f"journal, but nothing you do now can be saved."
        )

    # --- lifecycle ------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _close_quietly(self) -> None:
        with suppress(sqlite3.Error, AttributeError):
            self._db.close()

    def _unusable(self, exc: sqlite3.DatabaseError) -> JournalError:
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            return JournalError(f"The journal at {self.path} is busy in another process: {exc}")
        return JournalError(f"The journal at {self.path} cannot be opened: {exc}")

    def _migrate(self) -> None:
        # Two processes opening a new journal at once must not both run a migration, and
        # executescript() cannot hold a transaction across the version check, so the check
        # and the migrations run under a lock file beside the journal.
        with self._lock, _file_lock(self.path.with_name(f"{self.path.name}.migrate-lock")):
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise JournalError(
                    f"The journal at {self.path} was written by a newer Reflect "
                    f"(schema {version}, this one knows {SCHEMA_VERSION}); upgrade Reflect."
                )
            for number in range(version, SCHEMA_VERSION):
                try:
                    self._db.executescript(
                        "BEGIN IMMEDIATE;"
                        + MIGRATIONS[number]
                        + f";PRAGMA user_version = {number + 1};COMMIT;"
                    )
                except BaseException:
                    if self._db.in_transaction:
                        self._db.execute("ROLLBACK")
                    raise

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, committed (so on disk) before the block's caller goes on.

        A full disk, a read-only file or an I/O error becomes a :class:`JournalWriteError`
        that says so in one sentence; nothing already saved is touched.
        """
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    if self._db.in_transaction:
                        self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                if _is_damage(exc):
                    self._recover()
                    raise JournalWriteError(
                        f"Could not save to the journal at {self.path}: it had damaged pages, "
                        f"now repaired; try again."
                    ) from None
                if not isinstance(exc, sqlite3.OperationalError):
                    raise
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise JournalWriteError(self._write_failure(exc)) from None

    def _write_failure(self, exc: sqlite3.OperationalError) -> str:
        text = str(exc)
        if "full" in text:
            reason = "the disk is full"
        elif "readonly" in text or "read-only" in text:
            reason = "the file or its folder is read-only"
        elif "locked" in text or "busy" in text:
            reason = "another Reflect process kept it busy too long"
        else:
            reason = text
        return f"Could not save to the journal at {self.path}: {reason}."

    def _write(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        with self._writing() as db:
            return db.execute(sql, params)

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.DatabaseError as exc:
                if not _is_damage(exc):
                    raise
                self._recover()
                return self._db.execute(sql, params).fetchall()

    def integrity_check(self) -> str:
        return self._read("PRAGMA integrity_check")[0][0]

    # --- sessions -------------------------------------------------------------------------

    def create_session(self, flow: str, mode: str, title: str = "") -> Session:
        stamp = now_iso()
        title = clean_text(title)
        session = Session(new_id(), flow, title, "active", mode, 0, {}, stamp, stamp)
        self._write(
            "INSERT INTO sessions (id, flow, title, status, mode, step, state, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, '{}', ?, ?)",
            (session.id, flow, title, "active", mode, 0, stamp, stamp),
        )
        return session

    def get_session(self, session_id: str) -> Session | None:
        """A session by its id or by a unique prefix of it."""
        row = self._row_by_id_or_prefix("sessions", session_id)
        return _session(row) if row is not None else None

    def _row_by_id_or_prefix(self, table: str, ident: str) -> sqlite3.Row | None:
        """The row of ``table`` whose id is ``ident`` or, failing that, the one it begins.

        Both lookups are ranges on the primary key, so they stay quick in a large journal
        (``LIKE`` would scan the table, and treat ``%`` and ``_`` as wildcards).
        """
        rows = self._read(f"SELECT * FROM {table} WHERE id = ?", (ident,))
        if not rows and ident:
            rows = self._read(
                f"SELECT * FROM {table} WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
                (ident, ident + "\U0010ffff"),
            )
        return rows[0] if len(rows) == 1 else None

    def sessions_by_id(self, session_ids: Iterable[str]) -> dict[str, Session]:
        """The sessions with exactly these ids, in a few indexed queries; unknown ids are left out.

        For screens that name the session behind many rows (the journal's action items).
        """
        ids = list(dict.fromkeys(session_ids))
        found: dict[str, Session] = {}
        for start in range(0, len(ids), SQL_BATCH):
            batch = ids[start : start + SQL_BATCH]
            marks = ", ".join("?" * len(batch))
            for row in self._read(f"SELECT * FROM sessions WHERE id IN ({marks})", tuple(batch)):
                found[row["id"]] = _session(row)
        return found

    def list_sessions(
        self, limit: int | None = None, offset: int = 0, flow: str | None = None
    ) -> list[Session]:
        where = "WHERE flow = ?" if flow else ""
        params: tuple[Any, ...] = (flow,) if flow else ()
        return [
            _session(row)
            for row in self._read(
                f"SELECT * FROM sessions {where} ORDER BY created_at DESC, rowid DESC "
                f"LIMIT ? OFFSET ?",
                (*params, -1 if limit is None else limit, offset),
            )
        ]

    def count_sessions(self) -> int:
        return self._read("SELECT count(*) FROM sessions")[0][0]

    def update_session(
        self,
        session_id: str,
        *,
        step: int | None = None,
        status: str | None = None,
        title: str | None = None,
        mode: str | None = None,
        state: dict[str, Any] | None = None,
    ) -> None:
        title = None if title is None else clean_text(title)
        changes = {"step": step, "status": status, "title": title, "mode": mode}
        columns = {key: value for key, value in changes.items() if value is not None}
        if state is not None:
            columns["state"] = json.dumps(clean_data(state), ensure_ascii=False)
        columns["updated_at"] = now_iso()
        assignments = ", ".join(f"{key} = ?" for key in columns)
        self._write(
            f"UPDATE sessions SET {assignments} WHERE id = ?", (*columns.values(), session_id)
        )

    def delete_session(self, session_id: str) -> None:
        self._write("DELETE FROM sessions WHERE id = ?", (session_id,))

    # --- turns ----------------------------------------------------------------------------

    def add_turn(
        self,
        session_id: str,
        role: str,
        content: str,
        *,
        step: int = 0,
        sources: list[Source] | None = None,
        status: str = "complete",
        session_state: dict[str, Any] | None = None,
    ) -> Turn:
        """Record a turn and commit it before returning.

        With ``session_state``, the session's state (and its step, set to ``step``) is saved
        in the same transaction, so a turn and what it changed are on disk together.
        """
        stamp = now_iso()
        # Text from a model or a document: stored without escapes or unencodable characters.
        content = clean_text(content)
        sources = [Source(clean_text(s.source), clean_text(s.title)) for s in sources or []]
        session_state = None if session_state is None else clean_data(session_state)
        with self._writing() as db:
            seq = db.execute(
                "SELECT coalesce(max(seq), 0) + 1 FROM turns WHERE session_id = ?", (session_id,)
            ).fetchone()[0]
            cursor = db.execute(
                "INSERT INTO turns (session_id, seq, role, content, step, sources, status, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session_id,
                    seq,
                    role,
                    content,
                    step,
                    json.dumps([asdict(source) for source in sources], ensure_ascii=False),
                    status,
                    stamp,
                ),
            )
            db.execute("UPDATE sessions SET updated_at = ? WHERE id = ?", (stamp, session_id))
            if session_state is not None:
                db.execute(
                    "UPDATE sessions SET state = ?, step = ? WHERE id = ?",
                    (json.dumps(session_state, ensure_ascii=False), step, session_id),
                )
        return Turn(
            cursor.lastrowid or 0, session_id, seq, role, content, step, sources, status, stamp
        )

    def update_turn(self, turn_id: int, *, content: str, status: str) -> None:
        self._write(
            "UPDATE turns SET content = ?, status = ? WHERE id = ?",
            (clean_text(content), status, turn_id),
        )

    def turns(self, session_id: str) -> list[Turn]:
        return [
            _turn(row)
            for row in self._read(
                "SELECT * FROM turns WHERE session_id = ? ORDER BY seq", (session_id,)
            )
        ]

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Sessions whose turns match ``query`` (words, any order), newest first."""
        words = [word for word in query.replace('"', " ").split() if word]
        if not words:
            return []
        match = " ".join(f'"{word}"' for word in words)
        # First the newest matching sessions with their latest matching turn, then one
        # snippet per session: snippet() cannot run inside the aggregate.
        rows = self._read(
            "SELECT s.*, max(t.id) AS turn_id FROM turns_fts "
            "JOIN turns t ON t.id = turns_fts.rowid JOIN sessions s ON s.id = t.session_id "
            "WHERE turns_fts MATCH ? GROUP BY s.id ORDER BY s.created_at DESC LIMIT ?",
            (match, limit),
        )
        turn_ids = [row["turn_id"] for row in rows]
        marks = ",".join("?" * len(turn_ids))
        snippets = {
            snippet_row[0]: snippet_row[1]
            for snippet_row in self._read(
                "SELECT rowid, snippet(turns_fts, 0, '', '', '…', 12) FROM turns_fts "
                f"WHERE turns_fts MATCH ? AND rowid IN ({marks})",
                (match, *turn_ids),
            )
        }
        return [SearchHit(_session(row), snippets.get(row["turn_id"], "")) for row in rows]

    # --- artifacts ------------------------------------------------------------------------

    def save_artifact(
        self, session_id: str, title: str, data: dict[str, Any], markdown: str
    ) -> Artifact:
        stamp = now_iso()
        title, data, markdown = clean_text(title), clean_data(data), clean_text(markdown)
        self._write(
            "INSERT INTO artifacts (session_id, title, data, markdown, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(session_id) DO UPDATE SET "
            "title = excluded.title, data = excluded.data, markdown = excluded.markdown, "
            "updated_at = excluded.updated_at",
            (session_id, title, json.dumps(data, ensure_ascii=False), markdown, stamp),
        )
        return Artifact(session_id, title, data, markdown, stamp)

    def artifact(self, session_id: str) -> Artifact | None:
        rows = self._read("SELECT * FROM artifacts WHERE session_id = ?", (session_id,))
        if not rows:
            return None
        row = rows[0]
        return Artifact(
            row["session_id"],
            row["title"],
            json.loads(row["data"]),
            row["markdown"],
            row["updated_at"],
        )

    # --- action items ---------------------------------------------------------------------

    def add_action_item(
        self, session_id: str | None, text: str, due: str | None = None
    ) -> ActionItem:
        item = ActionItem(new_id(3), session_id, clean_text(text), due, "open", now_iso(), None)
        self._write(
            "INSERT INTO action_items (id, session_id, text, due, status, created_at) "
            "VALUES (?, ?, ?, ?, 'open', ?)",
            (item.id, session_id, item.text, due, item.created_at),
        )
        return item

    def action_items(self, status: str | None = "open") -> list[ActionItem]:
        where = "WHERE status = ?" if status else ""
        params: tuple[Any, ...] = (status,) if status else ()
        return [
            _action_item(row)
            for row in self._read(
                f"SELECT * FROM action_items {where} ORDER BY due IS NULL, due, created_at, rowid",
                params,
            )
        ]

    def get_action_item(self, item_id: str) -> ActionItem | None:
        """An action item by its id or by a unique prefix of it."""
        row = self._row_by_id_or_prefix("action_items", item_id)
        return _action_item(row) if row is not None else None

    def set_action_status(self, item_id: str, status: str) -> None:
        if status not in ("open", "done", "dropped"):
            raise ValueError(f"unknown action item status {status!r}")
        closed = None if status == "open" else now_iso()
        self._write(
            "UPDATE action_items SET status = ?, closed_at = ? WHERE id = ?",
            (status, closed, item_id),
        )

    # --- saved questions ------------------------------------------------------------------

    def save_question(self, session_id: str | None, text: str) -> None:
        self._write(
            "INSERT INTO saved_questions (session_id, text, created_at) VALUES (?, ?, ?)",
            (session_id, clean_text(text), now_iso()),
        )

    def unused_questions(self) -> list[SavedQuestion]:
        return [
            SavedQuestion(**dict(row))
            for row in self._read("SELECT * FROM saved_questions WHERE used_in IS NULL ORDER BY id")
        ]

    def mark_questions_used(self, question_ids: list[int], session_id: str) -> None:
        with self._writing() as db:
            db.executemany(
                "UPDATE saved_questions SET used_in = ? WHERE id = ?",
                [(session_id, question_id) for question_id in question_ids],
            )

    # --- profile --------------------------------------------------------------------------

    def profile(self) -> dict[str, str]:
        stored = {row["key"]: row["value"] for row in self._read("SELECT * FROM profile")}
        return {key: stored.get(key, "") for key in PROFILE_FIELDS}

    def set_profile(self, **values: str) -> None:
        unknown = set(values) - set(PROFILE_FIELDS)
        if unknown:
            raise ValueError(f"unknown profile fields: {', '.join(sorted(unknown))}")
        with self._writing() as db:
            db.executemany(
                "INSERT INTO profile (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [(key, clean_text(value).strip()) for key, value in values.items()],
            )


def is_writable(path: Path) -> bool:
    """Whether ``path`` and its folder accept writes (a read-only mount refuses even root)."""
    folder = path.parent
    try:
        read_only_mount = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False
    return not read_only_mount and os.access(folder, os.W_OK) and os.access(path, os.W_OK)


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive advisory lock held for the block (on a file of its own: closing another
    descriptor of the journal would drop SQLite's own locks)."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)
