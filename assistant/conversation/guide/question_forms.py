"""How a question is framed: open, closed, leading, blaming, too broad, stacked, or a
statement with a question mark.

Simple, explainable rules over the words a person wrote (sloppy spelling included). The
checks and rewrites in :mod:`questions` build on them; the practice rubric and the
simulated mentee use them to tell an open question from a closed or blaming one.
"""

from __future__ import annotations

import re
from enum import StrEnum


class QuestionFlag(StrEnum):
    CLOSED = "closed"
    BROAD = "broad"
    LEADING = "leading"
    BLAMING = "blaming"
    SEVERAL = "several"
    STATEMENT = "statement"


FLAG_EXPLANATIONS = {
    QuestionFlag.CLOSED: "it can be answered with a plain yes or no, so you learn little",
    QuestionFlag.BROAD: "it is too broad to answer well (name the situation or the goal)",
    QuestionFlag.LEADING: "it suggests its own answer, so you hear your view back",
    QuestionFlag.BLAMING: "a “why does nobody…/why do I always…” question sounds like blame "
    "or self-pity and invites a defence, not an idea",
    QuestionFlag.SEVERAL: "it asks several things at once, and usually only one gets answered",
    QuestionFlag.STATEMENT: "it is a statement, not a question: say what you want to know",
}

LEAD_IN = (
    r"^(?:(?:so|and|but|ok|okay|well|also|then|hey|hi|um|hmm|quick question|one more thing|"
    r"plus|right|anyway|honestly)(?:[,:\s]+|$))*"
)
_NEGATIVE_AUXILIARIES = (
    "isn't|aren't|wasn't|weren't|don't|doesn't|didn't|can't|couldn't|won't|wouldn't|"
    "shouldn't|haven't|hasn't|mustn't"
)
AUXILIARIES = (
    "do|does|did|is|are|was|were|am|can|could|will|would|should|shall|have|has|had|may|"
    f"might|must|{_NEGATIVE_AUXILIARIES}"
)
_WH = r"what|what's|whats|wat|how|how's|which|where|when|who|whom|whose|why|in what way"
_PROMPTS = (
    r"tell me|describe|walk me through|help me understand|talk me through|say more|share|"
    r"explain|give me an example|i(?:'m| am| was|'d| would)? (?:wondering|curious|like to know|"
    r"love to hear|love to know|want to know|keen to hear) (?:how|what|which|when|where|who|why)"
)
_REQUEST_OPEN = re.compile(
    r"^(?:can|could|would|will) you (?:please )?(?:tell me|walk me through|explain|describe|"
    r"share|talk me through|help me understand|give me an example)\b",
    re.IGNORECASE,
)
_OPEN_RE = re.compile(rf"{LEAD_IN}(?:{_WH}|{_PROMPTS})\b", re.IGNORECASE)
_AUX_RE = re.compile(rf"{LEAD_IN}({AUXILIARIES})\b", re.IGNORECASE)
_INDIRECT_CLOSED = re.compile(
    rf"{LEAD_IN}i(?:'m| am| was|'d| would)? (?:wondering|wonder|curious) (?:if|whether)\b",
    re.IGNORECASE,
)

# --- leading ------------------------------------------------------------------------------
_LEADING_START = re.compile(
    rf"{LEAD_IN}(?:(?:{_NEGATIVE_AUXILIARIES})\s+\w+|surely\b|is it not\b|"
    r"(?:you|wouldn't you|would you not) agree\b)",
    re.IGNORECASE,
)
TAG = re.compile(
    r",\s*(?:right|no|yeah|yes|correct|surely|true|agreed|"
    rf"(?:{AUXILIARIES})(?:\s+not)?\s+(?:it|you|they|he|she|i|we|that|there|this))\s*\?*\s*$",
    re.IGNORECASE,
)
_TAG_ONLY = re.compile(
    rf"^(?:{AUXILIARIES})(?:\s+not)?\s+(?:it|you|they|he|she|i|we|that|there|this)\s*\?*$",
    re.IGNORECASE,
)
_SUBORDINATE = re.compile(
    rf"{LEAD_IN}(?:when|if|since|after|before|because|as|given|once|while|now that|until)\s+"
    rf"(?!(?:{AUXILIARIES})\b)\w+[^?]*$",
    re.IGNORECASE,
)
"""The opening clause of a question ("When you moved teams, how did you…"), not a question."""
_LEADING_WORDS = re.compile(r"\b(obviously|clearly|don't you agree|wouldn't you agree)\b", re.I)

