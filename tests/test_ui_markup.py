"""Text that looks like Rich markup or carries terminal escape sequences, from the user, the
model and a knowledge document, shows literally and crashes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from assistant.config import load_settings
from assistant.journal import Journal
from assistant.knowledge import KnowledgeBase
from assistant.ui.app import ReflectApp
from tests.support.openai_server import Reply, ScriptedOpenAI
from tests.support.screen_text import flat, region_text, screen_text
from tests.support.tui import answer, settle

TRICKY = "[bold]x[/bold] and [/] and \x1b[31mred\x1b[0m and [/INST]"
LITERAL = ("[bold]x[/bold] and [/] and", "[/INST]")


def make_app() -> ReflectApp:
    return ReflectApp(load_settings(), today=date(2025, 3, 5), show_clock=False)


def assert_literal(text: str) -> None:
    for piece in LITERAL:
        assert piece in text
    assert "red" in text
    assert "\x1b" not in text


async def test_the_users_words_show_literally(knowledge_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await answer(pilot, TRICKY)
        assert_literal(flat(region_text(app, "UserMessage")))
    with Journal(knowledge_home / "journal.db") as journal:
        (session,) = journal.list_sessions()
        users = [t.content for t in journal.turns(session.id) if t.role == "user"]
    assert users == ["[bold]x[/bold] and [/] and red and [/INST]"]


async def test_the_models_words_show_literally(
    model_env: ScriptedOpenAI, knowledge_home: Path
) -> None:
    model_env.default = Reply(text=TRICKY)
    app = make_app()
    # Tall enough to show all three: a reply that asks nothing gets its step's question added,
    # and a notice says so.
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.press("1")
        await settle(pilot)
        await answer(pilot, TRICKY)
        chat = flat(region_text(app, "#chat"))
        # The model asked its first question with it, the user answered with it, the model
        # replied with it again.
        assert chat.count("[bold]x[/bold] and [/] and") == 3
        assert_literal(chat)


async def test_a_documents_words_show_literally(knowledge_home: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "quokka.md").write_text(
        '---\ntitle: "[bold]Quokka[/bold] notes [/]"\naudience: both\nmoments: [any]\n'
        "topics: [receiving-feedback]\n---\n\n# Quokka feedback\n\n"
        f"Quokka zebra feedback from the quokka meeting: {TRICKY}\n"
    )
    knowledge = KnowledgeBase.open(load_settings())
    report = knowledge.add_sources([notes])
    knowledge.close()
    assert report.added and not report.problems
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await answer(pilot, "We talked about the quokka zebra feedback at the quokka meeting.")
        guidance = flat(region_text(app, "#guidance"))
        assert "[bold]Quokka[/bold] notes [/]" in guidance
        assert "\x1b" not in screen_text(app)
        assert "[bold]x[/bold]" in flat(region_text(app, "#chat"))
