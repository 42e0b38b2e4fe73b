"""The artifact screen: read, edit and save, export, copy, and the brief for a mentor."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path

import pytest

from assistant.config import load_settings
from assistant.conversation.core.engine import Engine
from assistant.conversation.guide.brief import mentor_brief
from assistant.journal import Journal
from assistant.ui.app import ReflectApp
from assistant.ui.artifact_screen import ArtifactScreen
from tests.support.conversation import FLOW_ANSWERS, run_flow
from tests.support.screen_text import flat, screen_text

TODAY = date(2025, 3, 5)


@pytest.fixture
async def session_id(reflect_home: Path) -> str:
    """A finished prepare session (guide mode, no guidance needed) with its agenda."""
    settings = load_settings()
    with Journal(settings.journal_path) as journal:
        journal.set_profile(name="Ana", mentor="Maria")
        engine = Engine(settings, journal, None, today=TODAY)
        await run_flow(engine, "prepare", FLOW_ANSWERS["prepare"])
        assert engine.session is not None
        return engine.session.id


def saved_markdown(home: Path, session_id: str) -> str:
    with Journal(home / "journal.db") as journal:
        artifact = journal.artifact(session_id)
    assert artifact is not None
    return artifact.markdown


async def open_artifact(app: ReflectApp, pilot, session_id: str) -> ArtifactScreen:
    app.open_artifact(session_id)
    await pilot.pause()
    assert isinstance(app.screen, ArtifactScreen)
    return app.screen


async def test_the_artifact_is_shown_rendered(session_id: str) -> None:
    app = ReflectApp(load_settings())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_artifact(app, pilot, session_id)
        text = screen_text(app)
        assert "Agenda for the meeting with Maria" in text
        assert "Topics, most important first" in text
        assert "• Hiring for the new team" in text
        assert "## " not in text, "headings are rendered, not shown as Markdown source"


async def test_edits_are_saved_to_the_journal_and_esc_cancels(
    reflect_home: Path, session_id: str
) -> None:
    original = saved_markdown(reflect_home, session_id)
    app = ReflectApp(load_settings())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_artifact(app, pilot, session_id)
        await pilot.press("e")
        editor = screen.query_one("#edit")
        assert editor.has_focus
        assert editor.text == original  # type: ignore[attr-defined]
        await pilot.press(*"Bring coffee", "enter")
        await pilot.press("escape")
        assert saved_markdown(reflect_home, session_id) == original
        assert "Edit cancelled" in screen_text(app)

        await pilot.press("e")
        await pilot.press(*"Bring coffee", "enter")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert saved_markdown(reflect_home, session_id) == "Bring coffee\n" + original
        assert "Bring coffee" in screen_text(app)
        assert "saved in the journal" in screen_text(app)


async def test_export_writes_a_private_file_and_shows_where(
    reflect_home: Path, session_id: str
) -> None:
    app = ReflectApp(load_settings())
    async with app.run_test(size=(200, 30)) as pilot:
        await open_artifact(app, pilot, session_id)
        await pilot.press("x")
        await pilot.pause()
        (exported,) = (reflect_home / "exports").iterdir()
        assert exported.read_text() == saved_markdown(reflect_home, session_id)
        assert stat.S_IMODE(exported.stat().st_mode) == 0o600
        assert f"Exported to {exported}" in flat(screen_text(app))
        assert exported.name.startswith("2")  # the session's date first
        assert exported.name.endswith(f"{session_id}.md")


async def test_copy_and_the_brief_for_a_mentor(reflect_home: Path, session_id: str) -> None:
    full = saved_markdown(reflect_home, session_id)
    app = ReflectApp(load_settings())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_artifact(app, pilot, session_id)
        await pilot.press("c")
        assert app.clipboard == full
        await pilot.press("b")
        await pilot.pause()
        text = screen_text(app)
        assert "Brief: Agenda for the meeting with Maria" in text
        assert "Wins and updates since last time" not in text
        await pilot.press("c")
        assert app.clipboard == mentor_brief("prepare", full)
        await pilot.press("x")
        await pilot.pause()
        (exported,) = (reflect_home / "exports").iterdir()
        assert exported.name.endswith("-brief.md")
        assert exported.read_text() == mentor_brief("prepare", full)
        await pilot.press("b")
        assert "Wins and updates since last time" in screen_text(app)


async def test_a_session_without_an_artifact_says_so(reflect_home: Path) -> None:
    with Journal(reflect_home / "journal.db") as journal:
        session = journal.create_session("debrief", "guide")
    app = ReflectApp(load_settings())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_artifact(app, pilot, session.id)
        assert "no artifact yet" in screen_text(app)
        await pilot.press("x")
        assert not (reflect_home / "exports").exists()


async def test_the_palette_exports_the_artifact_on_screen(
    reflect_home: Path, session_id: str
) -> None:
    app = ReflectApp(load_settings())
    async with app.run_test(size=(100, 30)) as pilot:
        await open_artifact(app, pilot, session_id)
        await pilot.press("ctrl+p", *"export this")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        (exported,) = (reflect_home / "exports").iterdir()
        assert exported.read_text() == saved_markdown(reflect_home, session_id)
