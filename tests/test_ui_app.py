"""The app shell: start-up, the home screen, navigation, the palette, theme and mode."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import pytest

from assistant.config import load_settings
from assistant.journal import Journal
from assistant.ui.app import ReflectApp
from assistant.ui.help_screen import HelpScreen
from assistant.ui.home import HomeScreen
from tests.support.screen_text import screen_text
from tests.support.tui import wait_for

TODAY = date(2025, 5, 6)
HEAVY_MODULES = ("chromadb", "onnxruntime", "openai")


def make_app(**kwargs: object) -> ReflectApp:
    return ReflectApp(load_settings(), today=TODAY, **kwargs)  # type: ignore[arg-type]


def test_importing_the_app_loads_no_heavy_module() -> None:
    """The first frame must not wait for chromadb, onnxruntime or openai."""
    code = (
        "import sys, json, assistant.cli, assistant.ui.app, assistant.ui.home;"
        f"print(json.dumps([m for m in {list(HEAVY_MODULES)!r} if m in sys.modules]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


def test_home_screen_before_any_heavy_import() -> None:
    """The home screen is fully drawn in a process that has not imported the heavy modules."""
    code = """
import asyncio, json, sys
from assistant.config import load_settings
from assistant.ui.app import ReflectApp
from tests.support.screen_text import screen_text
from tests.support.tui import wait_for

async def main():
    app = ReflectApp(load_settings())
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        text = screen_text(app)
        heavy = [m for m in ("chromadb", "onnxruntime", "openai") if m in sys.modules]
        print(json.dumps({"text": text, "heavy": heavy}))

