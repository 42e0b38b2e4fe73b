"""How well guide mode reads an answer: precision and recall for each signal.

    python benchmarks/understanding_eval.py [--json] [--misses SIGNAL]

Runs :func:`assistant.conversation.guide.understanding.read_answer` on every answer of
``benchmarks/understanding_devset.json`` (answers as mentees write them, labelled by hand) and
compares what it found with the labels:

- situation: per answer, the detected situation id against the labelled one (an answer with
  no situation labelled counts a wrong detection as a false positive);
- feelings and people: the sets of feeling names and names of people;
- agreement, disagreement, absolute, vague: yes/no per answer;
- commitments and questions: counts (min of found and labelled are true positives).

``--misses SIGNAL`` lists the answers where that signal was wrong, to improve the patterns.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.conversation.guide.understanding import Reading, read_answer

DEVSET = Path(__file__).with_name("understanding_devset.json")
TODAY = date(2025, 3, 5)
SIGNALS = (
    "situation",
    "feelings",
    "agree",
    "disagree",
    "absolute",
    "vague",
    "commitments",
    "questions",
    "people",
)


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, found: set[str] | int | bool, wanted: set[str] | int | bool) -> bool:
        """Count one answer; True when it was right."""
        if isinstance(found, set) and isinstance(wanted, set):
            self.tp += len(found & wanted)
            self.fp += len(found - wanted)
            self.fn += len(wanted - found)
            return found == wanted
        found_n, wanted_n = int(found), int(wanted)
        self.tp += min(found_n, wanted_n)
        self.fp += max(0, found_n - wanted_n)
        self.fn += max(0, wanted_n - found_n)
        return found_n == wanted_n

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def found_signals(reading: Reading) -> dict[str, Any]:
    situation = reading.situation.situation.id if reading.situation else None
    return {
        "situation": {situation} if situation else set(),
        "feelings": {feeling.name for feeling in reading.feelings},
        "agree": bool(reading.agreements),
        "disagree": bool(reading.disagreements),
        "absolute": bool(reading.absolutes),
        "vague": reading.is_vague,
        "commitments": len(reading.commitments),
        "questions": len(reading.questions),
        "people": set(reading.people),
    }


def wanted_signals(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "situation": {entry["situation"]} if entry["situation"] else set(),
        "feelings": set(entry["feelings"]),
        "agree": entry["agree"],
        "disagree": entry["disagree"],
        "absolute": entry["absolute"],
        "vague": entry["vague"],
        "commitments": entry["commitments"],
        "questions": entry["questions"],
        "people": set(entry["people"]),
    }


def evaluate(misses_of: str | None = None) -> dict[str, dict[str, float]]:
    answers = json.loads(DEVSET.read_text(encoding="utf-8"))["answers"]
    tallies = {signal: Tally() for signal in SIGNALS}
    for entry in answers:
        reading = read_answer(entry["text"], TODAY, actions=entry.get("step") == "actions")
        found, wanted = found_signals(reading), wanted_signals(entry)
        for signal in SIGNALS:
            right = tallies[signal].add(found[signal], wanted[signal])
            if signal == misses_of and not right:
                print(f"- {entry['text']!r}: found {found[signal]}, labelled {wanted[signal]}")
    return {
        signal: {
            "precision": round(tally.precision, 3),
            "recall": round(tally.recall, 3),
            "support": tally.tp + tally.fn,
        }
        for signal, tally in tallies.items()
    } | {"answers": {"count": len(answers)}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--misses", choices=SIGNALS, help="list the answers a signal got wrong")
    args = parser.parse_args()
    figures = evaluate(args.misses)
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"{figures['answers']['count']} answers in {DEVSET.name}")
    print(f"{'signal':<12} {'precision':>9} {'recall':>7} {'support':>8}")
    for signal in SIGNALS:
        row = figures[signal]
        print(f"{signal:<12} {row['precision']:>9.2f} {row['recall']:>7.2f} {row['support']:>8}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
