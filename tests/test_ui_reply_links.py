"""What a reply points to can be opened: its links (web and mail only) with a click or from
the list ctrl+l shows, and a cited ``[n]`` opens passage n. A simulated mentee's turn is
titled with the persona's name. Through the real app, in model mode against the scripted
server over HTTP; the app's ``open_url`` (its public hook to the system's opener) records
instead of launching a browser."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from assistant.config import load_settings
from assistant.journal import Journal
from assistant.ui.app import ReflectApp
from assistant.ui.conversation_screen import ConversationScreen
from assistant.ui.links import openable_url
from assistant.ui.passage_screen import PassageScreen
from assistant.ui.widgets.chat import REPLY_TITLE, AssistantMessage
from assistant.ui.widgets.link_picker import LinkPicker, Target, TargetKind
from assistant.ui.widgets.reply_markdown import ReplyMarkdown
from tests.support.conversation import FLOW_ANSWERS
from tests.support.openai_server import RecordedRequest, Reply, ScriptedOpenAI
from tests.support.screen_text import screen_text
from tests.support.tui import answer, settle, wait_for

TODAY = date(2025, 3, 5)
REPLY = (
    "Read [the guide](https://example.com/guide?step=1) first, as passage [1] says, or "
    "write to [Maria](mailto:maria@example.com). Skip [the share](ftp://files.example.com/x)."
)


class RecordingApp(ReflectApp):
    """Reflect, with the URLs it asks the system to open recorded instead of opened."""

    def __init__(self) -> None:
        super().__init__(load_settings(), today=TODAY, show_clock=False)
        self.opened: list[str] = []

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        self.opened.append(url)


def scripted(request: RecordedRequest) -> Reply:
    return Reply(text=REPLY)


@pytest.fixture
def server(model_env: ScriptedOpenAI, knowledge_home: Path) -> ScriptedOpenAI:
    (knowledge_home / "config.toml").write_text("[model]\nmax_retries = 0\n")
    with Journal(knowledge_home / "journal.db") as journal:
        journal.set_profile(name="Ana", mentor="Maria")
    model_env.responder = scripted
    return model_env


async def reply_on_screen(pilot: Pilot) -> ReplyMarkdown:
    """Start the first flow and wait for its first reply; the reply's Markdown."""
    await pilot.press("1")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ConversationScreen)
    return pilot.app.screen.query(AssistantMessage).last().markdown


async def click_text(pilot: Pilot, markdown: ReplyMarkdown, text: str) -> None:
    """Click the middle of ``text`` where the reply shows it."""
    for y, line in enumerate(markdown.lines(markdown.size.width)):
        x = line.text.find(text)
        if x >= 0:
            await pilot.click(markdown, offset=(x + len(text) // 2, y))
            await pilot.pause()
            return
    raise AssertionError(f"{text!r} is not in the reply")


async def test_a_web_link_in_a_reply_opens_on_click(server: ScriptedOpenAI) -> None:
    app = RecordingApp()
    async with app.run_test(size=(100, 40)) as pilot:
        markdown = await reply_on_screen(pilot)
        await click_text(pilot, markdown, "the guide")
        assert app.opened == ["https://example.com/guide?step=1"]


async def test_a_link_that_is_neither_web_nor_mail_is_refused_with_a_line(
    server: ScriptedOpenAI,
) -> None:
    app = RecordingApp()
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        markdown = await reply_on_screen(pilot)
        await click_text(pilot, markdown, "the share")
        assert app.opened == []
        assert "Not opened: ftp://files.example.com/x" in screen_text(app)


async def test_ctrl_l_lists_the_replys_passages_and_links_and_enter_opens_one(
    server: ScriptedOpenAI,
) -> None:
    app = RecordingApp()
    async with app.run_test(size=(100, 40)) as pilot:
        await reply_on_screen(pilot)
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: isinstance(app.screen, LinkPicker), "the list of links")
        listing = app.screen.query_one(OptionList)
        shown = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert shown[0].startswith("[1] ")  # the cited passage, by its title
        assert [entry.split("\n")[0] for entry in shown[1:]] == ["the guide", "Maria", "the share"]
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert app.opened == ["mailto:maria@example.com"]
        assert isinstance(app.screen, ConversationScreen)

        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: isinstance(app.screen, LinkPicker), "the list of links")
        await pilot.press("enter")  # the cited passage
        await wait_for(pilot, lambda: isinstance(app.screen, PassageScreen), "the passage")


async def test_a_cited_number_in_a_reply_opens_its_passage_on_click(
    server: ScriptedOpenAI,
) -> None:
    app = RecordingApp()
    async with app.run_test(size=(100, 40)) as pilot:
        markdown = await reply_on_screen(pilot)
        assert markdown.citations == [1]
        await click_text(pilot, markdown, "[1]")
        await wait_for(pilot, lambda: isinstance(app.screen, PassageScreen), "the passage")
        assert app.opened == []


def test_only_web_and_mail_addresses_open_and_control_characters_are_stripped() -> None:
    assert openable_url("https://example.com/a?b=1") == "https://example.com/a?b=1"
    assert openable_url("HTTP://example.com") == "HTTP://example.com"
    assert openable_url("mailto:maria@example.com") == "mailto:maria@example.com"
    # Raw, or already made visible by the screen's sanitiser (ESC shown as ␛).
    assert openable_url("https://exa\x1b[31mmple.com/\x07") == "https://example.com/"
    assert openable_url("https://exa\u241bmple.com/") == "https://example.com/"
    for refused in (
        "file:///etc/passwd",
        "javascript:alert(1)",
        "ftp://files.example.com/x",
        "notes.md",
        "https://",
        "mailto:",
        "https://example.com/a b",
    ):
        assert openable_url(refused) is None, refused


def test_the_list_of_links_shows_no_control_characters() -> None:
    """Escapes are gone from a reply before the screen, or shown there as symbols (␛); the
    list of links strips both, from the text and from the address."""
    target = Target(TargetKind.LINK, "Ma\x1b[31mria\u241b", href="mailto:ma\x07ria@example.com")
    assert target.entry().plain == "Maria\nmailto:maria@example.com"


async def test_a_simulated_mentees_turn_is_titled_with_the_personas_name(
    knowledge_home: Path,
) -> None:
    """In practice, the persona speaks in its own chat box; the coach stays "Reflect"."""
    from assistant.conversation.guide.persona import speaker_of

    app = ReflectApp(load_settings(), today=TODAY, show_clock=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        for reply in FLOW_ANSWERS["practice"][:3]:
            await answer(pilot, reply)
        messages = list(app.screen.query(AssistantMessage))
        titles = {(speaker_of(m.source), str(m.border_title)) for m in messages}
        persona_titles = {title for speaker, title in titles if speaker is not None}
        assert persona_titles, "the persona spoke"
        assert all(speaker == title for speaker, title in titles if speaker is not None)
        assert (None, REPLY_TITLE) in titles  # the coach
