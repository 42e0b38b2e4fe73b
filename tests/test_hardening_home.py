"""REFLECT_HOME is the only place Reflect writes, and a read-only one is read, not "repaired".

- onnxruntime's own telemetry (Microsoft 1DS: DNS lookups of an events endpoint, a device id
  under ``~/.cache/Microsoft``) is switched off: a search with an empty HOME, watched with
  strace, writes nothing outside REFLECT_HOME and opens no socket but loopback.
- A journal on a folder that became read-only is opened for reading with one line saying
  nothing can be saved; it is never taken for damaged.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.config import load_settings
from assistant.journal import Journal
from tests.conftest import ISOLATED_ENV
from tests.support.tmpfs import mounted_tmpfs

STRACE = shutil.which("strace")
INET = re.compile(r"sa_family=AF_INET6?, .*?(?:inet_addr|inet_pton)\((?:AF_INET6, )?\"([^\"]+)\"")
LOOPBACK = {"127.0.0.1", "::1"}


@pytest.mark.skipif(STRACE is None, reason="strace is needed to see native sockets")
def test_a_search_writes_nothing_outside_reflect_home_and_stays_on_loopback(
    knowledge_home: Path, tmp_path: Path
) -> None:
    user_home = tmp_path / "user-home"
    user_home.mkdir()
    trace = tmp_path / "strace.log"
    env = {k: v for k, v in os.environ.items() if k not in ISOLATED_ENV and "TELEMETRY" not in k}
    env = {k: v for k, v in env.items() if not k.startswith("XDG_")}
    env.update(HOME=str(user_home), REFLECT_HOME=str(knowledge_home))
    result = subprocess.run(
        [STRACE, "-f", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o", str(trace),
         sys.executable, "-m", "assistant", "knowledge", "search", "my mentor keeps cancelling"],
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "1. " in result.stdout
    assert sorted(p.relative_to(user_home).as_posix() for p in user_home.rglob("*")) == []
    addresses = INET.findall(trace.read_text(encoding="utf-8"))
    assert [address for address in addresses if address not in LOOPBACK] == []


def remount_read_only(mount: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True, capture_output=True)


def reflect(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        input=stdin, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_a_read_only_home_is_read_with_one_line_and_never_taken_for_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with mounted_tmpfs(tmp_path / "ro", size="8m") as mount:
        home = mount / "reflect"
        monkeypatch.setenv("REFLECT_HOME", str(home))
        with Journal(load_settings().journal_path) as journal:
            session = journal.create_session("prepare", "guide", title="Agenda for Maria")
            journal.save_artifact(session.id, "Agenda", {}, "# Agenda\n\n- The lead role\n")
            journal.add_action_item(session.id, "Send the doc to Maria")
        remount_read_only(mount)
        notice = (
            f"reflect: The journal's folder {home} is read-only: you can read your journal, "
            "but nothing you do now can be saved."
        )
        listed = reflect("journal")
        exported = reflect("export", session.id)
        actions = reflect("actions")
        chat = reflect("--offline", "chat", "prepare", stdin="Decide on the lead role\n")
        left = sorted(p.name for p in home.iterdir())
    assert listed.returncode == 0, listed.stderr
    assert listed.stderr.splitlines() == [notice]
    assert "Agenda for Maria" in listed.stdout
    assert exported.returncode == 0 and exported.stdout == "# Agenda\n\n- The lead role\n"
    assert "Send the doc to Maria" in actions.stdout
    assert chat.returncode == 2
    assert chat.stderr.splitlines()[0] == notice
    assert chat.stderr.splitlines()[-1] == (
        f"reflect: Could not save to the journal at {home / 'journal.db'}: "
        "the file or its folder is read-only."
    )
    for result in (listed, exported, actions, chat):
        assert "Traceback" not in result.stderr and "damaged" not in result.stderr
    assert not [name for name in left if "damaged" in name]


async def test_the_app_opens_a_read_only_home_and_says_nothing_can_be_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.ui.app import ReflectApp
    from tests.support.screen_text import flat, screen_text
    from tests.support.tui import wait_for

    with mounted_tmpfs(tmp_path / "ro", size="8m") as mount:
        home = mount / "reflect"
        monkeypatch.setenv("REFLECT_HOME", str(home))
        with Journal(load_settings().journal_path) as journal:
            journal.create_session("prepare", "guide", title="Agenda for Maria")
        remount_read_only(mount)
        app = ReflectApp(load_settings(), show_clock=False)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await wait_for(
                pilot, lambda: "nothing you do now can be saved" in flat(screen_text(app)),
                "the read-only notice",
            )  # fmt: skip
            assert app.journal.read_only
            assert [s.title for s in app.journal.list_sessions()] == ["Agenda for Maria"]
