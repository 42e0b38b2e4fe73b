"""Reading the guidance and picking up where you left off, in guide mode with the real
knowledge index: a passage opens whole from the guidance panel (keys and mouse) and from a
cited [n]; esc mid-conversation asks and says nothing is lost; the home screen offers the
unfinished session; a resumed session lists the passages its last reply cites."""

from __future__ import annotations

from pathlib import Path

from assistant.journal import Journal
from assistant.ui.conversation_screen import ConversationScreen
from assistant.ui.home import HomeScreen
from assistant.ui.passage_screen import PassageScreen
from assistant.ui.widgets.chat import GuidancePanel
from tests.support.conversation import FLOW_ANSWERS
from tests.support.screen_text import flat, screen_text
from tests.support.tui import answer, settle, wait_for
from tests.test_ui_conversation import home, make_app

__all__ = ["home"]  # the profile fixture, autouse here too


async def open_debrief(pilot) -> ConversationScreen:  # type: ignore[no-untyped-def]
    await pilot.press("3")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ConversationScreen)
    return screen


async def test_a_guidance_entry_opens_the_whole_passage_by_keyboard_and_by_mouse() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_debrief(pilot)
        refs = screen.query_one(GuidancePanel).refs
        assert refs, "the first question has guidance"
        await pilot.press("tab")  # from the answer box to the guidance list
        assert app.focused is not None and app.focused.id == "guidance-list"
        await pilot.press("down", "up", "enter")
        assert isinstance(app.screen, PassageScreen)
        text = flat(screen_text(app))
        assert refs[0].title in text and refs[0].source in text
        assert refs[0].text is not None
        first_words = " ".join(refs[0].text.replace("#", "").split()[:3])
        assert first_words in text.replace("#", ""), "the body is shown, not only the name"
        await pilot.press("escape")
        assert app.screen is screen, "esc closes the passage and stays in the conversation"

        await pilot.click("#guidance-list", offset=(6, 0))
        await pilot.pause()
        assert isinstance(app.screen, PassageScreen)
        assert refs[0].title in flat(screen_text(app))


async def test_a_cited_number_under_a_reply_opens_that_passage() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_debrief(pilot)
        await answer(pilot, FLOW_ANSWERS["debrief"][0])
        footers = [f for f in screen.query(".reply-footer") if "Sources:" in str(f.render())]
        assert footers, "a reply names its sources"
        footer = footers[-1]
        refs = screen.query_one(GuidancePanel).refs
        assert len(refs) >= 2
        where = str(footer.render()).index("[2]")
        await pilot.click(footer, offset=(where + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, PassageScreen)
        assert refs[1].title in flat(screen_text(app))


async def test_esc_asks_before_leaving_and_stay_keeps_the_conversation() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_debrief(pilot)
        await pilot.press("escape")
        text = flat(screen_text(app))
        assert "Leave this conversation? Nothing is lost" in text
        await pilot.press("escape")  # esc in the question means stay
        assert app.screen is screen


async def test_home_offers_the_unfinished_session_and_resuming_lists_its_cited_passages(
    home: Path,
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_debrief(pilot)
        await answer(pilot, FLOW_ANSWERS["debrief"][0])
        cited = [(ref.title, ref.source) for ref in screen.query_one(GuidancePanel).refs]
        await pilot.press("escape", "enter")
        assert isinstance(app.screen, HomeScreen)
        assert "Pick up where you left off" in screen_text(app)

        await pilot.press("r")
        await settle(pilot)
        resumed = app.screen
        assert isinstance(resumed, ConversationScreen) and resumed is not screen
        text = flat(screen_text(app))
        assert "No guidance passages for this step" not in text
        listed = [(ref.title, ref.source) for ref in resumed.query_one(GuidancePanel).refs]
        assert listed and set(listed) <= set(cited)
        assert listed[0][0][:20] in text  # a long title is cut to the panel's width

        # A passage known only by name is looked up in the knowledge base when opened.
        resumed.query_one("#guidance-list").focus()
        await pilot.press("enter")
        assert isinstance(app.screen, PassageScreen)
        await wait_for(
            pilot, lambda: "Looking the passage up" not in screen_text(app), "the look-up"
        )
        assert "no longer in the knowledge base" not in screen_text(app)
    with Journal(home / "journal.db") as journal:
        assert len(journal.list_sessions()) == 1, "resumed, not started again"


async def test_the_guidance_panel_hides_by_itself_when_the_terminal_narrows() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_debrief(pilot)
        panel = screen.query_one("#guidance")
        assert panel.display
        await pilot.resize_terminal(64, 20)
        await pilot.pause()
        assert not panel.display
        chat = screen.query_one("#chat")
        assert chat.size.width >= 55, "the chat keeps the width"
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert panel.display, "wide again, it comes back"
