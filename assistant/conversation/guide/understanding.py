"""Reading an answer the way a coach listens: what it is about and what in it matters.

:func:`read_answer` gives a :class:`Reading` of one answer:

- the *situation* it describes (a mentor cancelling, feedback that stung, a promotion, ...),
  found by comparing its sentences with labelled examples (``prompts/understanding/
  situations.toml``) in the local MiniLM model's vector space;
- and, with careful patterns: the feelings it names, what the person agrees with and what they
  doubt, absolutes ("always", "nobody"), vague wording ("be better"), commitments (each with its
  due date and owner), questions (with their kind) and the names of people.

Every span is kept in the person's own words, as whole clauses, so a reply can quote them
without cutting them. ``benchmarks/understanding_eval.py`` measures each signal on a labelled
dev set of answers.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Literal

from assistant.conversation.core.user_text import ends_list, without_list_end
from assistant.conversation.guide.corrections import as_meant
from assistant.conversation.guide.due_dates import parse_due
from assistant.conversation.guide.names import introduces, lower_case_names, word_list
from assistant.conversation.guide.non_answers import opening_and_rest, says_nothing
from assistant.conversation.guide.quoted import is_quoted, quoted_passages
from assistant.conversation.guide.wording import tidy
from assistant.resources import PROMPTS_DIR

SITUATIONS_FILE = PROMPTS_DIR / "understanding" / "situations.toml"
#: An answer sentence this close (cosine, plus the cue bonus) to a situation's examples is
#: about that situation. Tuned on benchmarks/understanding_devset.json (understanding_eval.py).
SITUATION_THRESHOLD = 0.48
#: Without a cue word, a situation is named back to the person only above this similarity.
SURE_SITUATION = 0.6
#: How many of an answer's sentences are compared (a pasted log is read by its opening).
SENTENCES_COMPARED = 24
#: Added to a situation's similarity when the sentence holds one of its cue words.
CUE_BONUS = 0.15
#: How many of a situation's closest examples are averaged into its score: one lucky example
#: should not decide, but a situation is rarely described like all of its examples at once.
NEAREST_EXAMPLES = 2


class QuestionKind(StrEnum):
    OPEN = "open"  # what / how / which ...
    CLOSED = "closed"  # can I / should I / is it ... (yes or no)
    WHY = "why"
    CHOICE = "choice"  # this or that
    REQUEST = "request"  # "any advice?", "thoughts?"


@dataclass(frozen=True)
class Situation:
    id: str
    label: str
    query: str
    examples: tuple[str, ...]
    cues: re.Pattern[str]
    topics: tuple[str, ...] = ()
    #: Words that show what the label claims ("critical feedback": criticism, a sting). An
    #: answer without them is about the broad subject ("what counts as feedback?"), and is
    #: named and searched for with ``broad_label`` and ``broad_query``.
    marked_by: re.Pattern[str] | None = None
    broad_label: str = ""
    broad_query: str = ""


@dataclass(frozen=True)
class Found:
    """A situation an answer describes, with the sentence that says so."""

    situation: Situation
    score: float
    sentence: str
    cued: bool = False  # the sentence holds one of the situation's cue words
    marked: bool = True  # the answer shows what the situation's label claims

    @property
    def sure(self) -> bool:
        """Clear enough to name back to the person (retrieval uses any match)."""
        return self.cued or self.score >= SURE_SITUATION

    @property
    def label(self) -> str:
        """How a reply names it: the broad subject when nothing marks the narrow one."""
        return self.situation.label if self.marked else self.situation.broad_label

    @property
    def query(self) -> str:
        """The words added to the guidance search for it."""
        return self.situation.query if self.marked else self.situation.broad_query


@dataclass(frozen=True)
class Feeling:
    word: str  # as the person wrote it ("embarassed")
    name: str  # the feeling it names ("embarrassed")
    clause: str

    @property
    def felt(self) -> str:
        """The word that follows "you felt": the person's own where it reads there ("gutted",
        "on edge"), the feeling's name where theirs describes the event ("humiliating",
        "stressful") or is a noun or verb ("relief", "hurts")."""
        word = self.word.lower()
        if word.endswith(("ing", "ful")) or word in _NOT_AFTER_FELT:
            return self.name
        return word


@dataclass(frozen=True)
class Commitment:
    text: str
    due: date | None
    owner: str  # "me", or the person who will do it as named ("Dana", "she")


@dataclass(frozen=True)
class Question:
    text: str
    kind: QuestionKind


@dataclass(frozen=True)
class Reading:
    text: str
    situation: Found | None = None
    feelings: tuple[Feeling, ...] = ()
    agreements: tuple[str, ...] = ()
    disagreements: tuple[str, ...] = ()
    absolutes: tuple[str, ...] = ()  # the clauses holding one
    absolute_words: tuple[str, ...] = ()
    vague: tuple[str, ...] = ()  # the vague phrases, as written
    commitments: tuple[Commitment, ...] = ()
    questions: tuple[Question, ...] = ()
    people: tuple[str, ...] = ()
    words: int = 0
    sentences: tuple[str, ...] = field(default=(), repr=False)

    @property
    def is_thin(self) -> bool:
        """Too short, or a non-answer ("idk", "not sure")."""
        return self.words < THIN_WORDS or self.says_nothing

    @property
    def says_nothing(self) -> bool:
        """A non-answer ("idk", "nothing much", "not sure"): nothing to reflect back."""
        return says_nothing(self.text)

    @property
    def is_vague(self) -> bool:
        """Vague wording with nothing concrete (a date, a figure, a name, a quote) beside it."""
        if self.is_thin and not self.questions:
            return True
        concrete = bool(_CONCRETE.search(self.text)) or bool(self.people)
        return bool(self.vague) and not concrete and self.words < VAGUE_MAX_WORDS


THIN_WORDS = 4
#: Past this length an answer with a vague phrase in it usually says something concrete too.
VAGUE_MAX_WORDS = 30


_words = word_list


# --- situations ---------------------------------------------------------------------------


@cache
def situations() -> tuple[Situation, ...]:
    data = tomllib.loads(SITUATIONS_FILE.read_text(encoding="utf-8"))
    return tuple(
        Situation(
            raw["id"],
            raw["label"],
            raw["query"],
            tuple(raw["examples"]),
            re.compile(rf"\b(?:{raw['cues']})", re.IGNORECASE),
            tuple(raw.get("topics", ())),
            re.compile(rf"\b(?:{raw['marked_by']})", re.IGNORECASE) if "marked_by" in raw else None,
            raw.get("broad_label", ""),
            raw.get("broad_query", ""),
        )
        for raw in data["situations"]
    )


def find_situation(sentences: list[str]) -> Found | None:
    """The situation the sentences come closest to, if close enough."""
    import numpy as np

    from assistant.conversation.guide.similarity import vectors

    candidates = [s for s in sentences if len(s.split()) >= 3][:SENTENCES_COMPARED]
    if not candidates:
        return None
    known = situations()
    examples = [example for situation in known for example in situation.examples]
    matrix = vectors([*candidates, *examples])
    said, labelled = matrix[: len(candidates)], matrix[len(candidates) :]
    scores = said @ labelled.T  # sentences x examples
    best: Found | None = None
    start = 0
    for situation in known:
        block = scores[:, start : start + len(situation.examples)]
        start += len(situation.examples)
        nearest = np.sort(block, axis=1)[:, -NEAREST_EXAMPLES:].mean(axis=1)
        cued_rows = [cued_by(situation, s) for s in candidates]
        nearest += np.array([CUE_BONUS if cued else 0.0 for cued in cued_rows])
        row = int(nearest.argmax())
        score = float(nearest[row])
        if best is None or score > best.score:
            cued = cued_rows[row]
            best = Found(situation, score, candidates[row], cued, _marked(situation, sentences))
    return best if best is not None and best.score >= SITUATION_THRESHOLD else None


def _marked(situation: Situation, sentences: list[str]) -> bool:
    """Whether the answer shows what the situation's label claims (always, when the
    situation has no broad form)."""
    if situation.marked_by is None:
        return True
    return any(situation.marked_by.search(sentence) for sentence in sentences)


#: A cue word said not to have happened: "she didn't really give me feedback", "not much
#: feedback", "no cancellations this month".
_DENIED_CUE = re.compile(
    r"\b(?:no|not much|not any|not a lot of|hardly any|barely any|without|zero|little|"
    r"(?:didn't|didnt|did not|haven't|havent|hasn't|never)(?: really| actually| even)? "
    r"(?:give|gave|get|got|have|had|receive|received|offer|offered)(?: me| us| any)?)\s+$",
    re.IGNORECASE,
)


def cued_by(situation: Situation, sentence: str) -> bool:
    """Whether ``sentence`` holds one of the situation's cue words, not denied."""
    for match in situation.cues.finditer(sentence):
        if not _DENIED_CUE.search(sentence[: match.start()]):
            return True
    return False


