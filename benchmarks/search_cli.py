"""Wall time of `reflect knowledge search QUERY --json` as a process, start-up included.

    python benchmarks/search_cli.py [--runs N]

Builds the built-in index once in a fresh temporary REFLECT_HOME (`reflect knowledge index`),
then runs the search command ``--runs`` times with different questions and prints the median
and best wall time, next to two floors measured the same way: a bare Python start-up and
`reflect --version`. Each line also gives the CPU time the process used (user plus system),
which a busy machine inflates far less than the wall time. ``--profile`` adds the slowest
imports of one search (``-X importtime``). Compare figures from the same run.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass

TARGET_SECONDS = 0.8
QUESTIONS = (
    "my mentor keeps cancelling",
    "how do I take critical feedback without getting defensive",
    "what should go on the agenda for our first meeting",
    "my mentee went quiet after my feedback",
    "imposter syndrom help",
)


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float


def run(command: list[str], env: dict[str, str]) -> Sample:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Sample(wall, cpu)


def describe(name: str, samples: list[Sample]) -> str:
    walls = [s.wall for s in samples]
    cpu = statistics.median(s.cpu for s in samples)
    return (
        f"{name:<40} median {statistics.median(walls):5.2f} s, best {min(walls):5.2f} s, "
        f"CPU {cpu:5.2f} s"
    )


def slowest_imports(command: list[str], env: dict[str, str], count: int = 12) -> list[str]:
    result = subprocess.run(
        [command[0], "-X", "importtime", *command[1:]], env=env, capture_output=True, text=True
    )
    rows = []
    for line in result.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    rows.sort(reverse=True)
    return [f"{micros / 1000:7.1f} ms  {name}" for micros, name in rows[:count]]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--profile", action="store_true", help="list the slowest imports")
    args = parser.parse_args(argv)
    reflect = [sys.executable, "-m", "assistant"]
    with tempfile.TemporaryDirectory(prefix="reflect-search-cli-") as home:
        env = {**os.environ, "REFLECT_HOME": home, "ANONYMIZED_TELEMETRY": "False"}
        env.pop("REFLECT_CHROMA_URL", None)
        # As in an install, where Reflect's modules are compiled once (see startup.py).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        built = run([*reflect, "knowledge", "index"], env)
        print(f"built-in index built in {built.wall:.1f} s (`reflect knowledge index`)")
        # The first search reads chromadb and saves the search cache and the optimised model.
        run([*reflect, "knowledge", "search", QUESTIONS[0]], env)
        python = [run([sys.executable, "-c", "pass"], env) for _ in range(args.runs)]
        version = [run([*reflect, "--version"], env) for _ in range(args.runs)]
        search = [
            run([*reflect, "knowledge", "search", QUESTIONS[i % len(QUESTIONS)], "--json"], env)
            for i in range(args.runs)
        ]
        print(describe("python -c pass", python))
        print(describe("reflect --version", version))
        print(describe("reflect knowledge search QUERY --json", search))
        median = statistics.median(s.wall for s in search)
        met = "met" if median <= TARGET_SECONDS else "NOT met"
        print(
            f"target: median <= {TARGET_SECONDS} s: {met} (load average {os.getloadavg()[0]:.2f})"
        )
        if args.profile:
            print("\nslowest imports of one search (cumulative):")
            command = [*reflect, "knowledge", "search", QUESTIONS[0], "--json"]
            print("\n".join(slowest_imports(command, env)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
