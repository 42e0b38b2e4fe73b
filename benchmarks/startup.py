"""Time to first frame: `reflect` against a bare Textual app (Header, Label, Footer).

Each run starts a fresh process in a pseudo-terminal of 100x30 and measures the time from
launch until the frame holding a known text has been written to the terminal, as a user would
see it; the process is then closed. Runs of the two apps alternate so that a busy machine
slows both alike. Prints each median, the fastest run and the CPU time the process had used
when its frame appeared (its own work, which a busy machine does not inflate), and the ratios
(target: at most 1.15 with a built index).

    python benchmarks/startup.py [--runs 15] [--with-index]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from terminal_app import close, cpu_seconds, launch, read_until

COLUMNS, ROWS = 100, 30
TIMEOUT_SECONDS = 60.0

BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Label


class Bare(App):
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def compose(self):
        yield Header()
        yield Label("Bare Textual app ready")
        yield Footer()


Bare().run()
"""


def time_to_text(command: list[str], marker: bytes, env: dict[str, str]) -> tuple[float, float]:
    """Seconds from launching ``command`` in a pty until ``marker`` appears in its output, and
    the CPU seconds the process had used by then (its own work, whatever the machine's load).
    """
    started = time.perf_counter()
    pid, fd = launch(command, env, COLUMNS, ROWS)
    try:
        read_until(fd, marker, TIMEOUT_SECONDS)
        return time.perf_counter() - started, cpu_seconds(pid)
    finally:
        close(pid, fd)


def _summary(runs: list[tuple[float, float]]) -> dict[str, float]:
    """Median and fastest wall time, and median CPU time, in milliseconds."""
    walls = [wall * 1000 for wall, _ in runs]
    return {
        "median": statistics.median(walls),
        "fastest": min(walls),
        "cpu": statistics.median(cpu * 1000 for _, cpu in runs),
    }


def _describe(summary: dict[str, float]) -> str:
    return (
        f"median {summary['median']:.0f} ms, fastest {summary['fastest']:.0f} ms, "
        f"CPU {summary['cpu']:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each app (default 15)")
    parser.add_argument(
        "--with-index",
        action="store_true",
        help="build the knowledge index in REFLECT_HOME first, as a user who has run it has",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        bare_script = Path(tmp) / "bare_app.py"
        bare_script.write_text(BARE_APP)
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "REFLECT_MODEL")
        }
        env.update(REFLECT_HOME=str(home), TERM="xterm-256color", COLUMNS="", LINES="")
        # As in an install: pip compiles Textual's modules and Reflect's, and an editable
        # install compiles Reflect's on its first run. Left set, this would make Reflect
        # (but not Textual, compiled by pip) compile its own modules at every launch.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        reflect = shutil.which("reflect")
        reflect_command = [reflect] if reflect else [sys.executable, "-m", "assistant"]
        bare_command = [sys.executable, str(bare_script)]
        reflect_marker = b"Prepare for a meeting"
        bare_marker = b"Bare Textual app ready"

        if args.with_index:
            subprocess.run(
                [sys.executable, "-m", "assistant", "knowledge", "index"],
                env=env,
                check=True,
                capture_output=True,
            )
        # One untimed launch each: the journal is created, modules are compiled and files
        # are in the page cache, as for anyone who has opened the app before.
        time_to_text(reflect_command, reflect_marker, env)
        time_to_text(bare_command, bare_marker, env)

        reflect_runs: list[tuple[float, float]] = []
        bare_runs: list[tuple[float, float]] = []
        for _ in range(args.runs):
            bare_runs.append(time_to_text(bare_command, bare_marker, env))
            reflect_runs.append(time_to_text(reflect_command, reflect_marker, env))

    print(f"runs per app: {args.runs}, terminal {COLUMNS}x{ROWS}")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, load average {load}")
    bare, ours = _summary(bare_runs), _summary(reflect_runs)
    print(f"bare Textual app (Header, Label, Footer): {_describe(bare)}")
    print(f"reflect home screen:                      {_describe(ours)}")
    print(
        f"ratio reflect / bare: {ours['median'] / bare['median']:.2f} of the medians, "
        f"{ours['fastest'] / bare['fastest']:.2f} of the fastest, "
        f"{ours['cpu'] / bare['cpu']:.2f} of the CPU time (target <= 1.15)"
    )


if __name__ == "__main__":
    main()
