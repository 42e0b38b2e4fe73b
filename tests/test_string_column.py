"""Chunk texts kept as UTF-8 bytes and offsets: read one at a time, and revised by copying
the kept bytes, with the same strings as a column made from the kept and added ones."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from assistant.knowledge.string_column import JsonColumn, StringColumn

TEXTS = ["Feedback", "", "naïve café — “quoted”", "emoji 🙂", "line\nbreak", "last"]


def test_strings_read_back_one_by_one_and_whole() -> None:
    column = StringColumn.of(TEXTS)
    assert len(column) == len(TEXTS)
    assert [column[i] for i in range(len(TEXTS))] == TEXTS
    assert list(column) == TEXTS
    assert column[-1] == "last" and column[1:3] == TEXTS[1:3]
    with pytest.raises(IndexError):
        column[len(TEXTS)]


@pytest.mark.parametrize(
    "keep",
    [
        [True] * 6,
        [False] * 6,
        [True, False, True, True, False, True],
        [False, True, True, False, False, True],
    ],
)
def test_a_revised_column_holds_the_kept_strings_then_the_added(keep: list[bool]) -> None:
    added = ["new one", "", "nouveau ✓"]
    revised = StringColumn.of(TEXTS).revised(np.array(keep), added)
    expected = [text for text, kept in zip(TEXTS, keep, strict=True) if kept] + added
    assert list(revised) == expected
    assert revised.offsets.tolist() == StringColumn.of(expected).offsets.tolist()


def test_metadata_is_decoded_as_it_was_given() -> None:
    metadatas: list[dict[str, Any]] = [
        {"source": "a.md", "moments": ["before"], "hub": 0.125},
        {"source": "b.md"},
    ]
    column = JsonColumn.of(metadatas)
    assert column[1] == metadatas[1] and list(column) == metadatas
    revised = column.revised(np.array([False, True]), [{"source": "c.md", "builtin": True}])
    assert list(revised) == [metadatas[1], {"source": "c.md", "builtin": True}]
