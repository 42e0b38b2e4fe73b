"""Small terminal charts for the insights screen: horizontal bars and labelled sparklines."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Sparkline, Static

#: Columns each period gets in a sparkline, so a dozen weeks read as bars, not a squiggle.
COLUMNS_PER_PERIOD = 3
EIGHTHS = " ▏▎▍▌▋▊▉"
TREND_LABEL_WIDTH = 10


def bar(value: float, maximum: float, width: int) -> str:
    """A horizontal bar of ``width`` cells at full ``maximum``, in eighths of a cell."""
    if maximum <= 0 or value <= 0:
        return ""
    eighths = max(1, round(8 * width * value / maximum))
    full, rest = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[rest] if rest else "")


def bar_rows(rows: Sequence[tuple[str, int, str]], *, width: int = 20) -> Text:
    """Label, bar and count on each line; ``rows`` are (label, value, style)."""
    maximum = max((value for _, value, _ in rows), default=0)
    label_width = max((len(label) for label, _, _ in rows), default=0)
    text = Text()
    for index, (label, value, style) in enumerate(rows):
        if index:
            text.append("\n")
        text.append(f"{label:<{label_width}}  ")
        text.append(f"{bar(value, maximum, width):<{width}}", style=style)
        text.append(f" {value}")
    return text


class TrendRow(Horizontal):
    """A label, a sparkline of values per period, and their total."""

    DEFAULT_CSS = """
    TrendRow {
        height: auto;
    }
    TrendRow > .trend-label {
        width: 10;
    }
    TrendRow > Sparkline {
        height: 1;
        margin-right: 1;
    }
    TrendRow > .trend-total {
        width: auto;
        color: $text-muted;
    }
    """

    def __init__(self, label: str, values: Sequence[int], total_label: str) -> None:
        super().__init__()
        self._label = label
        self._values = values
        self._total_label = total_label

    def compose(self) -> ComposeResult:
        yield Static(self._label, classes="trend-label", markup=False)
        sparkline = Sparkline(
            [float(value) for value in self._values for _ in range(COLUMNS_PER_PERIOD)]
        )
        sparkline.styles.width = len(self._values) * COLUMNS_PER_PERIOD
        yield sparkline
        yield Static(self._total_label, classes="trend-total", markup=False)


def period_axis(labels: Sequence[str]) -> Text:
    """The first and last period's labels, spaced to sit under a :class:`TrendRow` sparkline."""
    if not labels:
        return Text()
    width = len(labels) * COLUMNS_PER_PERIOD
    gap = max(1, width - len(labels[0]) - len(labels[-1]))
    return Text(" " * TREND_LABEL_WIDTH + labels[0] + " " * gap + labels[-1], style="dim")