# --- sentences and clauses ----------------------------------------------------------------

#: A list marker at the start of a line: a bullet, or a number followed by "." or ")" and a
#: space ("1.5 hours" is not one).
_LINE_MARKER = re.compile(r"^\s*(?:[-*•>]+\s*|\d{1,2}[.)]\s+)")
_SENTENCE_END = re.compile(
    # not after a title ("my mentor mr. okafor", "Dr. Lee"); a closing quote or bracket stays
    # with its sentence ('She said "too dense." I agree.' keeps both quotation marks)
    r"(?:(?<!\b[Mm]r\.)(?<!\b[Mm]rs\.)(?<!\b[Mm]s\.)(?<!\b[Dd]r\.)(?<!\b[Pp]rof\.)"
    r"(?<=[.!?])|(?<=[.!?][\"”’)])|(?<=[.!?][\"”’)][\"”’)]))"
    r"\s+(?=[\"“‘(]?[A-Za-z0-9])|\n+"
)
_CLAUSE_BREAK = re.compile(
    r"\s*(?:;|,?\s+but\s+|,?\s+though\s+|,?\s+although\s+|,?\s+whereas\s+|\s+-+\s+|\s+—\s+)\s*",
    re.IGNORECASE,
)


def sentences_of(text: str) -> list[str]:
    """The sentences (and lines) of ``text``, whole, in order; a pasted list's markers
    ("1.", "2)", "-", "*") are not part of its items."""
    lines = (_LINE_MARKER.sub("", line) for line in text.splitlines())
    parts = (part.strip(" -*•\t") for line in lines for part in _SENTENCE_END.split(line))
    return [part for part in parts if part]


def all_clauses(text: str) -> list[str]:
    """Every clause of every sentence of ``text``, in order."""
    return [clause for sentence in sentences_of(text) for clause in clauses_of(sentence)]


def meant_sentences(text: str) -> list[str]:
    """The sentences of ``text`` the person stands by: none that a later one takes back
    ("At first I thought… Actually no, …"), none with a correction's lead-in."""
    return as_meant(sentences_of(text))


def own_sentences(text: str) -> list[str]:
    """The sentences of ``text`` that say what the person thinks and feels: those they stand
    by, without a message from someone else pasted in quotation marks."""
    passages = quoted_passages(text)
    return [sentence for sentence in meant_sentences(text) if not is_quoted(sentence, passages)]


def clauses_of(sentence: str) -> list[str]:
    """A sentence split at "but", "though", semicolons and dashes (contrasts kept apart)."""
    parts = (part.strip(" ,") for part in _CLAUSE_BREAK.split(sentence))
    return [part for part in parts if part]


# --- feelings -----------------------------------------------------------------------------

#: Feeling words that do not follow "felt" as written.
_NOT_AFTER_FELT = frozenset({"hurts", "relief"})

