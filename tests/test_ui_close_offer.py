"""Open action items reported done in the conversation are offered to close there.

Before, the offer was only a command-line hint in the reply text (`reflect actions --done ID`):
in the app the user had to leave the conversation, find the item in the journal and close it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Button

from assistant.config import load_settings
from assistant.journal import Journal
from assistant.ui.app import ReflectApp
from assistant.ui.conversation_screen import ConversationScreen
from assistant.ui.widgets.close_offer import CloseOffer
from tests.support.screen_text import flat, screen_text
from tests.support.tui import answer, settle

TODAY = date(2025, 3, 5)
ITEM = "Send the impact summary to Maria by Friday"
OTHER = "Book a skip-level with Jon"
REPORT = "I sent the impact summary to Maria on Thursday, she liked it."


@pytest.fixture
def items(knowledge_home: Path) -> dict[str, str]:
    with Journal(knowledge_home / "journal.db") as journal:
        journal.set_profile(name="Ana", mentor="Maria")
        session = journal.create_session("debrief", "guide", title="Promotion case")
        return {text: journal.add_action_item(session.id, text).id for text in (ITEM, OTHER)}


def status_of(item_id: str) -> str:
    with Journal(load_settings().journal_path) as journal:
        item = journal.get_action_item(item_id)
    assert item is not None
    return item.status


async def start_prepare_and_report(pilot, app: ReflectApp) -> CloseOffer:  # type: ignore[no-untyped-def]
    await pilot.press("1")
    assert isinstance(app.screen, ConversationScreen)
    await settle(pilot)
    await answer(pilot, "Agree the evidence for my promotion case.")
    await answer(pilot, REPORT)
    offers = list(app.screen.query(CloseOffer))
    assert len(offers) == 1, "one offer, for the item the answer reports done"
    assert [item.text for item in offers[0].items] == [ITEM]
    shown = flat(screen_text(app))
    assert f"Is “{ITEM}” done? Close it in your journal." in shown
    assert "Close it" in shown and "Keep it open" in shown
    assert "reflect actions --done" not in shown, "the offer is made once, as buttons"
    return offers[0]


async def test_accepting_the_offer_closes_the_item_and_says_so(items: dict[str, str]) -> None:
    app = ReflectApp(load_settings(), today=TODAY, show_clock=False)
    async with app.run_test(size=(110, 40), notifications=True) as pilot:
        offer = await start_prepare_and_report(pilot, app)
        assert status_of(items[ITEM]) == "open"
        offer.query_one("#close-items", Button).press()
        await pilot.pause()
        await pilot.pause()
        assert status_of(items[ITEM]) == "done"
        assert status_of(items[OTHER]) == "open"
        assert not offer.query(Button), "the buttons give way to what was done"
        assert f"Closed in your journal: “{ITEM}”." in flat(screen_text(app))


async def test_declining_keeps_the_item_open_and_it_is_not_offered_again(
    items: dict[str, str],
) -> None:
    app = ReflectApp(load_settings(), today=TODAY, show_clock=False)
    async with app.run_test(size=(110, 40), notifications=True) as pilot:
        offer = await start_prepare_and_report(pilot, app)
        offer.query_one("#keep-items", Button).press()
        await pilot.pause()
        await pilot.pause()
        assert status_of(items[ITEM]) == "open"
        assert "Kept open." in flat(screen_text(app))
        await answer(pilot, REPORT)  # said again: the user already chose
        assert len(app.screen.query(CloseOffer)) == 1
