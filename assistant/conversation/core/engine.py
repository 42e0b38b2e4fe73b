"""The conversation engine: owns the order of a flow's steps and emits events.

The TUI, ``reflect chat`` and the tests drive it the same way: iterate one of the event
streams (:meth:`Engine.start`, :meth:`Engine.resume`, :meth:`Engine.send`, :meth:`Engine.retry`,
:meth:`Engine.finish`, :meth:`Engine.use_guide_mode`) and react to each event. To stop a reply
in flight, cancel the task that iterates the stream: the partial reply is saved with status
``interrupted`` and nothing more is emitted.

The user's turn is committed to the journal before any model call, and the session state (step,
captured answers, flags) is saved after every turn, so a session cut off anywhere resumes at
its step with every answer kept.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import aclosing
from datetime import date
from typing import TYPE_CHECKING, Any

from assistant.config import Settings
from assistant.conversation.core.artifacts import (
    ArtifactDraft,
    artifact_schema,
    parse_draft,
    render_markdown,
)
from assistant.conversation.core.events import (
    ArtifactReady,
    ErrorOccurred,
    Event,
    Notice,
    StepChanged,
    TextDelta,
    TurnComplete,
)
from assistant.conversation.core.flows import FlowSpec, StepSpec, load_flow
from assistant.conversation.core.grounding import TurnGuidance, sources_of
from assistant.conversation.core.scenarios import Scenario, choose_scenario, get_scenario
from assistant.conversation.core.session_state import (
    PENDING_ADVANCE,
    PENDING_ASK,
    PENDING_DEBRIEF,
    PENDING_FOLLOWUP,
    PENDING_PERSONA,
    PENDING_RESCORE,
    SessionState,
)
from assistant.conversation.core.user_text import clean_user_text, word_count
from assistant.conversation.guide import replies as guide_text
from assistant.conversation.guide.compiler import compile_artifact, merge_model_draft
from assistant.conversation.guide.continuity import items_marked_done, open_items, unused_questions
from assistant.conversation.guide.persona import persona_reply
from assistant.conversation.guide.rubric import CriterionScore, score_feedback
from assistant.conversation.model.budget import BudgetedPrompt
from assistant.conversation.model.prompting import (
    ask_instruction,
    followup_instruction,
    guide_voice,
)
from assistant.conversation.model.requests import (
    artifact_prompt,
    coach_prompt,
    persona_prompt,
    roleplay_transcript,
    rubric_prompt,
)
from assistant.conversation.model.rubric_draft import parse_rubric_draft, rubric_schema
from assistant.journal import Journal, JournalWriteError, Session
from assistant.sanitize import clean_text

if TYPE_CHECKING:
    from assistant.conversation.model.client import ModelClient, ModelError
    from assistant.knowledge import KnowledgeBase, Passage

#: An answer shorter than this (in words) gets the step's follow-up, once.
THIN_ANSWER_WORDS = 6
NON_ANSWERS = {"idk", "dunno", "not sure", "no idea", "nothing", "n/a", "na", "-", "?", "none"}
#: The role-play ends by itself after this many lines from the mentor.
MAX_ROLEPLAY_LINES = 12
#: Steps whose question is the same in both modes (a menu, the role-play's scene).
SCRIPTED_KINDS = ("choose_scenario", "roleplay", "revise_line")
#: Model errors after which the engine carries on in guide mode by itself.
FALLBACK_KINDS = ("unreachable",)
COMMANDS_HELP = "Commands: /skip moves on, /back returns to the previous step, /done finishes."
ROLEPLAY_FULL = "That is a full conversation; time for the debrief."
ROLEPLAY_ENDED = "The role-play is over; here is how your feedback came across."
TRUNCATED_NOTICE = (
    "Your message is long: only its first part was sent to the model. All of it is saved."
)
UNUSABLE_DRAFT_NOTICE = (
    "The model's draft was not usable; the artifact was compiled from your answers."
)
UNUSABLE_SCORES_NOTICE = (
    "The model's scoring was not usable; the debrief was scored by guide mode's rubric."
)


#: Updates the state for a reply about to be saved: (its text, whether it was guide mode's).
Settle = Callable[[str, bool], None]


class EngineError(Exception):
    """The engine was asked for something it cannot do (no such session, nothing started)."""


class Engine:
    """One conversation at a time, in model mode (``model`` given) or guide mode.

    ``knowledge`` is an open knowledge base (or None to run without guidance); the caller owns
    it, the journal and the model client, and closes them. In model mode an unreachable
    endpoint switches the session to guide mode with a :class:`Notice`; other model errors emit
    :class:`ErrorOccurred` and leave the choice to the driver: :meth:`retry`,
    :meth:`use_guide_mode`, or simply the user's next message.
    """

    def __init__(
        self,
        settings: Settings,
        journal: Journal,
        knowledge: KnowledgeBase | None,
        *,
        model: ModelClient | None = None,
        today: date | None = None,
    ) -> None:
        self.settings = settings
        self.journal = journal
        self.knowledge = knowledge
        self._model = model
        self._mode = "model" if model is not None else "guide"
        self._today = today or date.today()
        self._session: Session | None = None
        self._flow: FlowSpec | None = None
        self._state = SessionState()
        self._note = ""
        self._guidance = TurnGuidance(knowledge, lambda: journal.profile().get("goals", ""))

    # --- what drivers read ----------------------------------------------------------------

    @property
    def mode(self) -> str:
        """``"model"`` or ``"guide"``."""
        return self._mode

    @property
    def session(self) -> Session | None:
        return self._session

    @property
    def flow(self) -> FlowSpec:
        if self._flow is None:
            raise EngineError("no conversation has been started")
        return self._flow

    @property
    def step_index(self) -> int:
        return self._state.step

    @property
    def steps(self) -> list[StepSpec]:
        return list(self.flow.steps)

    @property
    def state(self) -> SessionState:
        """The session's state as saved in the journal (read-only for drivers)."""
        return self._state

    # --- event streams --------------------------------------------------------------------

    async def start(self, flow_id: str) -> AsyncIterator[Event]:
        """Create a session for ``flow_id``; emit StepChanged, GuidanceFound, the first question.

        Raises :class:`~assistant.conversation.core.flows.FlowError` for an unknown flow.
        """
        flow = load_flow(flow_id)
        self._flow = flow
        self._session = self.journal.create_session(flow.id, self._mode, title=flow.title)
        state = SessionState()
        if any(step.shows == "open_items" for step in flow.steps):
            state.carried_items, state.items_left_out = open_items(self.journal)
        if any(step.shows == "saved_questions" for step in flow.steps):
            state.saved_questions, state.questions_left_out = unused_questions(self.journal)
        self._state = state
        async with aclosing(self._enter_step(self._next_index(0))) as events:
            async for event in events:
                yield event

    async def resume(self, session_id: str) -> AsyncIterator[Event]:
        """Continue a saved session at its step.

        The saved turns are replayed first as :class:`TurnComplete` events, so a driver can
        show the transcript. Then: a finished session emits its artifact; an unanswered turn
        is answered (the question re-asked); a reply that was interrupted is offered for
        :meth:`retry` with a Notice.
        """
        session = self.journal.get_session(session_id)
        if session is None:
            raise EngineError(f"no session matches {session_id!r}")
        self._session = session
        self._flow = load_flow(session.flow)
        self._state = SessionState.from_dict(session.state)
        if session.mode != self._mode:
            self.journal.update_session(session.id, mode=self._mode)
        turns = self.journal.turns(session.id)
        for turn in turns:
            interrupted = turn.status == "interrupted"
            yield TurnComplete(turn.role, turn.content, turn.sources, interrupted=interrupted)
        if self._state.finished:
            async with aclosing(self.finish()) as events:
                async for event in events:
                    yield event
            return
        if self._state.pending != PENDING_ADVANCE:
            yield self._step_changed()
        last = turns[-1] if turns else None
        if last is not None and last.role == "assistant" and last.status == "interrupted":
            yield Notice("The last reply was cut off. Retry it, or answer to carry on.")
        elif self._state.pending:
            async with aclosing(self._continue()) as events:
                async for event in events:
                    yield event

    async def send(self, text: str) -> AsyncIterator[Event]:
        """One user turn. ``/skip``, ``/back`` and ``/done`` are handled here.

        The turn is committed to the journal (and emitted as a user TurnComplete) before
        anything else happens with it.
        """
        self._require_session()
        text = clean_user_text(text)
        if not text:
            yield Notice(f"Type an answer first. {COMMANDS_HELP}")
            return
        if re.fullmatch(r"/[a-zA-Z]+", text):
            async with aclosing(self._command(text.lower())) as events:
                async for event in events:
                    yield event
            return
        if self._state.finished:
            yield Notice("This conversation is finished; its result is saved in your journal.")
            return
        async with aclosing(self._take_answer(text)) as events:
            async for event in events:
                yield event

    async def retry(self) -> AsyncIterator[Event]:
        """Run the last assistant turn again (after ErrorOccurred or an interrupted reply)."""
        self._require_session()
        if not self._state.pending:
            yield Notice("There is no reply to retry.")
            return
        async with aclosing(self._continue()) as events:
            async for event in events:
                yield event

    async def finish(self) -> AsyncIterator[Event]:
        """Produce, save and emit the artifact (the same as ``/done``)."""
        self._require_session()
        if self._state.finished:
            artifact = self.journal.artifact(self._session_id)
            if artifact is not None:
                yield ArtifactReady(
                    artifact.title, artifact.markdown, artifact.data, self._saved_action_items()
                )
                return
        flow, state = self.flow, self._state
        if flow.id == "practice" and not state.scores and state.answers.get("roleplay"):
            scores, notice = await self._score(self._mentor_lines())
            state.scores = [score.as_dict() for score in scores]
            if notice:
                yield notice
        draft = compile_artifact(flow, state, self.journal.profile(), self._today)
        if self._mode == "model" and flow.id != "practice":
            model_draft, notice = await self._model_artifact(draft)
            if notice is not None:
                yield notice
            if model_draft is not None:
                draft = merge_model_draft(model_draft, draft, flow, self._today)
        async for event in self._save_artifact(draft):
            yield event

    async def use_guide_mode(self, reason: str) -> AsyncIterator[Event]:
        """Switch this session to guide mode (a Notice says ``reason``) and carry on."""
        self._require_session()
        self._switch_to_guide()
        yield Notice(reason)
        if self._state.pending:
            async with aclosing(self._continue()) as events:
                async for event in events:
                    yield event

    # --- steps ----------------------------------------------------------------------------

    @property
    def _step(self) -> StepSpec:
        return self.flow.steps[self._state.step]

    @property
    def _session_id(self) -> str:
        assert self._session is not None
        return self._session.id

    def _require_session(self) -> None:
        if self._session is None or self._flow is None:
            raise EngineError("start or resume a conversation first")

    def _step_changed(self) -> StepChanged:
        return StepChanged(self._state.step, len(self.flow.steps), self._step.title)

    def _skipped(self, index: int) -> bool:
        step = self.flow.steps[index]
        return step.kind == "review_items" and not self._state.carried_items

    def _next_index(self, index: int) -> int:
        while index < len(self.flow.steps) and self._skipped(index):
            index += 1
        return index

    def _previous_index(self, index: int) -> int:
        index -= 1
        while index >= 0 and self._skipped(index):
            index -= 1
        return index

    async def _enter_step(self, index: int) -> AsyncIterator[Event]:
        if index >= len(self.flow.steps):
            async with aclosing(self.finish()) as events:
                async for event in events:
                    yield event
            return
        state = self._state
        # After an answer, the state saved with it (pending "advance") already leads here.
        saved_with_answer = state.pending == PENDING_ADVANCE
        state.step = index
        first_debrief = self._step.kind == "revise_line" and not state.scores
        state.pending = PENDING_DEBRIEF if first_debrief else PENDING_ASK
        if not saved_with_answer:
            self._save()
        yield self._step_changed()
        async with aclosing(self._reply()) as events:
            async for event in events:
                yield event

    async def _advance(self) -> AsyncIterator[Event]:
        async with aclosing(self._enter_step(self._next_index(self._state.step + 1))) as events:
            async for event in events:
                yield event

    async def _command(self, command: str) -> AsyncIterator[Event]:
        if command == "/done":
            events = self.finish()
        elif self._state.finished:
            yield Notice("This conversation is finished; its result is saved in your journal.")
            return
        elif command == "/skip":
            ended = self._step.kind == "roleplay"
            yield Notice(ROLEPLAY_ENDED if ended else f"Skipped “{self._step.title}”.")
            events = self._advance()
        elif command == "/back":
            previous = self._previous_index(self._state.step)
            if previous < 0:
                yield Notice("This is the first step; there is nothing to go back to.")
                return
            self._state.redo_step = self.flow.steps[previous].id
            events = self._enter_step(previous)
        else:
            yield Notice(f"{command} is not a command here. {COMMANDS_HELP}")
            return
        async with aclosing(events) as stream:
            async for event in stream:
                yield event

    async def _take_answer(self, text: str) -> AsyncIterator[Event]:
        """Save the user's turn, with what it does to the flow: capture, follow up, move on.

        The turn and the state it leads to (the answer captured, the next turn still to come)
        are committed together before anything else happens, so a session cut off at any
        point resumes with the answer kept and the next turn still to come.
        """
        state, step = self._state, self._step
        before = SessionState.from_dict(state.to_dict())
        answered_step = state.step
        done_before = list(state.done_items)
        if step.kind == "choose_scenario":
            scenario = choose_scenario(text)
            if scenario is None:
                self._note = "retry"
                state.pending = PENDING_ASK
            else:
                state.scenario = scenario.id
                state.add_answer(step.id, text)
                state.pending = PENDING_ADVANCE
        elif step.kind == "roleplay":
            if state.redo_step == step.id:
                state.persona_replies = []
            state.add_answer(step.id, text)
            state.pending = PENDING_PERSONA
        elif step.kind == "revise_line":
            state.add_answer(step.id, text)
            state.pending = PENDING_RESCORE
        elif step.kind == "review_items":
            state.add_answer(step.id, text)
            state.done_items = items_marked_done(text, state.carried_items)
            state.pending = PENDING_ADVANCE
        else:
            state.add_answer(step.id, text)
            if self._is_thin(text) and step.followup_when_thin and step.id not in state.followed_up:
                state.followed_up.append(step.id)
                state.pending = PENDING_FOLLOWUP
            else:
                state.pending = PENDING_ADVANCE
        self._prefetch_for(text)
        try:
            try:
                self.journal.add_turn(
                    self._session_id,
                    "user",
                    text,
                    step=answered_step,
                    session_state=state.to_dict(),
                )
            except JournalWriteError:
                self._state = before  # nothing of this answer is saved: sending it again is clean
                raise
            yield TurnComplete("user", text)
            if step.kind == "review_items":
                self._record_done_items(done_before)
            async with aclosing(self._continue()) as events:
                async for event in events:
                    yield event
        finally:
            self._guidance.drop()

    async def _continue(self) -> AsyncIterator[Event]:
        """Do what the state says comes next: a reply, then (for some steps) the next step."""
        state = self._state
        if state.pending == PENDING_ADVANCE:
            events = self._advance()
        elif state.pending == PENDING_PERSONA:
            events = self._reply_then_advance(when=self._roleplay_is_full, notice=ROLEPLAY_FULL)
        elif state.pending == PENDING_RESCORE:
            events = self._reply_then_advance(when=lambda: True)
        else:
            events = self._reply()
        async with aclosing(events) as stream:
            async for event in stream:
                yield event

    async def _reply_then_advance(
        self, when: Callable[[], bool], notice: str = ""
    ) -> AsyncIterator[Event]:
        """The pending reply, then (saying ``notice``) the next step if ``when()``."""
        async with aclosing(self._reply()) as events:
            async for event in events:
                yield event
        if not self._state.pending and when():
            if notice:
                yield Notice(notice)
            async with aclosing(self._advance()) as events:
                async for event in events:
                    yield event

    def _roleplay_is_full(self) -> bool:
        return len(self._mentor_lines()) >= MAX_ROLEPLAY_LINES

    def _prefetch_for(self, answer: str) -> None:
        """Start the search for the reply to ``answer`` while the answer is being saved.

        Only for the replies whose step is known now: the next step's question, a follow-up,
        the simulated mentee's answer.
        """
        state = self._state
        if state.pending not in (PENDING_ADVANCE, PENDING_FOLLOWUP, PENDING_PERSONA):
            return
        index = state.step
        if state.pending == PENDING_ADVANCE:
            index = self._next_index(state.step + 1)
            if index >= len(self.flow.steps):
                return
        self._guidance.prefetch(self.flow, self.flow.steps[index], answer)

    def _is_thin(self, text: str) -> bool:
        return (
            word_count(text) < THIN_ANSWER_WORDS or text.strip().lower().rstrip(".!") in NON_ANSWERS
        )

    def _record_done_items(self, done_before: list[str]) -> None:
        """Mark the items the answer named as done (and reopen any a redone answer dropped)."""
        state = self._state
        done = state.done_items
        for item_id in set(done_before) - set(done):
            self.journal.set_action_status(item_id, "open")
        for item_id in set(done) - set(done_before):
            self.journal.set_action_status(item_id, "done")
        texts = [item["text"] for item in state.carried_items if item["id"] in done]
        self._note = f"Marked as done: {'; '.join(texts)}." if texts else ""

    def _save(self) -> None:
        self.journal.update_session(
            self._session_id, step=self._state.step, state=self._state.to_dict()
        )

    def _switch_to_guide(self) -> None:
        if self._mode != "guide":
            self._mode = "guide"
            self.journal.update_session(self._session_id, mode="guide")

    # --- assistant turns ------------------------------------------------------------------

    async def _reply(self) -> AsyncIterator[Event]:
        """The assistant turn the state asks for; ``pending`` is cleared as it is saved."""
        pending = self._state.pending
        if pending in (PENDING_DEBRIEF, PENDING_RESCORE):
            events = self._practice_scores(pending)
        elif pending == PENDING_PERSONA:
            events = self._persona_turn()
        else:
            events = self._coach_turn(pending)
        async with aclosing(events) as stream:
            async for event in stream:
                yield event

    async def _coach_turn(self, pending: str) -> AsyncIterator[Event]:
        step, state = self._step, self._state
        turns = self.journal.turns(self._session_id)
        answer = turns[-1].content if turns and turns[-1].role == "user" else None
        passages = await self._guidance.passages(self.flow, step, answer or "")
        note, self._note = self._note, ""
        voice = guide_voice(self.settings.directness)
        if pending == PENDING_FOLLOWUP:
            fallback = guide_text.followup_text(step, voice, answer or "")
        elif step.kind == "choose_scenario":
            fallback = guide_text.scenario_menu_text(step, retry=note == "retry")
        elif step.kind == "roleplay":
            fallback = guide_text.roleplay_opening(step, self._scenario())
        elif step.kind == "revise_line":
            fallback = step.question
        else:
            fallback = guide_text.ask_text(
                step, state, voice, answer=answer, passages=passages, note=note
            )
        if self._mode == "guide" or (pending == PENDING_ASK and step.kind in SCRIPTED_KINDS):
            async for event in self._say(fallback, passages):
                yield event
            return
        if pending == PENDING_FOLLOWUP:
            instruction = followup_instruction(step, answer or "")
            appendix = ""
        else:
            appendix = guide_text.step_listing(step, state)
            if step.kind == "revise_questions":
                appendix = "\n\n".join([guide_text.question_review(state), step.question])
            instruction = ask_instruction(
                self.flow,
                step,
                state.step,
                acknowledge=answer is not None,
                extra="\n\n".join(part for part in (note, appendix) if part),
            )
        prompt = coach_prompt(
            self.settings,
            self.flow,
            self.journal.profile(),
            turns,
            instruction,
            user_message=answer,
            passages=passages,
        )
        used = passages[: prompt.passages_used]
        async for event in self._model_turn(prompt, used, fallback, appendix):
            yield event

    async def _persona_turn(self) -> AsyncIterator[Event]:
        state, scenario = self._state, self._scenario()
        line = self._mentor_lines()[-1]
        passages = await self._guidance.passages(self.flow, self._step, line)
        scripted = persona_reply(scenario, line, state.revealed, state.replies_used)

        def settle(text: str, was_scripted: bool) -> None:
            state.persona_replies.append(text)
            if was_scripted:
                state.replies_used[scripted.kind] = state.replies_used.get(scripted.kind, 0) + 1
                if scripted.revealed is not None:
                    state.revealed.append(scripted.revealed)

        if self._mode == "model":
            prompt = persona_prompt(
                self.settings, scenario, self._mentor_lines(), state.persona_replies
            )
            events = self._model_turn(prompt, passages, scripted.text, "", settle=settle)
        else:
            events = self._say(scripted.text, passages, settle=settle)
        async with aclosing(events) as stream:
            async for event in stream:
                yield event

    async def _practice_scores(self, pending: str) -> AsyncIterator[Event]:
        """The debrief after the role-play, or the score of the mentor's revised line."""
        state, step, scenario = self._state, self._step, self._scenario()
        passages = await self._guidance.passages(
            self.flow, step, " ".join(self._mentor_lines()[-2:])
        )
        if pending == PENDING_DEBRIEF:
            scores, notice = await self._score(self._mentor_lines())
            state.scores = [score.as_dict() for score in scores]
            text = guide_text.debrief_text(scores, scenario, step.question)
        else:
            line = state.answers[step.id][-1]
            before = [CriterionScore.from_dict(raw) for raw in state.scores]
            after, notice = await self._score([line])
            state.revision = {"line": line, "scores": [score.as_dict() for score in after]}
            text = guide_text.rescore_text(line, before, after)
        if notice is not None:
            yield notice
        async for event in self._say(text, passages):
            yield event

    async def _say(
        self, text: str, passages: list[Passage], *, settle: Settle | None = None
    ) -> AsyncIterator[Event]:
        """A whole reply at once (guide mode, scripted turns): saved, then shown."""
        sources = sources_of(passages)
        for event in self._guidance.found(passages):
            yield event
        self._save_reply(text, sources, settle, scripted=True)
        yield TextDelta(text)
        yield TurnComplete("assistant", text, sources)

    async def _model_turn(
        self,
        prompt: BudgetedPrompt,
        used: list[Passage],
        fallback: str,
        appendix: str,
        *,
        settle: Settle | None = None,
    ) -> AsyncIterator[Event]:
        """Stream the model's reply; on cancellation keep the partial text as interrupted.

        ``used`` are the passages the turn is grounded in (its sources); ``fallback`` is the
        guide-mode reply said instead when the endpoint cannot be reached.
        """
        from assistant.conversation.model.client import ModelError

        assert self._model is not None
        sources = sources_of(used)
        for event in self._guidance.found(used):
            yield event
        if prompt.user_message_truncated:
            yield Notice(TRUNCATED_NOTICE, "warning")
        parts: list[str] = []
        try:
            async with aclosing(self._model.stream_reply(prompt.messages)) as stream:
                async for raw in stream:
                    delta = clean_text(raw)
                    if delta:
                        parts.append(delta)
                        yield TextDelta(delta)
        except ModelError as exc:
            failed = self._model_failed(exc, "".join(parts), sources, fallback, used, settle)
            async with aclosing(failed) as events:
                async for event in events:
                    yield event
            return
        except BaseException:
            # Cancelled (or closed) mid-stream: keep what arrived, then let the cancel through.
            self._save_interrupted("".join(parts), sources)
            raise
        if appendix:
            parts.append(f"\n\n{appendix}")
            yield TextDelta(f"\n\n{appendix}")
        text = "".join(parts)
        self._save_reply(text, sources, settle, scripted=False)
        yield TurnComplete("assistant", text, sources)

    async def _model_failed(
        self,
        exc: ModelError,
        partial: str,
        sources: list[dict[str, Any]],
        fallback: str,
        passages: list[Passage],
        settle: Settle | None,
    ) -> AsyncIterator[Event]:
        if partial.strip():
            self._save_interrupted(partial, sources)
            yield TurnComplete("assistant", partial, sources, interrupted=True)
        if exc.kind in FALLBACK_KINDS:
            self._switch_to_guide()
            yield Notice(f"{exc} Continuing in guide mode; your answers are kept.", "warning")
            async with aclosing(self._say(fallback, passages, settle=settle)) as events:
                async for event in events:
                    yield event
            return
        yield ErrorOccurred(str(exc), exc.retryable)

    def _save_reply(
        self, text: str, sources: list[dict[str, Any]], settle: Settle | None, *, scripted: bool
    ) -> None:
        """Save a complete reply and the state it settles (nothing pending) in one commit."""
        if settle is not None:
            settle(text, scripted)
        self._state.pending = ""
        self.journal.add_turn(
            self._session_id,
            "assistant",
            text,
            step=self._state.step,
            sources=sources,
            session_state=self._state.to_dict(),
        )

    def _save_interrupted(self, partial: str, sources: list[dict[str, Any]]) -> None:
        """Keep a reply cut off mid-stream; the turn it answers stays pending."""
        if partial:
            self.journal.add_turn(
                self._session_id,
                "assistant",
                partial,
                step=self._state.step,
                sources=sources,
                status="interrupted",
            )

    # --- practice -------------------------------------------------------------------------

    def _scenario(self) -> Scenario:
        return get_scenario(self._state.scenario)

    def _mentor_lines(self) -> list[str]:
        return self._state.answers.get("roleplay", [])

    async def _score(self, lines: list[str]) -> tuple[list[CriterionScore], Notice | None]:
        """Score the mentor's lines: by the model in model mode, by the rubric's rules else."""
        scenario = self._scenario()
        rules = score_feedback(lines, scenario)
        if self._mode != "model":
            return rules, None
        if lines == self._mentor_lines():
            transcript = roleplay_transcript(scenario, lines, self._state.persona_replies)
        else:
            transcript = "\n".join(f"Mentor: {line}" for line in lines)
        prompt = rubric_prompt(self.settings, self.flow, self.journal.profile(), transcript)
        raw, notice = await self._json_reply(prompt, rubric_schema(), "rubric")
        if raw is None:
            return rules, notice
        scores = parse_rubric_draft(raw, " ".join(lines), rules)
        if scores is None:
            return rules, Notice(UNUSABLE_SCORES_NOTICE, "warning")
        return scores, None

    async def _json_reply(
        self, prompt: BudgetedPrompt, schema: dict[str, Any], name: str
    ) -> tuple[str | None, Notice | None]:
        """The model's JSON text, or None and a Notice saying why the engine did without."""
        from assistant.conversation.model.client import ModelError

        assert self._model is not None
        try:
            return await self._model.complete_json(prompt.messages, schema=schema, name=name), None
        except ModelError as exc:
            if exc.kind in FALLBACK_KINDS:
                self._switch_to_guide()
            return None, Notice(f"{exc} Guide mode did this part from your answers.", "warning")

    # --- artifacts ------------------------------------------------------------------------

    async def _model_artifact(
        self, compiled: ArtifactDraft
    ) -> tuple[ArtifactDraft | None, Notice | None]:
        prompt = artifact_prompt(
            self.settings,
            self.flow,
            self.journal.profile(),
            self.journal.turns(self._session_id),
            compiled,
            self._today,
        )
        raw, notice = await self._json_reply(prompt, artifact_schema(), "artifact")
        if raw is None:
            return None, notice
        draft = parse_draft(raw)
        if draft is None:
            return None, Notice(UNUSABLE_DRAFT_NOTICE, "warning")
        return draft, None

    async def _save_artifact(self, draft: ArtifactDraft) -> AsyncIterator[Event]:
        flow, state, session_id = self.flow, self._state, self._session_id
        markdown = render_markdown(draft, subtitle=f"{flow.title} · {self._today.isoformat()}")
        items = self._saved_action_items()
        if not items:
            for item in draft.action_items:
                saved = self.journal.add_action_item(session_id, item.text, item.due)
                items.append({"id": saved.id, "text": saved.text, "due": saved.due})
        if flow.id == "ask":
            for question in draft.section_items(flow.section("questions").heading):
                self.journal.save_question(session_id, question)
        if state.saved_questions:
            self.journal.mark_questions_used([q["id"] for q in state.saved_questions], session_id)
        for item_id in state.done_items:  # in case a crash came between answer and update
            item = self.journal.get_action_item(item_id)
            if item is not None and item.status == "open":
                self.journal.set_action_status(item_id, "done")
        data = {
            "title": draft.title,
            "sections": [section.model_dump() for section in draft.sections],
            "action_items": items,
        }
        self.journal.save_artifact(session_id, draft.title, data, markdown)
        state.finished = True
        state.pending = ""
        self.journal.update_session(
            session_id, status="done", title=draft.title, state=state.to_dict()
        )
        yield ArtifactReady(draft.title, markdown, data, items)

    def _saved_action_items(self) -> list[dict[str, Any]]:
        return [
            {"id": item.id, "text": item.text, "due": item.due}
            for item in self.journal.action_items(None)
            if item.session_id == self._session_id
        ]
