"""What keeps coming back in the journal: recurring debrief themes and trends over time.

Themes are words and two-word phrases from the user's own answers in debrief sessions, with
stop-words removed. Each is counted once per session, so a single long session cannot make a
theme look recurring: only what comes up in several debriefs counts.

This module is domain code: it reads a :class:`~assistant.journal.Journal` and returns plain
data for the insights screen (and anything else) to show.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from assistant.journal import ActionItem, Journal, Session

Period = Literal["week", "month"]

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
    yesterday tomorrow time times way ways ok okay yeah lot good great fine
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

#: Words every debrief uses because of how the questions are asked. They may be part of a
#: phrase ("critical feedback") but are never a theme alone.
WEAK_WORDS = frozenset(
    """
    mentor mentors meeting meetings session feedback discussed talked told asked agree disagree
    next plan will
    """.split()  # noqa: SIM905
)

WORD_PATTERN = re.compile(r"[a-z][a-z'’-]*[a-z]|[a-z]")
MIN_WORD_LENGTH = 3
THEMES_SHOWN = 8
#: Themes come from this many of the latest debriefs: what keeps coming back lately, and a
#: bounded amount of reading however long the journal grows.
THEME_DEBRIEFS = 200
DEBRIEF_FLOW = "debrief"


@dataclass(frozen=True)
class SessionRef:
    """Enough of a session to name it next to a theme."""

    id: str
    title: str
    created_at: str


@dataclass(frozen=True)
class Theme:
    """A word or phrase raised in several debriefs, with those debriefs, newest first."""

    phrase: str
    sessions: tuple[SessionRef, ...]
    mentions: int

    @property
    def session_count(self) -> int:
        return len(self.sessions)


@dataclass(frozen=True)
class PeriodCounts:
    """Action items in one week or month: closed in it as done or dropped, open at its end."""

    start: date
    label: str
    done: int
    dropped: int
    open: int


@dataclass(frozen=True)
class Insights:
    themes: list[Theme]
    actions: list[PeriodCounts]
    sessions: list[tuple[date, int]]
    session_count: int
    debrief_count: int
    action_totals: dict[str, int]

    @property
    def is_empty(self) -> bool:
        return self.session_count == 0 and not any(self.action_totals.values())


# --- themes -----------------------------------------------------------------------------------


def _normal_form(word: str) -> str:
    """Fold simple plurals so "deadline" and "deadlines" count as one theme."""
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _terms(text: str) -> Iterable[tuple[str, str]]:
    """(key, surface) pairs for each meaningful word and adjacent pair of words in ``text``."""
    for sentence in re.split(r"[.!?;:\n]+", text.lower()):
        previous: tuple[str, str] | None = None
        for word in WORD_PATTERN.findall(sentence.replace("’", "'")):
            raw = word.removesuffix("'s")
            if raw in STOP_WORDS or len(raw) < MIN_WORD_LENGTH or "'" in raw:
                previous = None
                continue
            key = _normal_form(raw)
            if raw not in WEAK_WORDS:
                yield key, raw
            if previous is not None and not {previous[1], raw} <= WEAK_WORDS:
                yield f"{previous[0]} {key}", f"{previous[1]} {raw}"
            previous = (key, raw)


def find_themes(
    documents: Sequence[tuple[SessionRef, str]],
    *,
    min_sessions: int = 2,
    limit: int = THEMES_SHOWN,
) -> list[Theme]:
    """Words and phrases that occur in at least ``min_sessions`` of the documents.

    Ranked by how many sessions raise them, then by mentions. A single word is left out when
    a recurring phrase containing it covers the same sessions ("missed deadlines" rather than
    both "missed" and "deadlines").
    """
    sessions_by_key: dict[str, set[str]] = defaultdict(set)
    mentions: Counter[str] = Counter()
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    refs = {ref.id: ref for ref, _ in documents}
    for ref, text in documents:
        terms = Counter(_terms(text))
        for (key, surface), count in terms.items():
            sessions_by_key[key].add(ref.id)
            mentions[key] += count
            surfaces[key][surface] += count
    recurring = {k: s for k, s in sessions_by_key.items() if len(s) >= min_sessions}
    phrase_sessions_by_word: dict[str, list[set[str]]] = defaultdict(list)
    for key, sessions in recurring.items():
        if " " in key:
            for word in key.split():
                phrase_sessions_by_word[word].append(sessions)
    themes: list[Theme] = []
    for key in sorted(recurring, key=lambda k: (-len(recurring[k]), -mentions[k], k)):
        sessions = recurring[key]
        if " " not in key and any(sessions <= other for other in phrase_sessions_by_word[key]):
            continue
        newest_first = sorted((refs[i] for i in sessions), key=lambda r: (r.created_at, r.id))
        surface = surfaces[key].most_common(1)[0][0]
        themes.append(Theme(surface, tuple(reversed(newest_first)), mentions[key]))
        if len(themes) == limit:
            break
    return themes


def debrief_documents(journal: Journal) -> list[tuple[SessionRef, str]]:
    """The most recent debriefs, each with the text of the user's turns in it."""
    documents = []
    for session in journal.list_sessions(limit=THEME_DEBRIEFS, flow=DEBRIEF_FLOW):
        text = "\n".join(t.content for t in journal.turns(session.id) if t.role == "user")
        if text.strip():
            documents.append((SessionRef(session.id, session.title, session.created_at), text))
    return documents


