"""Places where hostile text still reached the terminal raw, found by an audit of everything
Reflect prints or stores: a file's *name* in `knowledge add` and `knowledge index -v`, what an
endpoint says in `reflect doctor`, error lines on stderr, toasts in the app, and the profile.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.cli import main
from assistant.config import load_settings
from assistant.journal import Journal
from assistant.ui.app import ReflectApp
from tests.support.cli import reflect
from tests.support.openai_server import ScriptedOpenAI
from tests.support.screen_text import flat, screen_text
from tests.test_hardening_text import CLEAR, TITLE_OSC, assert_clean

HOSTILE_NAME = f"evil{TITLE_OSC}{CLEAR}notes.md"


def test_a_hostile_file_name_is_printed_clean(
    knowledge_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / HOSTILE_NAME).write_text(
        "# Ask first\n\nBefore giving feedback, ask whether the person wants it now.\n",
        encoding="utf-8",
    )
    assert main(["knowledge", "add", str(notes)]) == 0
    printed = capsys.readouterr()
    assert "Added 1 file(s): user/notes/evil" in printed.out
    assert_clean(printed.out + printed.err)
    assert main(["knowledge", "index", "--rebuild", "--verbose"]) == 0
    printed = capsys.readouterr()
    assert "user/notes/evil" in printed.err
    assert_clean(printed.out + printed.err)


def test_doctor_prints_what_a_hostile_endpoint_says_clean(reflect_home: Path) -> None:
    with ScriptedOpenAI(models=[f"gemma{TITLE_OSC}", f"qwen{CLEAR}"]) as server:
        result = reflect(
            "doctor",
            env={"OPENAI_BASE_URL": server.base_url, "REFLECT_MODEL": "not-served"},
        )
    assert result.returncode == 1
    assert "does not serve the model 'not-served'; it serves: gemma" in result.stdout
    assert_clean(result.stdout + result.stderr)


def test_an_error_line_naming_a_hostile_file_is_printed_clean(
    reflect_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / HOSTILE_NAME
    assert main(["chat", "ask", "--input", str(missing)]) == 2
    printed = capsys.readouterr()
    assert "reflect: cannot read" in printed.err
    assert_clean(printed.err)


async def test_a_toast_shows_hostile_text_literally(reflect_home: Path) -> None:
    app = ReflectApp(load_settings(), show_clock=False)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        app.screen.notify(f"Could not export to {HOSTILE_NAME}", markup=False)
        await pilot.pause()
        await pilot.pause(0.2)
        shown = screen_text(app)
        assert "Could not export to evil␛]0;pwned" in flat(shown)
        assert "\x1b" not in shown and "\x07" not in shown


def test_a_pasted_profile_is_stored_clean(reflect_home: Path) -> None:
    with Journal(load_settings().journal_path) as journal:
        journal.set_profile(goals=f"Lead the team{TITLE_OSC}{CLEAR} this year")
        assert journal.profile()["goals"] == "Lead the team this year"