asyncio.run(main())
"""
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent.parent,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["heavy"] == []
    for title in ("Prepare for a meeting", "Frame good questions", "Debrief a meeting"):
        assert title in result["text"]


async def test_home_lists_the_four_conversations_with_when_to_use_them() -> None:
    async with make_app().run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        text = screen_text(pilot.app)
        assert isinstance(pilot.app.screen, HomeScreen)
        for title, when in [
            ("Prepare for a meeting", "Before a meeting with your mentor"),
            ("Frame good questions", "Any time: turn a vague worry"),
            ("Debrief a meeting", "After a meeting"),
            ("Practise giving feedback", "Before giving feedback"),
        ]:
            assert title in text
            assert when in text
        assert "Guide mode" in text
        assert "Quit" in text and "Journal" in text


async def test_since_last_time_shows_open_items_with_overdue_marked_and_saved_questions(
    reflect_home: Path,
) -> None:
    with Journal(reflect_home / "journal.db") as journal:
        session = journal.create_session("debrief", "guide")
        journal.add_action_item(session.id, "Send the design doc to Sam", "2025-05-01")
        journal.add_action_item(session.id, "Book a slot with the team lead", "2025-06-01")
        done = journal.add_action_item(session.id, "Read the onboarding guide")
        journal.set_action_status(done.id, "done")
        journal.save_question(session.id, "What would you try first?")
    async with make_app().run_test(size=(100, 30), notifications=True) as pilot:
        text = screen_text(pilot.app)
        assert "Send the design doc to Sam" in text
        overdue_line = next(line for line in text.splitlines() if "due Thu 1 May" in line)
        assert "5 days overdue" in overdue_line
        future_line = next(line for line in text.splitlines() if "due Sun 1 Jun" in line)
        assert "overdue" not in future_line
        assert "Read the onboarding guide" not in text
        assert "What would you try first?" in text


async def test_model_mode_shows_the_model_name(model_env: object) -> None:
    async with make_app().run_test(size=(100, 30), notifications=True) as pilot:
        header = screen_text(pilot.app).splitlines()[0]
        assert "test-model" in header
        assert "Guide mode" not in header


async def test_help_lists_the_bindings_and_esc_goes_back() -> None:
    async with make_app().run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("f1")
        assert isinstance(pilot.app.screen, HelpScreen)
        text = screen_text(pilot.app)
        for binding in ("ctrl+q", "ctrl+p", "ctrl+j", "enter", "esc"):
            assert binding in text
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, HomeScreen)


def test_help_names_every_key_the_screens_bind() -> None:
    """The help screen stays true: each key a screen or widget binds is listed there."""
    from textual.binding import Binding

    from assistant.ui import (
        artifact_screen,
        conversation_screen,
        home,
        insights_screen,
        journal_screen,
        knowledge_screen,
        settings_screen,
    )
    from assistant.ui.help_screen import KEY_HELP
    from assistant.ui.widgets import error_dialog, journal_confirm, journal_tables, message_input

    spoken = {"slash": "/", "escape": "esc", "delete": "d"}
    listed = {key for _, rows in KEY_HELP for keys, _ in rows for key in keys.split()}
    modules = (
        artifact_screen,
        conversation_screen,
        home,
        insights_screen,
        journal_screen,
        knowledge_screen,
        settings_screen,
        error_dialog,
        journal_confirm,
        journal_tables,
        message_input,
    )
    missing = []
    for module in modules:
        for owner in vars(module).values():
            for binding in getattr(owner, "BINDINGS", []) if isinstance(owner, type) else []:
                if not isinstance(binding, Binding) or owner.__module__ != module.__name__:
                    continue
                keys = [spoken.get(key, key) for key in binding.key.split(",")]
                if not any(key in listed for key in keys):
                    missing.append(f"{owner.__name__}: {binding.key} ({binding.description})")
    assert not missing, missing


async def test_palette_opens_screens_and_switching_mode_needs_an_endpoint() -> None:
    async with make_app().run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"open help")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)
        await pilot.press("ctrl+p")
        await pilot.press(*"model mode")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.settings.model_mode is False
        assert "No model endpoint is configured" in screen_text(pilot.app)


async def test_palette_switches_to_guide_mode_and_back(model_env: object) -> None:
    async with make_app().run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("ctrl+p", *"guide mode")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "Guide mode" in screen_text(pilot.app).splitlines()[0]
        await pilot.press("ctrl+p", *"model mode")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "test-model" in screen_text(pilot.app).splitlines()[0]


async def test_the_chosen_theme_is_saved_and_used_at_the_next_start(reflect_home: Path) -> None:
    async with make_app().run_test(size=(100, 30), notifications=True) as pilot:
        pilot.app.theme = "nord"
        await pilot.pause()
    saved = tomllib.loads((reflect_home / "config.toml").read_text())
    assert saved["ui"]["theme"] == "nord"
    async with make_app().run_test(size=(100, 30), notifications=True) as pilot:
        assert pilot.app.theme == "nord"


async def test_ctrl_q_quits_cleanly() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


@pytest.mark.parametrize("key, flow", [("1", "prepare"), ("4", "practice")])
async def test_number_keys_start_a_conversation(knowledge_home: Path, key: str, flow: str) -> None:
    async with make_app().run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press(key)
        await pilot.pause()
        screen = pilot.app.screen
        assert type(screen).__name__ == "ConversationScreen"
        assert screen.flow_id == flow  # type: ignore[attr-defined]


async def test_first_run_builds_the_index_with_progress_while_home_stays_usable(
    reflect_home: Path,
) -> None:
    from assistant.knowledge import KnowledgeBase

    app = ReflectApp(load_settings(), today=TODAY, prepare_knowledge=True)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        bar = app.screen.query_one("#index-progress")
        await wait_for(
            pilot,
            lambda: "Preparing the guidance for first use" in screen_text(app),
            "the progress bar",
            timeout=60,
        )
        assert bar.display
        await pilot.press("f1")  # the home screen answers keys while the index builds
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await wait_for(pilot, lambda: not bar.display, "the index build", timeout=300)
        # The toast is drawn on the refresh after the bar hides.
        await wait_for(pilot, lambda: "Guidance ready" in screen_text(app), "the ready toast")
    knowledge = KnowledgeBase.open(load_settings())
    assert knowledge.is_current()
    knowledge.close()
