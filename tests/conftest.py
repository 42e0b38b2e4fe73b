"""Shared fixtures: a private REFLECT_HOME, the scripted model server, a Chroma server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.chroma_server import ChromaServer
from tests.support.llama_server import LlamaServer, require_real_model, start_llama_server
from tests.support.openai_server import ScriptedOpenAI

# Variables that would point a test at a real endpoint or a user's own data.
ISOLATED_ENV = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "REFLECT_MODEL", "REFLECT_CHROMA_URL")


@pytest.fixture(autouse=True)
def reflect_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty REFLECT_HOME and no endpoint configured."""
    home = tmp_path / "reflect-home"
    monkeypatch.setenv("REFLECT_HOME", str(home))
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    for name in ISOLATED_ENV:
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def scripted_openai() -> Iterator[ScriptedOpenAI]:
    """A scripted OpenAI-compatible server on 127.0.0.1, serving the model `test-model`."""
    with ScriptedOpenAI(models=["test-model"]) as server:
        yield server


@pytest.fixture
def model_env(scripted_openai: ScriptedOpenAI, monkeypatch: pytest.MonkeyPatch) -> ScriptedOpenAI:
    """Environment for model mode against the scripted server, with a known fake key."""
    monkeypatch.setenv("OPENAI_BASE_URL", scripted_openai.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_API_KEY)
    monkeypatch.setenv("REFLECT_MODEL", "test-model")
    return scripted_openai


FAKE_API_KEY = "sk-test-FAKE-KEY-0123456789abcdef"


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """One real `chroma run` on a free loopback port for the whole test session."""
    path = tmp_path_factory.mktemp("chroma-server") / "data"
    with ChromaServer(path) as server:
        yield server


@pytest.fixture(scope="session", autouse=True)
def _no_telemetry() -> None:
    os.environ["ANONYMIZED_TELEMETRY"] = "False"


@pytest.fixture(scope="session")
def prebuilt_knowledge_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in guidance index, built once per test session by a real `reflect knowledge
    index` (local embeddings, embedded chromadb) in a home of its own; returns its index dir.

    Use :func:`knowledge_home` in tests rather than this directly.
    """
    import subprocess
    import sys

    home = tmp_path_factory.mktemp("prebuilt-knowledge") / "home"
    env = {k: v for k, v in os.environ.items() if k not in ISOLATED_ENV}
    env.update(REFLECT_HOME=str(home), ANONYMIZED_TELEMETRY="False")
    subprocess.run(
        [sys.executable, "-m", "assistant", "knowledge", "index"],
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )
    return home / "index"


@pytest.fixture
def knowledge_home(reflect_home: Path, prebuilt_knowledge_index: Path) -> Path:
    """This test's REFLECT_HOME with the built-in guidance index already in it.

    The index is built once per session and copied here, so searching is instant:

        from assistant.config import load_settings
        from assistant.knowledge import KnowledgeBase

        def test_grounding(knowledge_home):
            kb = KnowledgeBase.open(load_settings())
            passages = kb.search("my mentor keeps cancelling", k=3, audience="mentee")

    Returns the REFLECT_HOME path. The copy is the test's own: adding sources or rebuilding
    in one test does not affect another.
    """
    import shutil

    shutil.copytree(prebuilt_knowledge_index, reflect_home / "index")
    return reflect_home


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    """One real llama.cpp server with Gemma 3 270M on loopback for the whole session."""
    require_real_model()
    server = start_llama_server(tmp_path_factory.mktemp("llama"))
    try:
        yield server
    finally:
        server.stop()
