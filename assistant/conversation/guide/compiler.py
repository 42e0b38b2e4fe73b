"""Guide mode's artifact compiler: the artifact built from the answers alone, no model needed.

It is also the fallback when a model's draft is malformed, so the user never loses an
artifact. Sections come from the steps that capture into them; a few sections come from the
journal (open action items, saved questions) or from the practice debrief, and some are
synthesised from the answers (:mod:`.synthesis`): the goal line, the time plan, what the
person agrees with and doubts, one action per item.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from assistant.conversation.core.artifacts import ActionItemDraft, ArtifactDraft, Section
from assistant.conversation.core.flows import FlowSpec, SectionSpec
from assistant.conversation.core.kinds import SectionFill, StepKind
from assistant.conversation.core.scenarios import get_scenario
from assistant.conversation.core.session_state import SessionState
from assistant.conversation.core.user_text import one_per_line
from assistant.conversation.guide.due_dates import parse_due
from assistant.conversation.guide.early_answers import place_answers
from assistant.conversation.guide.names import is_meeting_mention, person_met
from assistant.conversation.guide.non_answers import saying_something, says_nothing
from assistant.conversation.guide.questions import check_question
from assistant.conversation.guide.rubric import CriterionScore
from assistant.conversation.guide.synthesis import (
    Action,
    actions_from,
    feedback_points,
    goal_context,
    goal_line,
    is_pasted_list,
    items_of,
    landing,
    list_item,
    meeting_minutes,
    only_filler,
    planned_in_passing,
    same_action,
    time_plan,
    title_topic,
    unique_actions,
)
from assistant.conversation.guide.understanding import (
    find_situation,
    meant_sentences,
)
from assistant.conversation.guide.wording import as_asked, tidy

LIST_KINDS = (StepKind.LIST, StepKind.ACTIONS, StepKind.QUESTIONS, StepKind.REVISE_QUESTIONS)


def artifact_title(
    flow: FlowSpec, state: SessionState, profile: dict[str, str], today: date | None = None
) -> str:
    """The flow's title with the mentor or scenario, then the topic and the date, so that no
    two sessions read alike ("Agenda for the meeting with Maria: the promotion case, 5 Mar
    2025")."""
    answers = [answer for step in flow.steps for answer in state.answers.get(step.id, [])]
    mentor = profile.get("mentor", "").strip() or person_met(*answers) or "my mentor"
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
        first_topic = listed(state.answer_text("topics"))[:1]
        goal = goal_line(_answer(flow, state, "goal"))
        # "meeting jordan on thursday" says who and when (the title names Jordan), not what
        return title_topic(*first_topic, *([] if is_meeting_mention(goal) else [goal]))
    lead = {"ask": "worry", "debrief": "discussed"}.get(flow.id, flow.steps[0].id)
    named = [
        match.group(1)
        for match in _SUBJECT_NAMED.finditer(state.answer_text(lead))
        if not _NO_SUBJECT.match(match.group(1))
    ]
    first = [
        s
        for s in meant_sentences(state.answer_text(lead))[:1]
        if not _NO_SUBJECT.match(s) and not is_meeting_mention(s)
    ]
    short = title_topic(*named[:1], *first)
    if short:
        return short
    found = find_situation(meant_sentences(state.answer_text(lead)))
    return found.label if found is not None and found.sure else ""


#: Where an answer names what it is about: "we talked about X", "we went through X".
_SUBJECT_NAMED = re.compile(
    # not "less about X" or "not really about X": what it is not about
    r"(?<!\bless )(?<!\bnot )(?<!\bnot really )(?<!\bnot so much )"
    r"\b(?:about|abt|discussed|went through|covered|talked through|going over) (.+?)(?:[.!?]|$)",
    re.IGNORECASE,
)
#: Words that do not name a subject: a pronoun, "a lot of things", a hedge.
_NO_SUBJECT = re.compile(
    r"^(?:(?:it|this|that|them|him|her|me|us)(?:$|[\s,]+(?:at|in|on|for|with|and|again|too|now|"
    r"then|lol|tbh|all|a lot)\b)|(?:stuff|things|everything|anything|a lot|lots|loads|various|"
    r"not sure|idk|dunno|no idea|nothing|um+|hmm+)\b)",
    re.IGNORECASE,
)


def compile_artifact(
    flow: FlowSpec, state: SessionState, profile: dict[str, str], today: date
) -> ArtifactDraft:
    sections = [
        Section(heading=section.heading, items=_section_items(flow, state, section, today))
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
    """The actions of the flow's action steps, one per item, each once, after those planned
    in passing at the text steps before them ("maybe write a summary…, by friday")."""
    actions = earlier_plans(flow, state, today)
    for step in flow.steps_of_kind(StepKind.ACTIONS):
        answers = state.answers.get(step.id, [])
        actions += actions_from(answers, today, sharpened=step.id in state.followed_up)
    return unique_actions(actions)


def earlier_plans(flow: FlowSpec, state: SessionState, today: date) -> list[Action]:
    """Actions planned at the text steps before the flow's first actions step."""
    actions_at = next(iter(flow.steps_of_kind(StepKind.ACTIONS)), None)
    if actions_at is None:
        return []
    before = flow.steps[: flow.step_index(actions_at.id)]
    answers = [state.answer_text(step.id) for step in before if step.kind == StepKind.TEXT]
    return planned_in_passing(answers, today)


def _already_open(text: str, state: SessionState) -> str | None:
    """The text of an open item from an earlier session that ``text`` repeats, if any."""
    done = set(state.done_items)
    for item in state.carried_items:
        if item.id not in done and same_action(text, item.text):
            return item.text
    return None


def final_questions(state: SessionState) -> list[str]:
    """``ask``: the revised questions if the mentee wrote them, else the drafts with each
    flagged one replaced by its suggested rewrite (stacked ones split, none lost)."""
    revised = listed(state.answer_text("revise"))
    if revised:
        return [_as_asked(question) for question in revised]
    context = ask_context(state)
    checks = (check_question(q, context=context) for q in drafted_questions(state))
    return [
        _as_asked(question)
        for check in checks
        for question in (check.separately or (check.rewrite or check.question,))
    ]


def _as_asked(question: str) -> str:
    """A question as it goes on the list to ask: chat-speak spelled out, a capital first and
    its question mark ("how do i say no" -> "How do I say no?")."""
    return as_asked(tidy(question.strip()))


def drafted_questions(state: SessionState) -> list[str]:
    return listed(state.answer_text("draft"))


def listed(answer: str) -> list[str]:
    """The items of a list answer, one a line, without those that say nothing ("no", "idk",
    "skip": no topic, request or question)."""
    return [list_item(item) for item in items_of(saying_something(one_per_line(answer)))]


def ask_context(state: SessionState) -> str:
    answers = [state.answer_text("worry"), state.answer_text("context")]
    return " ".join(answer for answer in answers if not says_nothing(answer)).strip()


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


def _section_items(
    flow: FlowSpec, state: SessionState, section: SectionSpec, today: date
) -> list[str]:
    if section.fill != SectionFill.ANSWERS:
        return _FILLS[section.fill](flow, state, today)
    items: list[str] = []
    placed = place_answers(flow, state)
    for step in flow.steps:
        if step.capture != section.id:
            continue
        if step.id in placed.changed:
            # part of the answer belongs elsewhere, or an answer to another step belongs here
            items.extend(_placed_items(placed.sentences[step.id], state.answer_text(step.id)))
            continue
        for answer in state.answers.get(step.id, []):
            if step.kind in LIST_KINDS or is_pasted_list(answer):
                items.extend(listed(answer))
            elif answer.strip() and not says_nothing(answer):
                items.append(" ".join(answer.split()))
    return items


def _placed_items(sentences: list[str], own: str) -> list[str]:
    """A step's placed sentences as items: its own answer's together, each other one apart."""
    sentences = saying_something(sentences)
    mine = [sentence for sentence in sentences if sentence in own]
    items = [" ".join(mine)] if mine else []
    return items + [sentence for sentence in sentences if sentence not in own]


def _answer(flow: FlowSpec, state: SessionState, step_id: str) -> str:
    """What was said for ``step_id``, wherever in the conversation it was said."""
    placed = place_answers(flow, state)
    if step_id in placed.changed:
        return placed.text(step_id)
    return state.answer_text(step_id)


# Sections whose items do not come straight from the answers, by their ``fill``.


def _open_items(flow: FlowSpec, state: SessionState, today: date) -> list[str]:
    """The carried items still open: not the ones closed during this session."""
    done = set(state.done_items)
    return [_with_due(item.text, item.due) for item in state.carried_items if item.id not in done]


def _saved_questions(flow: FlowSpec, state: SessionState, today: date) -> list[str]:
    return [question.text for question in state.saved_questions]


def _done_items(flow: FlowSpec, state: SessionState, today: date) -> list[str]:
    done = set(state.done_items)
    return [item.text for item in state.carried_items if item.id in done]


def _action_items(flow: FlowSpec, state: SessionState, today: date) -> list[str]:
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


def _goal(flow: FlowSpec, state: SessionState, today: date) -> list[str]:
    """``prepare``: the goal as one line, then the why behind it."""
    answer = _answer(flow, state, "goal")
    goal = goal_line(answer)
    return [goal, *goal_context(answer, goal)] if goal else []


def _time_plan(flow: FlowSpec, state: SessionState, today: date) -> list[str]:
    """``prepare``: minutes per topic for the length the user gave (30 by default)."""
    topics = listed(state.answer_text("topics"))
    minutes = meeting_minutes(*(state.answer_text(step.id) for step in flow.steps))
    updates = state.answer_text("updates")
    return time_plan(topics, minutes, has_updates=bool(updates) and not says_nothing(updates))


def _landing_answers(flow: FlowSpec, state: SessionState) -> list[str]:
    """The feedback and landing answers as the person said them: a message pasted in
    quotation marks is its writer's words, not the person's feelings or views."""
    quoted = place_answers(flow, state).quoted
    feedback = _answer(flow, state, "feedback").splitlines()
    own = "\n".join(line for line in feedback if line not in quoted)
    return [own, _answer(flow, state, "landing")]


def _feedback_heard(flow: FlowSpec, state: SessionState, today: date) -> list[str]:
    """``debrief``: the feedback as heard, one point per sentence, without the verdicts."""
    answers = _landing_answers(flow, state)
    landed = landing(*answers)
    heard = _answer(flow, state, "feedback")
    points = feedback_points(heard, {*landed.agree, *landed.doubt})
    # A sentence that is only a feeling ("It stung.") is how it landed, not what was said.
    return [point for point in points if not _held_by(point, landed.felt)]


def _agreed(flow: FlowSpec, state: SessionState, today: date) -> list[str]:
    return landing(*_landing_answers(flow, state)).agree


def _doubted(flow: FlowSpec, state: SessionState, today: date) -> list[str]:
    return landing(*_landing_answers(flow, state)).doubt


def _how_it_landed(flow: FlowSpec, state: SessionState, today: date) -> list[str]:
    """``debrief``: the feelings, then what else was said about the feedback."""
    answers = _landing_answers(flow, state)
    landed = landing(*answers)
    stances = {*landed.agree, *landed.doubt}
    felt = [clause for clause in landed.felt if not _within(clause, stances)]
    said = {*stances, *felt}
    # a plan said here ("maybe write a summary… by friday") is filed as an action item
    plans = [plan.text for plan in planned_in_passing([answers[1]], today)]
    rest = [
        s
        for s in meant_sentences(answers[1])
        if not _within(s, said)
        and not only_filler(s)
        and not any(same_action(s, plan) for plan in plans)
    ]
    return list(dict.fromkeys([*felt, *rest]))


def _held_by(text: str, clauses: list[str]) -> bool:
    """Whether ``text`` says nothing beyond one of ``clauses``."""
    text = text.lower().rstrip(" .")
    return any(text in clause.lower() for clause in clauses)


def _within(text: str, clauses: set[str]) -> bool:
    """Whether ``text`` holds, or is held by, one of ``clauses`` (each sentence of an answer
    lands in one section of the note, not in two)."""
    text = text.lower().rstrip(" .")
    return any(c.lower().rstrip(" .") in text or text in c.lower() for c in clauses)


def _scenario(flow: FlowSpec, state: SessionState, today: date) -> list[str]:
    if not state.scenario:
        return []
    scenario = get_scenario(state.scenario)
    return [f"{scenario.title}: {scenario.situation}"]


def _scores(state: SessionState) -> list[CriterionScore]:
    return [CriterionScore.from_dict(raw) for raw in state.scores]


def _revision(flow: FlowSpec, state: SessionState, today: date) -> list[str]:
    if not state.revision:
        return []
    rescored = [CriterionScore.from_dict(raw) for raw in state.revision.get("scores", [])]
    return [f"“{state.revision['line']}”", *score_lines(rescored, quotes=False)]


_FILLS: dict[SectionFill, Callable[[FlowSpec, SessionState, date], list[str]]] = {
    SectionFill.OPEN_ITEMS: _open_items,
    SectionFill.SAVED_QUESTIONS: _saved_questions,
    SectionFill.FINAL_QUESTIONS: lambda flow, state, today: final_questions(state),
    SectionFill.FRAMING_NOTES: lambda flow, state, today: framing_notes(state),
    SectionFill.DONE_ITEMS: _done_items,
    SectionFill.ACTION_ITEMS: _action_items,
    SectionFill.SCENARIO: _scenario,
    SectionFill.SCORES: lambda flow, state, today: score_lines(_scores(state)),
    SectionFill.REWRITES: lambda flow, state, today: rewrite_lines(_scores(state)),
    SectionFill.REVISION: _revision,
    SectionFill.GOAL: _goal,
    SectionFill.TIME_PLAN: _time_plan,
    SectionFill.FEEDBACK_HEARD: _feedback_heard,
    SectionFill.AGREED: _agreed,
    SectionFill.DOUBTED: _doubted,
    SectionFill.HOW_IT_LANDED: _how_it_landed,
}


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
    if flow.steps_of_kind(StepKind.ACTIONS) and model.action_items:
        action_items = model.action_items
        for item in action_items:
            if item.due is None:
                due = parse_due(item.text, today)
                item.due = due.isoformat() if due else None
    return ArtifactDraft(title=compiled.title, sections=sections, action_items=action_items)
