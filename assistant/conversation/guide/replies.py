"""Guide mode's words for each kind of turn, and the lists the engine shows in both modes.

Everything here is deterministic: the scripted question of the step, a reflection of the
salient part of the last answer in the person's own words (:mod:`.reflection`), the sentences
of the guidance that answer it best (:mod:`.passage_quote`), a follow-up only when the answer
calls for one (:mod:`.followup`), the numbered list of open action items or saved questions,
the review of draft questions, the practice menu, the role-play's opening and the practice
debrief.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from assistant.conversation.core.flows import FlowSpec, StepSpec
from assistant.conversation.core.kinds import Shows, StepKind
from assistant.conversation.core.scenarios import Scenario, scenario_menu
from assistant.conversation.core.session_state import SessionState
from assistant.conversation.guide.compiler import (
    ask_context,
    drafted_questions,
    earlier_plans,
    rewrite_lines,
    score_lines,
)
from assistant.conversation.guide.continuity import left_out_note, numbered
from assistant.conversation.guide.early_answers import (
    noted_late,
    place_answers,
    question_knowing,
    unsure_help,
)
from assistant.conversation.guide.feedback_rewrites import example_together
from assistant.conversation.guide.followup import question_for
from assistant.conversation.guide.non_answers import saying_something
from assistant.conversation.guide.passage_quote import best_quote, opening_quote, render_quote
from assistant.conversation.guide.questions import check_question
from assistant.conversation.guide.reflection import reflect
from assistant.conversation.guide.rubric import CriterionScore
from assistant.conversation.guide.synthesis import Action
from assistant.conversation.guide.understanding import Reading, read_answer, sentences_of
from assistant.conversation.model.prompting import GuideVoice

if TYPE_CHECKING:
    from assistant.knowledge import Passage


def guidance_tip(
    passages: list[Passage],
    answer: str,
    focus: str = "",
    question: str = "",
    shown: str = "",
    reader: str = "",
) -> str:
    """The whole sentences (and "Instead of / Try" wording) of the guidance that answer best,
    none of them a repeat of what the coach already said (``shown``); before any answer, the
    part of the step's passage that speaks to its ``question``; nothing addressed to the
    other side of the ``reader`` (the flow's audience)."""
    if answer.strip():
        quote = best_quote(passages, answer, focus, shown, reader)
    else:
        quote = opening_quote(passages, question, reader)
    return render_quote(quote) if quote is not None else ""


def answered_step(flow: FlowSpec | None, state: SessionState, answer: str) -> StepSpec | None:
    """The step whose latest answer is ``answer`` (the reply comes after it, at the next step)."""
    if flow is None:
        return None
    for step in flow.steps:
        given = state.answers.get(step.id)
        if given and given[-1] == answer:
            return step
    return None


def step_listing(step: StepSpec, state: SessionState) -> str:
    """The list a step shows with its question (open action items, saved questions)."""
    if step.shows == Shows.OPEN_ITEMS and state.carried_items:
        label = (
            "From earlier sessions:"
            if step.kind == StepKind.REVIEW_ITEMS
            else "Still open from earlier sessions (they will be on the agenda):"
        )
        note = left_out_note(state.items_left_out, "open action items")
        return "\n".join(filter(None, [label, numbered(state.carried_items), note]))
    if step.shows == Shows.SAVED_QUESTIONS and state.saved_questions:
        listed = "\n".join(f"- {question.text}" for question in state.saved_questions)
        note = left_out_note(state.questions_left_out, "saved questions")
        label = "Questions you saved earlier (they will be on the agenda):"
        return "\n".join(filter(None, [label, listed, note]))
    return ""


def question_review(state: SessionState) -> str:
    """``ask``: how each draft question reads, with an open rewrite for the flagged ones."""
    context = ask_context(state)
    lines = ["Here is how your questions read:"]
    for number, question in enumerate(drafted_questions(state), start=1):
        check = check_question(question, context=context)
        if check.ok:
            lines.append(f"{number}. “{check.question}” reads well: open and specific.")
        else:
            reasons = "; ".join(check.explanations())
            lines.append(f"{number}. “{check.question}”: {reasons}. Try: “{check.rewrite}”")
    if len(lines) == 1:
        lines.append("(no questions yet — write them one per line)")
    return "\n".join(lines)


def _answer_before(flow: FlowSpec | None, state: SessionState, step: StepSpec) -> str:
    """The answer given at the step before ``step`` ("" at the first step)."""
    if flow is None or step.id not in {s.id for s in flow.steps}:
        return ""
    index = flow.step_index(step.id)
    return state.answer_text(flow.steps[index - 1].id) if index else ""


#: Steps whose answer fills a part of the artifact that a non-answer leaves empty.
_FILLING_KINDS = (StepKind.TEXT, StepKind.LIST, StepKind.QUESTIONS, StepKind.ACTIONS)


def left_empty(step: StepSpec, reading: Reading, flow: FlowSpec | None, state: SessionState) -> str:
    """For a non-answer ("no", "nothing really", "skip"): that the step's part stays empty,
    instead of reading the word back; nothing when an earlier answer already filled it
    ("that's it really" after the feedback was told at the first question)."""
    if not reading.says_nothing or step.kind not in _FILLING_KINDS:
        return ""
    placed = place_answers(flow, state).sentences.get(step.id, []) if flow is not None else []
    if saying_something(placed):
        return ""
    return f"That's fine; “{step.title}” stays empty."


def plans_noted(plans: list[Action]) -> str:
    """What the actions question says of actions planned while answering earlier ones."""
    if not plans:
        return ""
    listed = _joined_quotes(
        [f"“{plan.text}”" + (f" (by {plan.due:%a %d %b})" if plan.due else "") for plan in plans]
    )
    return f"Noted for your action items, from what you said: {listed}."


def _joined_quotes(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def ask_text(
    step: StepSpec,
    state: SessionState,
    voice: GuideVoice,
    *,
    answer: str | None,
    passages: list[Passage],
    note: str = "",
    flow: FlowSpec | None = None,
    shown: str = "",
    today: date | None = None,
) -> str:
    """The reply that asks ``step``'s question, after what was heard in ``answer``; ``shown``
    is what the coach said earlier in the session, so no guidance is quoted twice. At the
    actions step, the actions planned earlier (dated from ``today``) are said to be noted."""
    parts = []
    reading = None
    if answer:
        answered = answered_step(flow, state, answer) or step
        reading = read_answer(
            answer,
            actions=answered.kind == StepKind.ACTIONS,
            after=_answer_before(flow, state, answered),
        )
        help_ = unsure_help(answered, flow, answer)  # "I'm a bit lost on what to bring"
        noted = noted_late(flow, state, answered)  # the goal named at a later step
        whole = noted and len(sentences_of(answer)) == 1  # the note quotes all of it
        # moving on after a non-answer ("no", "skip"), the word is not read back
        heard = "" if whole or reading.says_nothing else reflect(answered, reading, voice)
        parts += [help_ or heard or left_empty(answered, reading, flow, state), noted]
        # An open item the answer reports done is offered to close by the engine's
        # CloseOffered event, in the form the surface supports, not also in this text.
    if note:
        parts.append(note)
    if flow is not None and today is not None and step.kind == StepKind.ACTIONS:
        parts.append(plans_noted(earlier_plans(flow, state, today)))
    found = reading.situation if reading is not None else None
    focus = found.query if found is not None else ""
    reader = flow.audience if flow is not None else ""
    opening = f"{step.guidance} {step.question}".strip()  # what an opening quote speaks to
    tip = guidance_tip(passages, answer or "", focus, opening, shown, reader)
    if tip and not (reading is not None and reading.says_nothing):
        # after a non-answer ("no", "idk") the passages were found for that word: none fits
        parts.append(tip)
    if step.kind == StepKind.REVISE_QUESTIONS:
        parts.append(question_review(state))
    listing = step_listing(step, state)
    if listing:
        parts.append(listing)
    parts.append(question_knowing(step, flow, state, "\n".join(parts)))
    return "\n\n".join(part for part in parts if part)


def followup_text(
    step: StepSpec,
    voice: GuideVoice,
    answer: str,
    passages: list[Passage] | None = None,
    shown: str = "",
    reader: str = "",
) -> str:
    """The reply that asks again: what was heard, the guidance for it, and one question."""
    reading = read_answer(answer, actions=step.kind == StepKind.ACTIONS)
    # The engine hands over the question it chose in ``followup_when_thin``.
    question = step.followup_when_thin or question_for(step, reading) or ""
    parts = [reflect(step, reading, voice)]
    focus = reading.situation.query if reading.situation else ""
    tip = guidance_tip(passages or [], answer, focus, shown=shown, reader=reader)
    tip = "" if reading.is_thin else tip
    if tip:
        parts.append(tip)
    parts.append(voice.followup.format(question=question))
    return "\n\n".join(part for part in parts if part)


def scenario_menu_text(step: StepSpec, *, retry: bool = False) -> str:
    opening = (
        "I could not tell which situation you meant. "
        if retry
        else "Practise a feedback conversation with a simulated mentee. "
    )
    return f"{opening}The situations:\n{scenario_menu()}\n\n{step.question}"


def roleplay_opening(step: StepSpec, scenario: Scenario) -> str:
    return (
        f"Scenario: {scenario.title}. {scenario.situation}\n\n"
        f"You are meeting {scenario.persona_name}. {step.question}\n\n"
        f"{scenario.persona_name}: {scenario.opening}"
    )


def debrief_text(scores: list[CriterionScore], scenario: Scenario, question: str) -> str:
    lines = ["How your feedback scored, from 1 (absent) to 4 (done well):"]
    lines += [f"- {line}" for line in score_lines(scores)]
    rewrites = rewrite_lines(scores)
    if rewrites:
        lines += ["", "Rewrites to try:", *(f"- {line}" for line in rewrites)]
        earned = {score.criterion: (score.score, score.quote) for score in scores}
        quotes = [s.quote for s in scores]
        together = example_together(scenario.example, quotes, earned, scenario.persona_name)
        lines += ["", f"All together, for example: “{together}”"]
    lines += ["", question]
    return "\n".join(lines)


def rescore_text(line: str, before: list[CriterionScore], after: list[CriterionScore]) -> str:
    lines = [f"Your revised line: “{line}”", "Scored again (before → now):"]
    improved = []
    for old, new in zip(before, after, strict=True):
        if new.score >= old.score:
            lines.append(f"- {new.label}: {old.score} → {new.score}. {new.note}")
        else:
            lines.append(f"- {new.label}: {old.score} (this line does not address it)")
        if new.score > old.score:
            improved.append(new.label.lower())
    if improved:
        lines.append(f"Better on: {', '.join(improved)}.")
    else:
        lines.append("No criterion improved yet; compare your line with the rewrites above.")
    return "\n".join(lines)
