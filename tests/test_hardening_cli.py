"""The shell commands against careless or hostile input: one clear line, never harm done.

`export -o` leaves the target's folder alone and replaces nothing without --force (and never a
device or a folder); `actions --done` needs enough of an id; an argument that is not UTF-8 is
one line; a key inside the base URL never appears in `doctor` or a notice.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from assistant.config import load_settings
from assistant.journal import Journal
from tests.support.cli import reflect
from tests.support.openai_server import ScriptedOpenAI

ARTIFACT = "# Agenda\n\n- Ask about the lead role\n"


@pytest.fixture
def session_id(reflect_home: Path) -> str:
    with Journal(load_settings().journal_path) as journal:
        session = journal.create_session("prepare", "guide", title="Agenda")
        journal.save_artifact(session.id, "Agenda", {}, ARTIFACT)
    return session.id


def one_line(result) -> str:
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_export_leaves_a_shared_folder_mode_alone(session_id: str, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)  # like /tmp: world-writable with the sticky bit
    result = reflect("export", session_id, "-o", str(shared / "agenda.md"))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert (shared / "agenda.md").read_text(encoding="utf-8") == ARTIFACT
    assert stat.S_IMODE((shared / "agenda.md").stat().st_mode) == 0o600


def test_export_never_overwrites_without_force(session_id: str, tmp_path: Path) -> None:
    target = tmp_path / "agenda.md"
    target.write_text("my own notes\n", encoding="utf-8")
    refused = reflect("export", session_id, "-o", str(target))
    assert refused.returncode == 1
    assert one_line(refused) == f"reflect: {target} already exists; add --force to replace it"
    assert target.read_text(encoding="utf-8") == "my own notes\n"
    forced = reflect("export", session_id, "-o", str(target), "--force")
    assert forced.returncode == 0, forced.stderr
    assert target.read_text(encoding="utf-8") == ARTIFACT


def test_export_never_replaces_a_device_even_with_force(session_id: str, tmp_path: Path) -> None:
    device = tmp_path / "null"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a /dev/null of our own
    for extra in ([], ["--force"]):
        result = reflect("export", session_id, "-o", str(device), *extra)
        assert result.returncode == 1
        assert one_line(result) == (
            f"reflect: {device} is not a regular file; an export is never written there"
        )
        assert stat.S_ISCHR(device.stat().st_mode)


def test_export_to_a_folder_or_below_a_file_is_one_line(session_id: str, tmp_path: Path) -> None:
    folder = reflect("export", session_id, "-o", str(tmp_path))
    assert folder.returncode == 1
    assert one_line(folder) == (
        f"reflect: {tmp_path} is a folder; give a file name, e.g. {tmp_path}/notes.md"
    )
    (tmp_path / "notes.txt").write_text("a file, not a folder\n", encoding="utf-8")
    below_a_file = tmp_path / "notes.txt" / "agenda.md"
    result = reflect("export", session_id, "-o", str(below_a_file))
    assert result.returncode == 1
    assert one_line(result) == f"reflect: cannot write {below_a_file}: not a directory"


def test_export_to_a_read_only_folder_is_one_line(session_id: str, tmp_path: Path) -> None:
    from tests.support.tmpfs import mounted_tmpfs

    with mounted_tmpfs(tmp_path / "ro", read_only=True) as mount:
        result = reflect("export", session_id, "-o", str(mount / "agenda.md"))
    assert result.returncode == 1
    assert one_line(result) == (
        f"reflect: cannot write {mount / 'agenda.md'}: read-only file system"
    )


def test_actions_done_needs_four_characters_of_the_id(reflect_home: Path) -> None:
    with Journal(load_settings().journal_path) as journal:
        item = journal.add_action_item(None, "Send the doc to Maria")
    short = reflect("actions", "--done", item.id[0])
    assert short.returncode == 1
    assert one_line(short) == (
        f"reflect: '{item.id[0]}' is too short to be sure: it matches {item.id} "
        f"(Send the doc to Maria); give at least 4 characters of the id"
    )
    with Journal(load_settings().journal_path) as journal:
        assert [i.id for i in journal.action_items("open")] == [item.id]
    done = reflect("actions", "--done", item.id[:4])
    assert done.returncode == 0 and done.stdout == "Done: Send the doc to Maria\n"


NOT_UTF8 = "\udcff"  # how Python holds the byte 0xff of an argument


@pytest.mark.parametrize(
    "args",
    [["export", NOT_UTF8], ["actions", "--done", NOT_UTF8], ["knowledge", "search", NOT_UTF8]],
)
def test_an_argument_that_is_not_utf8_is_one_line(args: list[str]) -> None:
    import subprocess
    import sys

    raw = [os.fsencode(arg) for arg in args]
    result = subprocess.run(
        [sys.executable.encode(), b"-m", b"assistant", *raw], capture_output=True, timeout=60
    )
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr
    assert result.stderr.decode() == (
        "reflect: the argument '\\xff' is not valid UTF-8 text; "
        "Reflect takes only UTF-8 words, ids and file names\n"
    )


def test_a_key_inside_the_base_url_is_masked_by_doctor(scripted_openai: ScriptedOpenAI) -> None:
    secret = "sk-in-the-url-0123456789"
    with_key = scripted_openai.base_url.replace("http://", f"http://me:{secret}@")
    result = reflect("doctor", env={"OPENAI_BASE_URL": with_key, "REFLECT_MODEL": "test-model"})
    assert secret not in result.stdout + result.stderr
    masked = with_key.replace(secret, "***")
    assert f"Model mode: test-model at {masked}" in result.stdout


def test_a_key_inside_an_unreachable_base_url_is_masked_in_the_error() -> None:
    secret = "sk-in-the-url-0123456789"
    result = reflect("doctor", env={"OPENAI_BASE_URL": f"http://me:{secret}@127.0.0.1:9/v1"})
    assert result.returncode == 1
    assert secret not in result.stdout + result.stderr
    assert "Cannot reach the model endpoint at http://me:***@127.0.0.1:9/v1" in result.stdout
