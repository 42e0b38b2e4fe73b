"""One guidance passage, whole: its title, file and heading, its text rendered as Markdown.

Opened from the guidance panel, from a cited ``[n]`` under a reply and from a Knowledge search
result. A passage named only by its file and title (the sources saved with a reply) is looked
up in the knowledge base when the screen opens.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from assistant.ui.passage_ref import PassageRef
from assistant.ui.safe_text import inert

if TYPE_CHECKING:
    from assistant.knowledge import KnowledgeBase

#: How many passages a look-up by title reads to find the one from the right file.
LOOKUP_CANDIDATES = 20


def find_passage(knowledge: KnowledgeBase, ref: PassageRef) -> PassageRef | None:
    """The passage of ``ref``'s file that best matches its title and heading."""
    query = f"{ref.title} {ref.heading}".strip()
    for passage in knowledge.search(query, k=LOOKUP_CANDIDATES):
        if passage.source == ref.source:
            return PassageRef.of(passage)
    return None


class PassageScreen(ModalScreen[None]):
    """The whole passage over the current screen; esc or q closes it."""

    DEFAULT_CSS = """
    PassageScreen {
        align: center middle;
    }
    PassageScreen > #passage {
        width: 90%;
        max-width: 100;
        height: 90%;
        border: round $secondary;
        background: $surface;
        padding: 0 1;
    }
    PassageScreen #passage-head {
        margin-bottom: 1;
    }
    PassageScreen #passage-body Markdown {
        margin: 0;
        padding: 0;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "Close"),
    ]

    def __init__(self, ref: PassageRef, knowledge: KnowledgeBase | None = None) -> None:
        super().__init__()
        self._ref = ref
        self._knowledge = knowledge

    def compose(self) -> ComposeResult:
        with Vertical(id="passage"):
            yield Static(self._head(self._ref), id="passage-head", markup=False)
            with VerticalScroll(id="passage-body"):
                yield Markdown(inert(self._ref.text or "Looking the passage up…"))

    def on_mount(self) -> None:
        self.query_one("#passage").border_title = "Guidance passage"
        self.query_one("#passage").border_subtitle = "esc closes"
        self.query_one("#passage-body").focus()
        if self._ref.text is None:
            self._look_up()

    @staticmethod
    def _head(ref: PassageRef) -> Text:
        head = Text(inert(ref.title), style="bold")
        if ref.heading:
            head.append("\n" + inert(ref.heading), style="italic")
        head.append("\n" + inert(ref.source), style="dim")
        return head

    @work(exclusive=True, exit_on_error=False)
    async def _look_up(self) -> None:
        found = None
        if self._knowledge is not None:
            found = await asyncio.to_thread(find_passage, self._knowledge, self._ref)
        markdown = self.query_one(Markdown)
        if found is None or found.text is None:
            await markdown.update("This passage is no longer in the knowledge base.")
            return
        self.query_one("#passage-head", Static).update(self._head(found))
        await markdown.update(inert(found.text))
