"""Accuracy, precision and recall of guide mode's question checks, flag by flag.

Runs every question of ``question_devset.json`` (a mentee's questions for a mentor, with the
flags a careful coach would raise) through ``check_question`` and prints, for each flag, how
often the check agrees with the label. ``--show`` lists the disagreements and every rewrite.

    .venv/bin/python benchmarks/question_eval.py [--show]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from assistant.conversation.guide.questions import QuestionFlag, check_question

DEVSET = Path(__file__).with_name("question_devset.json")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list misses and rewrites")
    args = parser.parse_args()
    rows = json.loads(DEVSET.read_text(encoding="utf-8"))["questions"]
    checks = [check_question(row["question"]) for row in rows]
    print(f"{len(rows)} questions in {DEVSET.name}")
    print(f"{'flag':<10} {'labelled':>8} {'accuracy':>9} {'precision':>10} {'recall':>7}")
    for flag in QuestionFlag:
        expected = [flag in row["flags"] for row in rows]
        found = [flag in check.flags for check in checks]
        pairs = list(zip(expected, found, strict=True))
        true_pos = sum(e and f for e, f in pairs)
        precision = true_pos / max(1, sum(found))
        recall = true_pos / max(1, sum(expected))
        accuracy = sum(e == f for e, f in pairs) / len(rows)
        print(f"{flag:<10} {sum(expected):>8} {accuracy:>9.1%} {precision:>10.1%} {recall:>7.1%}")
    pairs = list(zip(rows, checks, strict=True))
    exact = sum(set(row["flags"]) == set(check.flags) for row, check in pairs)
    print(f"all flags exactly right: {exact}/{len(rows)} ({exact / len(rows):.1%})")
    if args.show:
        for row, check in pairs:
            mark = "  " if set(row["flags"]) == set(check.flags) else "XX"
            got = [str(flag) for flag in check.flags]
            print(f"{mark} {check.question}\n     want {row['flags']} got {got}")
            if check.rewrite:
                print(f"     -> {check.rewrite}")


if __name__ == "__main__":
    main()
