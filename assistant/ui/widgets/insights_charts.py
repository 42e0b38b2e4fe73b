"""Small terminal charts for the insights screen: horizontal bars and bars over time."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

#: Columns each period gets in a sparkline, so a dozen weeks read as bars, not a squiggle.
COLUMNS_PER_PERIOD = 3
EIGHTHS = " ▏▎▍▌▋▊▉"
BLOCKS = "▁▂▃▄▅▆▇█"
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


def spark(values: Sequence[int], maximum: int, style: str) -> Text:
    """Vertical bars on a scale from zero to ``maximum``: a period with nothing shows a dim
    baseline, and a steady non-zero count does not look like zero (as a min-to-max sparkline
    would draw it)."""
    line = Text()
    for value in values:
        if value <= 0 or maximum <= 0:
            line.append(BLOCKS[0] * COLUMNS_PER_PERIOD, style="dim")
            continue
        level = max(1, round((len(BLOCKS) - 1) * value / maximum))
        line.append(BLOCKS[level] * COLUMNS_PER_PERIOD, style=style)
    return line


def trend_line(label: str, values: Sequence[int], total: str, style: str) -> Text:
    """A label, the bars of ``values`` (scaled to their own largest) and a total."""
    line = Text(f"{label:<{TREND_LABEL_WIDTH}}")
    line.append_text(spark(values, max(values, default=0), style))
    line.append(f" {total}", style="dim")
    return line


def period_axis(labels: Sequence[str]) -> Text:
    """The first and last period's labels, spaced to sit under a :class:`TrendRow` sparkline."""
    if not labels:
        return Text()
    width = len(labels) * COLUMNS_PER_PERIOD
    gap = max(1, width - len(labels[0]) - len(labels[-1]))
    return Text(" " * TREND_LABEL_WIDTH + labels[0] + " " * gap + labels[-1], style="dim")