# --- blaming or self-pitying --------------------------------------------------------------
_WHY_RE = re.compile(rf"{LEAD_IN}(?:why|how come)\b\s*(.*)", re.IGNORECASE)
_ABSOLUTES = re.compile(
    r"\b(always|never|ever|nobody|no one|noone|no-one|everyone|everybody|anyone|anybody|"
    r"keeps?|constantly|all the time|every time|everything|me)\b",
    re.IGNORECASE,
)
_ROLES = (
    r"manager|boss|lead|director|mentor|client|customer|panel|colleague|peer|leadership|"
    r"management|hr|head|ceo|cto|founder|recruiter|interviewer|team lead|tech lead"
)
PERSON_SUBJECT = (
    r"(?:(?i:(?:everyone|everybody|nobody|no one|someone|anyone) else|"
    r"i|you|he|she|they|we|people|nobody|no one|everyone|everybody|anyone|anybody|"
    rf"(?:my|our|your|his|her|their) [a-z-]+(?: (?:{_ROLES})s?\b)?|the (?:{_ROLES})s?\b)|"
    r"[A-Z][a-z]+)"
)
"""A person as the subject of a clause: a pronoun, "my manager", or a capitalised name."""
_WHY_PERSON = re.compile(rf"^(?i:{AUXILIARIES})\s+{PERSON_SUBJECT}\s+(\w+)")
_SUGGESTION = re.compile(r"^(?:don't|do not) (?:we|you) (?!think|agree|feel|know)\w+", re.I)
_CURIOUS_VERBS = {
    "decide",
    "choose",
    "chose",
    "become",
    "recommend",
    "suggest",
    "prefer",
    "like",
    "enjoy",
    "love",
    "pick",
    "go",
    "get",
    "move",
    "start",
    "think",
    "use",
    "find",
    "want",
    "switch",
    "leave",
}

# --- broad --------------------------------------------------------------------------------
_ADVICE_WORDS = (
    r"advice|tips?|thoughts|suggestions?|ideas|pointers|recommendations|words of wisdom|"
    r"input|guidance|insights?|feedback|opinion|view|take"
)
ADVICE_REQUEST = re.compile(
    r"^(?:(?:any|some|got|have|you|do|does|your|what|what's|whats|give|me|share|a|few|little|"
    r"bit|of|quick|"
    r"general|good|i|need|want|get|can|could|would|please|pls|anyone|with|are|is|the|"
    rf"[a-z]+(?= (?:advice|tips)\b))\s+)*(?:{_ADVICE_WORDS})\b(.*)$",
    re.IGNORECASE,
)
"""An ask for advice, tips or thoughts as such; group 1 holds the words after it."""
_TOPIC_START = re.compile(
    r"^(?:\s*(?:would|do|could|can)? ?(?:you)? ?(?:have|give)?\s*)?"
    r"(?:on|about|for|re|regarding|with|around|in|when it comes to|about how to)\s+(.+)$",
    re.IGNORECASE,
)
_GOALS = (
    r"get better|improve|grow|succeed|get promoted|level up|get ahead|progress|develop|"
    r"advance|do better|be better|stand out|get noticed|move up|be successful|"
    r"(?:be|become|get) (?:a )?(?:better|more|stronger|great|good)\b|"
    r"(?:get|move|go) to the next level|take the next step|"
    r"(?:grow|advance|progress|develop|build|boost|further) my career|"
    r"(?:approach|plan|manage|handle|navigate|think about) my (?:career|job|work|future|"
    r"development|growth)|network|be a (?:good |better )?(?:leader|manager)|"
    r"become a (?:leader|manager)|manage people|manage my time|be (?:more )?productive"
)
_GOAL_QUESTION = re.compile(
    rf"^(?:how to|(?:how|what)(?: do| can| could| should| would| might)? (?:i|we|one|you)"
    rf"(?: do to| best)?|what(?:'s| is) the (?:best|quickest|fastest|right|easiest) way to|"
    rf"what does it take to) ({_GOALS})(.*)$",
    re.IGNORECASE,
)
_BARE_ASK = re.compile(
    r"^(?:what (?:should|do|can|could) i do|what do you think(?: i should do)?|"
    r"what now|thoughts|any thoughts|what would you do|what do you suggest|"
    r"(?:(?:can|could) you )?help(?: me)?(?: please| pls)?|"
    r"is there anything (?:i should know|else)|where (?:do|should|can) i (?:even )?"
    r"(?:start|begin)|what (?:should|do) i (?:need to )?know|"
    r"anything (?:else )?i should know)\b(.*)$",
    re.IGNORECASE,
)
_BARE_VERB = re.compile(
    r"^how (?:do|can|should|could) (?:i|we) (\w+(?: (?:better|more|well))?)$", re.IGNORECASE
)
"""A verb with nothing to work on: "How do I network?", "How can I prioritise better?"."""
_ANCHOR = re.compile(
    r"(\d|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|"
    r"march|april|may|june|july|august|september|october|november|december|tomorrow|"
    r"yesterday|today|tonight|next|last|this (?:week|month|quarter|year)|when|because|since|"
    r"after|before|without|given|so that|if)\b|\s[A-Z][a-z]+)"
)
_MIN_WORDS = 3
_GENERIC_TAIL_WORDS = 5

