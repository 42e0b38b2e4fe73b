"""Themes: what keeps coming back across sessions, found by meaning rather than by words.

The sentences of what was said (:mod:`~assistant.insights.units`) are embedded with the
local model (:mod:`~assistant.insights.vectors`) and grouped by average-linkage clustering
(:mod:`~assistant.insights.clustering`), and groups of several sessions whose centres are
close are joined. A group is a theme only when its sentences come from
at least :data:`MIN_SESSIONS` sessions, so a single long session cannot make one. Each theme
is named by a phrase of its most central sentence (:mod:`~assistant.insights.labels`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from assistant.insights.clustering import JOIN_SIMILARITY, average_linkage, join_close_groups
from assistant.insights.labels import label_for
from assistant.insights.units import SessionRef, Unit
from assistant.insights.vectors import VectorCache, sentence_vectors
from assistant.insights.words import known_names

MIN_SESSIONS = 2
THEMES_SHOWN = 8


@dataclass(frozen=True)
class Theme:
    """A subject raised in several sessions: its name, those sessions (newest first), and
    the sentences of it, the most central first."""

    label: str
    sessions: tuple[SessionRef, ...]
    sentences: tuple[str, ...]

    @property
    def session_count(self) -> int:
        return len(self.sessions)


def _sessions_newest_first(units: Sequence[Unit]) -> tuple[SessionRef, ...]:
    distinct = {unit.session.id: unit.session for unit in units}
    return tuple(sorted(distinct.values(), key=lambda r: (r.created_at, r.id), reverse=True))


def find_themes(
    units: Sequence[Unit],
    cache: VectorCache | None,
    *,
    limit: int = THEMES_SHOWN,
) -> list[Theme]:
    """The themes among ``units``: most sessions first, then the most recent first.

    Only the themes returned are named (naming embeds a few phrases of each).
    Raises :class:`~assistant.insights.vectors.ModelUnavailable` when the model is needed
    and cannot run.
    """
    if len({unit.session.id for unit in units}) < MIN_SESSIONS:
        return []
    embed = partial(sentence_vectors, cache=cache)
    vectors = embed([unit.text for unit in units])
    groups = [
        (group, _sessions_newest_first([units[i] for i in group]))
        for group in _recurring_groups(units, vectors)
    ]
    # Stable sorts: earliest group first among equals, then newest, then most sessions.
    groups.sort(key=lambda pair: pair[1][0].created_at, reverse=True)
    groups.sort(key=lambda pair: len(pair[1]), reverse=True)
    names = known_names(unit.text for unit in units)
    themes: list[Theme] = []
    for group, sessions in groups[:limit]:
        rows = vectors[group]
        centre = rows.mean(axis=0)
        order = np.argsort(-(rows @ centre), kind="stable")
        said = tuple(dict.fromkeys(units[group[int(i)]].text for i in order))
        themes.append(Theme(label_for(said, centre, embed, names), sessions, said))
    return themes


def _recurring_groups(units: Sequence[Unit], vectors: np.ndarray) -> list[list[int]]:
    """Tight groups of sentences that span :data:`MIN_SESSIONS` sessions, then joined by
    their centres: one subject said in several ways becomes one theme."""

    def recurs(group: list[int]) -> bool:
        return len({units[i].session.id for i in group}) >= MIN_SESSIONS

    groups = [group for group in average_linkage(vectors) if recurs(group)]
    return join_close_groups(vectors, groups, JOIN_SIMILARITY)
