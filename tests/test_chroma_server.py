"""ChromaServer runs a real `chroma run` that chromadb's HTTP client can use."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings

from tests.support.chroma_server import HEARTBEAT_PATH, ChromaServer


def test_collection_round_trip(tmp_path: Path) -> None:
    with ChromaServer(tmp_path / "chroma") as server:
        assert server.url == f"http://127.0.0.1:{server.port}"
        client = chromadb.HttpClient(
            host=server.host, port=server.port, settings=Settings(anonymized_telemetry=False)
        )
        collection = client.create_collection("notes")
        collection.add(
            ids=["listen", "trust", "feedback"],
            documents=["Listen to understand.", "Keep your word.", "Describe the behaviour."],
            embeddings=[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
        )

        result = collection.query(query_embeddings=[[0.1, 0.9, 0.0]], n_results=2)

        assert result["ids"] == [["trust", "listen"]]
        assert result["documents"] == [["Keep your word.", "Listen to understand."]]
        assert collection.count() == 3

    assert (tmp_path / "chroma.log").exists()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(server.url + HEARTBEAT_PATH, timeout=2)


def test_start_failure_reports_log_tail(tmp_path: Path) -> None:
    path = tmp_path / "taken"
    path.write_text("a file where the data directory should be")
    server = ChromaServer(path)

    with pytest.raises(RuntimeError, match="exited with code") as excinfo:
        server.start(timeout=30)

    assert "File exists" in str(excinfo.value)
    assert server.log_path == tmp_path / "taken.log"
