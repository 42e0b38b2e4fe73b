"""Themes for a 200-session journal: how long insights take, cold and warm, and the memory.

Builds a journal of 200 sessions over two years in a temporary REFLECT_HOME (160 debriefs,
25 agendas, 15 question lists, through the real Journal API; answers written from a dozen
subjects in several wordings each, plus one-off remarks), then, each in a fresh process:

- cold: ``gather_insights`` with an empty vector cache (every sentence embedded by the local
  model, which is loaded in that process first and timed apart, as the app has usually
  loaded it for guidance already);
- warm: the same again with the cache the cold run filled (what reopening insights costs);

and prints wall and CPU time, the sentences and themes found, and resident memory (VmRSS
before, VmHWM peak and VmRSS after). Prints figures only; timings on a shared machine are
noisy.

    python benchmarks/insights_bench.py [--sessions 200] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

SUBJECTS = [
    [
        "preparing my promotion case for the next cycle",
        "what the promotion committee expects from a senior engineer",
        "my promo packet still lists tasks instead of impact",
        "whether I am ready to go for senior this year",
    ],
    [
        "handling critical feedback in code review",
        "reviewers left a lot of comments on my pull request and I got defensive",
        "taking review comments less personally",
        "how I answer when someone questions my code",
    ],
    [
        "I have taken on too many projects again",
        "saying no to extra requests without feeling guilty",
        "my workload keeps growing and my evenings disappear",
        "protecting focus time from meetings",
    ],
    [
        "missing deadlines on the migration",
        "my estimates were far too optimistic",
        "the release slipped for the second time",
        "planning buffers into my estimates",
    ],
    [
        "presenting to the leadership group",
        "my slides are too dense for executives",
        "getting nervous before big presentations",
        "telling a clearer story when I present",
    ],
    [
        "delegating work to the junior developers",
        "I still do everything myself instead of handing it over",
        "trusting the team with the hard parts",
        "coaching the new hire instead of fixing things for her",
    ],
    [
        "a conflict with the product manager about scope",
        "disagreeing with product without it turning personal",
        "the argument about the roadmap in the planning meeting",
        "finding common ground with product on priorities",
    ],
    [
        "speaking up in architecture discussions",
        "I stay quiet in design reviews even when I have a view",
        "sharing my opinion earlier in technical debates",
        "feeling like my ideas are not heard in design meetings",
    ],
    [
        "switching to a management track",
        "whether I want to become an engineering manager",
        "trying out leading a small team before deciding",
        "what I would miss about coding as a manager",
    ],
    [
        "writing clearer status updates",
        "my weekly updates are too long and too late",
        "keeping stakeholders informed without being asked",
        "a short written summary after each milestone",
    ],
    [
        "building relationships with other teams",
        "I barely know anyone outside my own team",
        "networking across the organisation",
        "having coffee with people from the platform group",
    ],
    [
        "learning the new data platform",
        "catching up on the streaming stack",
        "a course on distributed systems",
        "reading the design docs of the platform team",
    ],
]
#: One-off remarks are drawn from these parts, so that the same remark rarely comes twice.
ONE_OFF_THINGS = [
    *("coffee machine", "parking rules", "office plants", "heating", "team dinner", "printer"),
    *("lunch order", "fire drill", "hackathon prizes", "new chairs", "wifi", "standing desks"),
    *("book club", "quiz night", "bike shed", "kitchen rota", "holiday photos", "badge reader"),
]
ONE_OFF_STATES = [
    *("broke again", "changed on Monday", "came up at lunch", "made everyone laugh"),
    *("was late", "got moved", "needs a vote", "was cancelled"),
]
LEADS = ["We talked about", "Mostly about", "We discussed", "She brought up", "I raised", ""]
FLOWS = [("debrief", 160), ("prepare", 25), ("ask", 15)]


def answer(rng: random.Random) -> str:
    subjects = rng.sample(SUBJECTS, k=rng.choice((1, 2, 2, 3)))
    sentences = [f"{rng.choice(LEADS)} {rng.choice(subject)}.".strip() for subject in subjects]
    remark = f"the {rng.choice(ONE_OFF_THINGS)} {rng.choice(ONE_OFF_STATES)}"
    sentences.append(remark + ".")
    return " ".join(sentence[0].upper() + sentence[1:] for sentence in sentences)


def build_journal(home: Path, sessions: int, seed: int = 11) -> None:
    from assistant.config import load_settings
    from assistant.journal import Journal

    rng = random.Random(seed)
    journal = Journal(load_settings({"REFLECT_HOME": str(home)}).journal_path)
    kinds = [flow for flow, count in FLOWS for _ in range(count)]
    rng.shuffle(kinds)
    start = datetime(2024, 3, 1, tzinfo=UTC)
    stamps = []
    for number in range(sessions):
        flow = kinds[number % len(kinds)]
        session = journal.create_session(flow, "guide", f"{flow.capitalize()} {number + 1}")
        answers = [answer(rng) for _ in range(3)]
        for step, text in enumerate(answers):
            journal.add_turn(session.id, "assistant", "Tell me more?", step=step)
            journal.add_turn(session.id, "user", text, step=step)
        action = f"Follow up on {rng.choice(rng.choice(SUBJECTS))}"
        journal.add_action_item(session.id, action)
        sections = [{"heading": "What we discussed", "items": [answers[0]]}]
        journal.save_artifact(session.id, session.title, {"sections": sections}, "# note\n")
        stamp = (start + timedelta(days=number * 730 / sessions)).isoformat()
        stamps.append((stamp, stamp, session.id))
    journal.close()
    with sqlite3.connect(home / "journal.db") as db:
        db.executemany("UPDATE sessions SET created_at = ?, updated_at = ? WHERE id = ?", stamps)


def memory_line(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(home: Path) -> None:
    """One measurement in this process: model load, then gather_insights."""
    from assistant.config import load_settings
    from assistant.insights.gather import gather_insights, vector_cache_path
    from assistant.insights.vectors import VectorCache
    from assistant.journal import Journal

    settings = load_settings({"REFLECT_HOME": str(home)})
    journal = Journal(settings.journal_path)
    cache = VectorCache(vector_cache_path(settings.home))
    warm = cache.path.exists()
    load = time.perf_counter()
    if not warm:  # the model loads once per process; the app has often loaded it already
        from assistant.knowledge.embedding import embed_texts

        embed_texts(["load the model"])
    load = time.perf_counter() - load
    rss_before = memory_line("VmRSS")
    wall, cpu = time.perf_counter(), time.process_time()
    insights = gather_insights(journal, cache=cache)
    figures = {
        "warm": warm,
        "model_load": load,
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "sessions": insights.theme_session_count,
        "themes": [(t.theme.label, t.theme.session_count) for t in insights.themes],
        "rss_before": rss_before,
        "peak": memory_line("VmHWM"),
        "rss_after": memory_line("VmRSS"),
    }
    print(json.dumps(figures))


def run_child(home: Path) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", str(home)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "REFLECT_HOME": str(home)},
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory(prefix="reflect-insights-bench-") as folder:
        home = Path(folder)
        build_journal(home, args.sessions)
        cold, warm = [], []
        for _ in range(args.runs):
            (home / "insights" / "vectors.db").unlink(missing_ok=True)
            cold.append(run_child(home))
            warm.append(run_child(home))
        last = warm[-1]
        print(f"journal: {args.sessions} sessions, {last['sessions']} with something said")
        for name, runs in (("cold (empty cache)", cold), ("warm (cache filled)", warm)):
            walls = [float(r["wall"]) for r in runs]  # type: ignore[arg-type]
            cpus = [float(r["cpu"]) for r in runs]  # type: ignore[arg-type]
            peaks = [float(r["peak"]) for r in runs]  # type: ignore[arg-type]
            print(
                f"{name}: wall median {statistics.median(walls):.2f} s "
                f"(runs {', '.join(f'{w:.2f}' for w in walls)}), "
                f"CPU median {statistics.median(cpus):.2f} s; "
                f"RSS before {float(runs[-1]['rss_before']):.0f} MB, "  # type: ignore[arg-type]
                f"peak {max(peaks):.0f} MB, "
                f"after {float(runs[-1]['rss_after']):.0f} MB"  # type: ignore[arg-type]
            )
        loads = [float(r["model_load"]) for r in cold]  # type: ignore[arg-type]
        load = statistics.median(loads)
        print(f"model load before each cold run (not in its figures): median {load:.2f} s")
        print("themes (label, sessions):")
        for label, count in last["themes"]:  # type: ignore[attr-defined]
            print(f"  {count:3d}  {label}")
        print(f"vector cache: {(home / 'insights' / 'vectors.db').stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
