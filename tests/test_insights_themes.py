"""Themes by meaning: a seeded journal whose recurring subjects are known, found with the
real local embedding model, clustered, named and cached."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from assistant.config import load_settings
from assistant.insights.clustering import average_linkage
from assistant.insights.gather import (
    ThemesState,
    add_themes,
    gather_insights,
    gather_trends,
    vector_cache_path,
)
from assistant.insights.labels import candidate_phrases, label_for
from assistant.insights.units import journal_units, sentences, theme_sessions
from assistant.insights.vectors import VectorCache, sentence_vectors
from assistant.insights.words import known_names
from assistant.journal import Journal
from tests.support.journal_seed import (
    THEMED_DEBRIEFS,
    TODAY,
    Seeded,
    seed_themed_journal,
    use_utc,
)
from tests.support.tampered_model import run_with_tampered_model

#: The subjects seeded, in the order they must come (most sessions first): a word the name
#: must hold, and the sessions that raise the subject.
EXPECTED = [
    (
        ("promotion", "promoted", "promo"),
        {
            "debrief-dec",
            "debrief-offsite",
            "debrief-feb-promo",
            "prepare-promo",
            "debrief-mar-packet",
            "debrief-mar-review",
        },
    ),
    (
        ("review", "reviewer"),
        {"debrief-jan-review", "debrief-feb-load", "debrief-feb-burnout", "debrief-mar-review"},
    ),
    (
        ("commitment", "workload", "overcommit", "taking on", "request", "too much", "say no"),
        {"debrief-dec", "debrief-feb-load", "debrief-feb-burnout"},
    ),
]


@pytest.fixture
def journal(monkeypatch: pytest.MonkeyPatch) -> Journal:
    use_utc(monkeypatch)
    return Journal(load_settings().journal_path)


@pytest.fixture
def cache() -> VectorCache:
    return VectorCache(vector_cache_path(load_settings().home))


def names_of(seeded: Seeded) -> dict[str, str]:
    return {session_id: name for name, session_id in seeded.sessions.items()}


def test_the_recurring_subjects_are_found_with_their_sessions_in_order(
    journal: Journal, cache: VectorCache
):
    names = names_of(seed_themed_journal(journal))
    insights = gather_insights(journal, today=TODAY, cache=cache)
    assert insights.themes_state == ThemesState.FOUND
    assert insights.theme_session_count == 9  # eight debriefs and the agenda, not the practice
    assert len(insights.themes) == len(EXPECTED)
    for trend, (words, sessions) in zip(insights.themes, EXPECTED, strict=True):
        theme = trend.theme
        assert any(word in theme.label for word in words), theme.label
        assert {names[ref.id] for ref in theme.sessions} == sessions
        stamps = [ref.created_at for ref in theme.sessions]
        assert stamps == sorted(stamps, reverse=True)
        assert sum(trend.per_period) == len(sessions)  # all within the twelve weeks shown


def test_trends_come_first_and_themes_are_added_to_them(journal: Journal, cache: VectorCache):
    """The screen shows sessions and action items at once, and the themes when found."""
    seed_themed_journal(journal)
    trends = gather_trends(journal, today=TODAY)
    assert trends.themes_state == ThemesState.PENDING
    assert trends.themes == []
    assert sum(count for _, count in trends.sessions) == 10
    full = add_themes(trends, journal, cache)
    assert full == gather_insights(journal, today=TODAY, cache=cache)
    assert full.actions == trends.actions


def test_theme_names_are_short_phrases_without_names(journal: Journal, cache: VectorCache):
    seed_themed_journal(journal)
    insights = gather_insights(journal, today=TODAY, cache=cache)
    for trend in insights.themes:
        label = trend.theme.label
        assert 2 <= len(label.split()) <= 6, label
        assert "Marco" not in label and "Priya" not in label
        assert label[0].islower()


def test_a_role_play_or_one_long_session_makes_no_theme(journal: Journal, cache: VectorCache):
    """The offsite fills most of one debrief and the practice session talks about code
    review as a mentor would: neither counts towards a theme."""
    names = names_of(seed_themed_journal(journal))
    insights = gather_insights(journal, today=TODAY, cache=cache)
    for trend in insights.themes:
        assert "practice-review" not in {names[ref.id] for ref in trend.theme.sessions}
        assert "offsite" not in trend.theme.label
        assert not any("offsite" in sentence for sentence in trend.theme.sentences)


def test_reopening_insights_embeds_nothing_again(journal: Journal, cache: VectorCache):
    seeded = seed_themed_journal(journal)
    first = gather_insights(journal, today=TODAY, cache=cache)

    def stored() -> int:
        with sqlite3.connect(cache.path) as db:
            return int(db.execute("SELECT count(*) FROM vectors").fetchone()[0])

    count = stored()
    assert count > 50
    again = gather_insights(journal, today=TODAY, cache=cache)
    assert stored() == count
    assert again.themes == first.themes
    assert cache.path.stat().st_mode & 0o777 == 0o600
    assert b"promotion" not in cache.path.read_bytes()  # hashes and vectors, no text
    journal.delete_session(seeded.sessions["debrief-offsite"])
    gather_insights(journal, today=TODAY, cache=VectorCache(cache.path))
    assert stored() < count  # a deleted session's vectors leave the cache


def test_one_debrief_is_not_enough_and_needs_no_model(journal: Journal, cache: VectorCache):
    seed = THEMED_DEBRIEFS[0]
    session = journal.create_session("debrief", "guide", seed.title)
    journal.add_turn(session.id, "user", seed.discussed)
    insights = gather_insights(journal, today=TODAY, cache=cache)
    assert insights.themes_state == ThemesState.TOO_FEW_SESSIONS
    assert insights.themes == []
    assert not cache.path.exists()


def test_items_carried_into_every_agenda_are_not_what_was_said(journal: Journal):
    """An open action item is listed again in each agenda's carried section: repeating it
    there must not make a theme. Answers to "which are done?" and commands are left out too."""
    carried = "Send the weekly status update to the whole team every Friday"
    for number in range(3):
        session = journal.create_session("prepare", "guide", f"Agenda {number}")
        journal.add_turn(session.id, "user", f"Ship the search page number {number}.", step=0)
        journal.add_turn(session.id, "user", "/skip", step=1)
        data = {
            "sections": [
                {"heading": "Goal of the meeting", "items": [f"Ship the search page {number}."]},
                {"heading": "Open action items from earlier sessions", "items": [carried]},
                {"heading": "Time plan", "items": ["10 min: the status update for the team"]},
            ]
        }
        journal.save_artifact(session.id, session.title, data, "# Agenda\n")
    debrief = journal.create_session("debrief", "guide", "Reflection")
    journal.add_turn(debrief.id, "user", "the first and the second ones are done", step=3)
    said = {unit.text for unit in journal_units(journal, theme_sessions(journal))}
    assert "Ship the search page number 0." in said
    assert not any("status update" in text or "/skip" in text for text in said)
    assert not any("second ones" in text for text in said)


def test_two_debriefs_about_different_things_have_no_theme(journal: Journal, cache: VectorCache):
    for text in (
        "We planned the team offsite in Lisbon and booked the venue.",
        "My promotion case still needs evidence of impact.",
    ):
        session = journal.create_session("debrief", "guide", "Reflection")
        journal.add_turn(session.id, "user", text)
    insights = gather_insights(journal, today=TODAY, cache=cache)
    assert insights.themes_state == ThemesState.NONE_RECURRING
    assert insights.themes == []
    assert insights.theme_session_count == 2


def test_without_a_usable_model_themes_say_why(tmp_path: Path):
    """An installed model file that differs by one byte is refused: insights say so in one
    line instead of showing themes from another model (or none without a word)."""
    script = (
        "from assistant.config import load_settings\n"
        "from assistant.journal import Journal\n"
        "from assistant.insights.gather import gather_insights\n"
        "from tests.support.journal_seed import seed_themed_journal\n"
        "journal = Journal(load_settings().journal_path)\n"
        "seed_themed_journal(journal)\n"
        "insights = gather_insights(journal)\n"
        "print(insights.themes_state, len(insights.themes))\n"
        "print(insights.model_problem)\n"
    )
    output, model_file = run_with_tampered_model(tmp_path, script)
    state, problem = output.splitlines()
    assert state == f"{ThemesState.MODEL_UNAVAILABLE} 0"
    assert f"the local embedding model {model_file} is not the expected file" in problem


def test_clustering_is_the_same_whatever_the_order_of_the_sentences():
    texts = [text for seed in THEMED_DEBRIEFS for text in sentences(seed.discussed)]
    vectors = sentence_vectors(texts, None)
    groups = {frozenset(texts[i] for i in group) for group in average_linkage(vectors)}
    order = np.random.default_rng(3).permutation(len(texts))
    shuffled = average_linkage(vectors[order])
    assert {frozenset(texts[order[i]] for i in group) for group in shuffled} == groups


def test_sentences_on_one_subject_group_apart_from_the_rest():
    texts = [
        "I keep missing deadlines on the API work.",
        "Another deadline slipped this sprint and I delivered late.",
        "We planned the team dinner for Friday.",
        "Shipping late is becoming a habit for me.",
    ]
    groups = average_linkage(sentence_vectors(texts, None))
    assert [0, 1, 3] in groups
    assert [2] in groups


def test_labels_start_and_end_on_words_that_carry_meaning():
    candidates = candidate_phrases("how Marco handles critical feedback in code review")
    assert "critical feedback in code review" in candidates
    for phrase in candidates:
        first, last = phrase.split()[0], phrase.split()[-1]
        assert "Marco" not in (first, last)
        assert first not in ("how", "in") and last not in ("in", "the")
    assert not any(
        phrase.endswith("personally")
        for phrase in candidate_phrases("taking review comments less personally")
    )


def test_a_name_seen_inside_other_sentences_is_no_label_edge_at_the_start_either():
    names = known_names(["I asked Marco for examples.", "The API review went well."])
    assert names == {"marco"}
    for phrase in candidate_phrases("Marco's view on my promotion case", names):
        assert not phrase.startswith("Marco")


def test_a_label_is_drawn_from_the_central_sentence_without_names_or_control_characters():
    centre = sentence_vectors(["preparing the promotion case"], None)[0]
    sentence = sentences("Asked Marco about preparing \x1b[31mthe promotion case\x1b[0m.")[0]
    label = label_for([sentence], centre, lambda texts: sentence_vectors(texts, None))
    assert "promotion case" in label
    assert "Marco" not in label and "\x1b" not in label
