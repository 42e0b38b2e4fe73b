"""A read-only or full REFLECT_HOME gets one clear sentence and loses nothing already saved."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assistant.journal import Journal, JournalWriteError
from tests.support.tmpfs import mounted_tmpfs


def reflect(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], capture_output=True, text=True, timeout=60
    )


def test_read_only_home_is_one_line_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with mounted_tmpfs(tmp_path / "ro", read_only=True) as mount:
        home = mount / "reflect"
        monkeypatch.setenv("REFLECT_HOME", str(home))
        result = reflect("journal")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"reflect: REFLECT_HOME {home} cannot be used: Read-only file system; "
        "point REFLECT_HOME at a writable folder"
    ]


def test_read_only_home_fails_doctor_naming_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with mounted_tmpfs(tmp_path / "ro", read_only=True) as mount:
        monkeypatch.setenv("REFLECT_HOME", str(mount))
        result = reflect("doctor")
    assert result.returncode == 1
    assert f"[FAIL] home: {mount} is not writable" in result.stdout
    assert "Traceback" not in result.stderr


def test_full_disk_refuses_the_write_in_one_sentence_and_keeps_earlier_turns(
    tmp_path: Path,
) -> None:
    with mounted_tmpfs(tmp_path / "small", size="1m") as mount:
        journal = Journal(mount / "journal.db")
        session = journal.create_session("debrief", "guide")
        journal.add_turn(session.id, "user", "an answer saved before the disk filled up")
        filler = mount / "filler"
        with filler.open("wb") as handle, pytest.raises(OSError):
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        with pytest.raises(JournalWriteError) as caught:
            for n in range(200):
                journal.add_turn(session.id, "user", f"a long answer {n} " * 400)
        assert str(caught.value) == (
            f"Could not save to the journal at {mount / 'journal.db'}: the disk is full."
        )
        filler.unlink()
        journal.add_turn(session.id, "user", "written once space was free again")
        contents = [turn.content for turn in journal.turns(session.id)]
        assert contents[0] == "an answer saved before the disk filled up"
        assert contents[-1] == "written once space was free again"
        assert journal.integrity_check() == "ok"
        journal.close()
