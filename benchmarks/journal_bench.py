"""A large journal: how fast the journal screen opens and search answers, and how much memory
the app holds after start-up and after a 100-turn conversation.

Builds a journal of 5,000 sessions and 100,000 turns (with artifacts and action items) in a
temporary REFLECT_HOME with bulk SQL, indexes the built-in guidance there, then measures:

- the journal screen: from pressing j on the home screen of ``reflect`` in a pseudo-terminal
  until its first rows are written (first open, which imports the screen, and the median of
  the next ones), with the app's CPU time beside the wall time;
- search across sessions: ``Journal.search`` for several queries, p50 and slowest;
- resident memory (VmRSS) of a fresh process running the app after start-up (the knowledge
  index checked, as ``reflect`` does), and after 100 messages in one guide-mode conversation
  typed into the conversation screen; once for the first run in a home (which saves the
  optimised embedding model) and once for a later run (which loads it).

Targets: journal screen < 300 ms, search < 200 ms, memory <= 200 MB. Prints figures only.

    python benchmarks/journal_bench.py [--sessions 5000] [--turns 100000] [--runs 7]
"""

from __future__ import annotations

import argparse
import asyncio
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

from terminal_app import close, cpu_seconds, launch, read_until, wait_until_idle

FLOWS = ("prepare", "ask", "debrief", "practice")
TITLES = {
    "prepare": "Agenda for the meeting with Dana",
    "ask": "Questions for Dana",
    "debrief": "Reflection on the meeting with Dana",
    "practice": "Feedback practice: missed deadlines",
}
WORDS = """
deadline deadlines estimate estimates project migration release roadmap feedback critical
defensive manager mentor promotion presentation leadership stakeholder team meeting goals
priorities confidence delegation burnout workload scope quality review code design customer
incident planning sprint budget hiring interview onboarding career growth skills writing
listening conflict trust respect boundaries expectations accountability progress blocker
learning reading course conference network sponsor visibility impact outcome metrics data
analysis strategy vision clarity communication update status weekly monthly quarterly goal
I we she he they my our the a to of and in on for with about because but so when then
talked discussed agreed decided noticed felt wanted tried asked told heard learned planned
""".split()  # noqa: SIM905
QUERIES = (
    "deadline",
    "critical feedback",
    "promotion presentation",
    "migration estimates",
    "sponsor visibility",
    "zeppelin",
)
HOME_MARKER = b"Prepare for a meeting"
MEMORY_MESSAGES = 100
#: The most recent sessions whose debriefs still have open action items (two each).
OPEN_ITEM_SESSIONS = 40
SIZE = (100, 30)


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def build_journal(home: Path, sessions: int, turns: int, seed: int = 7) -> None:
    """Create the schema through Journal, then bulk-insert rows with one transaction."""
    from assistant.config import load_settings
    from assistant.journal import Journal

    settings = load_settings({"REFLECT_HOME": str(home)})
    Journal(settings.journal_path).close()
    rng = random.Random(seed)
    start = datetime(2023, 1, 2, 9, 0, tzinfo=UTC)
    span = (datetime(2026, 3, 1, tzinfo=UTC) - start).total_seconds()
    session_rows, turn_rows, artifact_rows, item_rows = [], [], [], []
    per_session = turns // sessions
    for number in range(sessions):
        flow = FLOWS[number % len(FLOWS)]
        stamp = (start + timedelta(seconds=span * number / sessions)).isoformat(timespec="seconds")
        session_id = f"{number:08x}"
        status = "active" if number % 23 == 0 else "done"
        session_rows.append(
            (session_id, flow, TITLES[flow], status, "guide", 0, "{}", stamp, stamp)
        )
        for seq in range(1, per_session + 1):
            role = "assistant" if seq % 2 else "user"
            text = sentence(rng, rng.randint(12, 40))
            turn_rows.append((session_id, seq, role, text, seq // 2, "[]", "complete", stamp))
        if status == "done":
            markdown = f"# {TITLES[flow]}\n\n## Notes\n\n- {sentence(rng, 20)}\n"
            artifact_rows.append((session_id, TITLES[flow], "{}", markdown, stamp))
        if flow == "debrief":
            # Like a real journal: what is years old was done or dropped; recent items are open.
            recent = number >= sessions - OPEN_ITEM_SESSIONS
            for index in range(2):
                item_status = "open" if recent else ("done", "dropped")[(number + index) % 2]
                closed = None if item_status == "open" else stamp
                due = (start + timedelta(seconds=span * number / sessions, days=14)).date()
                item_rows.append(
                    (
                        f"{number:06x}{index}",
                        session_id,
                        sentence(rng, 8),
                        due.isoformat(),
                        item_status,
                        stamp,
                        closed,
                    )
                )
    db = sqlite3.connect(settings.journal_path)
    with db:
        db.executemany("INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", session_rows)
        db.executemany(
            "INSERT INTO turns (session_id, seq, role, content, step, sources, status, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            turn_rows,
        )
        db.executemany("INSERT INTO artifacts VALUES (?, ?, ?, ?, ?)", artifact_rows)
        db.executemany("INSERT INTO action_items VALUES (?, ?, ?, ?, ?, ?, ?)", item_rows)
    db.execute("PRAGMA optimize")
    db.close()


# --- the journal screen ---------------------------------------------------------------------


def time_journal_screen(home: Path, sessions: int, runs: int) -> list[tuple[float, float]]:
    """(wall, CPU) seconds from pressing j on the home screen of ``reflect`` running in a
    100x30 pseudo-terminal until the journal's first rows have been written to it.

    CPU is the app process's own (from /proc), so on a busy machine the time spent waiting
    for a core shows as the difference.
    """
    env = app_env(home)
    env["TERM"] = "xterm-256color"
    # The status line above the rows; it is drawn in the same frame as the first page.
    journal_marker = f"{sessions:,} sessions, newest first".encode()
    pid, fd = launch([sys.executable, "-m", "assistant"], env, *SIZE)
    times: list[tuple[float, float]] = []
    try:
        read_until(fd, HOME_MARKER)
        wait_until_idle(pid)  # start-up work (the index check) is over
        for _ in range(runs):
            started, cpu_started = time.perf_counter(), cpu_seconds(pid)
            os.write(fd, b"j")
            read_until(fd, journal_marker)
            times.append((time.perf_counter() - started, cpu_seconds(pid) - cpu_started))
            os.write(fd, b"\x1b")  # back to home
            read_until(fd, HOME_MARKER)
            wait_until_idle(pid)
    finally:
        close(pid, fd)
    return times


def time_searches(home: Path, rounds: int) -> dict[str, list[float]]:
    from assistant.journal import Journal

    times: dict[str, list[float]] = {query: [] for query in QUERIES}
    with Journal(home / "journal.db") as journal:
        for _ in range(rounds):
            for query in QUERIES:
                started = time.perf_counter()
                journal.search(query)
                times[query].append(time.perf_counter() - started)
    return times


# --- memory, in a fresh process -------------------------------------------------------------


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


async def measure_memory(home: Path) -> dict[str, float]:
    """Run in a child process: RSS after start-up, and after 100 messages in one conversation."""
    from assistant.config import load_settings
    from assistant.ui.app import ReflectApp
    from assistant.ui.conversation_screen import ConversationScreen
    from assistant.ui.widgets.message_input import MessageInput

    app = ReflectApp(load_settings({"REFLECT_HOME": str(home)}), prepare_knowledge=True)
    figures: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        figures["first_frame"] = rss_mb()
        await _startup_done(pilot)
        figures["startup"] = rss_mb()

        app.start_conversation("prepare")
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        await _settle(pilot, screen)
        box = screen.query_one("#message", MessageInput)
        for number in range(MEMORY_MESSAGES):
            # Answer, then go back a step, so one conversation takes all the messages.
            text = "/back" if number % 2 else sentence(random.Random(number), 30)
            box.focus()
            box.insert(text)
            await pilot.press("enter")
            await _settle(pilot, screen)
        figures["conversation"] = rss_mb()
        # A warm search reads the search cache: chromadb should never have been loaded.
        figures["chromadb_loaded"] = float("chromadb" in sys.modules)
        (session,) = app.journal.list_sessions(limit=1)  # the newest: this conversation
        figures["turns"] = len(app.journal.turns(session.id))
    return figures


async def _startup_done(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait for the start-up index check (which loads chromadb and the embedding model)."""
    for _ in range(200):
        started = [w for w in pilot.app.workers if w.group == "knowledge"]
        if started:
            await pilot.app.workers.wait_for_complete(started)
            break
        await pilot.pause(0.05)
    await pilot.pause()


async def _settle(pilot, screen) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    while screen.busy:
        await pilot.pause(0.02)
    await pilot.pause()


def app_env(home: Path) -> dict[str, str]:
    """This environment without an endpoint (guide mode), for the app in ``home``."""
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    env.update(REFLECT_HOME=str(home), ANONYMIZED_TELEMETRY="False")
    return env


def build_index(home: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "assistant", "knowledge", "index"],
        env=app_env(home),
        check=True,
        capture_output=True,
    )


def memory_in_child(home: Path) -> dict[str, float]:
    env = app_env(home)
    result = subprocess.run(
        [sys.executable, __file__, "--memory-child", str(home)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- report ---------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5000)
    parser.add_argument("--turns", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7, help="journal screen opens (default 7)")
    parser.add_argument("--memory-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        print(json.dumps(asyncio.run(measure_memory(args.memory_child))))
        return

    os.environ["ANONYMIZED_TELEMETRY"] = "False"
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        started = time.perf_counter()
        build_journal(home, args.sessions, args.turns)
        size = (home / "journal.db").stat().st_size / 2**20
        print(
            f"journal: {args.sessions:,} sessions, {args.turns:,} turns, "
            f"{OPEN_ITEM_SESSIONS // len(FLOWS) * 2} open action items, {size:.0f} MB "
            f"(built in {time.perf_counter() - started:.1f} s); load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )

        build_index(home)
        opens = time_journal_screen(home, args.sessions, args.runs)
        later = opens[1:] or opens
        wall = statistics.median(t for t, _ in later)
        cpu = statistics.median(c for _, c in later)
        print(
            f"journal screen to first rows: first open {ms(opens[0][0])} "
            f"(cpu {ms(opens[0][1])}), then median {ms(wall)} (cpu {ms(cpu)}) "
            f"over {len(later)} (target < 300 ms)"
        )

        searches = time_searches(home, rounds=args.runs)
        every = [t for times in searches.values() for t in times]
        print(
            f"search across sessions: p50 {ms(statistics.median(every))}, "
            f"slowest {ms(max(every))} over {len(every)} searches (target < 200 ms)"
        )
        for query, times in searches.items():
            print(f"  {query!r:28} median {ms(statistics.median(times))}")

        # The first run in a home saves the optimised embedding model (model-cache/); every
        # later start loads it from there. Both are shown: the second is the everyday case.
        for run in ("first run in this home", "a later run"):
            memory = memory_in_child(home)
            print(
                f"resident memory, {run}: at the first frame {memory['first_frame']:.0f} MB; "
                f"after start-up (index checked, embedding model loaded) "
                f"{memory['startup']:.0f} MB; after {MEMORY_MESSAGES} messages in one "
                f"guide-mode conversation ({memory['turns']:.0f} turns) "
                f"{memory['conversation']:.0f} MB (target <= 200 MB); "
                f"chromadb {'loaded' if memory['chromadb_loaded'] else 'never loaded'}"
            )


if __name__ == "__main__":
    main()
