"""Saying an assistant turn: all at once (guide mode, scripted turns) or streamed by a model.

:meth:`Speaker.speak` produces the reply's text and streams it to the sink; the caller
settles what the reply changes in the state, and :meth:`Speaker.commit` saves the reply with
that state in one commit. A model that cannot be reached is replaced by the guide-mode
text; other model errors are reported to the driver, who chooses what comes next.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.conversation.core.events import ErrorOccurred, Notice, TextDelta, TurnComplete
from assistant.conversation.core.grounding import TurnGuidance, sources_of
from assistant.conversation.core.kinds import Level, Mode, Role
from assistant.conversation.core.session import LiveSession
from assistant.conversation.core.sink import EventSink
from assistant.conversation.model.budget import BudgetedPrompt
from assistant.conversation.model.limits import ReplyPurpose
from assistant.conversation.model.stream_guard import guard_for, settle_reply
from assistant.journal import Source
from assistant.sanitize import StreamCleaner

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
        purpose: ReplyPurpose = ReplyPurpose.COACH,
        question: str | None = None,
    ) -> Reply | None:
        """The reply: ``text`` as it is, or (given a ``prompt``) the model's, streamed.

        ``passages`` are what the turn is grounded in (its sources); ``text`` is also what is
        said when the endpoint cannot be reached or the model sent nothing usable. None when
        the model failed otherwise: the driver has been told with :class:`ErrorOccurred`.
        ``purpose`` sizes the reply's cap; ``question`` (a coach turn's scripted question) is
        added when the model's reply asks none.
        """
        sources = sources_of(passages)
        await self.sink.emit_all(self.guidance.found(passages))
        if prompt is None or self.model is None:
            await self.sink.emit(TextDelta(text))
            return Reply(text, True, sources)
        if prompt.user_message_truncated:
            await self.sink.emit(Notice(TRUNCATED_NOTICE, Level.WARNING))
        return await self._model_reply(prompt, text, passages, appendix, purpose, question)

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
        self, prompt: BudgetedPrompt, schema: dict[str, Any], name: str, purpose: ReplyPurpose
    ) -> tuple[str | None, Notice | None]:
        """The model's JSON text, or None and a Notice saying why the engine did without."""
        from assistant.conversation.model.client import ModelError

        assert self.model is not None
        try:
            raw = await self.model.complete_json(
                prompt.messages, schema=schema, name=name, purpose=purpose
            )
            return raw, None
        except ModelError as exc:
            if exc.kind in FALLBACK_KINDS:
                self.session.set_mode(Mode.GUIDE)
            text = f"{exc} Guide mode did this part from your answers."
            return None, Notice(text, Level.WARNING)

    async def _model_reply(
        self,
        prompt: BudgetedPrompt,
        fallback: str,
        passages: list[Passage],
        appendix: str,
        purpose: ReplyPurpose,
        question: str | None,
    ) -> Reply | None:
        """Stream the model's reply through a guard that stops a degenerate one.

        What the guard changed (a loop cut, the step's question added, the scripted reply
        used instead) is said in one Notice.
        """
        from assistant.conversation.model.client import ModelError

        assert self.model is not None
        sources = sources_of(passages)
        guard = guard_for(prompt.messages, question)
        parts: list[str] = []

        async def show(delta: str) -> None:
            if delta:
                parts.append(delta)
                await self.sink.emit(TextDelta(delta))

        try:
            async with aclosing(self._stream(prompt, purpose)) as stream:
                async for delta in stream:
                    await show(guard.feed(delta))
                    if guard.derail is not None:
                        break
            await show(guard.flush())
        except ModelError as exc:
            partial = "".join(parts) + guard.flush()
            return await self._model_failed(exc, partial, fallback, passages)
        except BaseException:
            # Cancelled (or closed) mid-stream: keep what arrived, then let the cancel through.
            self.session.add_interrupted("".join(parts), sources)
            raise
        last = self.model.last_reply
        if last is not None and last.cut is not None:
            guard.ran_on()
        asks = None if question and question in appendix else question
        settled = settle_reply(guard, question=asks, fallback=fallback)
        if settled.notice:
            await self.sink.emit(Notice(settled.notice, Level.INFO))
        text = "\n\n".join(part for part in (settled.text, appendix) if part)
        streamed = "".join(parts)
        if len(text) > len(streamed) and text.startswith(streamed):
            await self.sink.emit(TextDelta(text[len(streamed) :]))  # the question or listing
        return Reply(text, False, sources)

    async def _stream(
        self, prompt: BudgetedPrompt, purpose: ReplyPurpose
    ) -> AsyncGenerator[str, None]:
        """The model's reply as cleaned text deltas: the one place the model streams."""
        assert self.model is not None
        cleaner = StreamCleaner()  # an escape split between two deltas leaves no residue
        replies = self.model.stream_reply(prompt.messages, purpose=purpose)
        async with aclosing(replies) as stream:
            async for raw in stream:
                delta = cleaner.feed(raw)
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
