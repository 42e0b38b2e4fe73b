"""What an answer says that belongs to another step: said early, or said late.

People do not answer in the order of the questions. A debrief that opens with "had my catch-up
with priya. she said my design docs are way too long. kinda annoyed tbh" has already given the
feedback and how it landed; a mentee lost at the goal question ("I'm a bit lost on what to
bring") names the goal at the next one ("I want to leave with a yes or no on the staff role").

Each sentence of a text answer is placed in one step: the step it was given at, unless it
plainly says what another step asks (reported speech is feedback, a sentence that only names a
feeling is how it landed, "I want to leave with ..." is the goal, "we also talked about ..." is
what was discussed) and does not say what its own step asks. A sentence moves to a later step
always (it was said early), and to an earlier step only when that step's own answer holds
nothing of its kind (the goal named after an unsure first answer). The artifact files each
sentence where it belongs, and a later question acknowledges what was said early instead of
asking as if nothing had been.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from assistant.conversation.core.flows import FlowSpec, StepSpec
from assistant.conversation.core.kinds import StepKind
from assistant.conversation.core.session_state import SessionState
from assistant.conversation.guide.coach_questions import (
    is_question_back,
    without_questions_back_in,
)
from assistant.conversation.guide.names import person_met
from assistant.conversation.guide.quoted import frames_a_letter, is_quoted, quoted_passages
from assistant.conversation.guide.synthesis import goal_line, wanted_sentence
from assistant.conversation.guide.understanding import (
    find_people,
    find_questions,
    read_answer,
    sentences_of,
    worded_as_question,
)

#: Someone reporting what another person said of them: "she said my docs are too long",
#: "Priya told me to cut it", "his feedback was that ...".
_REPORTED = re.compile(
    r"\b(?:she|he|they|[A-Z][a-z]+|my (?:mentor|manager|boss|lead))\s+(?:also\s+|basically\s+|"
    r"kind of\s+|kinda\s+)?(?:said|says|told me|thinks|thought|felt|mentioned|pointed out|"
    r"suggested|reckons|wants me to|wanted me to|asked me to|called|flagged|noted|warned)\b"
    r"|\b(?:her|his|their|the|my mentor's|my manager's) (?:feedback|point|comment|advice) was\b"
    r"|\b(?:spent [\w ]{1,20}|kept |keeps )telling me\b",  # "spent 20 mins telling me i ..."
)
_NOT_SPEAKERS = frozenset({"I", "We", "It", "That", "This", "There", "What", "Which"})
#: What was talked about: "we also talked about the offsite", "we covered the roadmap".
_DISCUSSED = re.compile(
    r"\b(?:talked|talk|chatted|spoke) (?:about|through)|\bdiscussed\b|\bwent (?:through|over)\b"
    r"|\bcovered\b|\bwe (?:also )?(?:looked at|got into)\b",
    re.IGNORECASE,
)
#: Not knowing yet what to answer: "I'm a bit lost on what to bring", "not sure tbh".
_UNSURE = re.compile(
    r"\b(?:lost|not sure|unsure|no idea|no clue|don'?t know|dunno|idk|not certain|"
    r"haven'?t (?:decided|thought)|blank|no clear)\b",
    re.IGNORECASE,
)

#: Not knowing what to answer, said of the answer itself ("lost on what to bring", "no idea
#: where to start"): unlike a bare "not sure", it never doubts a goal said beside it.
_UNSURE_WHAT = re.compile(
    r"\b(?:lost|not sure|unsure|no idea|no clue|don'?t know|dunno|idk|clueless)\b"
    r"(?: \w+){0,2}? (?:what|where to start|how to start)\b",
    re.IGNORECASE,
)

#: The person themselves, in what was said of them ("my docs", "I should", "told me").
_OF_ME = re.compile(r"\b(?:i|i'm|im|i've|me|my|mine|myself|you|your|you're)\b", re.IGNORECASE)


def reports_feedback(sentence: str) -> bool:
    """Whether ``sentence`` reports what someone else said of the person ("she said my
    docs are too long"), not of something else ("she said Q3 is locked")."""
    return any(
        match.group(0).split()[0] not in _NOT_SPEAKERS
        and (_OF_ME.search(sentence[match.start() :]) is not None or "was" in match.group(0))
        for match in _REPORTED.finditer(sentence)
    )


def only_a_feeling(sentence: str) -> bool:
    """Whether ``sentence`` names a feeling, gives a short verdict on the feedback ("kinda
    harsh but ok", "ouch") or says what the person did in answer ("I have asked three times
    what that means"), and reports nothing ("kinda annoyed tbh")."""
    reading = read_answer(sentence, with_situation=False)
    if reports_feedback(sentence):
        return False
    verdict = _REACTION.match(sentence.strip()) is not None and reading.words <= 8
    own_turn = _MY_OWN_TURN.match(sentence.strip()) is not None
    return (bool(reading.feelings) and reading.words <= 12) or verdict or own_turn


#: What the person did in answer to the feedback ("I have asked three times what that means",
#: "I told her I disagreed"): their side of it, not what they were told.
_MY_OWN_TURN = re.compile(
    r"^(?:(?:and|but|so|honestly|tbh)\s+)?i\s+(?:have\s+|'ve\s+|already\s+|also\s+|even\s+)*"
    r"(?:asked|tried|told (?:her|him|them)|explained|pushed back|replied|answered|argued|"
    r"objected)\b",
    re.IGNORECASE,
)
#: A short verdict on how the feedback came across: "kinda harsh but ok", "that was brutal
#: tbh", "ouch.", "a lot to take in".
_REACTION = re.compile(
    r"^(?:(?:kinda|kind of|a bit|bit|pretty|quite|very|so|super|really|honestly|tbh|ngl|"
    r"that was|that's|thats|it was|it's|its|was|felt)\s+)*(?:harsh|brutal|blunt|rough|tough|"
    r"intense|a lot(?: to take in)?|a bit much|hard to hear|painful|ouch|oof)\b"
    r"(?:\s*,?\s*(?:but|though|tbh|lol|honestly|ngl)\b.*)?[.!]*$",
    re.IGNORECASE,
)


def says_wanted(sentence: str) -> bool:
    return bool(wanted_sentence(sentence))


def says_discussed(sentence: str) -> bool:
    return bool(_DISCUSSED.search(sentence)) and not reports_feedback(sentence)


def is_unsure(answer: str) -> bool:
    """A short answer that says the person does not know yet ("I'm a bit lost on what to
    bring tbh"): help, not an answer to file."""
    reading = read_answer(answer, with_situation=False)
    if wanted_sentence(answer):
        return False  # "idk, just want 2 figure out if im on track" names what they want
    if reading.says_nothing or (bool(_UNSURE.search(answer)) and reading.words <= 15):
        return True
    # a longer answer: context, then "honestly I'm a bit lost on what to bring"
    return any(_UNSURE_WHAT.search(sentence) for sentence in sentences_of(answer))


#: What each artifact section takes from any answer, by the id of the section a step
#: captures into. Sections not listed keep what was said at their steps.
_BELONGS: dict[str, Callable[[str], bool]] = {
    "feedback": reports_feedback,
    "landing": only_a_feeling,
    "goal": says_wanted,
    "discussed": says_discussed,
}


#: Sections that gather what is said at any point ("we also talked about ..." at the
#: feedback question is still what was discussed); others take a late sentence only when
#: their own answer lacks one (the goal named after "I'm a bit lost on what to bring").
_GATHERS_LATE = frozenset({"discussed"})


@dataclass(frozen=True)
class Placed:
    """The sentences of the flow's text answers, each in the step it belongs to."""

    sentences: dict[str, list[str]]
    #: For each step, the sentences it took from an earlier step's answer.
    early: dict[str, list[str]]
    #: The steps whose sentences differ from their own answer (some moved in or out).
    changed: frozenset[str]
    #: The sentences of a message pasted in quotation marks: someone else's words.
    quoted: frozenset[str] = frozenset()

    def text(self, step_id: str) -> str:
        """The step's sentences, one a line (a sentence without a full stop stays whole)."""
        return "\n".join(self.sentences.get(step_id, []))


def place_answers(flow: FlowSpec, state: SessionState) -> Placed:
    """Every text answer of ``state``, sentence by sentence, in the step it belongs to."""
    steps = [step for step in flow.steps if step.kind == StepKind.TEXT]
    answers = {step.id: state.answer_text(step.id) for step in steps}
    # "what situation?" asks the coach back: it is filed nowhere
    own = {step.id: without_questions_back_in(answers[step.id], step) for step in steps}
    return _place(
        tuple((step.id, step.capture, own[step.id]) for step in steps),
        frozenset(step.id for step in steps if own[step.id] != answers[step.id]),
    )


@cache
def _place(captures: tuple[tuple[str, str, str], ...], trimmed: frozenset[str]) -> Placed:
    """``captures``: each text step's id, section and answer; ``trimmed``: the steps whose
    answer lost a question put back to the coach."""
    order = [step_id for step_id, _, _ in captures]
    capture_of = {step_id: capture for step_id, capture, _ in captures}
    own = {step_id: text for step_id, _, text in captures}
    sentences: dict[str, list[str]] = {step_id: [] for step_id in order}
    early: dict[str, list[str]] = {step_id: [] for step_id in order}
    changed: set[str] = set(trimmed)
    quoted_sentences: set[str] = set()
    for index, (step_id, capture, text) in enumerate(captures):
        if capture == "goal" and text and is_unsure(text):
            changed.add(step_id)  # "I'm a bit lost on what to bring" is not the goal
            continue
        passages = quoted_passages(text)
        for sentence in sentences_of(text):
            quoted = is_quoted(sentence, passages)
            if quoted and frames_a_letter(sentence):
                changed.add(step_id)  # "Hi Leo, thanks for today.", "Best, Mireille"
                continue
            if quoted:
                quoted_sentences.add(sentence)
            home = _home(sentence, index, order, capture_of, own, quoted)
            sentences[home].append(sentence)
            if home != step_id:
                changed.update((home, step_id))
            if order.index(home) > index:
                early[home].append(sentence)
    return Placed(sentences, early, frozenset(changed), frozenset(quoted_sentences))


def _home(
    sentence: str,
    index: int,
    order: list[str],
    capture_of: dict[str, str],
    own: dict[str, str],
    quoted: bool = False,
) -> str:
    """The step ``sentence`` (given at step ``index``) belongs to; a ``quoted`` one (a
    message pasted in quotation marks) is what someone else said: feedback, where the flow
    collects it."""
    given_at = order[index]
    feedback_at = [step_id for step_id in order if capture_of[step_id] == "feedback"]
    if quoted and feedback_at:
        return feedback_at[0]
    mine = _BELONGS.get(capture_of[given_at])
    if mine is not None and mine(sentence):
        return given_at
    for other_index, other in enumerate(order):
        belongs = _BELONGS.get(capture_of[other])
        if other == given_at or belongs is None or not belongs(sentence):
            continue
        if other_index > index or capture_of[other] in _GATHERS_LATE:
            return other  # said early (the later step takes it), or gathered from anywhere
        if is_unsure(own[other]) or not own[other].strip():
            return other  # said late, where the earlier answer left it unsaid
    return given_at


def said_early(flow: FlowSpec, state: SessionState, step: StepSpec) -> list[str]:
    """The sentences of earlier answers that already say what ``step`` asks: for a step that
    collects questions, the questions asked in earlier answers."""
    if state.answers.get(step.id):
        return []
    if step.kind == StepKind.QUESTIONS:
        earlier = [s for s in flow.steps[: flow.step_index(step.id)] if s.kind == StepKind.TEXT]
        asked = [
            q.text
            for s in earlier
            for q in find_questions(state.answer_text(s.id))
            if not is_question_back(q.text, s)  # "what situation?" asks the coach
        ]
        return [question for question in asked if worded_as_question(question)]
    if step.kind != StepKind.TEXT:
        return []
    return place_answers(flow, state).early.get(step.id, [])


def said_late(flow: FlowSpec | None, state: SessionState, step: StepSpec) -> tuple[str, str]:
    """The heading of an earlier step's section and the sentence of ``step``'s answer that
    belongs there (the goal named at the updates question), or ("", "")."""
    if flow is None or step.kind != StepKind.TEXT:
        return "", ""
    placed = place_answers(flow, state)
    own = state.answer_text(step.id)
    for earlier in flow.steps[: flow.step_index(step.id)]:
        moved = [s for s in placed.sentences.get(earlier.id, []) if s in own]
        if moved and earlier.capture:
            return flow.section(earlier.capture).heading, moved[0]
    return "", ""


def noted_late(flow: FlowSpec | None, state: SessionState, step: StepSpec) -> str:
    """What the reply says of a sentence that answers an earlier step: where it went."""
    heading, sentence = said_late(flow, state, step)
    if not sentence:
        return ""
    wanted = goal_line(sentence) if says_wanted(sentence) else sentence  # without "ok so I guess"
    return f"“{wanted.rstrip(' .')}”: that goes under “{heading}”."


def speaker(flow: FlowSpec, state: SessionState, profile_mentor: str = "") -> str:
    """Who gave the feedback, to ask about them by name: the mentor in the profile, the
    person the meeting was with, else "your mentor"."""
    answers = [state.answer_text(step.id) for step in flow.steps]
    named = profile_mentor or person_met(*answers)
    if not named:
        people = [p for a in answers for p in find_people(a)]
        named = people[0] if people else ""
    return named or "your mentor"


def question_knowing(
    step: StepSpec, flow: FlowSpec | None, state: SessionState, said_now: str = ""
) -> str:
    """``step``'s question, or, when an earlier answer already said what it asks, the
    question that takes it up ("Was there anything else Priya said?"), after a quote of
    what was said unless the reply quotes it already (``said_now``)."""
    early = said_early(flow, state, step) if flow is not None else []
    if flow is None or not early or not step.question_when_said:
        return step.question
    question = step.question_when_said.format(person=speaker(flow, state))
    heard = said_now.lower()
    pasted = place_answers(flow, state).quoted if step.kind == StepKind.TEXT else frozenset()
    # a pasted message is not read back: the reply said it is kept in its writer's words
    unquoted = [s for s in early if s.rstrip(" .!?").lower() not in heard and s not in pasted]
    if not unquoted:
        return question
    if step.kind == StepKind.QUESTIONS:
        listed = _joined([f"“{q.rstrip(' .')}”" for q in early], "and")
        return f"You already asked: {listed}. {question}"
    said = " ".join(s.rstrip(" .") for s in early)
    return f"Earlier you said: “{said}”. {question}"


def _joined(items: list[str], last: str) -> str:
    """ "a", "a and b", "a, b and c" (or "or")."""
    return f"{', '.join(items[:-1])} {last} {items[-1]}" if len(items) > 1 else "".join(items)


def unsure_help(step: StepSpec, flow: FlowSpec | None, answer: str) -> str:
    """For someone who does not know yet what to answer (``answer`` is unsure) at a step
    with examples: the examples, and that it can be named at any point; else ""."""
    if not step.examples or not is_unsure(answer):
        return ""
    listed = _joined([f"“{example}”" for example in step.examples], "or")
    heading = flow.section(step.capture).heading if flow is not None and step.capture else ""
    where = f" and it goes under “{heading}”" if heading else ""
    return (
        f"Not knowing yet is fine; it often gets clearer as you go. It could be, for example, "
        f"{listed}. Say it at any point{where}."
    )
