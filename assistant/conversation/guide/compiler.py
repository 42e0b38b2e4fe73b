"""Guide mode's artifact compiler: the artifact built from the answers alone, no model needed.

It is also the fallback when a model's draft is malformed, so the user never loses an
artifact. Sections come from the steps that capture into them; a few sections come from the
journal (open action items, saved questions) or from the practice debrief.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from assistant.conversation.core.artifacts import ActionItemDraft, ArtifactDraft, Section
from assistant.conversation.core.flows import FlowSpec, SectionSpec
from assistant.conversation.core.kinds import SectionFill, StepKind
from assistant.conversation.core.scenarios import get_scenario
from assistant.conversation.core.session_state import SessionState
from assistant.conversation.core.user_text import one_per_line
from assistant.conversation.guide.due_dates import parse_due
from assistant.conversation.guide.questions import check_question
from assistant.conversation.guide.rubric import CriterionScore

LIST_KINDS = (StepKind.LIST, StepKind.ACTIONS, StepKind.QUESTIONS, StepKind.REVISE_QUESTIONS)


def artifact_title(flow: FlowSpec, state: SessionState, profile: dict[str, str]) -> str:
    mentor = profile.get("mentor", "").strip() or "my mentor"
    scenario = get_scenario(state.scenario).title if state.scenario else "no scenario chosen"
    return flow.artifact_title.format(mentor=mentor, scenario=scenario)


def compile_artifact(
    flow: FlowSpec, state: SessionState, profile: dict[str, str], today: date
) -> ArtifactDraft:
    sections = [
        Section(heading=section.heading, items=_section_items(flow, state, section, today))
        for section in flow.sections
    ]
    return ArtifactDraft(
        title=artifact_title(flow, state, profile),
        sections=sections,
        action_items=action_items_from_answers(flow, state, today),
    )


def action_items_from_answers(
    flow: FlowSpec, state: SessionState, today: date
) -> list[ActionItemDraft]:
    items = []
    for step in flow.steps:
        if step.kind != StepKind.ACTIONS:
            continue
        for line in one_per_line(state.answer_text(step.id)):
            due = parse_due(line, today)
            items.append(ActionItemDraft(text=line, due=due.isoformat() if due else None))
    return items


def final_questions(state: SessionState) -> list[str]:
    """``ask``: the revised questions if the mentee wrote them, else the drafts with each
    flagged one replaced by its suggested rewrite (stacked ones split, none lost)."""
    revised = one_per_line(state.answer_text("revise"))
    if revised:
        return revised
    context = ask_context(state)
    checks = (check_question(q, context=context) for q in drafted_questions(state))
    return [
        question
        for check in checks
        for question in (check.separately or (check.rewrite or check.question,))
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


def _section_items(
    flow: FlowSpec, state: SessionState, section: SectionSpec, today: date
) -> list[str]:
    if section.fill != SectionFill.ANSWERS:
        return _FILLS[section.fill](flow, state, today)
    items: list[str] = []
    for step in flow.steps:
        if step.capture != section.id:
            continue
        for answer in state.answers.get(step.id, []):
            if step.kind in LIST_KINDS:
                items.extend(one_per_line(answer))
            elif answer.strip():
                items.append(" ".join(answer.split()))
    return items


# Sections whose items do not come straight from the answers, by their ``fill``.


def _open_items(flow: FlowSpec, state: SessionState, today: date) -> list[str]:
    return [_with_due(item.text, item.due) for item in state.carried_items]


def _saved_questions(flow: FlowSpec, state: SessionState, today: date) -> list[str]:
    return [question.text for question in state.saved_questions]


def _done_items(flow: FlowSpec, state: SessionState, today: date) -> list[str]:
    done = set(state.done_items)
    return [item.text for item in state.carried_items if item.id in done]


def _action_items(flow: FlowSpec, state: SessionState, today: date) -> list[str]:
    return [
        _with_due(item.text, item.due) for item in action_items_from_answers(flow, state, today)
    ]


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
