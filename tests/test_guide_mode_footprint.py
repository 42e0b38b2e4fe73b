"""A guide-mode conversation loads only what it uses: the memory goal of issue 13 leaves no
room for a validation library that only the model client needs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.conversation import FLOW_ANSWERS

#: Loaded by the openai client in model mode (and by chromadb, which a search served from the
#: search cache never loads); guide mode reads its flow files, scenarios and artifacts without
#: them (``assistant/conversation/core/records.py``).
NOT_FOR_GUIDE_MODE = ("pydantic", "pydantic_core", "openai", "chromadb")

CHAT_EVERY_FLOW = """
import contextlib, io, json, sys
from pathlib import Path
from assistant.cli import main

folder = Path(sys.argv[1])
finished = []
for answers in sorted(folder.glob("*.txt")):
    with contextlib.redirect_stdout(io.StringIO()) as out:
        code = main(["chat", answers.stem, "--input", str(answers), "--json", "--offline"])
    finished.append([answers.stem, code, json.loads(out.getvalue())["artifact"]["title"]])
loaded = [m for m in {modules!r} if m in sys.modules]
print(json.dumps({{"finished": finished, "loaded": loaded}}))
"""


def test_every_flow_finishes_in_guide_mode_without_loading_model_mode_libraries(
    knowledge_home: Path, tmp_path: Path
) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for flow, answers in FLOW_ANSWERS.items():
        (inputs / f"{flow}.txt").write_text("\n---\n".join(answers) + "\n", encoding="utf-8")
    # A home that has searched before: its search cache is written, so chromadb stays unloaded.
    subprocess.run(
        [sys.executable, "-m", "assistant", "knowledge", "search", "first meeting"],
        capture_output=True,
        check=True,
    )
    code = CHAT_EVERY_FLOW.format(modules=list(NOT_FOR_GUIDE_MODE))
    done = subprocess.run(
        [sys.executable, "-c", code, str(inputs)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent.parent,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert sorted(flow for flow, _, _ in result["finished"]) == sorted(FLOW_ANSWERS)
    assert all(code == 0 and title for _, code, title in result["finished"])
    assert result["loaded"] == []
