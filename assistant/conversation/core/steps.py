"""One handler per step kind: what a step does with an answer and how it asks its question.

A handler takes the user's answer into the state and says what the next assistant turn is
(:class:`~assistant.conversation.core.kinds.Pending`); it gives the guide-mode text of its
question and the model's instruction for it; it says when the step ends by itself; and its
answers fill the artifact section named by the step's ``capture`` (the compiler reads them).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.conversation.core import practice
from assistant.conversation.core.context import Context
from assistant.conversation.core.flows import StepSpec
from assistant.conversation.core.kinds import Pending, Role, StepKind
from assistant.conversation.core.scenarios import choose_scenario
from assistant.conversation.core.session_state import SessionState
from assistant.conversation.guide import replies as guide_text
from assistant.conversation.guide.continuity import items_marked_done
from assistant.conversation.guide.followup import follow_up_for
from assistant.conversation.model.prompting import ask_instruction, followup_instruction
from assistant.conversation.model.requests import coach_prompt

if TYPE_CHECKING:
    from assistant.knowledge import Passage

ROLEPLAY_FULL = "That is a full conversation; time for the debrief."
ROLEPLAY_ENDED = "The role-play is over; here is how your feedback came across."
#: The note for the reply after an answer the step could not use (asks again).
RETRY_NOTE = "retry"


class StepHandler:
    """A step that captures its answer, asks one follow-up when the answer calls for it."""

    #: The question is the same in both modes (a menu, a scene): the model does not word it.
    scripted_question = False

    def skipped(self, state: SessionState) -> bool:
        return False

    def entry(self, state: SessionState) -> Pending:
        """The assistant turn that opens the step."""
        return Pending.ASK

    def take(self, ctx: Context, answer: str) -> Pending:
        """Put ``answer`` into the state; the turn it calls for next."""
        step, state = ctx.step, ctx.state
        state.add_answer(step.id, answer)
        asks = ctx.asks_follow_ups and step.id not in state.followed_up
        question = follow_up_for(step, answer) if asks else None
        if question is None:
            return Pending.ADVANCE
        state.followed_up.append(step.id)
        state.followup = question
        return Pending.FOLLOWUP

    async def reply(self, ctx: Context, pending: Pending) -> None:
        """The assistant turn ``pending`` asks for at this step."""
        await coach_turn(ctx, self, pending)

    def ends_after(self, ctx: Context, pending: Pending) -> str | None:
        """After the reply to ``pending``: None to stay, else the notice ("" for none)
        said as the flow moves on by itself."""
        return None

    def skip_notice(self, step: StepSpec) -> str:
        return f"Skipped “{step.title}”."

    async def before_finish(self, ctx: Context) -> None:
        """Work the artifact needs from this step before it is compiled."""

    def guide_question(
        self, ctx: Context, answer: str | None, passages: list[Passage], note: str
    ) -> str:
        return guide_text.ask_text(
            ctx.step,
            ctx.state,
            ctx.voice,
            answer=answer,
            passages=passages,
            note=note,
            flow=ctx.flow,
            shown=coach_said(ctx),
            today=ctx.today,
        )

    def model_appendix(self, ctx: Context) -> str:
        """Text shown after the model's words, verbatim (the list the step works on)."""
        return guide_text.step_listing(ctx.step, ctx.state)


class ReviseQuestionsHandler(StepHandler):
    def model_appendix(self, ctx: Context) -> str:
        return "\n\n".join([guide_text.question_review(ctx.state), ctx.step.question])


class ReviewItemsHandler(StepHandler):
    """Which of the carried action items are done; skipped when nothing was carried."""

    def skipped(self, state: SessionState) -> bool:
        return not state.carried_items

    def take(self, ctx: Context, answer: str) -> Pending:
        """Mark the items the answer names as done (and reopen any a redone answer dropped)."""
        state = ctx.state
        before, named = set(state.done_items), items_marked_done(answer, state.carried_items)
        # Items the user closed when offered in the conversation stay closed.
        closed_in_chat = [
            i for i in state.done_items if i in ctx.offered_to_close and i not in named
        ]
        done = named + closed_in_chat
        state.add_answer(ctx.step.id, answer)
        state.done_items = done
        ctx.item_statuses = {item_id: "open" for item_id in before - set(done)}
        ctx.item_statuses.update({item_id: "done" for item_id in set(done) - before})
        texts = [item.text for item in state.carried_items if item.id in named]
        ctx.note = f"Marked as done: {'; '.join(texts)}." if texts else ""
        return Pending.ADVANCE


class ChooseScenarioHandler(StepHandler):
    scripted_question = True

    def take(self, ctx: Context, answer: str) -> Pending:
        scenario = choose_scenario(answer)
        if scenario is None:
            ctx.note = RETRY_NOTE
            return Pending.ASK
        ctx.state.scenario = scenario.id
        ctx.state.add_answer(ctx.step.id, answer)
        return Pending.ADVANCE

    def guide_question(
        self, ctx: Context, answer: str | None, passages: list[Passage], note: str
    ) -> str:
        return guide_text.scenario_menu_text(ctx.step, retry=note == RETRY_NOTE)