# --- statements and splitting -------------------------------------------------------------
_STACKED = re.compile(
    rf"(?:,\s*(?:and\s+|or\s+|also\s+|plus\s+)?|\s+(?:and|or)\s+(?:also\s+)?|\s+also,?\s+)"
    rf"(?=(?:{_WH})\b|(?:{AUXILIARIES})\s+(?:i|you|he|she|they|we|it|there|hr|[a-z]+ing)\b)",
    re.IGNORECASE,
)


def parts_of(text: str) -> list[str]:
    """The questions stacked in ``text``: split at question marks and at "and how…",
    ", when…", "or should…"."""
    pieces = [piece.strip() for piece in re.split(r"(?<=\?)\s*", text) if piece.strip()]
    parts: list[str] = []
    for piece in pieces:
        carried = ""
        for part in (p.strip(" ,;") for p in _STACKED.split(piece) if p.strip(" ,;?")):
            part = f"{carried}, {part}" if carried else part
            carried = ""
            if parts and _TAG_ONLY.match(part):
                parts[-1] = f"{parts[-1]}, {part}"
            elif not body_of(part) or _SUBORDINATE.match(part):
                carried = part
            else:
                parts.append(part)
        if carried:
            parts.append(carried)
    return parts or [text]


def body_of(question: str) -> str:
    """The words of a question without its lead-in ("so", "ok,") or final punctuation."""
    return re.sub(LEAD_IN, "", question.strip(), flags=re.IGNORECASE).rstrip(" ?.!")


def is_question(sentence: str) -> bool:
    stripped = sentence.strip()
    return stripped.endswith("?") or bool(_OPEN_RE.match(stripped) or _AUX_RE.match(stripped))


def is_leading(sentence: str) -> bool:
    stripped = sentence.strip()
    if _LEADING_START.match(stripped) or TAG.search(stripped):
        return True
    return bool(_LEADING_WORDS.search(stripped)) and is_question(stripped)


def is_closed_question(sentence: str) -> bool:
    """A yes/no question: it opens with an auxiliary ("Should I…", "Is it…", "Did you…")
    and is not a polite request for an open answer ("Could you walk me through…")."""
    body = body_of(sentence)
    if _REQUEST_OPEN.match(body) or is_leading(sentence) or _is_advice_request(body) is not None:
        return False
    return bool(_AUX_RE.match(body) or _INDIRECT_CLOSED.match(body))


def is_blaming_why(sentence: str) -> bool:
    """A "why" that blames someone or pities oneself: "Why does nobody notice me?", "Why
    didn't you tell me?", "Why do I always freeze?" — not a curious "Why is the team using
    Scrum?" or "Why did you decide to become a mentor?"."""
    match = _WHY_RE.match(sentence.strip())
    if not match:
        return False
    rest = match[1].rstrip(" ?.!")
    if not rest or re.match(r"^me\b", rest, re.IGNORECASE):
        return True
    if _SUGGESTION.match(rest) and not _ABSOLUTES.search(rest):
        return False  # "why don't we meet on Friday?" suggests, it does not blame
    if re.match(rf"^(?:{_NEGATIVE_AUXILIARIES})\b", rest, re.IGNORECASE):
        return True
    if _ABSOLUTES.search(rest):
        return True
    person = _WHY_PERSON.match(rest)
    return bool(person and person[1].lower() not in _CURIOUS_VERBS)


def is_statement(sentence: str) -> bool:
    """Words that make a claim, not a request: "I feel stuck.", "My manager gave it to Sam
    again?" (a question mark on a statement is still a statement)."""
    body = body_of(sentence)
    if not body or is_leading(sentence) or _is_advice_request(body) is not None:
        return False
    if _BARE_ASK.match(body):
        return False
    if _OPEN_RE.match(body) or _AUX_RE.match(body) or _REQUEST_OPEN.match(body):
        return False
    return not _INDIRECT_CLOSED.match(body)


def is_open_question(sentence: str) -> bool:
    """An open question: starts like "what", "how", "tell me…" and neither blames nor leads."""
    stripped = sentence.strip()
    opens = bool(_OPEN_RE.match(stripped) or _REQUEST_OPEN.match(body_of(stripped)))
    return opens and not is_blaming_why(stripped) and not is_leading(stripped)


