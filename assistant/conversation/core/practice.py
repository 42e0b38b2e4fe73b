"""Role-play and scoring: the simulated mentee's turns and the rubric's debrief.

The mentor's lines are the answers of the flow's ``roleplay`` steps. The simulated mentee is
guide mode's scripted persona or a model playing it; the scores come from the rubric's rules
or from a model (checked against the mentor's words, else the rules' scores are kept).
"""

from __future__ import annotations

from assistant.conversation.core.context import Context
from assistant.conversation.core.events import Notice
from assistant.conversation.core.flows import FlowSpec
from assistant.conversation.core.kinds import Level, StepKind
from assistant.conversation.core.scenarios import Scenario, get_scenario
from assistant.conversation.core.session_state import SessionState
from assistant.conversation.guide import replies as guide_text
from assistant.conversation.guide.persona import persona_reply, speaker_line, spoken_text
from assistant.conversation.guide.rubric import CriterionScore, score_feedback
from assistant.conversation.model.limits import ReplyPurpose
from assistant.conversation.model.requests import persona_prompt, roleplay_transcript, rubric_prompt

#: The role-play ends by itself after this many lines from the mentor.
MAX_ROLEPLAY_LINES = 12
UNUSABLE_SCORES_NOTICE = (
    "The model's scoring was not usable; the debrief was scored by guide mode's rubric."
)


def mentor_lines(flow: FlowSpec, state: SessionState) -> list[str]:
    """What the mentor said in the role-play, in order."""
    steps = flow.steps_of_kind(StepKind.ROLEPLAY)
    return [line for step in steps for line in state.answers.get(step.id, [])]


def scenario_of(state: SessionState) -> Scenario:
    return get_scenario(state.scenario)


def roleplay_is_full(ctx: Context) -> bool:
    return len(mentor_lines(ctx.flow, ctx.state)) >= MAX_ROLEPLAY_LINES


async def persona_turn(ctx: Context) -> None:
    """The simulated mentee answers the mentor's last line."""
    state, scenario = ctx.state, scenario_of(ctx.state)
    lines = mentor_lines(ctx.flow, state)
    scripted = persona_reply(scenario, lines[-1], state.revealed, state.replies_used)
    prompt = None
    if ctx.model_mode:
        prompt = persona_prompt(ctx.settings, scenario, lines, state.persona_replies)
    # The simulated mentee speaks as the persona, by name, and cites no guidance.
    said = speaker_line(scenario, scripted.text)
    reply = await ctx.speaker.speak(said, [], prompt=prompt, purpose=ReplyPurpose.PERSONA)
    if reply is None:
        return
    state.persona_replies.append(spoken_text(scenario, reply.text))
    if reply.scripted:
        state.replies_used[scripted.kind] = state.replies_used.get(scripted.kind, 0) + 1
        if scripted.revealed is not None:
            state.revealed.append(scripted.revealed)
    await ctx.speaker.commit(reply)


async def debrief_turn(ctx: Context) -> None:
    """The role-play scored against the rubric, with rewrites, then the step's question."""
    state, scenario = ctx.state, scenario_of(ctx.state)
    lines = mentor_lines(ctx.flow, state)
    passages = await ctx.guidance.passages(ctx.flow, ctx.step, " ".join(lines[-2:]))
    scores, notice = await score(ctx, lines)
    state.scores = [item.as_dict() for item in scores]
    if notice is not None:
        await ctx.emit(notice)
    await ctx.speaker.say(guide_text.debrief_text(scores, scenario, ctx.step.question), passages)


async def rescore_turn(ctx: Context) -> None:
    """The mentor's revised line scored again, next to the role-play's scores."""
    state = ctx.state
    lines = mentor_lines(ctx.flow, state)
    passages = await ctx.guidance.passages(ctx.flow, ctx.step, " ".join(lines[-2:]))
    line = state.answers[ctx.step.id][-1]
    before = [CriterionScore.from_dict(raw) for raw in state.scores]
    after, notice = await score(ctx, [line])
    state.revision = {"line": line, "scores": [item.as_dict() for item in after]}
    if notice is not None:
        await ctx.emit(notice)
    await ctx.speaker.say(guide_text.rescore_text(line, before, after), passages)


async def score_before_finish(ctx: Context) -> None:
    """Score a role-play that ended without its debrief, so the artifact has its scores."""
    lines = mentor_lines(ctx.flow, ctx.state)
    if ctx.state.scores or not lines:
        return
    scores, notice = await score(ctx, lines)
    ctx.state.scores = [item.as_dict() for item in scores]
    if notice is not None:
        await ctx.emit(notice)


async def score(ctx: Context, lines: list[str]) -> tuple[list[CriterionScore], Notice | None]:
    """Score the mentor's lines: by the model in model mode, by the rubric's rules else."""
    scenario = scenario_of(ctx.state)
    rules = score_feedback(lines, scenario)
    if not ctx.model_mode:
        return rules, None
    # Validated with pydantic, which only model mode loads (the openai client needs it).
    from assistant.conversation.model.rubric_draft import parse_rubric_draft, rubric_schema

    if lines == mentor_lines(ctx.flow, ctx.state):
        transcript = roleplay_transcript(scenario, lines, ctx.state.persona_replies)
    else:
        transcript = "\n".join(f"Mentor: {line}" for line in lines)
    prompt = rubric_prompt(ctx.settings, ctx.flow, ctx.session.profile, transcript)
    raw, notice = await ctx.speaker.json_reply(
        prompt, rubric_schema(), "rubric", ReplyPurpose.RUBRIC
    )
    if raw is None:
        return rules, notice
    scores = parse_rubric_draft(raw, " ".join(lines), rules)
    if scores is None:
        return rules, Notice(UNUSABLE_SCORES_NOTICE, Level.WARNING)
    return scores, None