#: Feeling words as people write them (typos included), by the feeling they name.
FEELINGS: dict[str, tuple[str, ...]] = {
    "hurt": ("hurt", "hurts", "stung", "wounded"),
    "embarrassed": ("embarrassed", "embarassed", "embarrased", "embarrassing", "mortified"),
    "humiliated": ("humiliated", "humiliating"),
    "relieved": ("relieved", "relief"),
    "frustrated": ("frustrated", "frustrating", "frustated", "frustrating", "fed up"),
    "annoyed": ("annoyed", "annoying", "irritated", "irked", "salty", "pissed off", "pissed"),
    "angry": ("angry", "furious", "mad", "livid"),
    "upset": ("upset", "gutted", "devastated", "crushed"),
    "sad": ("sad", "down", "miserable"),
    "anxious": (
        "anxious",
        "anxous",
        "nervous",
        "nervus",
        "nervos",
        "worried",
        "worrying",
        "uneasy",
        "on edge",
    ),
    "stressed": ("stressed", "stressful", "stressing"),
    "overwhelmed": ("overwhelmed", "overwhelming", "swamped", "drowning"),
    "scared": ("scared", "afraid", "terrified", "frightened", "dreading"),
    "disappointed": ("disappointed", "disappointing", "let down"),
    "confused": ("confused", "confusing", "lost", "baffled"),
    "stuck": ("stuck",),
    "discouraged": ("discouraged", "demotivated", "deflated", "defeated"),
    "insecure": ("insecure", "inadequate", "like a fraud", "impostor", "imposter"),
    "ashamed": ("ashamed", "guilty"),
    "defensive": ("defensive",),
    "exhausted": ("exhausted", "burnt out", "burned out", "drained", "tired", "knackered"),
    "ignored": ("ignored", "invisible", "unappreciated", "unseen", "overlooked", "sidelined"),
    "lonely": ("lonely", "isolated", "alone"),
    "jealous": ("jealous", "envious"),
    "uncomfortable": ("uncomfortable", "awkward"),
    "blindsided": ("blindsided", "caught off guard", "surprised", "shocked"),
    "proud": ("proud",),
    "happy": ("happy", "pleased", "glad", "chuffed", "stoked", "thrilled"),
    "excited": ("excited", "pumped", "energised", "energized"),
    "grateful": ("grateful", "thankful", "appreciative"),
    "motivated": ("motivated", "inspired"),
    "confident": ("confident",),
    "hopeful": ("hopeful", "optimistic"),
    "unsure": ("unsure", "uncertain", "torn"),
}
_FEELING_NAME = {word: name for name, words in FEELINGS.items() for word in words}
#: Words that name a feeling only after "feel"/"felt"/"am"/"was"... ("down", "lost", "alone").
_NEEDS_FEEL = {"down", "lost", "alone", "mad", "tired", "stuck", "surprised", "torn", "let down"}
_FEELING_WORDS = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, _FEELING_NAME), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_FEEL_VERB = re.compile(
    r"\b(feel|feels|feeling|felt|am|i'm|im|was|were|is|got|get|getting|left me|made me|makes me|"
    r"pretty|so|really|bit|quite|very|super|totally|kinda|kind of|a little|honestly)\s+$",
    re.IGNORECASE,
)
_NEGATED = re.compile(r"\b(not|n't|never|no longer|wasn't|isn't|didn't|dont|don't)\s+(\w+\s+)?$")
#: Someone else as the subject of the feeling: "my lead was", "he seemed", "Dana got".
_OTHERS_STATE = re.compile(
    r"(?:\b(?:he|she|they|everyone|everybody|(?:my|our|his|her|their|the) (?:lead|manager|"
    r"mentor|boss|colleague|coworker|co-worker|teammate|team|director|client|customer|"
    r"stakeholders?|reports?|peers?|skip|cto|ceo|vp|pm)|(?!(?:It|This|That|There|What|Which|"
    r"Everything|Today|Work|Life)\b)(?-i:[A-Z][a-z]+)))\s+(?:was|is|were|are|'s|'re|seemed|seems|looked|"
    r"looks|got|gets|felt|feels|sounded|sounds)\s+(?:(?:so|really|very|super|quite|pretty|a bit|"
    r"kinda|kind of|a little|clearly|visibly|not)\s+)*$",
    re.IGNORECASE,
)


_DETERMINER = re.compile(r"\b(?:the|that|this|his|her|their)\s+$", re.IGNORECASE)
_NAMES_A_REMARK = re.compile(
    r"\s+(?:part|bit|thing|comment|point|remark|word|label|claim)s?\b", re.IGNORECASE
)
#: A verb that reports what someone said ("she said", "he told me", "Dana mentioned that").
_REPORTING_VERB = re.compile(
    r"\b(\w+)\s+(?:also\s+|then\s+|even\s+|basically\s+)?(?:said|says|told|tells|mentioned|"
    r"pointed out|thinks|thought|reckons|reckoned|wrote|noted|added|suggested|claimed|"
    r"complained|commented|described|called)\b",
    re.IGNORECASE,
)
#: Subjects whose report is the person's own words ("I told her I was hurt").
_OWN_SUBJECTS = {"i", "we", "and", "so"}
#: The person taking the word back after a report ("she said X, and I agree").
_OWN_TURN = re.compile(r"(?:,|\band\b|\bbut\b|\bso\b)\s*(?:honestly\s+|tbh\s+)?i\b", re.I)


def reports_someone_else(before: str) -> bool:
    """Whether ``before`` (the clause up to a signal) puts it in someone else's mouth:
    "She said I get defensive" is feedback received, not the person's feeling or stance."""
    reports = [
        m for m in _REPORTING_VERB.finditer(before) if m.group(1).lower() not in _OWN_SUBJECTS
    ]
    return bool(reports) and not _OWN_TURN.search(before[reports[-1].end() :])


