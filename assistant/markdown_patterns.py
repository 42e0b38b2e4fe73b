"""Patterns for the bits of Markdown that several readers of the guidance recognise.

Chunking, the guide's quoting and the chat view each look for the same marks; one definition
keeps them agreeing on what, say, a bold label is.
"""

from __future__ import annotations

import re

#: A line that is only bold text, ``**Label**`` or ``**Label:**`` (the colon may also follow
#: the closing stars): a sub-heading in all but name. Group 1 is the label, without the colon.
BOLD_LABEL = re.compile(r"^\s*\*\*([^*\n]{1,80}?):?\*\*:?\s*$")

#: A line that opens (or closes) a fenced code block: up to three spaces, then ``` or ~~~.
CODE_FENCE = re.compile(r"^ {0,3}(```|~~~)", re.MULTILINE)

#: A hidden block of lines in the asker's words, ``<!-- asked:`` then one line per entry, then
#: ``-->``: how people in the situation a section answers put it (see
#: :mod:`assistant.knowledge.chunking`). Group 1 is the lines. A match takes the blank line
#: after the block too, so that the text around it closes up as if it had never been there.
ASKED_BLOCK = re.compile(r"<!--[ \t]*asked:[ \t]*\n?(.*?)-->[ \t]*\n?(?:[ \t]*\n)?", re.DOTALL)
