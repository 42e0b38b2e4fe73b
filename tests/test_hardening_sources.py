"""The user's own sources: a bad item is skipped with one line, and everything else works.

A file whose name is not UTF-8, a link out of the added folder (to a private key, say), a
subfolder that cannot be read and a damaged ``sources.json`` each get one line; the built-in
guidance and the user's other files stay searchable. A source can be removed again, and adding
a huge folder stops at a bound, saying so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.config import load_settings
from assistant.knowledge import KnowledgeBase
from assistant.knowledge.sources import sources_file

GOOD_NOTE = (
    "# Before the one-to-one\n\nWrite down the one decision you need from your mentor, "
    "and the evidence you will bring to the meeting.\n"
)
SECRET = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAA\n"


def notes_folder(tmp_path: Path) -> Path:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "one-to-one.md").write_text(GOOD_NOTE, encoding="utf-8")
    return notes


def sources(kb: KnowledgeBase) -> list[str]:
    return [info.source for info in kb.sources()]


def test_a_file_name_that_is_not_utf8_is_skipped_and_the_rest_works(
    knowledge_home: Path, tmp_path: Path, capsys
) -> None:
    notes = notes_folder(tmp_path)
    bad = os.path.join(os.fsencode(notes), b"caf\xe9.md")
    with open(bad, "w", encoding="utf-8") as handle:
        handle.write(GOOD_NOTE)
    assert main(["knowledge", "add", str(notes)]) == 0
    err = capsys.readouterr().err
    assert f"reflect: {notes}/caf\\xe9.md: skipped, the file's name is not UTF-8 text" in err
    for command in (["knowledge", "index"], ["knowledge", "index", "--rebuild"]):
        assert main(command) == 0
    capsys.readouterr()
    assert main(["knowledge", "sources"]) == 0
    listed = capsys.readouterr().out
    assert "user/notes/one-to-one.md" in listed and "receiving-feedback.md" in listed
    with KnowledgeBase.open(load_settings()) as kb:
        found = kb.search("the decision I need from my mentor and my evidence", k=3)
        assert "user/notes/one-to-one.md" in [p.source for p in found]
        builtin = kb.search("how to receive critical feedback", k=3)
        assert any("/" not in p.source for p in builtin)  # the built-in corpus is still there


def test_a_link_out_of_the_added_folder_is_not_followed(
    knowledge_home: Path, tmp_path: Path, capsys
) -> None:
    notes = notes_folder(tmp_path)
    secrets = tmp_path / "ssh"
    secrets.mkdir()
    (secrets / "id_ed25519").write_text(SECRET, encoding="utf-8")
    (notes / "key.md").symlink_to(secrets / "id_ed25519")
    (notes / "keys").symlink_to(secrets, target_is_directory=True)
    (notes / "same.md").symlink_to(notes / "one-to-one.md")  # inside: fine
    assert main(["knowledge", "add", str(notes)]) == 0
    err = capsys.readouterr().err
    assert (
        f"reflect: {notes / 'key.md'}: skipped, it is a link to a file outside the added "
        "folder; add its target itself to use it"
    ) in err
    assert f"reflect: {notes / 'keys'}: skipped, it is a link to a folder outside" in err
    with KnowledgeBase.open(load_settings()) as kb:
        assert {s for s in sources(kb) if s.startswith("user/")} == {
            "user/notes/one-to-one.md",
            "user/notes/same.md",
        }
        passages = kb.search("BEGIN OPENSSH PRIVATE KEY", k=10)
    assert not any("OPENSSH" in p.text for p in passages)


def test_a_subfolder_that_cannot_be_read_is_named(knowledge_home: Path, tmp_path: Path) -> None:
    notes = notes_folder(tmp_path)
    locked = notes / "locked"
    locked.mkdir()
    (locked / "private.md").write_text(GOOD_NOTE, encoding="utf-8")
    os.chmod(locked, 0)
    try:
        # Root reads anything; without the capabilities that allow it, modes count again.
        result = subprocess.run(
            ["capsh", "--drop=cap_dac_override,cap_dac_read_search", "--",
             "-c", f"{sys.executable} -m assistant knowledge add {notes}"],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    finally:
        os.chmod(locked, 0o700)
    assert result.returncode == 0, result.stderr
    assert (
        f"reflect: {locked}: skipped, the folder cannot be read (permission denied)"
    ) in result.stderr.splitlines()
    assert "Added 1 file(s): user/notes/one-to-one.md" in result.stdout


def test_a_damaged_sources_json_is_kept_said_and_removable(
    knowledge_home: Path, tmp_path: Path, capsys
) -> None:
    notes = notes_folder(tmp_path)
    assert main(["knowledge", "add", str(notes)]) == 0
    path = sources_file(load_settings())
    damaged = path.read_text(encoding="utf-8")[:-20]  # cut off, as by a full disk
    path.write_text(damaged, encoding="utf-8")
    capsys.readouterr()
    assert main(["knowledge", "sources"]) == 0
    err = capsys.readouterr().err
    backup = path.with_name("sources.json.damaged")
    assert err.startswith(f"reflect: {path} is damaged (JSONDecodeError: ")
    assert f"a copy was kept at {backup}. Your own folders are not used until you add" in err
    assert "`reflect knowledge sources --remove PATH` takes one out" in err
    assert backup.read_text(encoding="utf-8") == damaged
    # The next add writes a new list; the old one is still there to look at.
    other = tmp_path / "more"
    other.mkdir()
    (other / "goals.md").write_text(GOOD_NOTE.replace("one-to-one", "goals"), encoding="utf-8")
    assert main(["knowledge", "add", str(other)]) == 0
    assert backup.read_text(encoding="utf-8") == damaged
    assert main(["knowledge", "add", str(notes)]) == 0
    capsys.readouterr()
    # Removing a source takes its passages out of the index.
    assert main(["knowledge", "sources", "--remove", str(other)]) == 0
    assert f"Removed {other} (user/more): 1 file(s) out" in capsys.readouterr().out
    assert [r["path"] for r in json.loads(path.read_text())["roots"]] == [str(notes)]
    with KnowledgeBase.open(load_settings()) as kb:
        assert [s for s in sources(kb) if s.startswith("user/")] == ["user/notes/one-to-one.md"]
    assert main(["knowledge", "sources", "--remove", "nothing-like-it"]) == 1


def test_adding_a_huge_folder_stops_at_a_bound_and_says_so(
    knowledge_home: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.knowledge import source_walk

    monkeypatch.setattr(source_walk, "MAX_ROOT_FILES", 3)
    big = tmp_path / "everything"
    for n in range(6):
        folder = big / f"part{n}"
        folder.mkdir(parents=True)
        (folder / "note.md").write_text(GOOD_NOTE.replace("one-to-one", f"meeting {n}"))
    assert main(["knowledge", "add", str(big)]) == 0
    captured = capsys.readouterr()
    assert (
        f"reflect: {big}: stopped after the first 3 files; this looks like more than a folder "
        f"of notes. Add the folders you mean one by one (`reflect knowledge sources --remove "
        f"{big}` takes this one out)"
    ) in captured.err.splitlines()
    assert captured.out.startswith("Added 3 file(s)")
