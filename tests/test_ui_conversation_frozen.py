"""Finished replies are kept as the lines they were drawn with (one light widget each) and
look exactly like the live Markdown they replace, at any width and in any theme."""

from __future__ import annotations

import re

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Offset
from textual.pilot import Pilot
from textual.selection import Selection
from textual.widgets import Markdown

from assistant.ui.widgets.chat import FLUSH_SECONDS, AssistantMessage
from assistant.ui.widgets.frozen_markdown import FrozenMarkdown, ReplyMarkdown, freeze_when_drawn
from tests.support.tui import wait_for

REPLY = """\
## Before the meeting

Feedback lands best when it names **one moment**, what you *saw*, and its `impact`.

- Describe the situation in one sentence
- Quote the behaviour, not a label
  - nested: what changed for the team

1. Ask what got in the way
2. Agree one next step

> "I noticed the demo slipped twice" is easier to hear than "you are unreliable".

```
situation -> behaviour -> impact -> question
```

## After the meeting

Write down what you heard in their words before you decide what it means. Then sort it: what
you agree with, what you want to understand better, and what you will try first.

Pick one thing to try this week and tell your mentor when you will report back.

[/INST] and [bold]markup[/bold] stay literal. A closing paragraph that is long enough to wrap \
at every width this test uses, so that a change of width shows in how it breaks.
"""


class ChatApp(App[None]):
    """The chat column alone, styled as in the conversation screen."""

    CSS_PATH = "../assistant/ui/conversation.tcss"

    def __init__(self, *, finished: bool | None) -> None:
        super().__init__()
        self._finished = finished

    def compose(self) -> ComposeResult:
        yield VerticalScroll(id="chat")

    async def on_mount(self) -> None:
        chat = self.query_one("#chat", VerticalScroll)
        if self._finished is None:
            return  # the test writes the reply
        if self._finished:
            message = AssistantMessage()
            await chat.mount(message)
            await message.append(REPLY[:200])
            await message.complete(REPLY, [], interrupted=False)
        else:
            # Never completed, so drawn live by Textual's Markdown widget all along.
            await chat.mount(AssistantMessage(REPLY))


async def drawn(pilot: Pilot) -> str:
    """The screen as an SVG (runs of cells in one style joined), without its export id."""
    for _ in range(5):
        await pilot.pause()
    return re.sub(r"terminal-\d+", "terminal", pilot.app.export_screenshot(simplify=True))


async def drawn_frozen(pilot: Pilot) -> str:
    """The screen once every Markdown widget has been frozen."""
    await wait_for(pilot, lambda: not pilot.app.query(Markdown), "the reply to be frozen")
    return await drawn(pilot)


async def live_look(size: tuple[int, int], theme: str = "textual-dark") -> str:
    app = ChatApp(finished=False)
    async with app.run_test(size=size) as pilot:
        app.theme = theme
        screenshot = await drawn(pilot)
        assert not app.query(FrozenMarkdown)
        return screenshot


async def test_a_finished_reply_is_frozen_and_looks_exactly_as_it_did_live() -> None:
    expected = await live_look((90, 80))
    app = ChatApp(finished=True)
    async with app.run_test(size=(90, 80)) as pilot:
        screenshot = await drawn_frozen(pilot)
        assert len(app.query(FrozenMarkdown)) == 1
        assert not app.query(Markdown)  # no widget per block left behind
        assert screenshot == expected


async def test_a_long_streamed_reply_looks_as_if_it_had_been_shown_whole() -> None:
    """Streamed in pieces, the reply is written into several Markdown segments (each frozen
    when done); the blank lines between blocks survive the cuts between segments."""
    expected = await live_look((90, 80))
    app = ChatApp(finished=None)
    async with app.run_test(size=(90, 80)) as pilot:
        message = AssistantMessage()
        await app.query_one("#chat").mount(message)
        for start in range(0, len(REPLY), 40):
            await message.append(REPLY[start : start + 40])
            await pilot.pause(FLUSH_SECONDS)
        await message.complete(REPLY, [], interrupted=False)
        screenshot = await drawn_frozen(pilot)
        assert len(app.query(FrozenMarkdown)) > 1  # written in several segments
        assert not app.query(Markdown)
        assert screenshot == expected

        await pilot.resize_terminal(60, 80)  # every segment is drawn again, and frozen again
        await drawn(pilot)
        screenshot = await drawn_frozen(pilot)
        assert len(app.query(FrozenMarkdown)) > 1
        assert screenshot == await live_look((60, 80))


async def test_a_segment_frozen_just_as_the_reply_goes_on_keeps_the_gap_below_it() -> None:
    """Closing a segment gives its last block its margin back just before it is frozen (the
    next segment follows below). The copy must be taken from the layout with that margin, not
    from the one on record a moment before, or the gap between two paragraphs disappears."""
    app = ChatApp(finished=None)
    async with app.run_test(size=(90, 40)) as pilot:
        segment = ReplyMarkdown()
        await app.query_one("#chat").mount(segment)
        await segment.update("First paragraph.\n\nSecond paragraph.")
        await drawn(pilot)
        closed_up_height = segment.region.height  # no margin under "Second paragraph."

        segment.call_after_refresh(segment.continued)  # runs just before the freeze below
        freeze_when_drawn(segment)
        await drawn_frozen(pilot)
        assert app.query_one(FrozenMarkdown).region.height == closed_up_height + 1


async def test_a_frozen_reply_is_redrawn_after_the_width_or_theme_changes() -> None:
    app = ChatApp(finished=True)
    async with app.run_test(size=(90, 80)) as pilot:
        await drawn_frozen(pilot)
        await pilot.resize_terminal(60, 80)
        await drawn(pilot)
        screenshot = await drawn_frozen(pilot)
        assert app.query(FrozenMarkdown)
        assert screenshot == await live_look((60, 80))

        app.theme = "textual-light"
        await drawn(pilot)
        screenshot = await drawn_frozen(pilot)
        assert app.query(FrozenMarkdown)
        assert screenshot == await live_look((60, 80), theme="textual-light")


async def test_text_selected_in_a_frozen_reply_is_highlighted_and_can_be_copied() -> None:
    app = ChatApp(finished=True)
    async with app.run_test(size=(90, 80)) as pilot:
        unselected = await drawn_frozen(pilot)
        frozen = app.query_one(FrozenMarkdown)
        app.screen.selections = {frozen: Selection.from_offsets(Offset(0, 0), Offset(20, 5))}
        assert await drawn(pilot) != unselected
        selected = app.screen.get_selected_text() or ""
        assert "Before the meeting" in selected
        assert "Feedback lands best" in selected