def find_feelings(text: str) -> list[Feeling]:
    found: dict[str, Feeling] = {}
    clauses = [clause for sentence in own_sentences(text) for clause in clauses_of(sentence)]
    for clause in clauses:
        for match in _FEELING_WORDS.finditer(clause):
            word = match.group(1)
            before = clause[: match.start()]
            if _NEGATED.search(before) or reports_someone_else(before):
                continue
            if not word.lower().endswith(("ing", "ful")) and _OTHERS_STATE.search(before):
                continue  # "my lead was pleased", "he was furious": not the person's feeling
            if _NAMES_A_REMARK.match(clause[match.end() :]) and _DETERMINER.search(before):
                continue  # "the defensive part" names a piece of feedback, not a feeling
            if word.lower() in _NEEDS_FEEL and not _FEEL_VERB.search(before):
                continue
            name = _FEELING_NAME[word.lower()]
            found.setdefault(name, Feeling(word, name, clause))
    return list(found.values())


# --- agreement and disagreement -----------------------------------------------------------

_AGREE = re.compile(
    r"\b(has a point|had a point|have a point|got a point|fair point|fair enough|that's fair|"
    r"thats fair|is fair|was fair|(?<!not )(?<!don't )(?<!dont )(?<!n't )i agree|agree with|"
    r"(?:100%|totally|fully|completely|definitely|mostly|partly|def|kinda) agree|"
    r"^(?:yeah,? |yes,? |ok,? )?(?:i |she |he |they )?agrees? (?:about|abt|on|re)|"
    r"fair (?:question|comment|criticism|call|challenge|observation|ask)|"
    r"is right|was right|are right|were right|'s right|s right about|right about|makes sense|"
    r"made sense|can't argue|cant argue|can't deny|cant deny|i accept|i get that|i see that|"
    r"i see her point|i see his point|i see their point|spot on|true that|that's true|thats true|"
    r"is true|was true|valid point|is valid|guilty as charged|she's not wrong|he's not wrong|"
    r"not wrong|i recognise|i recognize|i do tend to|i know i|(?:ok |okay )?maybe (?:she|he|they)"
    r"(?:'s|'re| is| are) (?:right|onto something)|ok maybe|okay maybe|fine,? maybe|ok fine|"
    r"okay fine|i suppose|^(?:ok,? |okay,? |meh,? )?fair(?= i guess| tbh| i suppose|[.!]?$)|"
    r"^(?:ok,? |okay,? |yeah,? |yes,? )?(?:that's |thats |it's |its )?fair (?:on|about|abt|re|"
    r"regarding|enough on)|"
    r"i guess (?:she|he|they)"
    r"(?:'s|'re| is| are| was| were) right)\b",
    re.IGNORECASE,
)
_DISAGREE = re.compile(
    r"\b(i doubt|doubt that|doubt it|doubtful|i disagree|disagree with|don't agree|dont agree|"
    r"do not agree|didn't agree|not sure (?:that's|thats|it's|its|that is|it is|about|i agree)|"
    r"not (?:so |really |entirely |totally )?(?:sure|convinced) (?:that )?(?:the|my|his|her|their|"
    r"this|that|it|she|he|they|i) (?:[\w'-]+ ){0,4}?(?:is|was|were|are|'s|'re|really|actually) "
    r"(?:that |so |too |very |really )?[\w'-]+|"
    r"(?:don't|dont|do not) think (?:that's|thats|it's|its|that is|it is|he's|she's|they're)\s+"
    r"(?:fair|right|true|accurate|correct)|not (?:really )?fair|unfair|isn't fair|wasn't fair|"
    r"not true|isn't true|wasn't true|not accurate|don't buy|dont buy|not convinced|"
    r"push back|missed the point|misses the point|is wrong|was wrong|are wrong|'s wrong|"
    r"wrong about|not how i see it|not what happened|that's not it|thats not it|"
    r"(?:don't|dont|do not) see (?:it|that|how)|hard to accept|can't accept|cant accept|"
    r"(?:don't|dont|do not|won't|wont|can't|cant|cannot) accept|"
    r"not buying|bs|bullshit|nonsense|rubbish|not the whole story|out of context|"
    r"(?:is|was|'s) not (?:ok|okay|acceptable)|(?:isn't|wasn't) (?:ok|okay|acceptable)|"
    r"out of line|uncalled for|(?:thing|part|bit|point|comment) (?:idk|dunno|not so sure|meh)|"
    r"(?:don't|dont|do not|didn't|didnt) think (?:he|she|they) (?:understood|understands|gets it|"
    r"got it|saw|sees|knows|knew))\b",
    re.IGNORECASE,
)


#: "agree to" an act is consent ("I didn't agree to have someone else there"), not a view on
#: what was said ("I don't agree to that" still is one).
_CONSENT = re.compile(
    r"\s+to\s+(?!that\b|this\b|it\b|the\b|a\b|an\b|his\b|her\b|their\b|my\b|what\b|all\b|"
    r"any\b|some\b|most\b|everything\b|much\b)[a-z]+",
    re.IGNORECASE,
)
#: "whether she is right" wonders; it does not agree.
_WONDERING = re.compile(r"\b(if|whether)\b.*\b(right|fair|true)\b", re.IGNORECASE)


def find_stances(text: str, *, after: str = "") -> tuple[list[str], list[str]]:
    """The clauses that agree, and the clauses that disagree or doubt; a bare verdict
    ("That's not fair at all.", "rubbish.") comes with the sentence after it, which says
    why, unless that sentence takes the other side or is a question or a feeling. ``after``
    is what was said before ``text`` (the feedback a "but…" answers)."""
    agree: list[str] = []
    disagree: list[str] = []
    sentences = own_sentences(text)
    joined: set[int] = set()
    previous: str | None = None  # the last stance taken, carried to a "But…" sentence
    for index, sentence in enumerate(sentences):
        if index in joined:
            continue
        before = sentences[index - 1] if index else after
        if not _CONTRAST_FIRST.match(sentence):
            previous = None
        for clause, contrasted in _clauses_with_contrast(sentence):
            stance = _stance_of(clause)
            opens_on_contrast = clause == sentence.strip(" ,") and bool(
                _CONTRAST_FIRST.match(clause)
            )
            if (
                stance is None
                and previous == "agree"
                and (contrasted or opens_on_contrast)
                and _reservation(_CONTRAST_FIRST.sub("", clause))
            ):
                stance = "doubt"  # "she has a point about length, but the detail is there..."
                clause = _CONTRAST_FIRST.sub("", clause)
            elif stance is None and _pushes_back(sentence, clause, before):
                stance = "doubt"  # "She said it was too long. But the detail matters…"
                clause = _CONTRAST_FIRST.sub("", clause)
            previous = stance or previous
            before = f"{before} {clause}"
            if stance is None:
                continue
            following = sentences[index + 1] if index + 1 < len(sentences) else ""
            bare = clause == sentence and len(clause.split()) <= BARE_VERDICT_WORDS
            if bare and following and _gives_reason(following, stance):
                clause = f"{clause} {following}"
                joined.add(index + 1)
            (agree if stance == "agree" else disagree).append(clause)
    return agree, disagree