# --- periods ----------------------------------------------------------------------------------


def local_date(stamp: str) -> date:
    """The user's local calendar date of a stored ISO timestamp."""
    return datetime.fromisoformat(stamp).astimezone().date()


def period_start(day: date, period: Period) -> date:
    if period == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _previous_start(start: date, period: Period) -> date:
    if period == "week":
        return start - timedelta(days=7)
    return (start - timedelta(days=1)).replace(day=1)


def _next_start(start: date, period: Period) -> date:
    if period == "week":
        return start + timedelta(days=7)
    return (start + timedelta(days=32)).replace(day=1)


def period_starts(today: date, period: Period, count: int) -> list[date]:
    """The first days of the last ``count`` periods, oldest first, ending with today's."""
    starts = [period_start(today, period)]
    while len(starts) < count:
        starts.append(_previous_start(starts[-1], period))
    return starts[::-1]


def period_label(start: date, period: Period) -> str:
    return f"{start.day} {start:%b}" if period == "week" else f"{start:%b %Y}"


def action_counts(
    items: Sequence[ActionItem], starts: Sequence[date], period: Period
) -> list[PeriodCounts]:
    """Per period: items done and dropped in it, and items still open at its end."""
    dated = [
        (
            local_date(item.created_at),
            local_date(item.closed_at) if item.closed_at else None,
            item.status,
        )
        for item in items
    ]
    counts = []
    for start in starts:
        end = _next_start(start, period)
        done = dropped = still_open = 0
        for created, closed, status in dated:
            if closed is not None and start <= closed < end:
                done += status == "done"
                dropped += status == "dropped"
            if created < end and (closed is None or closed >= end):
                still_open += 1
        counts.append(PeriodCounts(start, period_label(start, period), done, dropped, still_open))
    return counts


def session_counts(
    sessions: Sequence[Session], starts: Sequence[date], period: Period
) -> list[tuple[date, int]]:
    """How many sessions were started in each period."""
    per_period = Counter(period_start(local_date(s.created_at), period) for s in sessions)
    return [(start, per_period.get(start, 0)) for start in starts]


# --- all together -----------------------------------------------------------------------------


def gather_insights(
    journal: Journal,
    *,
    today: date | None = None,
    period: Period = "week",
    periods: int = 12,
) -> Insights:
    """Everything the insights screen shows, read from the journal in one go."""
    today = today or date.today()
    sessions = journal.list_sessions()
    items = journal.action_items(status=None)
    documents = debrief_documents(journal)
    starts = period_starts(today, period, periods)
    totals = Counter(item.status for item in items)
    return Insights(
        themes=find_themes(documents),
        actions=action_counts(items, starts, period),
        sessions=session_counts(sessions, starts, period),
        session_count=len(sessions),
        debrief_count=sum(1 for s in sessions if s.flow == DEBRIEF_FLOW),
        action_totals={status: totals.get(status, 0) for status in ("open", "done", "dropped")},
    )
