"""The footer lets go of the keys it replaces: it is recomposed twice a message on the
conversation screen, so kept keys grew memory over a long conversation."""

from __future__ import annotations

import gc
import weakref
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import BindingType

from assistant.ui.widgets.footer import Footer

RECOMPOSES = 3


class FooterApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        ("ctrl+t", "bell", "Ring"),
        ("ctrl+y", "toggle_dark", "Switch theme"),
    ]

    def compose(self) -> ComposeResult:
        yield Footer()


async def test_keys_replaced_by_a_recompose_are_freed_and_the_keys_still_show() -> None:
    app = FooterApp()
    async with app.run_test() as pilot:
        footer = app.query_one(Footer)
        await pilot.pause()
        replaced = [weakref.ref(widget) for widget in footer.walk_children()]
        assert replaced, "the footer shows the app's keys"
        for _ in range(RECOMPOSES):
            footer.call_later(footer.recompose)  # as a change of bindings does
            await pilot.pause()
        gc.collect()
        assert [ref() for ref in replaced if ref() is not None] == []
        shown = " ".join(str(key.render()) for key in footer.walk_children())
        assert "Switch theme" in shown
        assert footer.compact is False
