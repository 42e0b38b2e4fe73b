"""The first line of a guide-mode reply: the salient part of the answer, in the person's words.

What is salient, in order: what they accept and what they doubt, a feeling they named, the
concrete ask, the actions they committed to, the situation they describe. Quotes are whole
sentences or clauses of the answer, never a cut-off prefix. The wording follows the directness
setting (``prompts/system/directness.toml``).
"""

from __future__ import annotations

import re

from assistant.conversation.core.flows import StepSpec
from assistant.conversation.core.kinds import StepKind
from assistant.conversation.core.user_text import one_per_line
from assistant.conversation.guide.coach_questions import is_question_back
from assistant.conversation.guide.followup import HEAVY_FEELINGS
from assistant.conversation.guide.quoted import quoted_passages
from assistant.conversation.guide.synthesis import is_pasted_list, items_of, wanted_sentence
from assistant.conversation.guide.understanding import (
    Feeling,
    Reading,
    own_sentences,
    worded_as_question,
)
from assistant.conversation.model.prompting import GuideVoice

#: A clause longer than this is quoted as its shortest sentence part holding the signal.
LONG_QUOTE_WORDS = 40
#: A feeling clause this short says little on its own; the sentence about its cause is quoted.
SHORT_FEELING_WORDS = 5
#: A feeling clause longer than this is quoted by the part of it that names the feeling.
LONG_FEELING_WORDS = 25
#: Linking words a quoted clause does not start with ("and then at the end…").
_LEADING_LINK = re.compile(
    r"^(?:(?:but|and|so|also|honestly|tbh|well|though|then|ok|okay|yeah|lol|oh),?\s+)+", re.I
)
#: A label a person puts before their answer in notes style ("goal: decide on the course"):
#: the coach reads back what follows it.
_LABEL = re.compile(
    r"^(?:goal|goals|aim|ask|asks|help|topics?|updates?|wins?|context|worry|feedback|"
    r"actions?|todo|to-do)\s*:\s*(?=\S)",
    re.IGNORECASE,
)
#: An answer this short is quoted whole ("Deadlines mostly. And the roadmap.").
SHORT_ANSWER_WORDS = 12
#: Steps whose answer says what the person wants from a meeting.
GOAL_STEPS = ("goal",)
#: Steps whose answer reports wins and progress since last time.
WIN_STEPS = ("updates",)
#: A sentence reporting something done or achieved.
_DONE = re.compile(
    r"\b(?:finished|shipped|launched|completed|delivered|published|passed|presented|"
    r"submitted|got (?:the|my|a)|closed|fixed|ran (?:my|the|a)|wrapped up|signed off)\b",
    re.IGNORECASE,
)
#: Steps whose answer is a request for help or a question.
ASK_STEPS = ("help",)


def reflect(step: StepSpec, reading: Reading, voice: GuideVoice) -> str:
    """One or two sentences that show the answer was heard; at the goal step, with what the
    person wants from the meeting when the salient part is something else ("I'm fed up with
    X… what I really want is Y": the feeling, then the goal)."""
    heard = _heard(step, reading, voice)
    wanted = wanted_sentence(reading.text) if step.id in GOAL_STEPS else ""
    if not heard or not wanted or _quotable(wanted) in heard:
        return heard
    ask = voice.ask.format(quote=_quotable(wanted))
    found = reading.situation
    salient = reading.feelings or reading.agreements or reading.disagreements
    if salient or (found is not None and found.sure):
        return f"{heard} {ask}"
    return ask  # nothing else stood out: the goal is what was heard


def _heard(step: StepSpec, reading: Reading, voice: GuideVoice) -> str:
    """The salient part of the answer (see the module's docstring for the order)."""
    if not reading.text:
        return ""
    if reading.says_nothing and step.id in ASK_STEPS:
        return ""  # "idk" is not an ask to read back; the question that follows says enough
    if quoted_passages(reading.text):
        return _pasted(reading, voice)
    doubts, agrees = reading.disagreements, reading.agreements
    if doubts:
        # A strong feeling next to the pushback is heard first, not passed over.
        heavy = [f for f in reading.feelings if f.name in HEAVY_FEELINGS]
        return " ".join(filter(None, [_felt_together(heavy, voice), _stance(reading, voice)]))
    if step.kind == StepKind.QUESTIONS:
        return ""  # the review that follows quotes each question
    if reading.feelings:
        return _felt(reading, reading.feelings[0], voice)
    if agrees:
        return voice.agree.format(agree=_quotable(agrees[0]))
    if step.kind in (StepKind.LIST, StepKind.ACTIONS) or step.id in ASK_STEPS:
        return _listed(step, reading, voice)
    if is_pasted_list(reading.text):
        lines = [line for line in one_per_line(reading.text) if not line.endswith(":")]
        listed = [f"“{_quotable(line)}”" for line in lines]
        return f"You listed: {_joined(listed)}."
    asked = [
        q.text
        for q in reading.questions
        if worded_as_question(q.text) and not is_question_back(q.text, step)
    ]
    if asked:
        # A question put to the coach is answered by the guidance that follows.
        return voice.question.format(quote=_quotable(asked[0]))
    if reading.situation is not None and reading.situation.sure:
        found = reading.situation
        heard = voice.situation.format(label=found.label, quote=_quotable(found.sentence))
        wanted = wanted_sentence(reading.text) if step.id in GOAL_STEPS else ""
        if wanted and wanted != found.sentence:
            # the outcome they want can be about another part of what they described
            heard += " " + voice.ask.format(quote=_quotable(wanted))
        return heard
    wanted = wanted_sentence(reading.text) if step.id in GOAL_STEPS else ""
    if wanted:
        return voice.ask.format(quote=_quotable(wanted))  # the goal, not the meeting's time
    if reading.words <= SHORT_ANSWER_WORDS:
        return voice.said.format(quote=_quotable(reading.text))
    return voice.said.format(quote=_quotable(_key_sentence(reading, step)))


