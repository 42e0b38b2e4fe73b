"""Saying an assistant turn: all at once (guide mode, scripted turns) or streamed by a model.

:meth:`Speaker.speak` produces the reply's text and streams it to the sink; the caller
settles what the reply changes in the state, and :meth:`Speaker.commit` saves the reply with
that state in one commit. A model that cannot be reached is replaced by the guide-mode
text; other model errors are reported to the driver, who chooses what comes next.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.conversation.core.events import ErrorOccurred, Notice, TextDelta, TurnComplete
from assistant.conversation.core.grounding import TurnGuidance, sources_of
from assistant.conversation.core.kinds import Level, Mode, Role
from assistant.conversation.core.session import LiveSession
from assistant.conversation.core.sink import EventSink
from assistant.conversation.model.budget import BudgetedPrompt
from assistant.journal import Source
from assistant.sanitize import clean_text

if TYPE_CHECKING:
    from assistant.conversation.model.client import ModelClient, ModelError
    from assistant.knowledge import Passage

#: Model errors after which the engine carries on in guide mode by itself.
FALLBACK_KINDS = ("unreachable",)
TRUNCATED_NOTICE = (
    "Your message is long: only its first part was sent to the model. All of it is saved."
)


@dataclass(frozen=True)
class Reply:
    """A reply ready to be saved. ``scripted`` when it is guide mode's text, not a model's."""

    text: str
    scripted: bool
    sources: list[Source] = field(default_factory=list)


@dataclass
class Speaker:
    session: LiveSession
    guidance: TurnGuidance
    model: ModelClient | None
    sink: EventSink

    @property
    def mode(self) -> Mode:
        return self.session.mode

    async def speak(
        self,
        text: str,
        passages: list[Passage],
        *,
        prompt: BudgetedPrompt | None = None,
        appendix: str = "",
    ) -> Reply | None:
        """The reply: ``text`` as it is, or (given a ``prompt``) the model's, streamed.

        ``passages`` are what the turn is grounded in (its sources); ``text`` is also what is
        said when the endpoint cannot be reached. None when the model failed otherwise: the
        driver has been told with :class:`ErrorOccurred`.
        """
        sources = sources_of(passages)
        await self.sink.emit_all(self.guidance.found(passages))
        if prompt is None or self.model is None:
            await self.sink.emit(TextDelta(text))
            return Reply(text, True, sources)
        if prompt.user_message_truncated:
            await self.sink.emit(Notice(TRUNCATED_NOTICE, Level.WARNING))
        return await self._model_reply(prompt, text, passages, appendix)

    async def commit(self, reply: Reply) -> None:
        """Save the reply with the state as it stands now, then tell the driver."""
        self.session.add_reply(reply.text, reply.sources)
        await self.sink.emit(TurnComplete(Role.ASSISTANT, reply.text, reply.sources))

    async def say(self, text: str, passages: list[Passage]) -> None:
        """A scripted reply that changes nothing else: said and saved."""
        reply = await self.speak(text, passages)
        if reply is not None:
            await self.commit(reply)

    async def json_reply(
        self, prompt: BudgetedPrompt, schema: dict[str, Any], name: str
    ) -> tuple[str | None, Notice | None]:
        """The model's JSON text, or None and a Notice saying why the engine did without."""
        from assistant.conversation.model.client import ModelError

        assert self.model is not None
        try:
            return await self.model.complete_json(prompt.messages, schema=schema, name=name), None
        except ModelError as exc:
            if exc.kind in FALLBACK_KINDS:
                self.session.set_mode(Mode.GUIDE)
            text = f"{exc} Guide mode did this part from your answers."
            return None, Notice(text, Level.WARNING)

    async def _model_reply(
        self, prompt: BudgetedPrompt, fallback: str, passages: list[Passage], appendix: str
    ) -> Reply | None:
        from assistant.conversation.model.client import ModelError

        sources = sources_of(passages)
        parts: list[str] = []
        try:
            async for delta in self._stream(prompt):
                parts.append(delta)
                await self.sink.emit(TextDelta(delta))
        except ModelError as exc:
            return await self._model_failed(exc, "".join(parts), fallback, passages)
        except BaseException:
            # Cancelled (or closed) mid-stream: keep what arrived, then let the cancel through.
            self.session.add_interrupted("".join(parts), sources)
            raise
        if appendix:
            parts.append(f"\n\n{appendix}")
            await self.sink.emit(TextDelta(f"\n\n{appendix}"))
        return Reply("".join(parts), False, sources)

    async def _stream(self, prompt: BudgetedPrompt) -> AsyncIterator[str]:
        """The model's reply as cleaned text deltas: the one place the model streams."""
        assert self.model is not None
        async with aclosing(self.model.stream_reply(prompt.messages)) as stream:
            async for raw in stream:
                delta = clean_text(raw)
                if delta:
                    yield delta

    async def _model_failed(
        self, exc: ModelError, partial: str, fallback: str, passages: list[Passage]
    ) -> Reply | None:
        sources = sources_of(passages)
        if partial.strip():
            self.session.add_interrupted(partial, sources)
            await self.sink.emit(TurnComplete(Role.ASSISTANT, partial, sources, interrupted=True))
        if exc.kind not in FALLBACK_KINDS:
            await self.sink.emit(ErrorOccurred(str(exc), exc.retryable))
            return None
        self.session.set_mode(Mode.GUIDE)
        text = f"{exc} Continuing in guide mode; your answers are kept."
        await self.sink.emit(Notice(text, Level.WARNING))
        return await self.speak(fallback, passages)
