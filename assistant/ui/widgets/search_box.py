"""A search field that asks for a search when typing pauses, or at once on Enter."""

from __future__ import annotations

from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input

#: Seconds of no typing before a search: long enough not to search every keystroke.
TYPING_PAUSE = 0.3


class SearchBox(Input):
    """Posts :class:`SearchBox.Search` with the stripped text, never twice for the same text."""

    class Search(Message):
        def __init__(self, search_box: SearchBox, query: str) -> None:
            super().__init__()
            self.search_box = search_box
            self.query = query

        @property
        def control(self) -> SearchBox:
            return self.search_box

    def __init__(self, *, placeholder: str, id: str, pause: float = TYPING_PAUSE) -> None:
        super().__init__(placeholder=placeholder, id=id)
        self._pause = pause
        self._timer: Timer | None = None
        self._searched = ""

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input is self:
            self._stop_timer()
            self._timer = self.set_timer(self._pause, self.search_now)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input is self:
            self.search_now()

    def search_now(self) -> None:
        self._stop_timer()
        query = self.value.strip()
        if query != self._searched:
            self._searched = query
            self.post_message(self.Search(self, query))

    def clear_search(self) -> None:
        """Empty the field and ask for the search of nothing (the full list) at once."""
        self.value = ""
        self.search_now()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
