"""Rewrites of a weak question that keep the person's own subject.

Each flag has its own way out: a closed question is opened ("Should I apply for the lead
role?" -> "What should I weigh up in deciding whether to apply for the lead role?"), a broad
one is narrowed to its topic or the person's situation, a leading one asks for the mentor's
view instead of agreement, a blaming "why" asks what is going on, a statement becomes the
question behind it. Stacked questions keep the first one, rewritten in turn.
"""

from __future__ import annotations

import re

from assistant.conversation.guide.corrections import as_meant
from assistant.conversation.guide.question_for_mentor import question_for_mentor
from assistant.conversation.guide.question_forms import (
    AUXILIARIES,
    LEAD_IN,
    PERSON_SUBJECT,
    TAG,
    QuestionFlag,
    advice_topic,
    bare_topic,
    body_of,
    goal_of,
    positive_auxiliary,
)
from assistant.conversation.guide.wording import (
    base_of_gerund,
    base_of_third_person,
    conjugated,
    lower_first,
    object_pronoun,
    third_person,
    tidy,
    upper_first,
    without_absolutes,
)

_DETERMINERS = {"my", "your", "our", "their", "his", "her", "the", "this", "that", "these", "a"}
_PRONOUNS = {"i", "you", "he", "she", "it", "we", "they", "there", "people", "this", "that"}
_HEDGES = re.compile(
    r"^(?:i (?:just )?(?:think|feel like|feel that|guess|believe|reckon|suppose)(?: that)?|"
    r"i'm (?:just )?(?:thinking|wondering) that|it (?:just )?feels like|it seems like|"
    r"to be honest|tbh|honestly|basically)[,\s]+",
    re.IGNORECASE,
)
_OPINION_DECLARATIVE = re.compile(
    r"^(?:i (?:should|have to|need to|must|ought to)|the (?:answer|only|best|solution)|"
    r"we (?:should|have to))\b",
    re.IGNORECASE,
)
#: A statement of the person's own view ("I think…", "I feel like…", "I reckon…").
_OPINION = re.compile(
    r"^i (?:just )?(?:think|feel like|feel that|believe|reckon|suppose)\b", re.IGNORECASE
)
_JUDGED_THING = re.compile(
    r"\b(?:feedback|opinion|view|take|thoughts) on ((?:my|our|the) .+)$", re.IGNORECASE
)
"""An ask for a view on a piece of work: "your thoughts on my promotion case"."""
_HELP_WITH = re.compile(
    r"^i (?:really )?(?:need|want|would like|'d like|could use) (?:some |your )?(?:help|advice|"
    r"tips|guidance|support|opinion|thoughts|view|feedback|take) (?:with|on|about|for|around) "
    r"(.+)$",
    re.IGNORECASE,
)
_CONSIDERING = re.compile(
    r"^i(?:'m| am)(?: seriously)? (?:thinking about|thinking of|considering) (\w+ing\b.*)$",
    re.IGNORECASE,
)
_UNSURE = re.compile(
    r"^i (?:don't|do not|dont) know ((?:what|how|whether|if|where|who|when) .+)$", re.IGNORECASE
)
_WISH = re.compile(
    r"^i(?: really)? (?:want|would like|'d like|hope|plan|need|am trying|'m trying|wanna)"
    r" to (.+)$",
    re.IGNORECASE,
)


def _template(pattern: str, wording: str) -> tuple[re.Pattern[str], str]:
    return re.compile(pattern, re.IGNORECASE), wording


