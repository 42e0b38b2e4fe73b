"""How long, how large and how slow a model's reply may be, per purpose of the request.

A small local model asked for a coach turn may ramble until its context is full; every request
therefore carries ``max_tokens`` sized for what it is for, stop sequences for the chat-template
tokens a model may leak, a time-to-first-token limit, a whole-reply time limit and a byte cap.
All come from :class:`assistant.config.Settings` (``[model]`` in ``config.toml`` or the
environment).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from assistant.config import Settings


class ReplyPurpose(StrEnum):
    """What a request is for; each purpose has its own reply length."""

    COACH = "coach"
    PERSONA = "persona"
    DRAFT = "draft"
    RUBRIC = "rubric"
    PROBE = "probe"


#: Chat-template tokens of the common model families that open or close a model's own turn:
#: a model that writes one has left its turn. (``[/INST]`` closes the user's turn in Llama 2
#: and Mistral prompts; a reply may mention it, and it is shown literally.)
TEMPLATE_TOKENS: tuple[str, ...] = (
    "<start_of_turn>",
    "<end_of_turn>",
    "<|im_end|>",
    "<|im_start|>",
    "[INST]",
    "<|eot_id|>",
    "<|start_header_id|>",
    "<|endoftext|>",
    "</s>",
    "<|end|>",
    "<|user|>",
)
#: The stop sequences sent with each request (OpenAI accepts at most four); the stream guard
#: watches for all of :data:`TEMPLATE_TOKENS`.
STOP_SEQUENCES: list[str] = ["<start_of_turn>", "<end_of_turn>", "<|im_end|>", "[INST]"]

#: Tokens of the short probe ``reflect doctor`` sends to time the endpoint.
PROBE_TOKENS = 32


@dataclass(frozen=True)
class ReplyLimits:
    """The bounds of one request's reply."""

    max_tokens: int
    first_token_seconds: float
    reply_seconds: float
    byte_cap: int

    @classmethod
    def for_purpose(cls, settings: Settings, purpose: ReplyPurpose) -> ReplyLimits:
        """The limits for ``purpose``; never more tokens than the budget keeps for a reply."""
        tokens = {
            ReplyPurpose.COACH: settings.reply_tokens_coach,
            ReplyPurpose.PERSONA: settings.reply_tokens_persona,
            ReplyPurpose.DRAFT: settings.reply_tokens_draft,
            ReplyPurpose.RUBRIC: settings.reply_tokens_rubric,
            ReplyPurpose.PROBE: PROBE_TOKENS,
        }[purpose]
        return cls(
            max_tokens=min(tokens, settings.reply_reserve),
            first_token_seconds=min(settings.first_token_timeout, settings.reply_time_limit),
            reply_seconds=settings.reply_time_limit,
            byte_cap=settings.reply_byte_cap,
        )