def _pasted(reading: Reading, voice: GuideVoice) -> str:
    """For an answer with a message pasted in quotation marks: the person's own words around
    it, and that the message is kept in its writer's words (it is not the person's view)."""
    # the person's words before the message opens ("Kofi texted me yesterday: "Bring…")
    own = [re.split(r"[\"“]", sentence)[0] for sentence in own_sentences(reading.text)]
    own = [sentence for sentence in own if len(sentence.split()) >= 2]
    kept = "Their message is kept word for word, as what they said."
    if not own:
        return kept
    return f"{voice.said.format(quote=_quotable(own[0]))} {kept}"


def _stance(reading: Reading, voice: GuideVoice) -> str:
    """What the person pushes back on, with what they accept when they say both."""
    doubts, agrees = reading.disagreements, reading.agreements
    if agrees:
        return voice.stance.format(agree=_quotable(agrees[0]), doubt=_quotable(doubts[0]))
    return voice.doubt.format(doubt=_quotable(doubts[0]))


def _felt_together(heavy: list[Feeling], voice: GuideVoice) -> str:
    """The strong feelings of one clause, named together ("You felt furious and humiliated")."""
    if not heavy:
        return ""
    clause = heavy[0].clause
    words = [f.felt for f in heavy if f.clause == clause]
    return voice.feeling.format(feeling=_joined(words), quote=_quotable(clause))


def _listed(step: StepSpec, reading: Reading, voice: GuideVoice) -> str:
    """Lists and asks: what they named, in order (actions with their due dates)."""
    if step.kind == StepKind.ACTIONS and reading.commitments:
        items = [
            f"“{c.text}”" + (f" (by {c.due:%a %d %b})" if c.due else "")
            for c in reading.commitments
        ]
        count = len(items)
        return f"{_number_word(count).capitalize()} action{'s' * (count > 1)}: {_joined(items)}."
    lines = one_per_line(reading.text)
    if step.kind == StepKind.LIST and step.id not in ASK_STEPS:
        lines = items_of(lines)  # "promotion case, workload, the offsite" on one line
    if step.id in ASK_STEPS or step.id == "help":
        return voice.ask.format(quote=_quotable(lines[0] if len(lines) == 1 else reading.text))
    if len(lines) > 1:
        return f"In this order: {_joined([f'“{line}”' for line in lines])}."
    return voice.said.format(quote=_quotable(lines[0]))


def _felt(reading: Reading, feeling: Feeling, voice: GuideVoice) -> str:
    """The feeling, quoted where the person named it. A clause of a few words ("It stung.",
    "kinda frustrated tbh") is quoted as it is, with the sentence saying what it is about:
    that sentence ("They said my reviews are too harsh") is what happened, not the feeling."""
    words = len(feeling.clause.split())
    if words > LONG_FEELING_WORDS:
        quote = _quotable(_part_naming(feeling))
    else:
        quote = _quotable(feeling.clause)
    cause = _cause(reading, feeling) if words <= SHORT_FEELING_WORDS else ""
    if cause:
        # the feeling's own words open the reply ("that hurt" → "That hurt")
        return voice.feeling_about.format(quote=quote[:1].upper() + quote[1:], cause=cause)
    return voice.feeling.format(feeling=feeling.felt, quote=quote)


def _cause(reading: Reading, feeling: Feeling) -> str:
    """The sentence that says what a short feeling is about: the situation it describes, or
    the longest other sentence; empty when the feeling is all the answer says."""
    found = reading.situation
    if found is not None and found.sure and feeling.clause not in found.sentence:
        return _quotable(found.sentence)
    others = [s for s in reading.sentences if feeling.clause not in s]
    return _quotable(max(others, key=lambda s: len(s.split()))) if others else ""


def _part_naming(feeling: Feeling) -> str:
    """Of a long clause, the comma-separated part naming the feeling (with the part before
    it when it is only a few words, "…the platform team, which I'm still unsure about")."""
    parts = [part.strip() for part in feeling.clause.split(",") if part.strip()]
    index = next((i for i, p in enumerate(parts) if feeling.word in p), None)
    if index is None:
        return feeling.clause
    if len(parts[index].split()) < SHORT_FEELING_WORDS + 2 and index > 0:
        return f"{parts[index - 1]}, {parts[index]}"
    return parts[index]


def _key_sentence(reading: Reading, step: StepSpec) -> str:
    """The sentence that says the most: at the wins step, the first that reports something
    done ("oh and I finished the dashboard", not the vet bill before it); else the longest
    of the first three."""
    if step.id in WIN_STEPS:
        done = [s for s in reading.sentences if _DONE.search(s)]
        if done:
            return done[0]
    sentences = list(reading.sentences[:3]) or [reading.text]
    return max(sentences, key=lambda s: len(s.split()))


def _quotable(clause: str) -> str:
    """A clause as it can be quoted: whole, without a closing full stop before the quote mark."""
    clause = " ".join(clause.split())
    if len(clause.split()) > LONG_QUOTE_WORDS:
        parts = [part.strip() for part in clause.split(",") if len(part.split()) >= 4]
        if parts:
            clause = parts[0]
    clause = _LABEL.sub("", _LEADING_LINK.sub("", clause))
    return clause.rstrip(" .,;:")


def _joined(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _number_word(count: int) -> str:
    words = ("no", "one", "two", "three", "four", "five", "six")
    return words[count] if count < len(words) else str(count)