_CLOSED_TEMPLATES = [
    _template(r"^should (?:i|we) (.+)$", "What should I weigh up in deciding whether to {0}?"),
    _template(r"^(?:do|would) you think (?:that )?(.+)$", "What is your view on whether {0}?"),
    _template(r"^am i ready (to|for) (.+)$", "What would tell you that I'm ready {0} {1}?"),
    _template(
        r"^(?:is|would) it (?:be )?(?:normal|common|usual|typical) (?:to|if i) (.+)$",
        "How common is it to {0}, in your experience?",
    ),
    _template(r"^is it worth (.+?)(?: it)?$", "What would make {0} worth it for me?"),
    _template(r"^is it (?:true|right|correct) that (.+)$", "What is your view on whether {0}?"),
    _template(
        r"^is it (?:possible|feasible|realistic) (?:to|for me to) (.+)$",
        "What would it take to {0}?",
    ),
    _template(
        r"^am i doing (?:ok|okay|well|alright|all right|fine|enough)$",
        "How am I doing, in your view?",
    ),
    _template(
        r"^(?:is|would) it (?:be )?(?:ok|okay|fine|alright|all right|acceptable|a good idea|"
        r"worth it|smart|wise|bad|wrong) (?:to|if i) (.+)$",
        "What would you weigh up before deciding whether to {0}?",
    ),
    _template(r"^(?:can|could|may|might) i (.+)$", "What would it take for me to {0}?"),
    _template(
        r"^do you (?:happen to )?know (?:of )?(?:anyone|anybody|someone|somebody|any people|"
        r"people|a person|any) (.+)$",
        "Who do you know {0}?",
    ),
    _template(r"^(?:do|does) (?:you|anyone) have (?:any )?(.+)$", "What {0} would you suggest?"),
    _template(r"^do you (?:like|enjoy|love|hate) (.+)$", "How do you find {0}?"),
    _template(r"^did you (?:like|enjoy) (.+)$", "What did you think of {0}?"),
    _template(r"^have you (?:ever )?(.+)$", "What have you learned from times you have {0}?"),
    _template(r"^did i (.+?) (?:well|ok|okay|right|correctly|properly)$", "How did I {0}?"),
    _template(r"^did (.+?)(?: go)? (?:well|ok|okay|right|alright|fine)$", "How did {0} go?"),
    _template(
        r"^(?:was|were) (my|our|the|this|that) (.+?) (?:too )?(\w+)$",
        "How {2} was {0} {1}, in your view?",
    ),
    _template(
        r"^(?:is|are) (my|our|the|this|that) (.+?) (?:too )?(realistic|ready|good|clear|"
        r"strong|enough|ok|okay|fair|normal|right|reasonable|long|short|ambitious)$",
        "How {2} is {0} {1}, in your view?",
    ),
]


def rewrite(part: str, flags: list[QuestionFlag], context: str) -> str:
    """The rewrite of one question (the first of a stack) for the flags it carries."""
    text = tidy(part)
    put_to_mentor = question_for_mentor(text)
    if put_to_mentor is not None:
        # "is it ok to ask if she…" is for the coach; the mentor is asked what is inside it
        question = (
            _without_blame(put_to_mentor) if put_to_mentor.startswith("Why") else put_to_mentor
        )
    elif QuestionFlag.BLAMING in flags:
        question = _without_blame(text)
    elif QuestionFlag.LEADING in flags:
        question = _unled(text)
    elif QuestionFlag.STATEMENT in flags:
        question = _asked(text)
    elif QuestionFlag.BROAD in flags:
        question = _narrowed(text, context)
    elif QuestionFlag.CLOSED in flags:
        question = _opened(text)
    else:
        question = body_of(text)
    return upper_first(question.rstrip(" ?.!")) + "?"


# --- closed -------------------------------------------------------------------------------


def _opened(question: str) -> str:
    body = body_of(question)
    body = re.sub(
        r"^i(?:'m| am| was)? (?:wondering|wonder|curious) (?:if|whether) ",
        "",
        body,
        flags=re.IGNORECASE,
    )
    if not re.match(rf"^(?:{AUXILIARIES})\b", body, re.IGNORECASE):
        return f"What is your view on whether {lower_first(body)}"
    for pattern, template in _CLOSED_TEMPLATES:
        match = pattern.match(body)
        if match:
            return template.format(*(group.strip() for group in match.groups()))
    return f"What is your view on whether {_declarative(body)}"


def _declarative(body: str) -> str:
    """ "is my plan realistic" -> "my plan is realistic"; "does my manager approve it" ->
    "my manager approves it": the auxiliary moved after the subject."""
    words = body.split()
    if len(words) < 2:
        return body
    auxiliary, rest = words[0].lower(), words[1:]
    auxiliary = positive_auxiliary(auxiliary)
    length = _subject_length(rest)
    subject = " ".join(rest[:length])
    if auxiliary in ("do", "does", "did"):
        return conjugated(lower_first(subject), " ".join(rest[length:]), auxiliary)
    if auxiliary == "am":
        subject = "I"
    return " ".join([lower_first(subject), auxiliary, *rest[length:]])


