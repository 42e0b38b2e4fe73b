"""The journal screen in the real ReflectApp, driven by Pilot: read, search, delete, tick off."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from assistant.config import load_settings
from assistant.journal import Journal
from assistant.ui.app import ReflectApp
from assistant.ui.journal_screen import PAGE_SIZE, JournalScreen, SessionScreen
from assistant.ui.widgets.journal_confirm import ConfirmModal
from assistant.ui.widgets.journal_tables import ActionTable, SessionTable
from tests.support.journal_seed import TODAY, Seeded, seed_journal, use_utc
from tests.support.screen_text import screen_text

SIZE = (100, 30)


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> ReflectApp:
    use_utc(monkeypatch)
    return ReflectApp(load_settings(), today=TODAY)


@pytest.fixture
def seeded(app: ReflectApp) -> Seeded:
    return seed_journal(app.journal)


async def open_journal(app: ReflectApp, pilot: Pilot) -> JournalScreen:
    """From the home screen, the way a user gets there."""
    await pilot.press("j")
    await pilot.pause()
    assert isinstance(app.screen, JournalScreen)
    return app.screen


async def open_session(app: ReflectApp, pilot: Pilot, session_id: str) -> SessionScreen:
    """From the home screen: the journal, the cursor on that session, Enter."""
    screen = await open_journal(app, pilot)
    table = screen.query_one(SessionTable)
    table.move_cursor(row=table.get_row_index(session_id))
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, SessionScreen)
    return app.screen


def row_keys(table: DataTable) -> list[str]:
    return [str(row.key.value) for row in table.ordered_rows]


async def test_sessions_newest_first_and_a_transcript_opens(app: ReflectApp, seeded: Seeded):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_journal(app, pilot)
        table = screen.query_one(SessionTable)
        assert row_keys(table)[:3] == [
            seeded.sessions["practice-mar"],
            seeded.sessions["debrief-mar"],
            seeded.sessions["prepare-mar"],
        ]
        assert "7 sessions" in screen_text(app)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        text = screen_text(app)
        assert "Reflection on the March meeting" in text
        assert "I still worry about missed deadlines when priorities change." in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen)


async def test_markup_in_a_transcript_is_shown_literally(app: ReflectApp, seeded: Seeded):
    async with app.run_test(size=SIZE) as pilot:
        await open_session(app, pilot, seeded.sessions["ask-feb"])
        assert "Agree how to estimate the [red]migration[/red]." in screen_text(app)


async def test_escape_sequences_in_a_transcript_are_inert(app: ReflectApp):
    import sqlite3

    # The journal strips escapes from what it saves; an older journal may still hold some.
    session = app.journal.create_session("ask", "guide", "Colours")
    turn = app.journal.add_turn(session.id, "user", "Bell")
    with sqlite3.connect(app.journal.path) as db:
        db.execute("UPDATE sessions SET title = ?", ("Colours \x1b[31mred\x1b[0m",))
        db.execute(
            "UPDATE turns SET content = ? WHERE id = ?",
            ("Bell\x07 and \x1b[2Jclear screen [/]", turn.id),
        )
    async with app.run_test(size=SIZE) as pilot:
        await open_session(app, pilot, session.id)
        text = screen_text(app)
        assert "Bell␇ and ␛[2Jclear screen [/]" in text
        assert "Colours ␛[31mred␛[0m" in text


async def test_artifact_tab_shows_the_artifact(app: ReflectApp, seeded: Seeded):
    async with app.run_test(size=SIZE) as pilot:
        await open_session(app, pilot, seeded.sessions["debrief-feb"])
        await pilot.press("t")
        await pilot.pause()
        assert "What was discussed" in screen_text(app)


async def test_delete_asks_first_and_cancel_keeps_the_session(app: ReflectApp, seeded: Seeded):
    target = seeded.sessions["debrief-mar"]
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_journal(app, pilot)
        table = screen.query_one(SessionTable)
        await pilot.press("down", "d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert "Reflection on the March meeting" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.journal.get_session(target) is not None
        assert target in row_keys(table)

        await pilot.press("d")
        await pilot.pause()
        await pilot.click("#confirm")
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen)
        assert app.journal.get_session(target) is None
        assert target not in row_keys(table)
        assert "6 sessions" in screen_text(app)


async def test_delete_from_the_read_view(app: ReflectApp, seeded: Seeded):
    target = seeded.sessions["practice-mar"]
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        await pilot.click("#confirm")
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen)
        assert app.journal.get_session(target) is None
        assert target not in row_keys(app.screen.query_one(SessionTable))


async def test_search_finds_sessions_across_the_journal(app: ReflectApp, seeded: Seeded):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_journal(app, pilot)
        await pilot.press("slash", *"deadlines")
        await pilot.pause(0.4)
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = screen.query_one(SessionTable)
        debriefs = ["debrief-mar", "debrief-feb", "debrief-jan"]
        assert row_keys(table) == [seeded.sessions[name] for name in debriefs]
        assert '3 sessions mention "deadlines"' in screen_text(app)

        await pilot.press("escape")
        await pilot.pause()
        assert screen.query_one("#journal-search", Input).value == ""
        assert len(row_keys(table)) == 7


async def test_search_with_no_match_says_so(app: ReflectApp, seeded: Seeded):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_journal(app, pilot)
        await pilot.press("slash", *"zeppelin", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert row_keys(screen.query_one(SessionTable)) == []
        assert 'No session mentions "zeppelin"' in screen_text(app)


async def test_a_long_journal_loads_page_by_page(app: ReflectApp):
    journal: Journal = app.journal
    total = PAGE_SIZE * 2 + 30
    for number in range(total):
        journal.create_session("ask", "guide", f"Session {number}")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_journal(app, pilot)
        table = screen.query_one(SessionTable)
        assert table.row_count == PAGE_SIZE
        for _ in range(3):
            await pilot.press("ctrl+end")
            await pilot.pause()
        assert table.row_count == total
        assert len(set(row_keys(table))) == total


async def test_empty_journal_explains_itself(app: ReflectApp):
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(app, pilot)
        assert "No sessions yet" in screen_text(app)


async def test_action_items_tick_done_and_persist(app: ReflectApp, seeded: Seeded):
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(JournalScreen())
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        table = app.screen.query_one(ActionTable)
        assert row_keys(table) == [seeded.items["estimates"], seeded.items["slides"]]
        text = screen_text(app)
        assert "2026-03-01 overdue" in text
        assert "2026-03-20 overdue" not in text
        assert "2 open · 1 overdue" in text
        assert "Cut the deck to five [bold]slides[/bold]" in text
        assert "Debrief 2026-02-10" in text  # the session each item came from

        await pilot.press("space")
        await pilot.pause()
        item = app.journal.get_action_item(seeded.items["estimates"])
        assert item is not None and item.status == "done"
        assert row_keys(table) == [seeded.items["slides"]]

        await pilot.press("x")
        await pilot.pause()
        item = app.journal.get_action_item(seeded.items["slides"])
        assert item is not None and item.status == "dropped"
        assert "No action items" in screen_text(app)


async def test_done_and_dropped_items_can_be_shown_and_reopened(app: ReflectApp, seeded: Seeded):
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(JournalScreen())
        await pilot.pause()
        await pilot.press("a", "h")
        await pilot.pause()
        table = app.screen.query_one(ActionTable)
        assert set(row_keys(table)) == set(seeded.items.values())
        text = screen_text(app)
        assert "done 2026-01-30" in text
        assert "dropped 2026-02-27" in text

        table.move_cursor(row=table.get_row_index(seeded.items["course"]))
        await pilot.press("space")
        await pilot.pause()
        item = app.journal.get_action_item(seeded.items["course"])
        assert item is not None and item.status == "open" and item.closed_at is None


async def test_an_unfinished_session_resumes_in_the_conversation_screen(
    knowledge_home: Path, monkeypatch: pytest.MonkeyPatch
):
    from assistant.conversation.core.engine import Engine
    from assistant.ui.conversation_screen import ConversationScreen
    from tests.support.tui import settle

    use_utc(monkeypatch)
    settings = load_settings()
    with Journal(settings.journal_path) as journal:
        engine = Engine(settings, journal, None)
        async for _ in engine.start("ask"):
            pass
        async for _ in engine.send("My mentor keeps moving our meetings and I feel unheard."):
            pass
        assert engine.session is not None
        session_id = engine.session.id
    app = ReflectApp(settings)
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(app, pilot)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        await settle(pilot)
        assert "I feel unheard" in " ".join(screen_text(app).split())
        await pilot.press("escape")
        await pilot.pause()
    with Journal(settings.journal_path) as journal:
        session = journal.get_session(session_id)
        assert session is not None and session.status == "active"


async def test_a_finished_session_opens_its_artifact_for_editing(app: ReflectApp, seeded: Seeded):
    from assistant.ui.artifact_screen import ArtifactScreen

    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_journal(app, pilot)
        table = screen.query_one(SessionTable)
        table.move_cursor(row=table.get_row_index(seeded.sessions["debrief-mar"]))
        await pilot.press("r")  # finished: nothing to resume, and it says so
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen)
        assert "That session is finished" in screen_text(app)
        await pilot.press("enter", "e")
        await pilot.pause()
        assert isinstance(app.screen, ArtifactScreen)


async def test_session_titles_stay_readable_at_60_columns(app: ReflectApp, seeded: Seeded):
    async with app.run_test(size=(60, 15)) as pilot:
        await open_journal(app, pilot)
        text = screen_text(app)
        titles = [s.title for s in app.journal.list_sessions()]
        readable = [title for title in titles if title[:20] in text]
        assert len(readable) >= 4, f"at least the first 20 characters of the visible titles: {text}"
