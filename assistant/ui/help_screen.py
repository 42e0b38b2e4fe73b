"""The help screen: every key binding, and how the message box sends and breaks lines."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from assistant.ui.widgets.header import AppHeader

#: (where, keys, what they do): the one list of bindings the help screen shows.
KEY_HELP: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Everywhere",
        (
            ("ctrl+q", "Quit (everything you typed is already saved)"),
            ("ctrl+p", "Command palette: start a conversation, open a screen, export, switch mode"),
            ("f1", "This help"),
            ("esc", "Go back; in a conversation, stop the reply being written"),
        ),
    ),
    (
        "Home",
        (
            ("1 2 3 4", "Start prepare, ask, debrief or practice"),
            ("↑ ↓ enter", "Pick a conversation from the list"),
            ("j i k s", "Journal, insights, knowledge, settings"),
        ),
    ),
    (
        "Conversation",
        (
            ("enter", "Send your answer"),
            ("ctrl+j", "New line in your answer (shift+enter too, where the terminal tells)"),
            ("", "Pasted text keeps its line breaks"),
            ("esc", "Stop the reply being written (what arrived is kept); else ask to leave"),
            ("ctrl+r", "Write the last reply again, after an error or a stop"),
            ("ctrl+g g", "Show or hide the guidance beside the chat (g outside the answer box)"),
            ("ctrl+f", "Finish now and make the artifact from what you have said"),
            ("ctrl+o", "Open the artifact once it is made"),
            ("ctrl+b", "Copy an answer the journal could not save"),
            ("tab enter", "In the guidance panel: open a passage whole (or click it, or its [n])"),
            ("ctrl+l", "Open a link or a cited passage of the last reply (or click it)"),
            ("/skip /back /done", "Typed as an answer: skip a step, go back one, finish"),
            ("", "Leaving keeps the session; r on the home screen picks it up again"),
        ),
    ),
    (
        "Artifact",
        (
            ("e", "Edit the Markdown; ctrl+s saves it to the journal, esc cancels"),
            ("b", "The short brief for your mentor, and back to the full version"),
            ("x", "Export what is shown to a Markdown file in your exports folder"),
            ("c", "Copy what is shown to the clipboard (in terminals that allow it)"),
        ),
    ),
    (
        "Journal",
        (
            ("/", "Search everything you have written"),
            ("s a", "The sessions tab, the action items tab"),
            ("enter", "Open the session under the cursor"),
            ("r", "Resume an unfinished session"),
            ("d", "Delete a session (asks first)"),
            ("space", "Action items: mark done, or open again"),
            ("x", "Action items: drop one you will not do"),
            ("h", "Action items: show or hide the done and dropped ones"),
            ("t e", "In a session: transcript or artifact; edit or export the artifact"),
        ),
    ),
    (
        "Insights",
        (
            ("m", "Count by weeks or by months"),
            ("r", "Count again"),
        ),
    ),
    (
        "Knowledge",
        (
            ("/", "Search the guidance"),
            ("ctrl+t", "Switch between search and your sources"),
            ("ctrl+o", "Add a folder of your own notes as a source"),
        ),
    ),
    (
        "Settings",
        (
            ("ctrl+s", "Save the profile"),
            ("esc", "Back; the profile is kept"),
        ),
    ),
)


def bindings_table() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for section, rows in KEY_HELP:
        table.add_row(Text(section, style="bold underline"), "")
        for keys, meaning in rows:
            table.add_row(Text(keys), Text(meaning))
        table.add_row("", "")
    return table


class HelpScreen(Screen):
    """What every key does."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back")]
    DEFAULT_CSS = """
    HelpScreen #help-body {
        padding: 1 2;
    }
    """

    def compose(self) -> ComposeResult:
        yield AppHeader("Help")
        with VerticalScroll(id="help-body"):
            yield Static(bindings_table())
        yield Footer()
