"""Whether an answer calls for a follow-up question, and which one.

A coach asks again only when something calls for it: a thin or vague answer, an absolute
("nobody ever..."), a flat rejection of feedback worth testing, a strong feeling worth naming,
an action too vague to check off. One question, kind but direct, never flattering. Anything
else moves the conversation on.
"""

from __future__ import annotations

from assistant.conversation.core.flows import StepSpec
from assistant.conversation.core.kinds import StepKind
from assistant.conversation.guide.understanding import Reading, read_answer

#: Steps whose answer is free text or a list the coach can ask about again.
FOLLOW_UP_KINDS = (StepKind.TEXT, StepKind.LIST, StepKind.ACTIONS)
#: Feelings strong enough that naming them helps before moving on.
HEAVY_FEELINGS = frozenset(
    {"hurt", "embarrassed", "humiliated", "angry", "upset", "ashamed", "scared", "overwhelmed",
     "discouraged", "insecure", "ignored", "exhausted"}
)  # fmt: skip


def follow_up_for(step: StepSpec, answer: str) -> str | None:
    """The follow-up question ``answer`` calls for at ``step``, or None to move on."""
    if step.kind not in FOLLOW_UP_KINDS:
        return None
    reading = read_answer(answer, actions=step.kind == StepKind.ACTIONS, with_situation=False)
    return question_for(step, reading)


def question_for(step: StepSpec, reading: Reading) -> str | None:
    """:func:`follow_up_for` on an answer already read."""
    if step.kind not in FOLLOW_UP_KINDS:
        return None
    if step.kind == StepKind.ACTIONS:
        return _about_actions(step, reading)
    if reading.is_thin and not (step.kind == StepKind.LIST and reading.words >= 2):
        return step.followup_when_thin or None
    if reading.is_vague and reading.vague:
        phrase = reading.vague[0]
        return (
            f"“{phrase}” can mean a lot of things. What would it look like in practice: "
            "what would someone see you do differently?"
        )
    if reading.disagreements and not reading.agreements and step.id in ("feedback", "landing"):
        return (
            "Take the part you push back on hardest: what would be true if your mentor "
            "were right about it, even partly?"
        )
    if reading.absolutes:
        word = reading.absolute_words[0].lower()
        return f"“{word.capitalize()}”: is that true every time? When did it go differently?"
    heavy = [feeling for feeling in reading.feelings if feeling.name in HEAVY_FEELINGS]
    if heavy and step.id in ("landing", "feedback", "worry", "updates"):
        return f"What exactly left you feeling {heavy[0].felt}: a word, a moment, a look?"
    return None


def _about_actions(step: StepSpec, reading: Reading) -> str | None:
    if not reading.commitments:
        return step.followup_when_thin or None
    for commitment in reading.commitments:
        vague = read_answer(commitment.text, with_situation=False)
        if vague.vague and not commitment.due:
            return (
                f"“{commitment.text}” is hard to check off. What is the first concrete step, "
                "and by which day?"
            )
    return None
