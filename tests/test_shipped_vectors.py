"""The vectors that ship for the built-in guidance: current, right, and used only where they fit.

When a test here fails after an edit to ``knowledge/``, regenerate the vectors with
``python -m assistant.knowledge.shipped_vectors`` and commit them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

from assistant.config import load_settings
from assistant.knowledge import KnowledgeBase
from assistant.knowledge.embedding import embed_texts
from assistant.knowledge.shipped_vectors import (
    builtin_embedding_texts,
    shipped_vectors,
    text_key,
)
from assistant.resources import BUILTIN_KNOWLEDGE_DIR

REGENERATE = "python -m assistant.knowledge.shipped_vectors"


def test_the_shipped_vectors_hold_every_builtin_text_and_no_other() -> None:
    shipped = shipped_vectors()
    assert shipped is not None, f"no usable shipped vectors; run `{REGENERATE}`"
    wanted = {text_key(text) for text in builtin_embedding_texts()}
    missing, extra = wanted - set(shipped.rows), set(shipped.rows) - wanted
    assert not missing and not extra, (
        f"the shipped vectors are stale against knowledge/ ({len(missing)} texts without a "
        f"vector, {len(extra)} vectors of texts no longer there): run `{REGENERATE}`"
    )


def test_the_shipped_vectors_are_what_the_model_computes() -> None:
    shipped = shipped_vectors()
    assert shipped is not None
    texts = builtin_embedding_texts()
    longest = max(texts, key=len)
    sample = [longest, *texts[:: max(1, len(texts) // 12)]]
    computed = embed_texts(sample)
    stored = np.asarray([shipped.vectors[shipped.rows[text_key(text)]] for text in sample])
    assert np.allclose(stored, computed, atol=1e-4)


def test_a_cold_build_of_the_builtin_guidance_runs_no_model(tmp_path: Path) -> None:
    """Every built-in chunk, and the hub probes, take their shipped vector: the build never
    loads the model, which is what made it take tens of seconds."""
    script = (
        "import sys\n"
        "from assistant.config import load_settings\n"
        "from assistant.knowledge import KnowledgeBase\n"
        f"kb = KnowledgeBase.open(load_settings({{'REFLECT_HOME': {str(tmp_path)!r}}}))\n"
        "report = kb.ensure_index()\n"
        "print(report.chunks, 'onnxruntime' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300
    )
    chunks, model_loaded = result.stdout.split()
    assert int(chunks) > 100
    assert model_loaded == "False"


def test_edited_guidance_and_a_users_own_notes_are_embedded_here(
    reflect_home: Path, tmp_path: Path
) -> None:
    """A guidance file edited after the vectors were made, and a user's own folder, get
    vectors from the model; the unedited built-in files keep the shipped ones."""
    corpus = tmp_path / "knowledge"
    shutil.copytree(BUILTIN_KNOWLEDGE_DIR, corpus)
    edited = sorted(corpus.rglob("*.md"))[1]
    phrase = "Bring a paper crane to the meeting as a reminder of patient practice."
    edited.write_text(edited.read_text(encoding="utf-8") + f"\n\n## Origami\n\n{phrase}\n")
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "own.md").write_text("# Own notes\n\nPractise the pitch with a rubber duck first.\n")

    kb = KnowledgeBase.open(load_settings(), builtin_dir=corpus)
    kb.add_sources([notes])
    collection = kb.store().collection()
    assert collection is not None
    stored = collection.get(include=["documents", "metadatas", "embeddings"])
    shipped = shipped_vectors()
    assert shipped is not None
    texts = embedding_texts_by_id(corpus, kb)
    edited_source = edited.relative_to(corpus).as_posix()
    for chunk_id, meta, vector in zip(
        stored["ids"], stored["metadatas"], stored["embeddings"], strict=True
    ):
        text = texts[chunk_id]
        if meta["source"] == edited_source or not meta["builtin"]:
            (expected,) = embed_texts([text])
        else:
            expected = shipped.vectors[shipped.rows[text_key(text)]]
        assert np.allclose(vector, expected, atol=1e-4), chunk_id
    assert kb.search(phrase, k=1)[0].source == edited_source
    assert kb.search("rehearse my pitch with a rubber duck", k=1)[0].source.startswith("user/")
    kb.close()


def embedding_texts_by_id(corpus: Path, kb: KnowledgeBase) -> dict[str, str]:
    """What the index embedded for each chunk id, computed from the files as they are."""
    from assistant.knowledge.chunking import chunk_document, embedding_texts
    from assistant.knowledge.documents import read_document
    from assistant.knowledge.indexer import chunk_id

    texts: dict[str, str] = {}
    for planned in kb.planned_files():
        document = read_document(planned.path, planned.source)
        chunks = chunk_document(document)
        for chunk, text in zip(chunks, embedding_texts(document, chunks), strict=True):
            texts[chunk_id(document, chunk)] = text
    return texts
