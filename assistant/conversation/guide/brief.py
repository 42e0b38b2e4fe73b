"""The short "brief for my mentor": an artifact's key sections, condensed to read in a minute.

It is made from the artifact's Markdown (not its structured data) so that it follows the
user's own edits. Each flow names the sections that matter most to the person receiving it;
each keeps its first few items. A long item is shortened to its first sentences, never cut
inside a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: The sections a brief keeps, by heading, most important first. Headings not found (the
#: user renamed them) are skipped; with none found, the first sections are used instead.
KEY_SECTIONS: dict[str, tuple[str, ...]] = {
    "prepare": (
        "Goal of the meeting",
        "Topics, most important first",
        "Time plan",
        "Help to ask for",
        "Open action items from earlier sessions",
    ),
    "ask": ("Questions to ask", "Context to give"),
    "debrief": (
        "What I will try next",
        "Feedback I received",
        "What I agree with",
        "What I doubt or disagree with",
        "How it landed",
    ),
    "practice": ("Scores against the rubric", "Rewrites to try", "Your revised line"),
}
ITEMS_PER_SECTION = 3
FALLBACK_SECTIONS = 3
ITEM_WIDTH = 110

_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?")


@dataclass
class _Section:
    heading: str
    items: list[str] = field(default_factory=list)


def mentor_brief(flow_id: str, markdown: str) -> str:
    """The brief for an artifact of ``flow_id`` whose full text is ``markdown``."""
    title, sections = _parse(markdown)
    by_heading = {section.heading.casefold(): section for section in sections}
    chosen = [
        by_heading[heading.casefold()]
        for heading in KEY_SECTIONS.get(flow_id, ())
        if heading.casefold() in by_heading and by_heading[heading.casefold()].items
    ]
    if not chosen:
        chosen = [section for section in sections if section.items][:FALLBACK_SECTIONS]
    lines = [f"# Brief: {title}" if title else "# Brief"]
    for section in chosen:
        lines += ["", f"**{section.heading}**"]
        lines += [f"- {_shortened(item)}" for item in section.items[:ITEMS_PER_SECTION]]
        hidden = len(section.items) - ITEMS_PER_SECTION
        if hidden > 0:
            lines.append(f"- (and {hidden} more in the full version)")
    return "\n".join(lines) + "\n"


def _parse(markdown: str) -> tuple[str, list[_Section]]:
    """The first level-1 heading, and each level-2 or deeper section with its items."""
    title = ""
    sections: list[_Section] = []
    for raw in markdown.splitlines():
        line = raw.strip()
        if not line:
            continue
        heading = re.match(r"^(#+)\s+(.*?)\s*#*$", line)
        if heading:
            if len(heading.group(1)) == 1 and not title:
                title = heading.group(2)
            else:
                sections.append(_Section(heading.group(2)))
            continue
        if sections:
            item = _LIST_MARKER.sub("", line)
            if _LIST_MARKER.match(line) or not sections[-1].items:
                sections[-1].items.append(item)
            else:
                sections[-1].items[-1] += " " + item
    return title, sections


def _shortened(item: str) -> str:
    """The item's first sentence, and the next ones while they fit in :data:`ITEM_WIDTH`.

    A sentence is never cut: one longer than the width is kept whole.
    """
    from assistant.conversation.guide.passage_quote import split_sentences

    sentences = split_sentences(" ".join(item.split()))
    if not sentences:
        return item
    kept = sentences[0]
    for sentence in sentences[1:]:
        if len(kept) + 1 + len(sentence) > ITEM_WIDTH:
            break
        kept = f"{kept} {sentence}"
    return kept
