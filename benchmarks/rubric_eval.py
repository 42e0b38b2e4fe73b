"""Agreement of guide mode's practice rubric with hand-labelled mentor lines, criterion by
criterion.

Each line of ``rubric_devset.json`` is scored alone (1 to 4 on situation, behaviour, impact,
open question, next step and judgement-free wording) and compared with its labels. The
target is at least 90% exact agreement on every criterion. ``--show`` lists disagreements.

    .venv/bin/python benchmarks/rubric_eval.py [--show]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from assistant.conversation.core.scenarios import get_scenario
from assistant.conversation.guide.rubric import CRITERIA, score_feedback

DEVSET = Path(__file__).with_name("rubric_devset.json")
TARGET = 0.9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list the disagreements")
    args = parser.parse_args()
    rows = json.loads(DEVSET.read_text(encoding="utf-8"))["lines"]
    scenario = get_scenario("missed-deadlines")
    scored = [
        {score.criterion: score for score in score_feedback([row["line"]], scenario)}
        for row in rows
    ]
    print(f"{len(rows)} mentor lines in {DEVSET.name}")
    print(f"{'criterion':<15} {'agreement':>9} {'within 1':>9}")
    for criterion in CRITERIA:
        pairs = [
            (row["scores"][criterion], got[criterion].score)
            for row, got in zip(rows, scored, strict=True)
        ]
        exact = sum(want == got for want, got in pairs) / len(pairs)
        near = sum(abs(want - got) <= 1 for want, got in pairs) / len(pairs)
        mark = "" if exact >= TARGET else f"  (below the {TARGET:.0%} target)"
        print(f"{criterion:<15} {exact:>9.1%} {near:>9.1%}{mark}")
    if args.show:
        for row, got in zip(rows, scored, strict=True):
            misses = [
                f"{criterion} want {row['scores'][criterion]} got {got[criterion].score}"
                for criterion in CRITERIA
                if row["scores"][criterion] != got[criterion].score
            ]
            if misses:
                print(f"- {row['line']}\n    " + "; ".join(misses))


if __name__ == "__main__":
    main()