_CONTRAST = re.compile(r"\b(?:but|though|although|whereas)\b", re.IGNORECASE)
#: A clause after "but" that turns to the person's own next step, not a reservation.
_OWN_STEP = re.compile(
    r"^(?:i(?:'ll| will| need to| should| can| could| have to| must| want to)|i'm going to|"
    r"(?:it|that|this) (?:stung|hurt)|still,? i'll)\b",
    re.IGNORECASE,
)
#: A sentence that opens on a contrast ("But the detail matters…").
_CONTRAST_FIRST = re.compile(r"^(?:but|though|however|although|yet|still|then again)\b,?\s*", re.I)
_CONTRAST_BEFORE = re.compile(r"(?:\bbut|\bthough|\balthough|\bwhereas),?\s*$", re.IGNORECASE)
#: A contrast that is no counter-claim: a plan, a hedge, or the mentor's manner.
_NO_COUNTER_CLAIM = re.compile(
    r"^(?:i'll|i will|i'm going to|i am going to|i could|i might|i should|i can|i need to|"
    r"i have to|i guess|i don't know|i dont know|idk|not sure|i'm not sure|maybe|perhaps|"
    r"she|he|they|it was|it's (?:fine|ok|okay|true)|that's (?:fine|ok|okay)|"
    r"(?:she|he|they) (?:was|were|is|are))\b",
    re.IGNORECASE,
)


def _clauses_with_contrast(sentence: str) -> list[tuple[str, bool]]:
    """The clauses of ``sentence``, each with whether "but", "though"... introduced it."""
    pieces = re.split(f"({_CLAUSE_BREAK.pattern})", sentence, flags=re.IGNORECASE)
    clauses: list[tuple[str, bool]] = []
    contrasted = False
    for index, piece in enumerate(pieces):
        if index % 2:
            contrasted = bool(_CONTRAST.search(piece))
        elif piece.strip(" ,"):
            clauses.append((piece.strip(" ,"), contrasted))
    return clauses


def _reservation(clause: str) -> bool:
    """A clause after "but" that holds back on what was just accepted ("…but the detail is
    there for a reason"): a statement of a few words, not a question, a feeling or a step."""
    if len(clause.split()) < 4 or clause.rstrip().endswith("?") or _OWN_STEP.match(clause):
        return False
    return not find_feelings(clause)


#: A counter-claim starts on its own subject ("the detail matters", "each theme has…"); a
#: contrast that goes on with the report ("…thorough but too long", "but that I talk too
#: fast") does not.
_CLAIM_START = re.compile(
    r"^(?!that (?:i|we|you|she|he|they|my)\b)(?:i|we|the|that|this|it|it's|its|that's|there|"
    r"there's|my|our|those|these|each|every|all|most|some|nobody|no one|everyone|everybody|"
    r"people|they|[a-z]+s? (?:is|are|was|were|has|have|matters|needs|need|helps|works))\b",
    re.IGNORECASE,
)


def _pushes_back(sentence: str, clause: str, before: str) -> bool:
    """Whether ``clause`` answers reported feedback with the mentee's own counter-claim:
    "She said it was too long. But the detail matters for the reviewers." The mentee
    thinking back is a view on the feedback (a doubt), never part of what was said."""
    opens = sentence.startswith(clause)
    contrast = (
        _CONTRAST_FIRST.match(clause)
        if opens
        else _CONTRAST_BEFORE.search(sentence[: sentence.find(clause)])
    )
    if not contrast or not reports_someone_else(before):
        return False
    claim = _CONTRAST_FIRST.sub("", clause)
    return (
        len(claim.split()) >= 3
        and _CLAIM_START.match(claim) is not None
        and not claim.endswith("?")
        and not reports_someone_else(claim)
        and not _NO_COUNTER_CLAIM.match(claim)
        and not find_feelings(claim)
    )


def _gives_reason(sentence: str, stance: Literal["agree", "doubt"]) -> bool:
    """Whether ``sentence``, after a bare verdict, can be its reason: not the other side, not
    a question, not a feeling (each of those is heard on its own)."""
    other = _stance_of(sentence)
    if other is not None and other != stance:
        return False
    return not sentence.endswith("?") and not find_feelings(sentence)


#: A verdict this short says what the person thinks of the feedback but not why.
BARE_VERDICT_WORDS = 6


def _stance_of(clause: str) -> Literal["agree", "doubt"] | None:
    """What a clause says of the feedback, read with its chat-speak spelled out ("not sure
    abt too dense tho" doubts)."""
    clause = _EQUALS.sub(" is ", tidy(_MENTORS_WORDS.sub('""', clause)))
    doubt, accept = _DISAGREE.search(clause), _AGREE.search(clause)
    if doubt and _CONSENT.match(clause[doubt.end() :]):
        doubt = None  # "I didn't agree to have someone else there": consent, not a view
    if (
        doubt
        and doubt.group(1).lower().startswith("wrong")
        and _NOT_BEFORE.search(clause[: doubt.start()])
    ):
        doubt = None  # "she's not wrong about the slides" agrees
    if doubt and not reports_someone_else(clause[: doubt.end()]):
        return "doubt"
    if accept and not _WONDERING.search(clause):
        if reports_someone_else(clause[: accept.end()]):
            return None
        return "doubt" if _DENIED_STANCE.search(clause[: accept.start()]) else "agree"
    return None


