"""Pasted text keeps its meaning and loses what could take over a terminal."""

from __future__ import annotations

from assistant.sanitize import clean_text


def test_escape_sequences_and_controls_are_removed() -> None:
    pasted = "\x1b[31mred\x1b[0m and \x1b]0;title\x07bell\x00NUL\x08 \x9b2Jdone\r\nnext"
    assert clean_text(pasted) == "red and bellNUL done\nnext"


def test_unicode_and_markup_are_kept_exactly() -> None:
    text = "[bold]x[/bold] [/] 🎉 שלום مرحبا e\u0301 tab\there\nline"
    assert clean_text(text) == text
