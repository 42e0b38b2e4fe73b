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

from assistant.ui.widgets.chat import AssistantMessage
from assistant.ui.widgets.frozen_markdown import FrozenMarkdown

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

[/INST] and [bold]markup[/bold] stay literal. A closing paragraph that is long enough to wrap \
at every width this test uses, so that a change of width shows in how it breaks.
"""


class ChatApp(App[None]):
    """The chat column alone, styled as in the conversation screen."""

    CSS_PATH = "../assistant/ui/conversation.tcss"

    def __init__(self, *, finished: bool) -> None:
        super().__init__()
        self._finished = finished

    def compose(self) -> ComposeResult:
        yield VerticalScroll(id="chat")

    async def on_mount(self) -> None:
        chat = self.query_one("#chat", VerticalScroll)
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


async def live_look(size: tuple[int, int], theme: str = "textual-dark") -> str:
    app = ChatApp(finished=False)
    async with app.run_test(size=size) as pilot:
        app.theme = theme
        screenshot = await drawn(pilot)
        assert not app.query(FrozenMarkdown)
        return screenshot


async def test_a_finished_reply_is_frozen_and_looks_exactly_as_it_did_live() -> None:
    expected = await live_look((90, 60))
    app = ChatApp(finished=True)
    async with app.run_test(size=(90, 60)) as pilot:
        screenshot = await drawn(pilot)
        assert len(app.query(FrozenMarkdown)) == 1
        assert not app.query(Markdown)  # no widget per block left behind
        assert screenshot == expected


async def test_a_frozen_reply_is_redrawn_after_the_width_or_theme_changes() -> None:
    app = ChatApp(finished=True)
    async with app.run_test(size=(90, 60)) as pilot:
        await drawn(pilot)
        await pilot.resize_terminal(60, 60)
        screenshot = await drawn(pilot)
        assert app.query(FrozenMarkdown) and not app.query(Markdown)
        assert screenshot == await live_look((60, 60))

        app.theme = "textual-light"
        screenshot = await drawn(pilot)
        assert app.query(FrozenMarkdown) and not app.query(Markdown)
        assert screenshot == await live_look((60, 60), theme="textual-light")


async def test_text_selected_in_a_frozen_reply_is_highlighted_and_can_be_copied() -> None:
    app = ChatApp(finished=True)
    async with app.run_test(size=(90, 60)) as pilot:
        unselected = await drawn(pilot)
        frozen = app.query_one(FrozenMarkdown)
        app.screen.selections = {frozen: Selection.from_offsets(Offset(0, 0), Offset(20, 5))}
        assert await drawn(pilot) != unselected
        selected = app.screen.get_selected_text() or ""
        assert "Before the meeting" in selected
        assert "Feedback lands best" in selected
