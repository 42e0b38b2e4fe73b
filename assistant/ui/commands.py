"""Command palette entries: start a conversation, open a screen, export, switch mode."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Provider

from assistant.conversation.core.catalogue import flow_catalogue

if TYPE_CHECKING:
    from assistant.ui.app import ReflectApp

#: Screens the palette opens, with the help text shown under each.
SCREEN_COMMANDS = (
    ("home", "Go to the home screen"),
    ("journal", "Sessions, transcripts and action items"),
    ("insights", "Themes that keep coming back, and action items over time"),
    ("knowledge", "Search the guidance and add your own documents"),
    ("settings", "Profile, endpoint, model, directness and theme; doctor checks"),
    ("help", "Every key binding"),
)


class ReflectCommands(Provider):
    """Everything Reflect can do from the palette (ctrl+p)."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app: ReflectApp = self.app  # type: ignore[assignment]
        commands: list[tuple[str, Callable[[], object], str]] = [
            (f"Start: {spec.title}", partial(app.start_conversation, spec.id), spec.description)
            for spec in flow_catalogue()
        ]
        commands += [
            (f"Open: {name.capitalize()}", partial(app.show_screen, name), help_text)
            for name, help_text in SCREEN_COMMANDS
        ]
        export = getattr(self.screen, "action_export", None)
        if export is not None:
            commands.append(("Export this artifact", export, "Save it as Markdown in exports"))
        if app.settings.model_mode:
            commands.append(
                (
                    "Switch to guide mode",
                    partial(app.set_guide_mode, True),
                    "Scripted questions, no model calls, for the rest of this run",
                )
            )
        else:
            commands.append(
                (
                    "Switch to model mode",
                    partial(app.set_guide_mode, False),
                    f"Use {app.settings.model} at {app.settings.endpoint_label}",
                )
            )
        return commands

    async def discover(self) -> AsyncIterator[DiscoveryHit]:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> AsyncIterator[Hit]:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
