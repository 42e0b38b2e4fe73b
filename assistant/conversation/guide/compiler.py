"""Guide mode's artifact compiler: the artifact built from the answers alone, no model needed.

It is also the fallback when a model's draft is malformed, so the user never loses an
artifact. Sections come from the steps that capture into them; a few sections come from the
journal (open action items, saved questions) or from the practice debrief, and some are
synthesised from the answers (:mod:`.synthesis`): the goal line, the time plan, what the
person agrees with and doubts, one action per item.
"""

from __future__ import annotations

import re
from datetime import date

from assistant.conversation.core.artifacts import ActionItemDraft, ArtifactDraft, Section
from assistant.conversation.core.flows import FlowSpec
from assistant.conversation.core.scenarios import get_scenario
from assistant.conversation.core.session_state import SessionState
from assistant.conversation.core.user_text import one_per_line
from assistant.conversation.guide.due_dates import parse_due
from assistant.conversation.guide.questions import check_question
from assistant.conversation.guide.rubric import CriterionScore
from assistant.conversation.guide.synthesis import (
    Action,
    actions_from,
    feedback_points,
    goal_context,
    goal_line,
    landing,
    meeting_minutes,
    same_action,
    time_plan,
    title_topic,
)
from assistant.conversation.guide.understanding import find_situation, sentences_of

#: A topic longer than this (in words) is named by its situation in a title instead.
TITLE_TOPIC_WORDS = 10
LIST_KINDS = ("list", "actions", "questions", "revise_questions")


def artifact_title(
    flow: FlowSpec, state: SessionState, profile: dict[str, str], today: date | None = None
) -> str:
    """The flow's title with the mentor or scenario, then the topic and the date, so that no
    two sessions read alike ("Agenda for the meeting with Maria: the promotion case, 5 Mar
    2025")."""
    mentor = profile.get("mentor", "").strip() or "my mentor"
    scenario = get_scenario(state.scenario).title if state.scenario else "no scenario chosen"
    title = flow.artifact_title.format(mentor=mentor, scenario=scenario)
    topic = _topic_of(flow, state)
    if topic:
        title = f"{title}: {topic}"
    return f"{title}, {today.day} {today:%b %Y}" if today else title


def _topic_of(flow: FlowSpec, state: SessionState) -> str:
    """What the session was about, in a few of the person's words."""
    if flow.id == "practice":
        return ""
    if flow.id == "prepare":
        first_topic = one_per_line(state.answer_text("topics"))[:1]
        return title_topic(*first_topic, goal_line(state.answer_text("goal")))
    lead = {"ask": "worry", "debrief": "discussed"}.get(flow.id, flow.steps[0].id)
    about = re.search(r"\babout (.+?)(?:[.!?]|$)", state.answer_text(lead), re.IGNORECASE)
    if about and len(about.group(1).split()) <= TITLE_TOPIC_WORDS:
        return about.group(1)
    first = sentences_of(state.answer_text(lead))[:1]
    short = title_topic(*first)
    if short:
        return short
    found = find_situation(first)
    return found.situation.label if found is not None else ""


def compile_artifact(
    flow: FlowSpec, state: SessionState, profile: dict[str, str], today: date
) -> ArtifactDraft:
    sections = [
        Section(heading=section.heading, items=_section_items(flow, state, section.id, today))
        for section in flow.sections
    ]
    return ArtifactDraft(
        title=artifact_title(flow, state, profile, today),
        sections=sections,
        action_items=action_items_from_answers(flow, state, today),
    )


def action_items_from_answers(
    flow: FlowSpec, state: SessionState, today: date
) -> list[ActionItemDraft]:
    """One item per action (a line with two becomes two), each listed once; an action that
    is still open from an earlier session is not added again (the note points to it)."""
    return [
        ActionItemDraft(text=action.text, due=action.due.isoformat() if action.due else None)
        for action in _session_actions(flow, state, today)
        if _already_open(action.text, state) is None
    ]


def _session_actions(flow: FlowSpec, state: SessionState, today: date) -> list[Action]:
    """The actions of the flow's action steps, one per item, each once."""
    actions: list[Action] = []
    for step in flow.steps:
        if step.kind == "actions":
            answers = state.answers.get(step.id, [])
            actions += actions_from(answers, today, sharpened=step.id in state.followed_up)
    return actions


def _already_open(text: str, state: SessionState) -> str | None:
    """The text of an open item from an earlier session that ``text`` repeats, if any."""
    done = set(state.done_items)
    for item in state.carried_items:
        if item["id"] not in done and same_action(text, item["text"]):
            return str(item["text"])
    return None


def action_lines(flow: FlowSpec, state: SessionState, today: date) -> list[str]:
    """The actions as the reflection note lists them, with due dates and notes."""
    lines = []
    for action in _session_actions(flow, state, today):
        repeated = _already_open(action.text, state)
        line = _with_due(action.text, action.due.isoformat() if action.due else None)
        if repeated is not None:
            line += f" (already open from an earlier session: “{repeated}”)"
        elif action.note:
            line += f" ({action.note})"
        lines.append(line)
    return lines


def final_questions(state: SessionState) -> list[str]:
    """``ask``: the revised questions if the mentee wrote them, else the drafts with each
    flagged one replaced by its suggested rewrite."""
    revised = one_per_line(state.answer_text("revise"))
    if revised:
        return revised
    context = ask_context(state)
    return [
        check.rewrite or check.question
        for check in (check_question(q, context=context) for q in drafted_questions(state))
    ]


def drafted_questions(state: SessionState) -> list[str]:
    return one_per_line(state.answer_text("draft"))


