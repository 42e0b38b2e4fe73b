"""Words that say nothing about a theme, and the reporting phrases around what was said.

Shared by :mod:`~assistant.insights.units` (is a sentence worth clustering, what does it say
without "we talked about") and :mod:`~assistant.insights.labels` (where a label may start or
end).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Words that carry no theme on their own, in any sentence.
STOP_WORDS = frozenset(
    """
    a about above after again against all almost also although am an and any anyone anything
    are aren't around as at be because been before being below between both but by can can't
    cannot could couldn't did didn't do does doesn't doing don't done down during each either
    else enough even ever every few for from further get gets getting go goes going gone got
    had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself
    him himself his how how's however i i'd i'll i'm i've if in into is isn't it it's its
    itself just let's like lot lots made make makes many may me might mine more most much must
    mustn't my myself need needs no nor not nothing now of off often on once one only or other
    others ought our ours ourselves out over own per perhaps quite rather really said same say
    says she she'd she'll she's should shouldn't since so some something still such than that
    that's the their theirs them themselves then there there's these they they'd they'll
    they're they've thing things this those though through thus to too under until up upon us
    very via was wasn't we we'd we'll we're we've well were weren't what what's when when's
    where where's whether which while who who's whom whose why why's will with within without
    won't would wouldn't yes yet you you'd you'll you're you've your yours yourself yourselves
    bit kind sort maybe actually basically probably definitely think thought feel felt want
    wanted try tried trying know knew see saw seem seemed seems day days week weeks today
    yesterday tomorrow time times way ways ok okay yeah lot good great fine less fewer
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

#: Words that frame what was said rather than say it: never the first or last word of a label.
FRAMING_WORDS = frozenset(
    """
    talk talked talking discuss discussed discussing discussion mention mentioned mentioning
    give gave giving tell told ask asked saying said says went covered cover covering came
    come brought bring raise raised
    mostly mainly honestly again also still especially first finally overall topic topics
    point points part whole main meeting meetings session sessions mentor mentors manager
    next last month year quarter monday tuesday wednesday thursday friday saturday sunday
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

#: Leading phrases that report speech: "We talked about X" is about X.
REPORTING_LEAD = re.compile(
    r"^(?:(?:and|but|so|then|also|mostly|mainly|honestly|again|today|finally)[\s,]+)*"
    r"(?:(?:(?:we|i|she|he|they|my (?:mentor|manager|lead))\s+)?"
    r"(?:(?:also|mostly|mainly|then|again|really|briefly|finally)\s+)?"
    r"(?:talked|spoke|chatted|went (?:through|over)|discussed|covered|touched|said|mentioned|"
    r"told me|"
    r"raised|brought up|"
    r"pointed out|noted|suggested|asked(?: me)?|gave me(?: some)?(?: feedback)?)"
    r"(?:\s+(?:about|through|over|on|into|that|to))?"
    r"|(?:the )?(?:main |big )?(?:topic|theme|feedback|point)s?\s+(?:was|were)(?:\s+that)?"
    r"|about"
    r"|(?:it was|this was|that was)\s+(?:mostly |mainly |all )?(?:about)?)"
    r"[\s,:]+",
    re.IGNORECASE,
)

#: Stop words that can still begin a label ("too many commitments", "no time to plan") and
#: those that can still end one ("saying no", "taking on too much").
START_KEPT = frozenset(
    ("too", "many", "much", "more", "most", "less", "few", "every", "no", "not", "own", "enough")
)
END_KEPT = frozenset(("no", "much", "more", "enough"))

WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")


def known_names(texts: Iterable[str]) -> frozenset[str]:
    """Words written capitalised inside a sentence and never in lower case: names ("Marco",
    "Priya"), in lower case. "I" and acronyms such as "API" are not names."""
    capitalised: set[str] = set()
    lower: set[str] = set()
    for text in texts:
        for position, word in enumerate(WORD.findall(text)):
            bare = word.replace("’", "'").removesuffix("'s")
            if bare.islower():
                lower.add(bare)
            elif position and bare[:1].isupper() and bare != "I" and not bare.isupper():
                capitalised.add(bare.lower())
    return frozenset(capitalised - lower)


def content_words(text: str) -> list[str]:
    """The lower-cased words of ``text`` that are neither stop words nor framing words."""
    words = (word.lower().replace("’", "'") for word in WORD.findall(text))
    return [
        word
        for word in words
        if len(word) > 2 and word not in STOP_WORDS and word not in FRAMING_WORDS
    ]


def without_reporting_lead(sentence: str) -> str:
    """``sentence`` without a leading "we talked about" or "she said that"."""
    stripped = REPORTING_LEAD.sub("", sentence, count=1).strip()
    return stripped or sentence.strip()
