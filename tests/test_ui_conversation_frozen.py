"""A reply is drawn by one light widget, streamed or finished, and looks exactly as Textual's
Markdown widget would draw it, at any width and in any theme."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Offset
from textual.pilot import Pilot
from textual.selection import Selection
from textual.widget import Widget
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownBlock, MarkdownFence

from assistant.ui.widgets.chat import FLUSH_SECONDS, AssistantMessage
from assistant.ui.widgets.reply_markdown import CHUNK_CHARS, ReplyMarkdown
from tests.support.screen_text import Cell, screen_cells

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


class PlainFence(MarkdownFence):
    """A code block without a language is plain text in replies (never guessed at)."""

    @classmethod
    def highlight(cls, code: str, language: str, ansi: bool = False, dark: bool = False) -> Content:
        return super().highlight(code, language or "text", ansi=ansi, dark=dark)


class TextualMarkdown(Markdown):
    """Textual's own Markdown widget, as a reply would show it: no margin under the last
    block (the reply's frame closes under its text), plain code blocks."""

    BLOCKS: dict[str, type[MarkdownBlock]] = {  # noqa: RUF012
        **Markdown.BLOCKS,
        "fence": PlainFence,
        "code_block": PlainFence,
    }

    def close_up(self) -> None:
        last: Widget = self.children[-1]
        margin = last.styles.margin
        last.styles.margin = (margin.top, margin.right, 0, margin.left)


class ChatColumn(App[None]):
    """The chat column alone, styled as in the conversation screen."""

    TITLE = "Chat"
    CSS_PATH = "../assistant/ui/conversation.tcss"

    def compose(self) -> ComposeResult:
        yield VerticalScroll(id="chat")


class ChatApp(ChatColumn):
    """A reply in the chat column: ``finished``, streamed part way, or (None) none yet."""

    def __init__(self, *, finished: bool | None, source: str = REPLY) -> None:
        super().__init__()
        self._finished = finished
        self._source = source

    async def on_mount(self) -> None:
        chat = self.query_one("#chat", VerticalScroll)
        if self._finished is None:
            return  # the test writes the reply
        message = AssistantMessage()
        await chat.mount(message)
        await message.append(self._source[:200])
        if self._finished:
            await message.complete(self._source, [], interrupted=False)


class TextualApp(ChatColumn):
    """The same chat column with the reply drawn by Textual's Markdown widget."""

    CSS = "AssistantMessage Markdown { margin: 0; padding: 0; background: transparent; }"

    def __init__(self, source: str = REPLY) -> None:
        super().__init__()
        self._source = source

    async def on_mount(self) -> None:
        message = AssistantMessage()
        await self.query_one("#chat").mount(message)
        await message.remove_children()
        markdown = TextualMarkdown()
        await message.mount(markdown)
        await markdown.update(self._source)
        markdown.close_up()


async def drawn(pilot: Pilot) -> list[list[Cell]]:
    """The screen, cell by cell, as the eye sees it."""
    for _ in range(5):
        await pilot.pause()
    return screen_cells(pilot.app)


async def textual_look(
    size: tuple[int, int], theme: str = "textual-dark", source: str = REPLY
) -> list[list[Cell]]:
    app = TextualApp(source)
    async with app.run_test(size=size) as pilot:
        app.theme = theme
        return await drawn(pilot)


async def test_a_finished_reply_is_one_widget_drawn_as_textual_markdown_draws_it() -> None:
    expected = await textual_look((90, 80))
    app = ChatApp(finished=True)
    async with app.run_test(size=(90, 80)) as pilot:
        screenshot = await drawn(pilot)
        assert len(app.query(ReplyMarkdown)) == 1
        assert not app.query(Markdown)  # no widget per block
        assert screenshot == expected


OTHER_BLOCKS = """\
# A first-level heading

Some text with a [link](https://example.com/docs), ~~struck~~ words and `code`.

### A third-level heading

---

> A quote
>
> - with a list inside it

```python
def next_step(moment: str) -> str:
    return f"Ask about {moment}"
```

#### A fourth-level heading

1. Loose items

2. of an ordered list
"""


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_headings_rules_quotes_and_code_are_drawn_as_textual_markdown_draws_them(
    theme: str,
) -> None:
    expected = await textual_look((70, 60), theme=theme, source=OTHER_BLOCKS)
    app = ChatApp(finished=True, source=OTHER_BLOCKS)
    async with app.run_test(size=(70, 60)) as pilot:
        app.theme = theme
        assert await drawn(pilot) == expected


async def test_a_table_shows_every_cell_within_the_width_with_its_header_in_bold() -> None:
    rows = [
        ("Situation", "What to say", "Why"),
        ("Missed deadline", '"I noticed the demo slipped twice"', "Names the moment"),
        ("Quiet in meetings", "Ask an open question first", "Invites them in"),
    ]
    table = "\n".join(
        ["| " + " | ".join(rows[0]) + " |", "|---|---|---|"]
        + ["| " + " | ".join(row) + " |" for row in rows[1:]]
    )
    for width in (100, 50):
        app = ChatApp(finished=True, source=f"Try this:\n\n{table}\n\nThen listen.")
        async with app.run_test(size=(width, 40)) as pilot:
            await drawn(pilot)
            reply = app.query_one(ReplyMarkdown)
            lines = reply.lines(reply.size.width)
            assert all(line.cell_length == reply.size.width for line in lines)
            text = " ".join(" ".join(line.text.replace("│", " ").split()) for line in lines)
            for row in rows:
                for cell in row:
                    for word in cell.split():
                        assert word in text, (width, word)
            header = next(line for line in lines if "Situation" in line.text)
            assert any(seg.style and seg.style.bold for seg in header if "Situation" in seg.text)
            assert text.index("Situation") < text.index("Missed") < text.index("Quiet")


async def test_a_streamed_reply_looks_the_same_before_and_after_it_completes() -> None:
    app = ChatApp(finished=False)
    async with app.run_test(size=(90, 80)) as pilot:
        message = app.query_one(AssistantMessage)
        await message.append(REPLY[200:])
        await pilot.pause(FLUSH_SECONDS * 2)
        streaming = await drawn(pilot)
        await message.complete(REPLY, [], interrupted=False)
        assert await drawn(pilot) == streaming


async def test_a_long_streamed_reply_looks_as_if_it_had_been_shown_whole() -> None:
    """Streamed in pieces of any size, the reply is read in chunks cut between blocks; the
    blank lines between blocks survive every cut, and a resize draws it all again."""
    expected = await textual_look((90, 80))
    for piece in (17, 40, 139):
        app = ChatApp(finished=None)
        async with app.run_test(size=(90, 80)) as pilot:
            message = AssistantMessage()
            await app.query_one("#chat").mount(message)
            for start in range(0, len(REPLY), piece):
                await message.append(REPLY[start : start + piece])
                await pilot.pause(FLUSH_SECONDS)
            await message.complete(REPLY, [], interrupted=False)
            assert await drawn(pilot) == expected, f"streamed {piece} characters at a time"
            assert len(app.query(ReplyMarkdown)) == 1
            if piece == 40:
                await pilot.resize_terminal(60, 80)
                assert await drawn(pilot) == await textual_look((60, 80))


async def test_a_loose_list_streamed_past_a_chunk_stays_one_list() -> None:
    """Items of a list apart by blank lines are one list: the reply is never cut into chunks
    between them, which would draw two lists with a gap between."""
    items = "\n\n".join(
        f"{n}. Step {n}: name the moment, what you saw and what it changed for the team."
        for n in range(1, 17)
    )
    source = f"Try these in order.\n\n{items}\n\nThen ask what got in the way."
    assert len(source) > 2 * CHUNK_CHARS
    expected = await textual_look((90, 60), source=source)
    app = ChatApp(finished=None)
    async with app.run_test(size=(90, 60)) as pilot:
        message = AssistantMessage()
        await app.query_one("#chat").mount(message)
        for start in range(0, len(source), 30):
            await message.append(source[start : start + 30])
            await pilot.pause(FLUSH_SECONDS)
        await message.complete(source, [], interrupted=False)
        assert await drawn(pilot) == expected


async def test_a_reply_is_redrawn_after_the_width_or_theme_changes() -> None:
    app = ChatApp(finished=True)
    async with app.run_test(size=(90, 80)) as pilot:
        await drawn(pilot)
        await pilot.resize_terminal(60, 80)
        assert await drawn(pilot) == await textual_look((60, 80))

        app.theme = "textual-light"
        assert await drawn(pilot) == await textual_look((60, 80), theme="textual-light")


async def test_text_selected_in_a_reply_is_highlighted_and_can_be_copied() -> None:
    app = ChatApp(finished=True)
    async with app.run_test(size=(90, 80)) as pilot:
        unselected = await drawn(pilot)
        reply = app.query_one(ReplyMarkdown)
        app.screen.selections = {reply: Selection.from_offsets(Offset(0, 0), Offset(20, 5))}
        assert await drawn(pilot) != unselected
        selected = app.screen.get_selected_text() or ""
        assert "Before the meeting" in selected
        assert "Feedback lands best" in selected
