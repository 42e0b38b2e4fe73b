"""A secret carried in an address (``http://user:KEY@host``, ``?api_key=KEY``) never reaches
disk: not the config, the journal, an export, the index's configuration or the search cache.

Before, the ``openai`` embedding function kept its base URL, secret and all, in the index's
collection configuration (chromadb's SQLite file), and the search cache's key file (now its
``header.json``) named the Chroma server's address as given.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.config import ConfigError, load_settings, save_setting
from assistant.url_display import masked_url, url_has_credentials, url_without_credentials
from tests.conftest import FAKE_API_KEY
from tests.support.openai_server import Reply, ScriptedOpenAI

REPO_ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "pw-SECRET-in-the-user-part-4711"
QUERY_KEY = "qk-SECRET-in-the-query-0815"
CHROMA_PASSWORD = "ch-SECRET-chroma-password-42"
SECRETS = (PASSWORD, QUERY_KEY, CHROMA_PASSWORD)
ANSWERS = ["Agree the scope of the lead role", "Shipped the revamp", "The lead role", "An intro"]
CLOSED_PORT = 9  # discard: nothing listens there on a test machine


def run(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``reflect ARGS`` in a fresh interpreter with only this test's endpoint settings."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "REFLECT_"))}
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO_ROOT,
        env={**clean, "REFLECT_HOME": str(home), "ANONYMIZED_TELEMETRY": "False", **env},
    )


@pytest.mark.parametrize(
    ("url", "shown", "kept"),
    [
        ("http://me:KEY@127.0.0.1:8080/v1", "http://me:***@127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1"),
        ("http://TOKEN@example.org/v1", "http://***@example.org/v1", "http://example.org/v1"),
        (
            "https://example.org/v1?api-version=2&api_key=KEY",
            "https://example.org/v1?api-version=2&api_key=***",
            "https://example.org/v1?api-version=2",
        ),
        ("https://example.org/v1?access_token=KEY", "https://example.org/v1?access_token=***", "https://example.org/v1"),
        ("http://[::1]:11434", "http://[::1]:11434", "http://[::1]:11434"),
    ],
)  # fmt: skip
def test_an_address_is_shown_masked_and_kept_without_its_secret(
    url: str, shown: str, kept: str
) -> None:
    assert masked_url(url) == shown
    assert url_without_credentials(url) == kept
    assert url_has_credentials(url) == (url != kept)


def test_the_settings_screen_cannot_save_an_address_with_a_secret(reflect_home: Path) -> None:
    settings = load_settings()
    settings = save_setting(settings, "model", "name", "kept-model")
    before = settings.config_path.read_text(encoding="utf-8")
    for section, key, url in [
        ("model", "base_url", f"http://me:{PASSWORD}@127.0.0.1:8080/v1"),
        ("model", "base_url", f"https://example.org/v1?api_key={QUERY_KEY}"),
        ("knowledge", "chroma_url", f"http://me:{CHROMA_PASSWORD}@127.0.0.1:8000"),
    ]:
        with pytest.raises(ConfigError, match="never writes one to a file") as refused:
            save_setting(settings, section, key, url)
        assert not any(secret in str(refused.value) for secret in SECRETS)
    assert settings.config_path.read_text(encoding="utf-8") == before
    saved = save_setting(settings, "model", "base_url", "http://127.0.0.1:8080/v1")
    assert saved.base_url == "http://127.0.0.1:8080/v1"


def test_no_secret_in_an_address_reaches_disk_or_output(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    (home / "config.toml").write_text(
        '[knowledge]\nembedding = "openai"\nembedding_model = "test-embed"\n', encoding="utf-8"
    )
    answers = tmp_path / "answers.txt"
    answers.write_text("\n---\n".join(ANSWERS) + "\n", encoding="utf-8")
    runs: list[subprocess.CompletedProcess[str]] = []
    with ScriptedOpenAI(models=["test-model", "test-embed"]) as server:
        server.default = Reply(text="Thanks. What matters most about “the lead role”?")
        host = f"127.0.0.1:{server.port}"
        with_password = {
            "OPENAI_BASE_URL": f"http://reflect:{PASSWORD}@{host}/v1",
            "OPENAI_API_KEY": FAKE_API_KEY,
            "REFLECT_MODEL": "test-model",
        }
        # A working endpoint whose address carries a password: a model-mode session whose
        # index is embedded by the endpoint, then what reads it back.
        chat = run(home, "chat", "prepare", "--input", str(answers), "--json", **with_password)
        assert chat.returncode == 0, chat.stderr
        session = json.loads(chat.stdout)
        assert session["mode"] == "model"
        assert server.embedding_requests(), "the index must be built by the endpoint"
        runs.append(chat)
        export = run(home, "export", session["session_id"], "-o", str(home / "a.md"))
        assert export.returncode == 0, export.stderr
        runs += [
            export,
            run(home, "knowledge", "search", "feedback", "--json", **with_password),
            run(home, "doctor", "--json", **with_password),
        ]
        # An address with a key in its query, which the endpoint does not answer: the
        # failures are told (and the session falls back to guide mode), the key is not.
        with_query = {**with_password, "OPENAI_BASE_URL": f"http://{host}/v1?api_key={QUERY_KEY}"}
        runs.append(run(home, "chat", "ask", "--input", str(answers), "--json", **with_query))
        runs.append(run(home, "doctor", **with_query))
    # A Chroma server whose address carries a password and cannot be reached.
    chroma = {"REFLECT_CHROMA_URL": f"http://me:{CHROMA_PASSWORD}@127.0.0.1:{CLOSED_PORT}"}
    runs.append(run(home, "chat", "debrief", "--input", str(answers), "--offline", **chroma))
    runs.append(run(home, "doctor", **chroma))
    files = [path for path in home.rglob("*") if path.is_file()]
    assert any(path.name == "chroma.sqlite3" for path in files), "the index is among the files"
    assert any(path.name == "header.json" for path in files), "the search cache is among the files"
    for path in files:
        data = path.read_bytes()
        assert not [secret for secret in SECRETS if secret.encode() in data], path
    told = "\n".join(r.stdout + r.stderr for r in runs)
    assert "reflect:***@" in told and "api_key=***" in told and "me:***@" in told
    for secret in SECRETS:
        assert secret not in told