def _subject_length(words: list[str]) -> int:
    first = words[0].lower()
    if first in _DETERMINERS and len(words) > 2:
        return 2
    if first == "no" and len(words) > 1 and words[1].lower() == "one":
        return 2
    return 1


# --- broad --------------------------------------------------------------------------------


def _narrowed(question: str, context: str) -> str:
    body = body_of(question)
    subject = bare_topic(question)
    if subject:
        # "raise?" -> "When it comes to my raise, …"; a name stays a name ("Dev?")
        owned = subject if subject[:1].isupper() else f"my {subject}"
        return f"When it comes to {owned}, what is the first step you would take in my place"
    goal = goal_of(body)
    if goal:
        return f"What is one specific thing I could do in the next month to {goal}"
    topic = advice_topic(body)
    judged = _JUDGED_THING.search(body)
    if judged:
        return f"What would you change first in {judged[1]}"
    how_to = re.match(r"^how (?:to|do i|can i|should i) (.+)$", topic, re.IGNORECASE)
    if how_to:
        return f"What is the first step you would take in my place to {how_to[1]}"
    if topic:
        return f"When it comes to {topic}, what is the first step you would take in my place"
    situation = _gist(context)
    if situation:
        return f"When {situation}, what would you try first"
    return "In the situation I described, what would you try first"


def _gist(context: str) -> str:
    """The first sentence of the user's own description, if it is a statement."""
    meant = as_meant(re.split(r"(?<=[.!?;])\s|\n", context.strip()))
    first = meant[0].strip() if meant else ""
    if not first or first.endswith("?"):
        return ""
    first = _HEDGES.sub("", tidy(first.rstrip(" .!;,")))
    words = first.split()
    if len(words) < 3 or len(words) > 20:
        return ""
    return lower_first(first)


# --- leading ------------------------------------------------------------------------------

_LEADING_FRAMES = [
    re.compile(
        r"^(?:don't|do not|wouldn't|would not) you (?:think|agree|feel|reckon|say)"
        r"(?: that)? (.+)$",
        re.IGNORECASE,
    ),
    re.compile(r"^(?:you |you'd |you would )?(?:would )?agree(?: that)? (.+)$", re.IGNORECASE),
    re.compile(r"^you (?:think|agree|feel)(?: that)? (.+)$", re.IGNORECASE),
    re.compile(
        r"^(?:isn't|is) it(?: not)? (?:true|obvious|clear|fair to say|right)(?: that)? "
        r"(.+)$",
        re.IGNORECASE,
    ),
    re.compile(r"^surely,? (.+)$", re.IGNORECASE),
]


def _unled(question: str) -> str:
    body = body_of(question)
    body = TAG.sub("", body)
    feeling = re.match(r"^wouldn't you (?:be|feel) \w+ if (.+)$", body, re.IGNORECASE)
    if feeling:
        return f"How would you feel if {feeling[1]}"
    better = re.match(
        r"^(?:wouldn't|won't|isn't) it (?:be )?(?:better|smarter|easier|best|wiser|safer)"
        r" (?:to|if i) (.+)$",
        body,
        re.IGNORECASE,
    )
    if better:
        return f"What would the trade-offs be if I {without_absolutes(better[1])}"
    for frame in _LEADING_FRAMES:
        match = frame.match(body)
        if match:
            body = match[1]
            break
    else:
        if re.match(rf"^(?:{AUXILIARIES})\b", body, re.IGNORECASE):
            body = _declarative(body)
    body = re.sub(r"\b(obviously|clearly)\s*", "", body, flags=re.IGNORECASE)
    return f"What is your view on whether {lower_first(without_absolutes(body))}"


# --- blaming ------------------------------------------------------------------------------

_NOBODY = re.compile(
    r"^(?:does|do|did|will|would|can)(?:n't)? (?:nobody|no one|noone|no-one|anyone|anybody|"
    r"everyone|everybody|people) (.+)$",
    re.IGNORECASE,
)
_WHY_CLAUSE = re.compile(
    rf"^((?i:{AUXILIARIES}))\s+((?i:this|it|that|things|everything)|{PERSON_SUBJECT})\s+(.+)$"
)


