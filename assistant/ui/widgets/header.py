"""The one-line header every screen shows: app name, screen title and the mode badge."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Static


class ModeBadge(Static):
    """The model's name in model mode, or "Guide mode"; follows ``app.sub_title``.

    A conversation that fell back to guide mode while the app is in model mode sets
    :attr:`guide_here`, so the badge tells the truth about the screen it is on.
    """

    DEFAULT_CSS = """
    ModeBadge {
        width: auto;
        padding: 0 1;
        background: $primary;
        color: $text;
        text-style: bold;
    }
    ModeBadge.-guide {
        background: $secondary;
    }
    """

    guide_here: reactive[bool] = reactive(False)

    def __init__(self) -> None:
        super().__init__(markup=False)

    def on_mount(self) -> None:
        self.watch(self.app, "sub_title", self._show)

    def watch_guide_here(self) -> None:
        self._show(self.app.sub_title)

    def _show(self, label: str) -> None:
        guide = self.guide_here or not self.app.settings.model_mode  # type: ignore[attr-defined]
        self.set_class(guide, "-guide")
        self.update(("◌ " if guide else "● ") + ("Guide mode" if guide else label))


class AppHeader(Horizontal):
    """Docked at the top: "Reflect · <screen title>" and the mode badge on the right."""

    DEFAULT_CSS = """
    AppHeader {
        dock: top;
        height: 1;
        background: $panel;
    }
    AppHeader > .header-title {
        width: 1fr;
        padding: 0 1;
        text-style: bold;
    }
    """

    def __init__(self, title: str = "") -> None:
        super().__init__()
        self._title = title

    def compose(self) -> ComposeResult:
        label = f"Reflect · {self._title}" if self._title else "Reflect"
        yield Static(label, classes="header-title", markup=False)
        yield ModeBadge()
