"""The knowledge screen in the real ReflectApp, on a real index: search as you type, sources,
and adding a folder with progress and per-file problems."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, ProgressBar

from assistant.ui.app import ReflectApp
from assistant.ui.knowledge_screen import KnowledgeScreen
from assistant.ui.widgets.knowledge_results import SourcesTable
from tests.support.screen_text import flat, screen_text

SIZE = (100, 30)
pytestmark = pytest.mark.slow


@pytest.fixture
def app(knowledge_home: Path) -> ReflectApp:
    from assistant.config import load_settings

    return ReflectApp(load_settings())


async def settle(app: ReflectApp, pilot: Pilot, delay: float = 0.0) -> None:
    await pilot.pause(delay)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def open_knowledge(app: ReflectApp, pilot: Pilot) -> KnowledgeScreen:
    await pilot.press("k")
    await settle(app, pilot)
    assert isinstance(app.screen, KnowledgeScreen)
    return app.screen


def notes_folder(tmp_path: Path) -> Path:
    """A folder with one good note (holding markup) and one binary file posing as Markdown."""
    folder = tmp_path / "my-notes"
    folder.mkdir()
    (folder / "pausing.md").write_text(
        "---\ntitle: How I take feedback\n---\n# Pausing first\n\n"
        "When the feedback is critical I count to five, then ask for [bold]one example[/bold].\n",
        encoding="utf-8",
    )
    (folder / "scan.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    return folder


async def test_search_as_you_type_finds_receiving_feedback(app: ReflectApp):
    async with app.run_test(size=SIZE) as pilot:
        await open_knowledge(app, pilot)
        await pilot.press(*"critical feedback defensive")
        await settle(app, pilot, delay=0.5)
        text = screen_text(app)
        assert 'passages for "critical feedback defensive"' in text
        assert "1. " in text
        assert "receiving-feedback" in text


async def test_sources_list_the_builtin_guidance_with_chunk_counts(app: ReflectApp):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_knowledge(app, pilot)
        table = screen.query_one(SourcesTable)
        assert table.row_count > 20
        row = table.get_row("receiving-feedback.md")
        assert str(row[0]) == "built-in"
        assert int(str(row[1])) >= 1
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "built-in files and 0 of yours" in screen_text(app)


async def test_add_a_folder_shows_progress_and_the_one_problem(app: ReflectApp, tmp_path: Path):
    folder = notes_folder(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_knowledge(app, pilot)
        screen.query_one("#add-path", Input).value = str(folder)
        await pilot.press("ctrl+o")
        await settle(app, pilot, delay=0.2)
        bar = screen.query_one("#index-progress", ProgressBar)
        assert bar.percentage == 1.0
        text = screen_text(app)
        assert "100%" in text
        assert "Added 1 file." in text
        assert text.count("⚠") == 1
        problems = str(screen.query_one("#add-problems").render())
        assert problems.count("\n") == 0
        assert "scan.md: skipped, looks like a binary file" in problems
        table = screen.query_one(SourcesTable)
        assert str(table.get_row("user/my-notes/pausing.md")[0]) == "yours"
        assert "1 of yours" in text

        await pilot.press("ctrl+t", *"count to five before answering critical feedback")
        await settle(app, pilot, delay=0.5)
        text = screen_text(app)
        assert "user/my-notes/pausing.md" in text
        assert "ask for [bold]one example[/bold]" in text


async def test_a_path_that_does_not_exist_is_one_clear_line(app: ReflectApp, tmp_path: Path):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_knowledge(app, pilot)
        screen.query_one("#add-path", Input).value = str(tmp_path / "nowhere")
        await pilot.press("ctrl+o")
        await settle(app, pilot, delay=0.2)
        text = screen_text(app)
        assert "Nothing was added." in text
        assert text.count("⚠") == 1
        problems = str(screen.query_one("#add-problems").render())
        assert "nowhere: skipped, it does not exist" in problems


async def test_an_empty_path_asks_for_one(app: ReflectApp):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_knowledge(app, pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert screen.query_one("#add-path", Input).has_focus
        assert "Type the path of a folder" in screen_text(app)


async def test_leaving_while_the_work_runs_is_safe(app: ReflectApp, tmp_path: Path):
    folder = notes_folder(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("k")
        await pilot.press(*"defensive")
        await pilot.pause(0.35)  # the search has started
        await pilot.press("escape")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "HomeScreen"

        screen = await open_knowledge(app, pilot)
        screen.query_one("#add-path", Input).value = str(folder)
        await pilot.press("ctrl+o", "escape")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "HomeScreen"
    # The folder was still added: closing the screen does not lose it.
    assert str(folder) in (app.settings.home / "sources.json").read_text()


async def test_a_search_result_opens_the_whole_passage(app: ReflectApp):
    from assistant.ui.passage_screen import PassageScreen
    from assistant.ui.widgets.knowledge_results import SearchResults

    async with app.run_test(size=SIZE) as pilot:
        screen = await open_knowledge(app, pilot)
        await pilot.press(*"critical feedback defensive")
        await settle(app, pilot, delay=0.5)
        results = screen.query_one(SearchResults)
        best = results.passage("1")
        assert best is not None
        from assistant.ui.widgets.knowledge_results import excerpt

        # The list shows an excerpt (cut with "…" when the passage is longer than a card).
        listed = " ".join(screen_text(app).split())
        assert " ".join(excerpt(best.text).split()[:6]) in listed
        await pilot.press("tab", "enter")
        assert isinstance(app.screen, PassageScreen)
        whole = " ".join(screen_text(app).split())
        assert best.title in whole and best.source in whole
        await pilot.press("end")  # the passage scrolls; its end is there, not cut at "…"
        await pilot.pause(0.3)
        whole = flat(screen_text(app))  # a line wrapped inside the box reads as one again
        tail = " ".join(best.text.split()[-4:]).replace("*", "")
        assert tail in whole.replace("*", ""), "the end of the passage is there, not cut at …"
        await pilot.press("escape")
        assert app.screen is screen
        await pilot.click("#results", offset=(4, 1))
        await pilot.pause()
        assert isinstance(app.screen, PassageScreen)


async def test_a_path_starting_with_a_slash_is_typed_into_the_path_field(app: ReflectApp):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_knowledge(app, pilot)
        await pilot.press("ctrl+t")  # the Sources tab, its table focused
        assert app.focused is screen.query_one(SourcesTable)
        await pilot.press(*"/home/ana/notes")
        await pilot.pause()
        assert screen.query_one("#add-path", Input).value == "/home/ana/notes"
        assert app.focused is screen.query_one("#add-path")