_NOT_BEFORE = re.compile(r"\b(?:not|isn't|wasn't|aren't|weren't)\s+$", re.IGNORECASE)
#: Words in quotation marks are someone else's: "on-call: "you're taking too much, push back
#: more"" reports the mentor telling the person to push back; it is not the person's doubt.
_MENTORS_WORDS = re.compile(r"\"[^\"]*\"|“[^”]*”")
#: Notes written as "on-call point = fair": "=" says "is".
_EQUALS = re.compile(r"\s*=\s*")
#: A denial or a pretence just before an agreement turns it round: "I'm not going to pretend
#: I agree", "I don't fully agree", "I won't say she's right". Not across a comma: "not gonna
#: lie, I agree" agrees.
_DENIED_STANCE = re.compile(
    r"\b(?:not|never|no longer|don't|dont|doesn't|doesnt|didn't|didnt|won't|wont|can't|cant|"
    r"cannot|hardly|refuse to|pretend(?:ing)?(?: to)?)\s+(?:[^\s,;]+\s+){0,2}$",
    re.IGNORECASE,
)


# --- absolutes and vagueness --------------------------------------------------------------

_ABSOLUTE = re.compile(
    r"\b(always|allways|never|nobody|no one|no-one|noone|everyone|everybody|every single|"
    r"every time|everytime|all the time|constantly|nothing ever|nothing i do|nothing works|"
    r"impossible|completely useless|totally useless)\b",
    re.IGNORECASE,
)
#: "never" that is not a sweeping claim: "I've never done this before", "never mind".
_NOT_ABSOLUTE = re.compile(
    r"\b(never mind|never done|never been|never had a mentor|never tried|never used|"
    r"as always|always been interested|always wanted)\b",
    re.IGNORECASE,
)
_VAGUE = re.compile(
    r"\b(be better|do better|get better|more visible|be more \w+|more proactive|step up|"
    r"communicate better|better communication|work on (?:my |our )?\w+|improve (?:my |on )?\w+|"
    r"try harder|level up|grow|growth|develop(?: myself)?|catch up|catch-up|touch base|"
    r"just chat|general chat|see how it goes|stuff|whatever|something like that|"
    r"more strategic|more ownership|be more confident|more confident|a bit more|"
    r"idk|dunno|no idea|n/a)\b",
    re.IGNORECASE,
)
#: An actions answer that plans nothing ("nothing yet", "none for now", "not sure yet").
_NOTHING_PLANNED = re.compile(
    r"(?:none|nothing|no actions?|not sure|idk|dunno)(?:\s+(?:yet|for now|really|this time|tbh))*"
    r"[.!]*",
    re.IGNORECASE,
)
#: What makes a statement concrete: a figure, a date or time, a quote, a named day.
_CONCRETE = re.compile(
    r"\d|[\"“”]|\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|today|"
    r"next week|this week|january|february|march|april|june|july|august|september|october|"
    r"november|december|deck|report|draft|doc|review|presentation|email|intro|introduction)\b",
    re.IGNORECASE,
)


def find_absolutes(text: str) -> tuple[list[str], list[str]]:
    """The clauses holding an absolute, and the absolute words as written."""
    clauses: list[str] = []
    words: list[str] = []
    for clause in all_clauses(text):
        match = None if _NOT_ABSOLUTE.search(clause) else _ABSOLUTE.search(clause)
        if match and reports_someone_else(clause[: match.start()]):
            continue  # someone else's words ("she said nobody reads them")
        if match:
            clauses.append(clause)
            words.append(match.group(1))
    return clauses, words


def find_vague(text: str) -> list[str]:
    return [match.group(1) for match in _VAGUE.finditer(text)]


# --- commitments --------------------------------------------------------------------------

#: Verbs that start an action ("email the deck", "book a run"): a clause after "and" that
#: starts with one of them is a second action, not part of the first.
ACTION_VERBS = _words(
    """
    add agree apply arrange ask attend block book bring build call cancel catch check choose
    clarify collect compare complete confirm contact create cut decide delegate deliver demo
    dm document draft drop email end explain file find finish fix follow get give go join journal
    keep learn list log look make map meet message move note offer open organise organize outline
    pair pick ping plan post practise practice prepare present prioritise prioritize propose push
    put raise read reach record reflect rehearse reply report request research reschedule review
    rewrite run say schedule send set share shadow ship show sign sketch skip slack speak start
    stop submit summarise summarize take talk tell test text thank track try update volunteer
    watch write
    """
)
_WILL_ME = (
    r"(?:i'll|ill|i will|i'm going to|im going to|i am going to|i'm gonna|im gonna|gonna|"
    r"i plan to|i'm planning to|i promise to|i intend to|i've committed to|i committed to)"
)
_PROMISE = (
    r"(?:'ll| will| is going to| are going to| offered to| agreed to| promised to"
    r"| said (?:she|he|they)'d)"
)
_OTHER = r"((?i:she|he|they|we)|[A-Z][a-z]+)"
_WILL = re.compile(rf"\b(?:(?i:{_WILL_ME})|{_OTHER}{_PROMISE})\s+")
_OWNER = re.compile(rf"\b{_OTHER}{_PROMISE}\s")
_SPLIT_ACTIONS = re.compile(
    r"\s*(?:,?\s+and then\s+|,?\s+and\s+|,?\s+then\s+|\s*&\s*|\s*\+\s*|;\s*|,\s+)"
)
_LEADING_WILL = re.compile(
    r"^(?:i'll|ill|i will|i'm going to|im going to|i am going to|gonna|i plan to|also|then|"
    r"and|to)\s+",
    re.IGNORECASE,
)


def split_actions(line: str) -> list[str]:
    """One line holding several actions, as one text per action, each whole.

    "email the deck by Monday and book a practice run" gives two; "talk to Sam and Priya"
    stays one (what follows "and" is not an action of its own).
    """
    pieces = _SPLIT_ACTIONS.split(line.strip())
    actions: list[str] = []
    for piece in pieces:
        piece = piece.strip(" .")
        if not piece:
            continue
        first = _LEADING_WILL.sub("", piece).split(" ", 1)[0].lower().strip(",.")
        starts_action = first in ACTION_VERBS or bool(_WILL.match(piece))
        if actions and not starts_action:
            joiner = _joiner(line, actions[-1], piece)
            actions[-1] = f"{actions[-1]}{joiner}{piece}"
        else:
            actions.append(piece)
    return [_capitalised(action) for action in actions]


