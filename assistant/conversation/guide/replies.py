"""Guide mode's words for each kind of turn, and the lists the engine shows in both modes.

Everything here is deterministic: the scripted question of the step, a short acknowledgement
that quotes the user's own words, a tip from the best guidance passage, the numbered list of
open action items or saved questions, the review of draft questions, the practice menu, the
role-play's opening and the practice debrief.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.conversation.core.flows import StepSpec
from assistant.conversation.core.kinds import Shows, StepKind
from assistant.conversation.core.scenarios import Scenario, scenario_menu
from assistant.conversation.core.session_state import SessionState
from assistant.conversation.core.user_text import quote_fragment
from assistant.conversation.guide.compiler import (
    ask_context,
    drafted_questions,
    rewrite_lines,
    score_lines,
)
from assistant.conversation.guide.continuity import left_out_note, numbered
from assistant.conversation.guide.feedback_rewrites import example_together
from assistant.conversation.guide.questions import check_question
from assistant.conversation.guide.rubric import CriterionScore
from assistant.conversation.model.prompting import GuideVoice

if TYPE_CHECKING:
    from assistant.knowledge import Passage

TIP_CHARS = 240
TIP_MIN_CHARS = 80


def acknowledgement(voice: GuideVoice, answer: str) -> str:
    return f"{voice.acknowledge} “{quote_fragment(answer)}”."


def guidance_tip(passages: list[Passage]) -> str:
    """One line from the best passage, cited like a model would cite it."""
    if not passages:
        return ""
    best = passages[0]
    excerpt = _opening(best.text)
    return f"From the guide [1] “{best.title}”: {excerpt}" if excerpt else ""


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


def ask_text(
    step: StepSpec,
    state: SessionState,
    voice: GuideVoice,
    *,
    answer: str | None,
    passages: list[Passage],
    note: str = "",
) -> str:
    parts = [acknowledgement(voice, answer)] if answer else []
    if note:
        parts.append(note)
    tip = guidance_tip(passages)
    if tip:
        parts.append(tip)
    if step.kind == StepKind.REVISE_QUESTIONS:
        parts.append(question_review(state))
    listing = step_listing(step, state)
    if listing:
        parts.append(listing)
    parts.append(step.question)
    return "\n\n".join(parts)


def followup_text(step: StepSpec, voice: GuideVoice, answer: str) -> str:
    quoted = quote_fragment(answer)
    return f"{voice.followup_prefix} You wrote “{quoted}”. {step.followup_when_thin}"


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
        together = example_together(scenario.example, [s.quote for s in scores], earned)
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


def _opening(text: str) -> str:
    """The passage's first sentences, up to about a line and a half."""
    plain = " ".join(re.sub(r"^[#>*\-\s]+", "", line) for line in text.splitlines())
    plain = re.sub(r"(\*\*|__|`)", "", plain)
    sentences = re.split(r"(?<=[.!?])\s", " ".join(plain.split()))
    excerpt = ""
    for sentence in sentences:
        excerpt = f"{excerpt} {sentence}".strip()
        if len(excerpt) >= TIP_MIN_CHARS:
            break
    if len(excerpt) > TIP_CHARS:
        excerpt = excerpt[:TIP_CHARS].rsplit(" ", 1)[0] + " …"
    return excerpt