def ask_context(state: SessionState) -> str:
    return " ".join([state.answer_text("worry"), state.answer_text("context")]).strip()


def framing_notes(state: SessionState) -> list[str]:
    context = ask_context(state)
    notes = []
    for question in drafted_questions(state):
        check = check_question(question, context=context)
        if check.flags:
            reasons = "; ".join(check.explanations())
            notes.append(f"“{check.question}”: {reasons}. Try: “{check.rewrite}”")
    return notes


def score_lines(scores: list[CriterionScore], *, quotes: bool = True) -> list[str]:
    """One line per criterion: the score, why, and the mentor's words as evidence."""
    lines = []
    for score in scores:
        evidence = f" You said: “{score.quote}”" if quotes and score.quote else ""
        lines.append(f"{score.label}: {score.score}/4. {score.note}{evidence}")
    return lines


def rewrite_lines(scores: list[CriterionScore]) -> list[str]:
    return [f"{score.label}: {score.rewrite}" for score in scores if score.rewrite]


def _section_items(flow: FlowSpec, state: SessionState, section_id: str, today: date) -> list[str]:
    special = _special_section(flow, state, section_id, today)
    if special is not None:
        return special
    items: list[str] = []
    for step in flow.steps:
        if step.capture != section_id:
            continue
        for answer in state.answers.get(step.id, []):
            if step.kind in LIST_KINDS:
                items.extend(one_per_line(answer))
            elif answer.strip():
                items.append(" ".join(answer.split()))
    return items


def _special_section(
    flow: FlowSpec, state: SessionState, section_id: str, today: date
) -> list[str] | None:
    """Sections whose items do not come straight from the answers; None for the others."""
    key = (flow.id, section_id)
    if key == ("prepare", "carried"):
        return [_with_due(item["text"], item.get("due")) for item in state.carried_items]
    if key == ("prepare", "questions"):
        return [question["text"] for question in state.saved_questions]
    if key == ("ask", "questions"):
        return final_questions(state)
    if key == ("ask", "framing"):
        return framing_notes(state)
    if key == ("debrief", "done"):
        done = set(state.done_items)
        return [item["text"] for item in state.carried_items if item["id"] in done]
    if key == ("debrief", "actions"):
        return action_lines(flow, state, today)
    if flow.id == "prepare":
        return _agenda_section(state, section_id)
    if flow.id == "debrief":
        return _note_section(state, section_id)
    if flow.id == "practice":
        return _practice_section(state, section_id)
    return None


def _agenda_section(state: SessionState, section_id: str) -> list[str] | None:
    if section_id == "goal":
        answer = state.answer_text("goal")
        goal = goal_line(answer)
        return [goal, *goal_context(answer, goal)] if goal else []
    if section_id == "plan":
        topics = one_per_line(state.answer_text("topics"))
        answers = [state.answer_text(step_id) for step_id in ("goal", "topics", "help")]
        minutes = meeting_minutes(*answers)
        return time_plan(topics, minutes, has_updates=bool(state.answer_text("updates")))
    return None


def _note_section(state: SessionState, section_id: str) -> list[str] | None:
    """Debrief: feedback as heard, agreement and doubt apart, how it felt."""
    answers = [state.answer_text("feedback"), state.answer_text("landing")]
    landed = landing(*answers)
    if section_id == "feedback":
        return feedback_points(answers[0], {*landed.agree, *landed.doubt})
    if section_id == "agree":
        return landed.agree
    if section_id == "doubt":
        return landed.doubt
    if section_id == "landing":
        stated = {*landed.agree, *landed.doubt}
        said = stated | set(landed.felt)
        rest = [
            s for s in sentences_of(answers[1]) if not any(c.lower() in s.lower() for c in said)
        ]
        return list(dict.fromkeys([*landed.felt, *rest]))
    return None


def _practice_section(state: SessionState, section_id: str) -> list[str]:
    scores = [CriterionScore.from_dict(raw) for raw in state.scores]
    if section_id == "scenario":
        if not state.scenario:
            return []
        scenario = get_scenario(state.scenario)
        return [f"{scenario.title}: {scenario.situation}"]
    if section_id == "scores":
        return score_lines(scores)
    if section_id == "rewrites":
        return rewrite_lines(scores)
    if section_id == "revision" and state.revision:
        rescored = [CriterionScore.from_dict(raw) for raw in state.revision.get("scores", [])]
        return [f"“{state.revision['line']}”", *score_lines(rescored, quotes=False)]
    return []


def _with_due(text: str, due: str | None) -> str:
    return f"{text} (due {due})" if due else text


def merge_model_draft(
    model: ArtifactDraft, compiled: ArtifactDraft, flow: FlowSpec, today: date
) -> ArtifactDraft:
    """A model's draft, completed and corrected by the compiled one.

    The model's wording is kept where it has some; a section it left empty (or renamed) comes
    from the answers; the sections the engine owns (journal facts, rule-based notes) and the
    title always come from the engine. Action items are kept only for flows that take them,
    with a due date read from their text when the model gave none.
    """
    sections = []
    for spec in flow.sections:
        ours = compiled.section_items(spec.heading)
        theirs = [] if spec.from_engine else model.section_items(spec.heading)
        sections.append(Section(heading=spec.heading, items=theirs or ours))
    action_items = compiled.action_items
    if any(step.kind == "actions" for step in flow.steps) and model.action_items:
        action_items = model.action_items
        for item in action_items:
            if item.due is None:
                due = parse_due(item.text, today)
                item.due = due.isoformat() if due else None
    return ArtifactDraft(title=compiled.title, sections=sections, action_items=action_items)
