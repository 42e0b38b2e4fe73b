"""What a user writes stays on their machine; the key is never written anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import FAKE_API_KEY
from tests.support.openai_server import Reply, ScriptedOpenAI

REPO_ROOT = Path(__file__).resolve().parent.parent
ANSWERS = [
    "Agree the scope of the lead role with Priya",
    "Shipped the onboarding revamp",
    "The lead role; then my presentation skills",
    "Ask for an introduction to the platform team",
]


def run_guarded(
    args: list[str], port: int, log: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """`reflect ARGS` in a fresh interpreter whose sockets may reach only ``port`` on loopback."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from tests.support.socket_guard import install\n"
        f"install({port}, Path({str(log)!r}))\n"
        "from assistant.cli import main\n"
        f"sys.exit(main({args!r}))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO_ROOT,
        env=env,
    )


@dataclass
class ModelSession:
    server: ScriptedOpenAI
    home: Path
    socket_log: Path
    result: dict
    runs: list[subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def model_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModelSession]:
    """A full model-mode `prepare` from a cold start (the app builds its own index), then an
    export, both under the socket guard. Run once; the tests below read what it left."""
    work = tmp_path_factory.mktemp("privacy")
    home = work / "home"
    answers = work / "answers.txt"
    answers.write_text("\n---\n".join(ANSWERS) + "\n", encoding="utf-8")
    log = work / "sockets.jsonl"
    with ScriptedOpenAI(models=["test-model"]) as server:
        server.default = Reply(text="Thanks. You said “the lead role” [1]. What else?")
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "REFLECT_"))},
            "REFLECT_HOME": str(home),
            "OPENAI_BASE_URL": server.base_url,
            "OPENAI_API_KEY": FAKE_API_KEY,
            "REFLECT_MODEL": "test-model",
            "ANONYMIZED_TELEMETRY": "False",
        }
        chat = run_guarded(
            ["chat", "prepare", "--input", str(answers), "--json"], server.port, log, env
        )
        assert chat.returncode == 0, chat.stderr
        result = json.loads(chat.stdout)
        target = home / "exports" / "agenda.md"
        export = run_guarded(
            ["export", result["session_id"], "-o", str(target)], server.port, log, env
        )
        assert export.returncode == 0, export.stderr
        yield ModelSession(server, home, log, result, [chat, export])


def test_a_model_session_connects_only_to_the_configured_endpoint(
    model_session: ModelSession,
) -> None:
    assert model_session.result["mode"] == "model"
    assert model_session.server.chat_requests(), "the session must really reach the endpoint"
    attempts = [json.loads(line) for line in model_session.socket_log.read_text().splitlines()]
    refused = [attempt for attempt in attempts if not attempt["allowed"]]
    assert refused == []
    assert any(attempt["kind"] == "connect" for attempt in attempts)


def test_the_key_is_in_no_file_output_or_export(model_session: ModelSession) -> None:
    first_request = model_session.server.chat_requests()[0]
    assert first_request.headers["authorization"] == f"Bearer {FAKE_API_KEY}"
    files = [path for path in model_session.home.rglob("*") if path.is_file()]
    assert any(path.suffix == ".md" for path in files), "the export must be among the files"
    assert any("index" in path.parts for path in files), "the index must be among the files"
    for path in files:
        assert FAKE_API_KEY.encode() not in path.read_bytes(), path
    for run in model_session.runs:
        assert FAKE_API_KEY not in run.stdout + run.stderr


def test_everything_the_app_writes_is_private(model_session: ModelSession) -> None:
    for path in [model_session.home, *model_session.home.rglob("*")]:
        mode = path.stat().st_mode & 0o777
        expected = 0o700 if path.is_dir() else 0o600
        assert mode & 0o077 == 0, f"{path} is {oct(mode)}, expected {oct(expected)} or stricter"


def test_chroma_telemetry_is_off_even_when_the_environment_asks_for_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from assistant.config import load_settings
    from assistant.knowledge.store import connect

    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "True")
    client = connect(load_settings())
    assert client.get_settings().anonymized_telemetry is False