def _joiner(line: str, before: str, after: str) -> str:
    """The words that joined two pieces in the original line (" and ", ", ")."""
    start = line.find(before[-20:]) if before else -1
    if start >= 0:
        gap_start = start + len(before[-20:])
        gap_end = line.find(after, gap_start)
        if gap_end > gap_start:
            return line[gap_start:gap_end]
    return " and "


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def find_commitments(text: str, today: date, *, every_line: bool = False) -> list[Commitment]:
    """The actions the answer commits to, one per action, each with its own due date.

    With ``every_line`` (the actions step) each line is a commitment; elsewhere only sentences
    saying who will do something ("I'll send...", "She offered to...") are.
    """
    commitments: list[Commitment] = []
    lines = [line.strip(" -*•\t") for line in text.splitlines()]
    for line in filter(None, lines):
        line = without_list_end(re.sub(r"^\d+[.)]\s*", "", line))
        if says_nothing(line) or _NOTHING_PLANNED.fullmatch(line) or ends_list(line):
            continue  # "none", "nothing yet", "that's all": no action to track
        if _declines(line):
            continue  # "nothing, I'm not committing to anything until…": no action either
        for sentence in sentences_of(line):
            if says_nothing(sentence):
                continue  # "idk. ask her for an example maybe": the "idk" is no action
            match = _WILL.search(sentence)
            if match is not None and match.group(1) in _NOT_NAMES:
                match = None  # "This will help", "It'll be fine"
            if not every_line and match is None:
                continue
            owner = _owner_of(sentence)
            body = sentence[match.end() :] if match is not None else sentence
            body = _LEADING_WILL.sub("", body)
            for action in split_actions(body):
                due = parse_due(action, today)
                commitments.append(Commitment(action, due, owner))
    return commitments


def _declines(line: str) -> bool:
    """Whether an action line opens on a non-answer and what follows plans nothing of its
    own: "nothing, not until he gives me an example" declines; "no, I'll email Sam" plans."""
    opening, rest = opening_and_rest(line)
    if not rest or not says_nothing(opening):
        return False
    first = _LEADING_WILL.sub("", rest).split(" ", 1)[0].lower().strip(",.")
    return first not in ACTION_VERBS and _WILL.search(rest) is None


def _owner_of(sentence: str) -> str:
    match = _OWNER.search(sentence)
    if match is None or match.group(1) in _NOT_NAMES - {"She", "He", "They", "We"}:
        return "me"
    word = match.group(1)
    return "us" if word.lower() == "we" else word


# --- questions ----------------------------------------------------------------------------

_OPEN_START = re.compile(r"^(what|how|which|where|who|whom|when|whose|in what|to what)\b", re.I)
_WHY_START = re.compile(r"^(why|how come)\b", re.I)
_CLOSED_START = re.compile(
    r"^(is|are|was|were|do|does|did|can|could|should|shall|will|would|have|has|had|am|may|"
    r"might|must|isn't|aren't|don't|doesn't|didn't|can't|couldn't|shouldn't|won't|wouldn't)\b",
    re.I,
)
#: A yes/no question without its question mark still puts the subject second ("should i ...").
_SUBJECT_SECOND = re.compile(r"^\w+(?:n't)?\s+(i|you|we|he|she|they|it|my|this|that|there)\b", re.I)
_REQUEST = re.compile(
    r"^(any (advice|tips|thoughts|ideas|suggestions|pointers)|thoughts|ideas|advice|tips)\b", re.I
)


#: A line that opens on what the person did, with the "I" left out ("had my 1:1 with Sam").
_DROPPED_I = re.compile(r"^(had|have|has|did|do|does|done|got)\s+(my|our)\b", re.I)
_LEADING_FILLER = re.compile(r"^(so|and|but|also|like|ok|okay|hmm|basically|i wonder)\W+", re.I)


def worded_as_question(question: str) -> bool:
    """Whether a question opens like one ("Is it bad that…", "what counts as…"), rather than
    being a statement with a rising "?" ("we talked about a lot of things?")."""
    core = _LEADING_FILLER.sub("", question.strip())
    return bool(_OPEN_START.match(core) or _WHY_START.match(core) or _CLOSED_START.match(core))


def find_questions(text: str) -> list[Question]:
    found: list[Question] = []
    for sentence in sentences_of(text):
        for part in re.split(r"(?<=\?)\s+", sentence):
            part = part.strip()
            core = _LEADING_FILLER.sub("", part)
            asked = part.endswith("?")
            starts = bool(
                _OPEN_START.match(core)
                or _WHY_START.match(core)
                or (_CLOSED_START.match(core) and _SUBJECT_SECOND.match(core))
            )
            if not asked and not (starts and len(core.split()) >= 3 and "," not in core[:15]):
                continue
            if not asked and _DROPPED_I.match(core):
                continue  # "had my 1:1 with Sam", "did my review" — "I" left out, not asked
            if (
                not asked
                and _OPEN_START.match(core)
                and re.match(
                    r"^(what|how|when|where|who)\b[^?]*\b(i|we|he|she|they)\s+(is|was|did|do|said|want|need|like)\b",
                    core,
                    re.I,
                )
                and not core.lower().startswith(
                    ("how do", "how can", "how should", "what should", "what do")
                )
            ):
                continue  # "what she said was fair", "how I did it" — a statement
            found.append(Question(part, question_kind(core)))
    return found