def _without_blame(question: str) -> str:
    match = re.match(rf"{LEAD_IN}(?:why|how come)\b\s*(.*)$", question.strip(), re.IGNORECASE)
    rest = (match[1] if match else question).rstrip(" ?.!")
    if not rest or re.match(r"^me\b", rest, re.IGNORECASE):
        return "What could I do differently next time"
    negative = bool(re.search(r"\b(never|not)\b|n't\b", rest, re.IGNORECASE))
    declarative = re.match(
        rf"^({PERSON_SUBJECT}) (?i:never|don't|do not|doesn't|does not|can't|cannot) (\w+)(.*)$",
        rest,
    )
    if declarative:  # "how come my manager never gives me feedback?"
        subject = declarative[1] if declarative[1][0].isupper() else declarative[1].lower()
        verb = base_of_third_person(declarative[2])
        return (
            f"What would it take for {object_pronoun(subject)} to "
            f"{without_absolutes(verb + declarative[3])}"
        )
    rest = without_absolutes(rest)
    rest = re.sub(r"\bkeep (\w+ing)\b", lambda m: base_of_gerund(m[1]), rest, flags=re.I)
    rest = re.sub(
        r"\bkeeps (\w+ing)\b", lambda m: third_person(base_of_gerund(m[1])), rest, flags=re.I
    )
    framed = re.match(r"^do you think (?:that )?(.+)$", rest, re.IGNORECASE)
    if framed and not re.match(rf"^(?:{AUXILIARIES})\b", framed[1], re.IGNORECASE):
        return f"What tends to be going on when {lower_first(framed[1])}"
    nobody = _NOBODY.match(rest)
    if nobody:
        return f"What could I do so that people {nobody[1]}"
    clause = _WHY_CLAUSE.match(rest)
    if not clause:
        return f"What might explain why {lower_first(rest)}"
    auxiliary, subject, verb_phrase = clause[1].lower(), clause[2], clause[3]
    subject = "I" if subject.lower() == "i" else lower_first(subject)
    positive = positive_auxiliary(auxiliary)
    if positive in ("am", "is", "are", "was", "were") and negative:
        state = verb_phrase.removeprefix("not ")
        first, _, others = state.partition(" ")
        wanted = f"{base_of_gerund(first)} {others}" if first.endswith("ing") else f"be {state}"
        return f"What would it take for {object_pronoun(subject)} to {wanted.strip()}"
    if positive in ("am", "is", "are", "was", "were"):
        return (
            f"What is going on when {subject} {'am' if subject == 'I' else positive} "
            f"{verb_phrase.removeprefix('not ')}"
        )
    if positive in ("has", "have"):
        return f"What might explain why {subject} {auxiliary} {verb_phrase}"
    if subject == "I" and positive in ("can", "could"):
        return f"What gets in the way when I try to {verb_phrase}"
    if positive in ("will", "would"):
        return f"What would it take for {object_pronoun(subject)} to {verb_phrase}"
    if negative:
        tense = "made" if positive in ("did", "could") else "makes"
        return f"What {tense} it hard for {object_pronoun(subject)} to {verb_phrase}"
    if positive == "did":
        return f"What led {object_pronoun(subject)} to {verb_phrase}"
    return f"What tends to be going on when {conjugated(subject, verb_phrase, positive)}"


# --- statements ---------------------------------------------------------------------------


def _asked(statement: str) -> str:
    had_mark = statement.rstrip().endswith("?")
    body = _HEDGES.sub("", body_of(statement))
    body = without_absolutes(TAG.sub("", body))
    judged = _JUDGED_THING.search(body)
    if judged:
        return f"What would you change first in {judged[1]}"
    help_with = _HELP_WITH.match(body)
    if help_with:
        return f"When it comes to {help_with[1]}, what is the first step you would take in my place"
    weighing = _CONSIDERING.match(body)
    if weighing:
        return f"What would you weigh up before {weighing[1]}"
    unsure = _UNSURE.match(body)
    if unsure:
        return f"What would help me work out {unsure[1]}"
    wish = _WISH.match(body)
    if wish:
        return f"What would be a good first step for me to {wish[1]}"
    if had_mark and _OPINION_DECLARATIVE.match(body):
        return f"What is your view on whether {lower_first(body)}"
    if _OPINION.match(body_of(statement)):
        # "I think my manager is wrong" is a view to test, not a fact to build on
        return f"What is your view on whether {lower_first(body)}"
    return f"Given that {lower_first(body)}, what would you do next in my place"
