"""What an artifact draws from the answers, beyond copying them out.

- the one-line goal of a meeting, taken from the sentence that says what the person wants;
- a time plan for the meeting (30 minutes unless the person names a length);
- feedback split into what the person accepts and what they doubt, and how it felt;
- actions one per item, each with its own due date, listed once, vague ones marked;
- the topic a title names, so no two sessions share a title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from assistant.conversation.core.user_text import ends_list
from assistant.conversation.guide.due_dates import parse_due
from assistant.conversation.guide.names import introduces
from assistant.conversation.guide.understanding import (
    Reading,
    find_commitments,
    find_stances,
    meant_sentences,
    read_answer,
    reports_someone_else,
    sentences_of,
)

DEFAULT_MEETING_MINUTES = 30
#: A title names its topic in at most this many words, so it fits on a line.
TITLE_WORDS = 5
#: Minutes kept for the wins at the start and for agreeing next steps at the end.
OPENING_MINUTES = 5
CLOSING_MINUTES = 5
#: Topic times are rounded to this many minutes, and no topic gets less.
SLOT_MINUTES = 5
VAGUE_ACTION_NOTE = "kept as written; too vague to check off yet: name a first step and a day"
#: Two actions sharing this share of their words are the same action.
DUPLICATE_SHARE = 0.6

_WANT = re.compile(
    r"\b(?:what i(?: \w+)?(?: want| need| would like|'d like| 'd like)(?: (?:from|out of|for) "
    r"[\w']+(?: \w+)?)? is(?: to)?|"
    r"(?:the|my|our) (?:real |main |actual |big |one )?(?:goal|aim|point|hope)"
    r"(?: (?:for|of) (?:this|the|today)(?: \w+)?)? (?:is|would be)(?: to)?|"
    r"i (?:just |really |only |honestly |mainly |actually )?(?:want|would like|'d like|need|"
    r"hope|am hoping|'m hoping) (?:to|2)|i want|just want (?:to|2)|"
    # "I" dropped: "meeting jordan on thursday, want advice on ..."
    r"(?:^|[,;]\s*|\b(?:and|so)\s+)(?:really |mainly )?want(?:\s+(?:to|2))?|"
    r"(?:leave|walk out|come away) with|goal is to|goal:|"
    r"aim is to|i'd love to)\s+(.+)",
    re.IGNORECASE,
)
#: A want said to be the real one ("what I really want is…", "ideally I leave with…"): it
#: is the goal even when another want came first.
_REAL_GOAL = re.compile(
    r"\b(?:really|actually|ideally|real|above all|most of all|truly|what i (?:\w+ )?(?:want|"
    r"need) (?:from|out of)|more than anything)\b",
    re.IGNORECASE,
)
#: A complaint or a wish to vent ("I'm fed up with…", "I need to vent"): what prompted the
#: meeting, not what it is for, when the answer also says what it is for.
_COMPLAINT = re.compile(
    r"\b(?:fed up|sick of|tired of|annoyed|angry|furious|pissed|frustrated|vent|rant|scream|"
    r"complain|moan|ugh|hate)\b",
    re.IGNORECASE,
)
#: Where a want gives its reason or runs on ("…what to drop, because I can't do
#: everything"): the goal line ends there.
_REASON = re.compile(r",?\s+(?:because|since|cos|coz|bc|as i|so that)\b|,\s+(?:which|who)\b", re.I)
#: "(I want) that we decide the topic", as said in some first languages: the want is the act.
_WANT_THAT = re.compile(r"^that (?:we|i|you)\s+(?=\w+\b(?! (?:is|are|was|were)\b))", re.I)
#: A want for someone else to act: "(want) her to say if it's ready".
_SOMEONE_TO = re.compile(r"^(?:her|him|them|you|my (?:mentor|manager|lead|boss))\s+to\b", re.I)
_LEAVE_WITH = re.compile(r"^(?:leave|walk out|come away|come out)\s+(?:of it\s+)?with\s+", re.I)
_LENGTH = re.compile(
    r"(?:\b(\d{2,3})\s*(?:-\s*)?(?:min|mins|minutes|m)\b|\b(an|one|1)\s*(?:hour|hr|h)\b|"
    r"\b(half an hour|half-hour)\b|\b(\d(?:\.\d)?)\s*(?:hours|hrs|h)\b)"
    # not a length of time that is no meeting: "an hour's notice", "20 minutes late"
    r"(?!['’]s\b|\s+(?:notice|ago|late|early|before|after|behind|later|away|in advance)\b)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z0-9']+", re.IGNORECASE)
_LIST_LINE = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+\S")
_LENGTH_FILLER = frozenset(
    {
        "we",
        "have",
        "we've",
        "got",
        "it's",
        "its",
        "is",
        "a",
        "an",
        "the",
        "only",
        "just",
        "about",
        "meeting",
        "mtg",
        "call",
        "slot",
        "session",
        "long",
        "for",
        "total",
        "i",
        "think",
        "this",
        "time",
        "today",
        "our",
        "it",
        "will",
        "be",
        "lol",
        "tbh",
    }
)
_TRAILING_FILLER = re.compile(r"(?:\s+(?:lol|lmao|haha+|tbh|ngl|idk))+$", re.IGNORECASE)
_SMALL_WORDS = frozenset(
    {"the", "a", "an", "to", "and", "of", "for", "my", "with", "by", "on", "in", "i", "i'll"}
)


def goal_line(answer: str) -> str:
    """The goal as one line: what the person says they want, else their first sentence that
    is not a complaint (nor a lead-in such as "Goals for Thursday:" that only announces a
    pasted list)."""
    sentences = [s for s in sentences_of(answer) if not _lead_in(s)] or sentences_of(answer)
    if not sentences:
        return ""
    found = _wanted(sentences)
    if found is not None:
        wanted = _REASON.split(found[1], maxsplit=1)[0]
        wanted = _LEAVE_WITH.sub("", wanted.strip().rstrip(".!,"))
        wanted = _WANT_THAT.sub("", wanted)  # "I want that we decide…" -> "decide…"
        if _SOMEONE_TO.match(wanted):
            wanted = f"for {wanted}"  # "want her to say if it's ready" -> "For her to say…"
        wanted = _TRAILING_FILLER.sub("", wanted)
        return wanted[:1].upper() + wanted[1:] + "."
    calm = [s for s in sentences if not _COMPLAINT.search(s)] or sentences
    return re.sub(r"^(?:tbh|honestly|so|well|ok|okay|um+|hmm+),?\s+", "", calm[0], flags=re.I)


#: A sentence longer than this is quoted by the part that says what is wanted.
LONG_WANT_WORDS = 25


def wanted_sentence(answer: str) -> str:
    """The sentence of ``answer`` that says what the person wants ("I guess I want to leave
    knowing whether…"), or "" when none does; of a long rambling sentence, the part from the
    want to its reason ("what I'd like from Friday is some way of figuring out what to drop")."""
    found = _wanted(sentences_of(answer))
    if found is None:
        return ""
    sentence, wanted = found
    if len(sentence.split()) <= LONG_WANT_WORDS:
        return sentence
    start = sentence.rfind(",", 0, sentence.find(wanted)) + 1
    clause = _REASON.split(sentence[start:], maxsplit=1)[0].strip()
    return re.sub(r"^(?:and|so|but)\s+(?:i guess\s+)?", "", clause, flags=re.IGNORECASE)


def _wanted(sentences: list[str]) -> tuple[str, str] | None:
    """The sentence saying what the person wants, and the wanted part of it. Of several, the
    one said to be the real want ("…what I really want is Y") comes first, then any that is
    not a complaint ("I just want to scream at Tom"), then the earliest."""
    found = []
    for index, sentence in enumerate(sentences):
        for clause in re.split(r"(?<=[,;])\s+(?=but\b)|\s+but\s+(?=what\b)", sentence):
            match = _WANT.search(clause)
            if match and len(match.group(1).split()) >= 2:
                said_real = _REAL_GOAL.search(clause[: match.start(1)]) is not None
                rank = 2 if said_real else 0 if _COMPLAINT.search(clause) else 1
                found.append((rank, -index, sentence, match.group(1)))
    if not found:
        return None
    best = max(found, key=lambda item: (item[0], item[1]))
    return best[2], best[3]


#: Where an answer comes back to the point after an aside ("…we spent Sunday at the vet.
#: anyway. the meeting, right."): what came before is not for the agenda.
_BACK_TO_THE_POINT = re.compile(
    r"\b(?:anyway|anyways|anyhow|but enough about (?:that|me)|back to (?:the )?(?:point|"
    r"meeting|topic|work)|where was i|the meeting,? right)\b[\s.,!:;—-]*",
    re.IGNORECASE,
)


def on_topic(answer: str) -> str:
    """``answer`` without an aside it says it is leaving behind ("anyway", "back to the
    meeting"); the whole answer when there is none or nothing follows it."""
    markers = list(_BACK_TO_THE_POINT.finditer(answer))
    if not markers:
        return answer
    rest = answer[markers[-1].end() :].strip()
    return rest if len(rest.split()) >= 3 else answer


def goal_context(answer: str, goal: str) -> list[str]:
    """The rest of the goal answer (the why behind it), as whole sentences: one item for
    each line the person wrote (a pasted list stays a list); an aside the person left
    behind ("…at the vet. anyway.") is not part of it."""
    answer = on_topic(answer)
    wanted = goal.rstrip(".").lower().removeprefix("for ")  # "For her to say…" is said "her to…"
    items = []
    for line in answer.splitlines() if is_pasted_list(answer) else [answer]:
        rest = [
            s
            for s in meant_sentences(line)  # not a view taken back ("…Actually no, scratch that")
            if wanted not in s.lower()
            and not _only_length(s)
            and not _lead_in(s)
            and not introduces(s)
        ]
        if rest:
            items.append(" ".join(rest))
    return items


def is_pasted_list(answer: str) -> bool:
    """Whether ``answer`` is a list (two or more lines with a bullet or a number), which the
    artifact keeps one item a line rather than as one run-on paragraph."""
    return len([line for line in answer.splitlines() if _LIST_LINE.match(line)]) >= 2


def _lead_in(sentence: str) -> bool:
    """A sentence that only announces what follows it ("Goals for Thursday (45 min):")."""
    return sentence.rstrip().endswith(":")


def _only_length(sentence: str) -> bool:
    """ "We have 60 minutes.", "30 min mtg": the meeting's length, which goes into the time
    plan, not into the goal."""
    match = _LENGTH.search(sentence)
    if match is None:
        return False
    rest = _WORD.findall(sentence[: match.start()] + " " + sentence[match.end() :])
    return all(word.lower() in _LENGTH_FILLER for word in rest)


def meeting_minutes(*answers: str) -> int:
    """The length of the meeting if an answer names one, else 30 minutes."""
    for answer in answers:
        match = next((m for m in _LENGTH.finditer(answer) if not _habit(answer, m)), None)
        if not match:
            continue
        if match.group(1):
            return int(match.group(1))
        if match.group(2):
            return 60
        if match.group(3):
            return 30
        if match.group(4):
            return round(float(match.group(4)) * 60)
    return DEFAULT_MEETING_MINUTES


#: A length of time spent on a habit, not the meeting's: "write every morning one hour",
#: "30 minutes a day", "an hour each evening".
_HABIT_BEFORE = re.compile(r"\b(?:every|each|daily|per)\b(?:\s+\w+){0,2}\s*$", re.IGNORECASE)
_HABIT_AFTER = re.compile(
    r"^\s*(?:a|per|each|every)\s+(?:day|morning|evening|night|week|weekday|weekend|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?)\b",
    re.IGNORECASE,
)


def _habit(answer: str, match: re.Match[str]) -> bool:
    before, after = answer[max(0, match.start() - 30) : match.start()], answer[match.end() :]
    return bool(_HABIT_BEFORE.search(before) or _HABIT_AFTER.match(after))


def time_plan(topics: list[str], minutes: int, *, has_updates: bool) -> list[str]:
    """Minutes for each part of the meeting; earlier (more important) topics get more."""
    if not topics:
        return []
    opening = OPENING_MINUTES if has_updates else 0
    available = max(minutes - opening - CLOSING_MINUTES, SLOT_MINUTES * len(topics))
    weights = list(range(len(topics) + 1, 1, -1))
    shares = [available * weight / sum(weights) for weight in weights]
    slots = [max(SLOT_MINUTES, int(share // SLOT_MINUTES) * SLOT_MINUTES) for share in shares]
    slots[0] += available - sum(slots)  # rounding leftovers go to the most important topic
    if slots[0] < SLOT_MINUTES:
        slots = [available // len(topics)] * len(topics)
    plan: list[str] = []
    start = 0
    if opening:
        plan.append(f"{start}–{start + opening} min: wins and updates")
        start += opening
    for topic, slot in zip(topics, slots, strict=True):
        plan.append(f"{start}–{start + slot} min: {topic}")
        start += slot
    plan.append(f"{start}–{start + CLOSING_MINUTES} min: next steps, who does what by when")
    return plan


@dataclass(frozen=True)
class Landing:
    """Feedback as it landed: accepted, doubted, and how it felt, kept apart."""

    agree: list[str]
    doubt: list[str]
    felt: list[str]


def landing(*answers: str) -> Landing:
    agree: list[str] = []
    doubt: list[str] = []
    felt: list[str] = []
    for before, answer in zip(("", *answers), answers, strict=False):
        accepted, doubted = find_stances(answer, after=before)
        agree += [_sentence_case(clause) for clause in accepted]
        doubt += [_sentence_case(clause) for clause in doubted]
        reading = read_answer(answer, with_situation=False)
        felt += [_sentence_case(feeling.clause) for feeling in reading.feelings]
    return Landing(_unique(agree), _unique(doubt), _unique(felt))


def feedback_points(answer: str, stance_clauses: set[str]) -> list[str]:
    """The feedback as heard, one point per sentence, without the person's own verdicts."""
    points = []
    stances = [clause.lower().rstrip(" .") for clause in stance_clauses]
    for sentence in sentences_of(answer):
        held = next((clause for clause in stances if clause in sentence.lower()), None)
        if held is not None:
            sentence = _reported_part(sentence, held)
        if sentence and not only_filler(sentence):
            points.append(sentence)
    return points


def _reported_part(sentence: str, stance: str) -> str:
    """What is left of a sentence once the person's own view is taken out: "She said it is
    too long, but the detail matters" keeps "She said it is too long."; a sentence that is
    all view keeps nothing."""
    start = sentence.lower().find(stance)
    before = re.sub(r"[,;]?\s*(?:but|though|although|whereas|and|-|—)?\s*$", "", sentence[:start])
    after = sentence[start + len(stance) :].strip(" .")
    if after or not reports_someone_else(before) or len(before.split()) < 3:
        return ""
    return f"{before.rstrip(' ,')}."


@dataclass(frozen=True)
class Action:
    text: str
    due: date | None
    note: str = ""


def actions_from(answers: list[str], today: date, *, sharpened: bool) -> list[Action]:
    """One action per item from the actions step's answers, each with its own due date.

    ``answers`` are the step's answer and, when the coach followed up, the answer to it. A
    vague action the follow-up answer sharpened is replaced by it; one never sharpened is
    kept with a note.
    """
    first = find_commitments(answers[0], today, every_line=True) if answers else []
    later = [c for a in answers[1:] for c in find_commitments(a, today, every_line=True)]
    actions: list[Action] = []
    for commitment in first:
        vague = _is_vague_action(commitment.text) and commitment.due is None
        if vague and sharpened and later:
            continue  # the follow-up answer says it concretely
        note = VAGUE_ACTION_NOTE if vague else ""
        actions.append(Action(commitment.text, commitment.due, note))
    actions += [Action(c.text, c.due) for c in later]
    return unique_actions(actions)


#: A sentence planning the person's own next step, said before the actions question:
#: "maybe write a one-page summary at the top…, try it on the caching doc by friday",
#: "I'll ask Sam for examples next week".
_PLANNED = re.compile(
    r"^(?:(?:so|and|ok|okay|then|honestly|i think|i guess),?\s+)*"
    r"(?:(?P<tentative>maybe|perhaps|probably|i could|i might)\s+(?:i(?:'ll| will| should)\s+)?|"
    r"(?:i(?:'ll| will| am going to|'m going to|'m gonna| plan to| want to try)|my plan is to|"
    r"next time,? i(?:'ll| will))\s+)"
    r"(?!(?:she|he|they|it|that|this|i|we|you|the|a|an|not|there|so|is|was|were|be|"
    r"just be|admit|say|grant|bet|confess|tell you|own up)\b)(?P<action>\w.+)$",
    re.IGNORECASE,
)


def planned_in_passing(answers: list[str], today: date) -> list[Action]:
    """Actions the person planned while answering another question, each with its due date:
    a sentence saying they will do something ("I'll…", "I'm going to…"), or a tentative one
    ("maybe write…") that names when. What someone else said is feedback, not a plan."""
    actions = []
    for answer in answers:
        sentences = sentences_of(answer)
        for index, sentence in enumerate(sentences):
            planned = _PLANNED.match(sentence.strip())
            if planned is None or sentence.endswith("?") or reports_someone_else(sentence):
                continue
            text = planned["action"].rstrip(" .!")
            due = parse_due(sentence, today)
            following = sentences[index + 1] if index + 1 < len(sentences) else ""
            if due is None and _CARRIES_ON.search(following) and parse_due(following, today):
                # "maybe write a summary. try it on the caching doc by friday": one plan
                text = f"{text}, {following.strip().rstrip(' .!')}"
                due = parse_due(following, today)
            if planned["tentative"] and due is None:
                continue  # "maybe ask her" without a when is a thought, not yet a plan
            actions.append(Action(text[:1].upper() + text[1:], due))
    return unique_actions(actions)


#: A sentence that goes on with the plan before it ("try it on…", "do that by…").
_CARRIES_ON = re.compile(r"^\s*(?:and |then )?\w+ (?:it|that|this|them)\b", re.IGNORECASE)


def unique_actions(actions: list[Action]) -> list[Action]:
    kept: list[Action] = []
    for action in actions:
        if not any(same_action(action.text, other.text) for other in kept):
            kept.append(action)
    return kept


def same_action(one: str, other: str) -> bool:
    """True when two action texts share most of their meaningful words."""
    words_one, words_other = _meaningful(one), _meaningful(other)
    if not words_one or not words_other:
        return False
    shared = len(words_one & words_other)
    return shared / min(len(words_one), len(words_other)) >= DUPLICATE_SHARE


def _meaningful(text: str) -> set[str]:
    return {w[:5] for w in _WORD.findall(text.lower()) if w not in _SMALL_WORDS and len(w) > 2}


def _is_vague_action(text: str) -> bool:
    reading: Reading = read_answer(text, with_situation=False)
    return bool(reading.vague) and not re.search(r"\d", text)


#: Where a title's phrase ends: punctuation, or a word that starts a second thought ("my side
#: project n whether it's worth putting on my cv").
_TITLE_BREAK = re.compile(
    r",|;|:|\s+-\s+|\s+\(|\s+(?:and|n|&|whether|because|but|so|which)\s+", re.IGNORECASE
)


#: Words that give a list item's place in the order, not its subject: "first the thesis
#: topic", "then the timeline" ("first 90 days" keeps its "first").
_ORDER_WORD = re.compile(
    r"^(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|then|next|after that|and then|"
    r"finally|lastly|last)\b,?\s+(?=(?:the|a|an|my|our|his|her|their|how|what|whether|about|"
    r"if|when|which)\b)",
    re.IGNORECASE,
)
#: "if there is time, conference in June": an item to reach only if time allows.
_IF_TIME = re.compile(
    r"^(?:if (?:there(?:'s| is) (?:time|any time left)|time allows|we have time)|"
    r"time permitting|maybe|optional(?:ly)?)\s*[,:-]\s*",
    re.IGNORECASE,
)


#: A list written on one line has at least this many comma-separated items.
MIN_INLINE_ITEMS = 3
#: An item of a list written on one line is a phrase of at most this many words.
MAX_INLINE_ITEM_WORDS = 7
_INLINE_BREAK = re.compile(r"\s*[,;]\s*(?:and\s+|or\s+)?")


def items_of(lines: list[str]) -> list[str]:
    """The items of a list answer: one a line, or, when the whole list is written on one
    line ("promotion case, workload, whether to go to the offsite"), one per phrase."""
    if len(lines) != 1:
        return lines
    parts = [part.strip(" .") for part in _INLINE_BREAK.split(lines[0]) if part.strip(" .")]
    short = all(len(part.split()) <= MAX_INLINE_ITEM_WORDS for part in parts)
    return parts if len(parts) >= MIN_INLINE_ITEMS and short else lines


def list_item(line: str) -> str:
    """A line of a list as an item: without the word that gives its place in the order, and
    with "(if time)" after an item to reach only if time allows."""
    item = _ORDER_WORD.sub("", line.strip())
    if _IF_TIME.match(item):
        item = f"{_IF_TIME.sub('', item)} (if time)"
    return item


def title_topic(*phrases: str) -> str:
    """A short phrase for a title, in the person's words: the first phrase of at most
    :data:`TITLE_WORDS` words, or the head of one before its first "and" or comma."""
    for phrase in phrases:
        phrase = _TITLE_FILLER.sub("", " ".join(phrase.split()).rstrip(".!?"))
        found = _TITLE_BREAK.search(phrase)
        head = phrase[: found.start()].strip() if found else phrase
        if found and found.group(0).strip().lower() == "whether":
            head = ""  # "Figure out whether to move…": the head is a verb waiting for its object
        for candidate in (phrase, head):
            short = candidate and len(candidate.split()) <= TITLE_WORDS
            if short and not _VERDICT.match(candidate):
                return candidate
    return ""


#: Words that open a phrase without saying anything ("ok so basically ...", "oh ...").
_TITLE_FILLER = re.compile(
    r"^(?:(?:ok|okay|oh|so|well|um+|hmm+|honestly|basically|tbh|like|yeah|lol|i mean)\b"
    r"[\s,.!?]*)+",
    re.IGNORECASE,
)


def only_filler(sentence: str) -> bool:
    """Whether ``sentence`` is nothing but filler words ("honestly?", "ok so", "I mean") or
    a remark that there is no more ("I mean, that was basically it.")."""
    rest = _TITLE_FILLER.sub("", sentence.strip()).strip(" ?!.,…")
    return not rest or ends_list(rest)


#: A verdict on the meeting, not its subject ("it was great", "that was rough").
_VERDICT = re.compile(r"^(?:it|that|this|there)(?:'s|’s| is| was| were)\b", re.IGNORECASE)


def _sentence_case(text: str) -> str:
    text = re.sub(r"^(?:but|and|so|also|honestly|tbh|though),?\s+", "", text.strip(), flags=re.I)
    return text[:1].upper() + text[1:]


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