def question_kind(question: str) -> QuestionKind:
    core = question.strip()
    if _REQUEST.match(core):
        return QuestionKind.REQUEST
    if _WHY_START.match(core):
        return QuestionKind.WHY
    if _OPEN_START.match(core):
        return QuestionKind.OPEN
    if re.search(r"\bor\b(?! not\b)", core, re.I) and _CLOSED_START.match(core):
        return QuestionKind.CHOICE
    if _CLOSED_START.match(core):
        return QuestionKind.CLOSED
    return QuestionKind.OPEN if len(core.split()) > 4 else QuestionKind.REQUEST


# --- people -------------------------------------------------------------------------------

_ROLE = (
    r"(?:mentor|manager|boss|lead|colleague|coworker|co-worker|teammate|director|skip|vp|cto|"
    r"ceo|pm|tl)"
)
_NAME = r"([A-Z][a-z]+(?:-[A-Z][a-z]+)?)"
#: Capitalised words that are not names of people.
_NOT_NAMES = _words(
    """
    I I'm I'll I've I'd Im Ive Ill Monday Tuesday Wednesday Thursday Friday Saturday Sunday
    January February March April May June July August September October November December
    The A An And But So Or If When Then Also Just Maybe Honestly Tbh Ok Okay Yes No Not My Our
    Their His Her He She They We You It This That These Those There Here What How Why Who Which
    Where Q1 Q2 Q3 Q4 Slack Zoom Teams Jira Google Microsoft Amazon Python Java English Excel
    Friday's Monday's Christmas Easter Mentor Manager Boss Team Lead Sr Senior Staff Principal
    Engineering Product Design Sales Marketing Finance HR Ops Legal Data Support Platform
    Hi Hey Thanks Thank Sorry Well Oh Ugh Lol Idk Dunno Still Really Today Tomorrow Yesterday
    Super Pretty Very Quite Totally Wins Win Done
    Last Next First Second Third Since After Before During Because Some Most All Every Any None
    Nothing Everything Everyone Nobody Someone Anyone Got Had Have Has Did Do Does Was Were Is Are
    Will Would Should Could Can Need Want Feel Felt Think Thought Said Told Asked Made Make Get
    Went Going Gonna Wanna Kinda Sorta Like Love Great Good Bad Fine Sure Yeah Yep Nope Nah Hmm
    Agenda Goal Goals Update Updates Topic Topics Help Feedback Review Meeting Project Report Deck
    OKR OKRs KPI KPIs PR PRs API AI ML UX UI QA CI CD AWS GCP SQL Figma Notion Confluence GitHub
    London Paris Berlin Europe America India Covid Ask Try Send Book Email Call Write Draft
    Finish Start Stop Read Share Prepare Practise Practice Schedule Set Block Talk Meet Follow
    """
)
#: A sentence's first word is a name when a verb follows it ("Maria praised", "Jess will").
_SPEECH_AFTER = re.compile(
    rf"^{_NAME}(?:(?:'s|’s)\s|\s+(?:\w+ed|\w+s|will|'ll|had|has|was|is|said|told|thinks|kept|"
    r"gave|felt|got|didn't|doesn't|never|always|and I|and me)\b)"
)
#: A name written in lower case, at the start, before a verb of speech ("priya said ...").
_LOWER_SPEAKER = re.compile(r"^([a-z]{3,})\s+(?:said|says|told|thinks|reckons|asked)\b")


def find_people(text: str) -> list[str]:
    """Names of people: capitalised words after a role ("my mentor Dana"), a preposition
    ("with Sam") or inside a sentence, and a sentence's first word when a verb like "said"
    follows it. Days, months, tools and other capitalised words are left out."""
    names: list[str] = []

    def keep(name: str) -> None:
        known = name in _NOT_NAMES or name.lower() in _FEELING_NAME
        if not known and name not in names and len(name) > 1:
            names.append(name)

    for match in re.finditer(rf"(?i:\b{_ROLE}),?\s+{_NAME}\b", text):
        keep(match.group(1))
    for sentence in sentences_of(text):
        words = sentence.split()
        start = _SPEECH_AFTER.match(sentence)
        if start:
            keep(start.group(1))
        lower = _LOWER_SPEAKER.match(sentence)
        if lower and lower.group(1) not in _NOT_SPEAKERS:
            keep(lower.group(1).capitalize())
        for position, raw in enumerate(words[1:], start=1):
            word = raw.strip(".,;:!?()\"“”'’").removesuffix("'s").removesuffix("’s")
            if not re.fullmatch(_NAME, word):
                continue
            previous = words[position - 1]
            if previous.endswith((".", "!", "?", ":")):
                continue
            keep(word)
    for name in lower_case_names(text):
        keep(name)  # "had my catch-up with priya", "jordan told me"
    return names


#: Lower-case words before "said" that are not names ("she said", "my manager said").
_NOT_SPEAKERS = _words(
    """
    she he they who you someone somebody everyone everybody nobody manager mentor boss lead
    review feedback team client customer director colleague coworker teammate people one
    which that this what and but also then just still the report doc email
    """
)

# --- the whole reading --------------------------------------------------------------------


def read_answer(
    text: str,
    today: date | None = None,
    *,
    actions: bool = False,
    with_situation: bool = True,
    after: str = "",
) -> Reading:
    """Everything guide mode reads in one answer (``actions``: every line is an action;
    ``after``: the answer before it, whose reported feedback a "but…" can answer)."""
    text = text.strip()
    sentences = meant_sentences(text)
    agree, disagree = find_stances(text, after=after)
    absolute_clauses, absolute_words = find_absolutes(text)
    return Reading(
        text=text,
        # who the person or their mentor is ("I'm a freelance illustrator") is no situation
        situation=find_situation([s for s in sentences if not introduces(s)])
        if with_situation and text
        else None,
        feelings=tuple(find_feelings(text)),
        agreements=tuple(agree),
        disagreements=tuple(disagree),
        absolutes=tuple(absolute_clauses),
        absolute_words=tuple(absolute_words),
        vague=tuple(find_vague(text)),
        commitments=tuple(find_commitments(text, today or date.today(), every_line=actions)),
        questions=tuple(find_questions(text)),
        people=tuple(find_people(text)),
        words=len(text.split()),
        sentences=tuple(sentences),
    )
