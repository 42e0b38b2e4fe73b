"""Artifacts: a model's draft is validated; anything unusable is refused, never half-used."""

from __future__ import annotations

import json
from datetime import date

from assistant.conversation.core.artifacts import (
    ArtifactDraft,
    artifact_schema,
    parse_draft,
    render_markdown,
)
from assistant.conversation.core.flows import load_flow
from assistant.conversation.core.records import read_record
from assistant.conversation.core.session_state import CarriedItem, SessionState
from assistant.conversation.guide.compiler import compile_artifact

DRAFT = {
    "title": "Agenda",
    "sections": [
        {"heading": "Goal of the meeting", "items": ["Decide on the lead role"]},
        {"heading": "Help to ask for", "items": ["An intro to the platform lead", "  "]},
    ],
    "action_items": [{"text": "Send the deck", "due": "2025-03-07"}],
}


def test_a_valid_draft_is_accepted_bare_fenced_or_with_prose_around_it() -> None:
    raw = json.dumps(DRAFT)
    for text in (raw, f"```json\n{raw}\n```", f"Here is the agenda:\n{raw}\nHope it helps!"):
        draft = parse_draft(text)
        assert draft is not None
        assert draft.section_items("Goal of the meeting") == ["Decide on the lead role"]
        assert draft.section_items("Help to ask for") == ["An intro to the platform lead"]
        assert draft.action_items[0].due == "2025-03-07"


def test_unusable_drafts_are_refused() -> None:
    no_sections = {"title": "Agenda", "sections": []}
    empty_sections = {"title": "Agenda", "sections": [{"heading": "Goal", "items": []}]}
    wrong_types = {"title": "Agenda", "sections": [{"heading": "Goal", "items": "one"}]}
    for text in (
        "Sure! Your agenda: talk about the promotion, then hiring.",
        "{not json",
        json.dumps(no_sections),
        json.dumps(empty_sections),
        json.dumps(wrong_types),
        json.dumps(["a list"]),
        "",
    ):
        assert parse_draft(text) is None, text


def test_a_draft_with_keys_that_were_not_asked_for_is_still_used() -> None:
    section = {**DRAFT["sections"][0], "note": "the model's own aside"}
    data = {**DRAFT, "summary": "A short agenda.", "sections": [section]}
    draft = parse_draft(json.dumps(data))
    assert draft is not None
    assert draft.section_items("Goal of the meeting") == ["Decide on the lead role"]


def test_the_schema_the_model_is_asked_to_follow_matches_what_is_accepted() -> None:
    schema = artifact_schema()
    assert schema["required"] == ["title", "sections"]
    sections = schema["properties"]["sections"]
    assert sections["minItems"] == 1
    assert sections["items"]["required"] == ["heading"]
    assert sections["items"]["properties"]["items"] == {
        "type": "array",
        "items": {"type": "string"},
    }
    item = schema["properties"]["action_items"]["items"]
    assert item["required"] == ["text"]
    assert item["properties"]["due"] == {"anyOf": [{"type": "string"}, {"type": "null"}]}


def test_a_due_date_in_another_shape_is_dropped_not_kept_wrong() -> None:
    data = {**DRAFT, "action_items": [{"text": "Send the deck", "due": "next Friday"}]}
    draft = parse_draft(json.dumps(data))
    assert draft is not None
    assert draft.action_items[0].due is None


def test_markdown_has_the_title_non_empty_sections_and_a_checklist() -> None:
    draft = read_record(
        ArtifactDraft,
        {**DRAFT, "sections": [*DRAFT["sections"], {"heading": "Topics", "items": []}]},
    )
    markdown = render_markdown(draft, subtitle="Prepare for a meeting · 2025-03-05")
    assert markdown.startswith("# Agenda\n\n*Prepare for a meeting · 2025-03-05*\n")
    assert "## Goal of the meeting\n\n- Decide on the lead role\n" in markdown
    assert "## Topics" not in markdown
    assert "- [ ] Send the deck (due 2025-03-07)" in markdown


def test_the_compiler_builds_a_full_artifact_from_answers_alone() -> None:
    flow = load_flow("debrief")
    state = SessionState(
        answers={
            "discussed": ["The promotion case"],
            "feedback": ["Maria said I talk too fast"],
            "landing": ["I agree about the pace"],
            "actions": ["Send the doc by Friday\n- Practise the demo in 2 weeks"],
        },
        carried_items=[CarriedItem("a1", "Book a session")],
        done_items=["a1"],
    )
    draft = compile_artifact(flow, state, {"mentor": "Maria"}, date(2025, 3, 5))
    assert draft.title == "Reflection on the meeting with Maria: The promotion case, 5 Mar 2025"
    assert draft.section_items("Feedback I received") == ["Maria said I talk too fast"]
    assert draft.section_items("What I agree with") == ["I agree about the pace"]
    assert draft.section_items("Done since last time") == ["Book a session"]
    assert [(item.text, item.due) for item in draft.action_items] == [
        ("Send the doc by Friday", "2025-03-07"),
        ("Practise the demo in 2 weeks", "2025-03-19"),
    ]


def test_a_sentence_that_is_only_a_feeling_is_how_it_landed_not_feedback_received() -> None:
    flow = load_flow("debrief")
    state = SessionState(
        answers={
            "discussed": ["Code review"],
            "feedback": ['She said "your comments read like orders". It stung.'],
            "landing": ["I agree about the tone."],
            "actions": ["Explain each ask by Friday"],
        },
    )
    draft = compile_artifact(flow, state, {"mentor": "Priya"}, date(2025, 3, 5))
    assert draft.section_items("Feedback I received") == [
        'She said "your comments read like orders".'
    ]
    assert "It stung." in draft.section_items("How it landed")
