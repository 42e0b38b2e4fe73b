"""`reflect chat` reads a bounded amount: an endless input or a giant answer is cut, saying so.

``reflect chat --input /dev/zero`` used to grow by hundreds of MB a second.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

from assistant.commands.input_limits import MAX_ANSWER_CHARS, MAX_INPUT_CHARS, READ_CHARS
from assistant.config import load_settings
from assistant.journal import Journal

#: Address space, not resident memory: onnxruntime's and the tokenizer's thread pools reserve
#: address space they never touch, so a bounded run needs about 1.5 GB of it. An unbounded read
#: of /dev/zero (about 330 MB/s) passes 4 GB in seconds, well inside the 180 s timeout.
MEMORY_LIMIT = 4_000_000_000


def chat(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    result = subprocess.run(
        [sys.executable, "-m", "assistant", "--offline", "chat", *args],
        input=stdin, capture_output=True, timeout=180, preexec_fn=limit_memory,
    )  # fmt: skip
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout.decode(), result.stderr.decode()
    )


def test_an_endless_input_stops_at_the_bound_with_one_line(reflect_home: Path) -> None:
    result = chat("prepare", "--input", "/dev/zero", "--json")
    assert result.returncode == 0, result.stderr[-2000:]
    assert (
        f"reflect: the input is longer than {MAX_INPUT_CHARS:,} characters; the rest was not "
        "read, and the conversation ends here"
    ) in result.stderr.splitlines()
    assert json.loads(result.stdout)["flow"] == "prepare"


def test_a_giant_answer_keeps_its_beginning_and_the_next_answers(reflect_home: Path) -> None:
    giant = "I want to lead the migration. " + "x" * (MAX_ANSWER_CHARS * 3)
    text = f"{giant}\n---\nShipped the billing work early\n"
    result = chat("prepare", "--json", stdin=text.encode())
    assert result.returncode == 0, result.stderr[-2000:]
    assert (
        result.stderr.splitlines().count(
            f"reflect: answer 1 is longer than {MAX_ANSWER_CHARS:,} characters; "
            "only its beginning is used"
        )
        == 1
    )
    session_id = json.loads(result.stdout)["session_id"]
    with Journal(load_settings().journal_path) as journal:
        users = [t.content for t in journal.turns(session_id) if t.role == "user"]
    assert users[0].startswith("I want to lead the migration. xxx")
    # (Its one very long line arrives in pieces, each a line: a few line breaks more.)
    assert len(users[0]) <= MAX_ANSWER_CHARS + MAX_ANSWER_CHARS // READ_CHARS + 1
    assert users[1] == "Shipped the billing work early"