def is_broad(sentence: str) -> bool:
    """Too broad to answer: a bare ask for advice ("Any advice on networking?"), a generic
    goal ("How do I grow?"), or too few words to say what is meant."""
    body = body_of(sentence)
    words = body.split()
    if len(words) < _MIN_WORDS:
        return True
    advice = _is_advice_request(body)
    if advice is not None:
        return not _ANCHOR.search(advice)
    goal = _GOAL_QUESTION.match(body)
    if goal:
        tail = goal[2]
        return len(tail.split()) <= _GENERIC_TAIL_WORDS and not _ANCHOR.search(tail)
    bare = _BARE_ASK.match(body)
    if bare:
        tail = bare[1].strip()
        topic = _TOPIC_START.match(tail)
        generic_topic = topic is not None and len(topic[1].split()) <= _GENERIC_TAIL_WORDS
        filler = re.fullmatch(r"(?:now|next|here|then|about (?:it|this|that))?", tail, re.I)
        return filler is not None or (generic_topic and not _ANCHOR.search(tail))
    return _BARE_VERB.match(body) is not None


#: A yes/no question with its "do" left out: "you think I should quit?", "u reckon it's ok?".
_DROPPED_DO = re.compile(r"^(you|u) (think|reckon|believe|feel|mean|want)\b(?=.*\?\s*$)", re.I)


def with_auxiliary(part: str) -> str:
    """``part`` with the "do" a chatty yes/no question leaves out put back ("you think I
    should quit?" -> "do you think I should quit?"), so it reads as the question it is."""
    return _DROPPED_DO.sub(lambda m: f"do you {m[2]}", part.strip(), count=1)


def bare_topic(part: str) -> str:
    """The subject of a "question" that is only a subject ("raise?", "promotion??", "Dev?"),
    or "" when the part says more than that."""
    body = body_of(part)
    words = body.split()
    if not part.rstrip().endswith("?") or not 1 <= len(words) < _MIN_WORDS:
        return ""
    if _OPEN_RE.match(body) or _AUX_RE.match(body) or _WHY_RE.match(body):
        return ""  # "why?", "what now?", "should I?"
    if ADVICE_REQUEST.match(body) or _BARE_ASK.match(body):
        return ""  # "Any advice?", "Thoughts?": an ask, read as one
    return body


def goal_of(body: str) -> str:
    """The generic goal of "How do I get better at work?" -> "get better at work", or of
    "How do I prioritise?" -> "prioritise"."""
    match = _GOAL_QUESTION.match(body)
    if match:
        return f"{match[1]}{match[2]}".strip()
    bare = _BARE_VERB.match(body)
    return bare[1] if bare else ""


def positive_auxiliary(auxiliary: str) -> str:
    """ "won't" -> "will", "didn't" -> "did"."""
    lowered = auxiliary.lower()
    return {"won't": "will", "can't": "can", "shan't": "shall"}.get(
        lowered, lowered.removesuffix("n't")
    )


def advice_topic(body: str) -> str:
    """What an ask for advice is about: "Any tips for my first week?" -> "my first week"."""
    tail = _is_advice_request(body)
    if tail is None:
        bare = _BARE_ASK.match(body)
        tail = bare[1] if bare else ""
    topic = _TOPIC_START.match(tail.strip())
    return topic[1].strip(" ?.!") if topic else ""


def _is_advice_request(body: str) -> str | None:
    """The words after "any advice"/"your thoughts", or None when it is not such an ask."""
    match = ADVICE_REQUEST.match(body)
    if not match or re.match(r"\s*(?:on|about) (?:whether|if)\b", match[1], re.IGNORECASE):
        return None  # "your view on whether my plan works" asks something definite
    return match[1]


def flags_of(part: str) -> list[QuestionFlag]:
    """The flags of one question (not stacked)."""
    flags: list[QuestionFlag] = []
    if is_blaming_why(part):
        flags.append(QuestionFlag.BLAMING)
    elif is_leading(part):
        flags.append(QuestionFlag.LEADING)
    elif bare_topic(part):
        pass  # "raise?": a subject put as a question is too broad, not a statement
    elif is_statement(part):
        flags.append(QuestionFlag.STATEMENT)
    elif is_closed_question(part):
        flags.append(QuestionFlag.CLOSED)
    framed = QuestionFlag.STATEMENT in flags or QuestionFlag.BLAMING in flags
    if not framed and is_broad(part):
        flags.append(QuestionFlag.BROAD)
    return flags
