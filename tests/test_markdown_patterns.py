"""Chunking and the guide's quoting read a bold label the same way (one shared pattern).

Before, the guide's quoting missed a label written ``**Label**:`` or ``**Label:**`` with
spaces around it, which chunking took as a sub-heading: a quoted "Instead of / Try" lost the
situation it is for.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.conversation.guide.passage_quote import units_of
from assistant.knowledge.chunking import chunk_document
from assistant.knowledge.documents import read_document

SECTION = "\n".join(
    [
        "## When feedback stings",
        "",
        "Feedback that stings is still information; take a breath before answering it.",
        "",
        "{label}",
        "",
        "- Instead of: You are wrong about that.",
        "- Try: What did you see that made you think so?",
        "",
    ]
)


LABEL = "In the meeting itself"


@pytest.mark.parametrize(
    "label", [f"**{LABEL}**", f"**{LABEL}:**", f"**{LABEL}**:", f"  **{LABEL}**  "]
)
def test_a_bold_label_names_both_the_chunk_and_the_quoted_wording(
    tmp_path: Path, label: str
) -> None:
    path = tmp_path / "feedback.md"
    path.write_text("---\ntitle: Feedback\n---\n\n" + SECTION.format(label=label), "utf-8")
    chunks = chunk_document(read_document(path, "feedback.md"))
    labelled = [chunk for chunk in chunks if chunk.heading.endswith("In the meeting itself")]
    assert labelled, [chunk.heading for chunk in chunks]
    _, wordings = units_of(labelled[0].text)
    assert [(w.label, w.instead, w.try_) for w in wordings] == [
        (
            "In the meeting itself",
            "You are wrong about that.",
            "What did you see that made you think so?",
        )
    ]
