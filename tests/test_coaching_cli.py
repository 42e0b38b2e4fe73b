"""Guide mode's coaching, end to end through `reflect chat --json`: the question checks of
`ask`, and the rubric and simulated mentee of `practice`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.cli import main


def chat(flow: str, blocks: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    script = tmp_path / f"{flow}.txt"
    script.write_text("\n---\n".join(blocks) + "\n", encoding="utf-8")
    assert main(["chat", flow, "--input", str(script), "--offline", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_ask_flags_a_bare_ask_for_advice_as_broad_and_keeps_its_subject(
    knowledge_home, tmp_path, capsys
) -> None:
    result = chat(
        "ask",
        [
            "My manager keeps giving the visible projects to someone else.",
            "It has happened three times since March and I have not raised it.",
            "Any advice on negotiating my salary?\nWhy does nobody notice my work?",
        ],
        tmp_path,
        capsys,
    )
    review = next(
        t["content"] for t in result["turns"] if "Here is how your questions" in t["content"]
    )
    line = next(
        row for row in review.splitlines() if "“Any advice on negotiating my salary?”:" in row
    )
    assert "open and specific" not in line
    assert "too broad" in line
    rewrite = re.search(r"Try: “(.+?)”", line)
    assert rewrite is not None
    assert rewrite[1] == (
        "When it comes to negotiating my salary, what is the first step you would take in my place?"
    )
    blame = next(row for row in review.splitlines() if "“Why does nobody notice my work?”:" in row)
    assert "Try: “What could I do so that people notice my work?”" in blame
    questions = next(
        s for s in result["artifact"]["sections"] if s["heading"] == "Questions to ask"
    )
    assert questions["items"][0] == rewrite[1]


def test_practice_credits_a_stated_impact_and_the_mentee_takes_up_the_proposed_days(
    knowledge_home, tmp_path, capsys
) -> None:
    impact = "The late report left Priya showing the client out-of-date figures."
    result = chat(
        "practice",
        [
            "missed deadlines",
            f"On Tuesday the weekly report arrived two days late. {impact}",
            "What's been going on?",
            "Could we meet Tuesday and Thursday at 10 to go through the data together?",
            "/skip",
        ],
        tmp_path,
        capsys,
    )
    turns = result["turns"]
    persona = [t for t in turns if t["role"] == "assistant" and t["content"].startswith("Priya: ")]
    assert len(persona) == 3 and all(t["sources"] == [] for t in persona)
    assert "Reflect" not in " ".join(t["content"] for t in persona)
    # The open question brought out a fact; the proposal came back with the mentor's days.
    assert "the raw data from the sales team arrives on Monday afternoon" in persona[1]["content"]
    answer = persona[2]["content"]
    assert "Tuesday and Thursday at 10" in answer
    other_days = {"Monday", "Wednesday", "Friday", "Saturday", "Sunday"}
    assert not other_days & set(re.findall(r"[A-Z][a-z]+day", answer))
    debrief = next(t["content"] for t in turns if t["content"].startswith("How your feedback"))
    assert f"- Impact: 4/4. Says what it led to, and for whom. You said: “{impact}”" in debrief
    assert "- Agreed next step: 4/4." in debrief
    scores = next(
        s for s in result["artifact"]["sections"] if s["heading"] == "Scores against the rubric"
    )
    assert any(item.startswith("Impact: 4/4") for item in scores["items"])