class RoleplayHandler(StepHandler):
    """The mentor talks to the simulated mentee until /skip or the exchange limit."""

    scripted_question = True

    def take(self, ctx: Context, answer: str) -> Pending:
        if ctx.state.redo_step == ctx.step.id:
            ctx.state.persona_replies = []
        ctx.state.add_answer(ctx.step.id, answer)
        return Pending.PERSONA

    async def reply(self, ctx: Context, pending: Pending) -> None:
        if pending == Pending.PERSONA:
            await practice.persona_turn(ctx)
        else:
            await super().reply(ctx, pending)

    def ends_after(self, ctx: Context, pending: Pending) -> str | None:
        full = pending == Pending.PERSONA and practice.roleplay_is_full(ctx)
        return ROLEPLAY_FULL if full else None

    def skip_notice(self, step: StepSpec) -> str:
        return ROLEPLAY_ENDED

    async def before_finish(self, ctx: Context) -> None:
        await practice.score_before_finish(ctx)

    def guide_question(
        self, ctx: Context, answer: str | None, passages: list[Passage], note: str
    ) -> str:
        return guide_text.roleplay_opening(ctx.step, practice.scenario_of(ctx.state))


class ReviseLineHandler(StepHandler):
    """The debrief of the role-play, then one revised line scored again."""

    scripted_question = True

    def entry(self, state: SessionState) -> Pending:
        return Pending.ASK if state.scores else Pending.DEBRIEF

    def take(self, ctx: Context, answer: str) -> Pending:
        ctx.state.add_answer(ctx.step.id, answer)
        return Pending.RESCORE

    async def reply(self, ctx: Context, pending: Pending) -> None:
        if pending == Pending.DEBRIEF:
            await practice.debrief_turn(ctx)
        elif pending == Pending.RESCORE:
            await practice.rescore_turn(ctx)
        else:
            await super().reply(ctx, pending)

    def ends_after(self, ctx: Context, pending: Pending) -> str | None:
        return "" if pending == Pending.RESCORE else None

    def guide_question(
        self, ctx: Context, answer: str | None, passages: list[Passage], note: str
    ) -> str:
        return ctx.step.question


HANDLERS: dict[StepKind, StepHandler] = {
    StepKind.TEXT: StepHandler(),
    StepKind.LIST: StepHandler(),
    StepKind.QUESTIONS: StepHandler(),
    StepKind.ACTIONS: StepHandler(),
    StepKind.REVISE_QUESTIONS: ReviseQuestionsHandler(),
    StepKind.REVIEW_ITEMS: ReviewItemsHandler(),
    StepKind.CHOOSE_SCENARIO: ChooseScenarioHandler(),
    StepKind.ROLEPLAY: RoleplayHandler(),
    StepKind.REVISE_LINE: ReviseLineHandler(),
}


def handler_for(step: StepSpec) -> StepHandler:
    return HANDLERS[step.kind]


def coach_said(ctx: Context) -> str:
    """Everything the coach has said in this session (guidance is not quoted twice)."""
    return "\n".join(turn.content for turn in ctx.session.turns if turn.role == Role.ASSISTANT)


async def coach_turn(ctx: Context, handler: StepHandler, pending: Pending) -> None:
    """The step's question (or its follow-up): scripted in guide mode, worded by a model else."""
    step, state = ctx.step, ctx.state
    answer = ctx.session.last_answer
    passages = await ctx.guidance.passages(ctx.flow, step, answer or "")
    note = ctx.take_note()
    question = state.followup or step.followup_when_thin
    if pending == Pending.FOLLOWUP:
        asked = replace(step, followup_when_thin=question)
        text = guide_text.followup_text(
            asked, ctx.voice, answer or "", passages, coach_said(ctx), ctx.flow.audience
        )
    else:
        text = handler.guide_question(ctx, answer, passages, note)
    if not ctx.model_mode or (pending == Pending.ASK and handler.scripted_question):
        await ctx.speaker.say(text, passages)
        return
    if pending == Pending.FOLLOWUP:
        instruction, appendix = followup_instruction(asked, answer or ""), ""
    else:
        appendix = handler.model_appendix(ctx)
        extra = "\n\n".join(part for part in (note, appendix) if part)
        instruction = ask_instruction(
            ctx.flow, step, state.step, acknowledge=answer is not None, extra=extra
        )
    prompt = coach_prompt(
        ctx.settings,
        ctx.flow,
        ctx.session.profile,
        ctx.session.turns,
        instruction,
        user_message=answer,
        passages=passages,
    )
    used = passages[: prompt.passages_used]
    asked_question = question if pending == Pending.FOLLOWUP else step.question
    reply = await ctx.speaker.speak(
        text, used, prompt=prompt, appendix=appendix, question=asked_question
    )
    if reply is not None:
        await ctx.speaker.commit(reply)
