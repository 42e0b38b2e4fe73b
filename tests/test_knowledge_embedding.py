"""The embedding functions: the local model, registration with chromadb, remote endpoints."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from chromadb.utils.embedding_functions import known_embedding_functions

from assistant.config import load_settings
from assistant.knowledge import KnowledgeError
from assistant.knowledge.embedding import (
    MODEL_DIST,
    MODEL_FILE,
    _embed_batch,
    _load_minilm,
    _package_file,
)
from assistant.knowledge.embedding_functions import (
    LocalMiniLMEmbedding,
    OllamaEmbedding,
    OpenAIEmbedding,
    ReflectEmbedding,
    embedding_function_for,
)
from tests.support.openai_server import Reply, ScriptedOpenAI
from tests.support.tampered_model import install_tampered_model


def test_local_model_gives_unit_vectors_that_rank_by_meaning() -> None:
    embed = LocalMiniLMEmbedding()
    query, close, far = np.asarray(
        embed(
            [
                "How do I take harsh criticism without getting defensive?",
                "Receiving critical feedback calmly instead of justifying yourself.",
                "Booking a video call across time zones.",
            ]
        )
    )
    assert query.shape == (384,)
    assert np.allclose([np.linalg.norm(v) for v in (query, close, far)], 1.0, atol=1e-5)
    assert query @ close > query @ far + 0.2


def test_batching_and_sorting_do_not_change_the_vectors() -> None:
    texts = [f"Mentoring note number {i}. " * (1 + i % 7) for i in range(21)]
    together = np.asarray(LocalMiniLMEmbedding(batch_tokens=160)(texts))
    alone = np.asarray([LocalMiniLMEmbedding()([text])[0] for text in texts])
    assert np.allclose(together, alone, atol=1e-4)


def test_tuned_session_gives_the_vectors_of_the_plain_model() -> None:
    """The edited graph and tuned session give the vectors of the model as it ships, run plainly.

    So indexes built before the tuning still match the queries embedded after it.
    """
    import onnxruntime

    texts = [
        "How do I take harsh criticism without getting defensive?",
        "Send your mentor an agenda the day before: goals, wins, topics, the help you need. " * 12,
    ]
    tuned = np.asarray(LocalMiniLMEmbedding()(texts))
    plain_options = onnxruntime.SessionOptions()
    plain_options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    plain = onnxruntime.InferenceSession(
        str(_package_file(MODEL_DIST, MODEL_FILE)), plain_options, ["CPUExecutionProvider"]
    )
    encodings = _load_minilm().tokenizer.encode_batch(texts)
    reference = [_embed_batch(plain, [encoding], None)[0] for encoding in encodings]
    assert np.allclose(tuned, reference, atol=1e-5)


def test_long_text_is_truncated_not_rejected() -> None:
    (vector,) = LocalMiniLMEmbedding()(["feedback " * 5000])
    assert np.isfinite(vector).all()


def test_registered_with_chromadb_and_rebuilt_from_config() -> None:
    for function in (
        LocalMiniLMEmbedding(),
        OpenAIEmbedding(model="text-embedding-3-small", base_url="http://127.0.0.1:9/v1"),
        OllamaEmbedding(model="nomic-embed-text", url="http://127.0.0.1:11434"),
    ):
        registered = known_embedding_functions[function.name()]
        rebuilt = registered.build_from_config(function.get_config())
        assert isinstance(rebuilt, ReflectEmbedding)
        assert rebuilt.identity == function.identity
    assert "api_key" not in str(OpenAIEmbedding("m", api_key="sk-secret").get_config())


def test_settings_choose_the_function(monkeypatch: pytest.MonkeyPatch) -> None:
    assert embedding_function_for(load_settings()).identity == "local/all-MiniLM-L6-v2-int8"
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    settings = load_settings()
    assert embedding_function_for(replace(settings, embedding="openai")).identity == (
        "openai/text-embedding-3-small"
    )
    ollama = replace(settings, embedding="ollama", embedding_model="all-minilm")
    assert embedding_function_for(ollama).identity == "ollama/all-minilm"


def test_openai_embeddings_over_http(scripted_openai: ScriptedOpenAI) -> None:
    embed = OpenAIEmbedding("test-model", base_url=scripted_openai.base_url, api_key="sk-x")
    vectors = np.asarray(embed(["agenda for the meeting", "meeting agenda", "salary"]))
    assert vectors.shape == (3, 64)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    (request,) = scripted_openai.embedding_requests()
    assert request.body is not None
    assert request.body["model"] == "test-model"
    assert request.headers["authorization"] == "Bearer sk-x"


def test_openai_embedding_errors_are_one_clear_line(scripted_openai: ScriptedOpenAI) -> None:
    scripted_openai.embeddings_reply = Reply(status=401)
    embed = OpenAIEmbedding("test-model", base_url=scripted_openai.base_url, api_key="sk-x")
    with pytest.raises(KnowledgeError, match="rejected the API key") as failure:
        embed(["text"])
    assert "\n" not in str(failure.value)
    assert "sk-x" not in str(failure.value)


def test_unreachable_ollama_is_one_clear_line() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # free, and nobody listens once closed
    embed = OllamaEmbedding("nomic-embed-text", f"http://127.0.0.1:{port}")
    with pytest.raises(KnowledgeError, match=f"cannot reach Ollama at http://127.0.0.1:{port}"):
        embed(["text"])


def test_a_tampered_model_file_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    """An installed model package whose model.onnx differs by one byte is not run: indexing
    stops with a sentence naming the file and how to reinstall it."""
    site = tmp_path / "site"
    model_file = install_tampered_model(site)
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "knowledge", "index"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert f"the local embedding model {model_file} is not the expected file" in (result.stderr)
    assert f"pip install --force-reinstall {MODEL_DIST}==1.0.0" in result.stderr
