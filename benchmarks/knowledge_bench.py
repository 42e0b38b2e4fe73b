"""Speed of the knowledge store: build, no-op re-index, embedding throughput, query latency.

    python benchmarks/knowledge_bench.py [--synthetic N] [--queries N] [--synthetic-only]
                                         [--keep-home DIR]

Everything runs on this machine with the local model and embedded chromadb, in fresh
temporary homes. The synthetic store holds N chunks (default 100,000) with random unit
vectors inserted directly (no embedding) and random words from the corpus as text, so that
hybrid search does its full work (a product with all N vectors plus BM25 over all N chunks).
Each four synthetic chunks stand for one real file of the corpus folder, so that indexing
keeps them. Measured on it: the first search of a new process (a minimal child process that
imports what the CLI would), then one file of notes added and the first search after that
pass, then query latency in wall time and in CPU time (which a busy machine inflates far
less). Inserting 100,000 chunks takes some 6 to 15 minutes: ``--keep-home DIR`` keeps the
synthetic home in DIR, and a later run with the same N reuses it and starts from the first
search of a new process.

Embedding throughput is given with the chunks' length in the model's word pieces, as the work
per chunk grows with it; when it falls short of the target, a line says by how much in
floating-point operations per second. Resident memory around the model is measured in a
fresh process.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from assistant.config import Settings, load_settings
from assistant.knowledge import KnowledgeBase
from assistant.knowledge.chunking import chunk_document, embedding_texts
from assistant.knowledge.documents import read_document
from assistant.knowledge.embedding import (
    BATCH_TOKENS,
    MAX_MODEL_TOKENS,
    _batches,
    _load_minilm,
    embed_texts,
    word_pieces,
)
from assistant.knowledge.embedding_functions import LocalMiniLMEmbedding
from assistant.knowledge.indexer import fingerprint
from assistant.knowledge.lexical import LexicalIndex
from assistant.knowledge.shipped_vectors import Embed, shipped_vectors
from assistant.knowledge.sources import builtin_files
from assistant.resources import BUILTIN_KNOWLEDGE_DIR
from assistant.tokens import count_tokens

DEVSET = Path(__file__).with_name("retrieval_devset.json")
TARGETS = {
    "p50_builtin_ms": 15.0,
    "p50_synthetic_ms": 50.0,
    "noop_seconds": 1.0,
    "cold_seconds": 4.0,
    "chunks_per_second": 150.0,
    "overhead_ratio": 1.3,
}


def settings_for(home: str) -> Settings:
    return load_settings({"REFLECT_HOME": home})


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def cli_seconds(home: str, *args: str) -> float:
    env = {**os.environ, "REFLECT_HOME": home, "ANONYMIZED_TELEMETRY": "False"}
    command = [sys.executable, "-m", "assistant", "knowledge", *args]
    return timed(lambda: subprocess.run(command, env=env, check=True, capture_output=True))


def verdict(value: float, target: float, lower_is_better: bool = True) -> str:
    met = value <= target if lower_is_better else value >= target
    return f"(target {'<=' if lower_is_better else '>='} {target:g}: {'met' if met else 'NOT met'})"


#: Fresh processes the in-process cold build is timed in (the median is compared).
COLD_ROUNDS = 3


def cold_build() -> dict[str, float]:
    """Run in a fresh process: a cold build of the built-in index, then a no-op re-index."""
    with tempfile.TemporaryDirectory(prefix="reflect-bench-") as home:
        kb = KnowledgeBase.open(settings_for(home))
        started_cpu = time.process_time()
        cold = timed(kb.ensure_index)
        cpu = time.process_time() - started_cpu
        noop = timed(kb.ensure_index)
        figures = {
            "cold": cold,
            "cpu": cpu,
            "noop": noop,
            "chunks": kb.ensure_index().chunks,
            "model_loaded": "onnxruntime" in sys.modules,
        }
        kb.close()
    return figures


def bench_builds() -> None:
    print("== Built-in index ==")
    runs = []
    for _ in range(COLD_ROUNDS):
        command = [sys.executable, __file__, "--cold-child"]
        result = subprocess.run(command, check=True, capture_output=True, text=True)
        runs.append(json.loads(result.stdout.strip().splitlines()[-1]))
    cold = statistics.median(run["cold"] for run in runs)
    noop = statistics.median(run["noop"] for run in runs)
    print(
        f"cold build, in a fresh process (chromadb import and store open included): median "
        f"{cold:.2f} s of {', '.join(format(run['cold'], '.2f') for run in runs)} "
        f"(CPU {statistics.median(run['cpu'] for run in runs):.2f} s) for {runs[0]['chunks']} "
        f"chunks; model loaded: {runs[0]['model_loaded']}; load average "
        f"{os.getloadavg()[0]:.2f} {verdict(cold, TARGETS['cold_seconds'])}"
    )
    print(
        f"no-op re-index, in process:                   {noop:6.3f} s "
        f"{verdict(noop, TARGETS['noop_seconds'])}"
    )
    with tempfile.TemporaryDirectory(prefix="reflect-bench-") as home:
        cold_cli = cli_seconds(home, "index")
        noop_cli = cli_seconds(home, "index")
    print(f"cold build, `reflect knowledge index`:        {cold_cli:6.2f} s (whole process)")
    print(
        f"no-op re-index, `reflect knowledge index`:    {noop_cli:6.2f} s (whole process: "
        f"Python, chromadb import, store open)"
    )
    with (
        tempfile.TemporaryDirectory(prefix="reflect-bench-") as home,
        tempfile.TemporaryDirectory(prefix="reflect-bench-corpus-") as empty_corpus,
    ):
        kb = KnowledgeBase.open(settings_for(home), builtin_dir=Path(empty_corpus))
        kb.ensure_index()  # the store opened and the model loaded outside the timing
        embed_texts(["warm up"])
        added = timed(lambda: kb.add_sources([BUILTIN_KNOWLEDGE_DIR]))
        kb.close()
    print(
        f"the same files added as a user's folder (no shipped vectors: the model embeds "
        f"every chunk; model loaded beforehand): {added:6.2f} s"
    )


def bench_add_calls() -> None:
    """chromadb's cost per ``add`` call: the built-in chunks in one call or one call per file."""
    texts_by_file = [texts for _, texts in builtin_files_and_texts()]
    every_text = [text for texts in texts_by_file for text in texts]
    vectors = np.asarray(embedding_source()(every_text), dtype=np.float32)
    layouts = {"one add per file": texts_by_file, "one add": [every_text]}
    figures = {label: add_seconds(groups, vectors) for label, groups in layouts.items()}
    print(
        f"chromadb, {len(vectors)} chunks with their vectors, {len(texts_by_file)} files: "
        + ", ".join(f"{label} {seconds:.2f} s" for label, seconds in figures.items())
    )


def add_seconds(groups: list[list[str]], vectors: np.ndarray) -> float:
    """Seconds to add ``groups`` of texts (one ``add`` each) to a new embedded collection."""
    with tempfile.TemporaryDirectory(prefix="reflect-bench-") as home:
        kb = KnowledgeBase.open(settings_for(home))
        collection = kb.store().create()
        started = time.perf_counter()
        position = 0
        for texts in groups:
            rows = list(range(position, position + len(texts)))
            position += len(texts)
            collection.add(
                ids=[str(row) for row in rows],
                embeddings=vectors[rows],
                documents=texts,
                metadatas=[{"source": "bench", "row": row} for row in rows],
            )
        seconds = time.perf_counter() - started
        kb.close()
    return seconds


def embedding_source() -> Embed:
    """The shipped vectors, else the model: for benchmarks that need vectors, not their cost."""
    shipped, model = shipped_vectors(), LocalMiniLMEmbedding()
    return model if shipped is None else shipped.embed_with(model)


#: all-MiniLM-L6-v2: transformer layers, hidden width and feed-forward width.
MINILM_LAYERS, MINILM_WIDTH, MINILM_FFN = 6, 384, 1536


def minilm_flops(pieces: int) -> float:
    """Floating-point operations of one forward pass over ``pieces`` word pieces.

    Per layer: the four attention projections and the two feed-forward matrices (2 operations
    per multiply-add for every piece), plus the attention scores and their weighted sum, which
    grow with the square of the length.
    """
    d, f = MINILM_WIDTH, MINILM_FFN
    matrices = 2 * pieces * (4 * d * d + 2 * d * f)
    attention = 2 * 2 * pieces * pieces * d
    return MINILM_LAYERS * (matrices + attention)


def builtin_files_and_texts() -> list[tuple[str, list[str]]]:
    """Each built-in file's source name and the texts the model embeds for its chunks."""
    files = []
    for planned in builtin_files(BUILTIN_KNOWLEDGE_DIR):
        document = read_document(planned.path, planned.source)
        files.append((planned.source, embedding_texts(document, chunk_document(document))))
    return files


def builtin_chunk_texts() -> list[str]:
    return [text for _, texts in builtin_files_and_texts() for text in texts]


def bench_embedding() -> None:
    print("\n== Embedding throughput (local all-MiniLM-L6-v2 int8) ==")
    texts = builtin_chunk_texts()
    tiktoken_mean = statistics.mean(count_tokens(t) for t in texts)
    embed = LocalMiniLMEmbedding()
    embed(texts[:4])  # load the model outside the timing
    pieces = word_pieces(texts)
    full = sum(n >= MAX_MODEL_TOKENS for n in pieces)
    rounds = 5
    samples = [timed(lambda: embed(texts)) for _ in range(rounds)]
    seconds = statistics.median(samples)
    rate = len(texts) / seconds
    print(
        f"{len(texts)} built-in chunks, mean {statistics.mean(pieces):.0f} word pieces "
        f"({full} cut at the model's limit of {MAX_MODEL_TOKENS}; mean {tiktoken_mean:.0f} "
        f"tiktoken tokens before the cut)"
    )
    print(
        f"throughput: {rate:6.1f} chunks/s, {sum(pieces) / seconds:,.0f} word pieces/s "
        f"(median of {rounds} runs; best {len(texts) / min(samples):.1f} chunks/s; load average "
        f"{os.getloadavg()[0]:.2f}) {verdict(rate, TARGETS['chunks_per_second'], False)}"
    )
    if rate < TARGETS["chunks_per_second"]:
        per_chunk = statistics.mean(minilm_flops(n) for n in pieces)
        achieved = per_chunk * rate
        needed = per_chunk * TARGETS["chunks_per_second"]
        print(
            f"why: a chunk of these lengths costs {per_chunk / 1e9:.1f} GFLOP in MiniLM's six "
            f"layers; this run did {achieved / 1e9:.0f} GFLOP/s on {os.cpu_count()} cores, and "
            f"{TARGETS['chunks_per_second']:g} chunks/s would take {needed / 1e9:.0f} GFLOP/s "
            f"({needed / achieved:.1f} times as much)"
        )


def bench_embedding_overhead() -> None:
    """Reflect's embedding call against the bare onnxruntime session on the same batches.

    Both get the built-in chunks; the bare side is only ``session.run`` on input arrays made
    beforehand, so the ratio is what tokenising, batching, pooling and normalising add.
    Rounds alternate between the two, so that load on the machine hits both alike.
    """
    texts = builtin_chunk_texts()
    model = _load_minilm()
    encodings = model.tokenizer.encode_batch(texts)
    feeds = session_feeds(encodings, _batches([len(e.ids) for e in encodings], BATCH_TOKENS))

    def bare() -> None:
        for feed in feeds:
            model.session.run(["last_hidden_state"], feed)

    embed_texts(texts[:4])
    ours, plain = [], []
    for _ in range(5):
        ours.append(timed(lambda: embed_texts(texts)))
        plain.append(timed(bare))
    ratio = statistics.median(ours) / statistics.median(plain)
    print(
        f"embedding {len(texts)} chunks in {len(feeds)} batches: Reflect "
        f"{statistics.median(ours):.2f} s, bare session.run {statistics.median(plain):.2f} s "
        f"(medians of 5): ratio {ratio:.2f} "
        f"{verdict(ratio, TARGETS['overhead_ratio'])}"
    )


def session_feeds(encodings: Sequence[Any], batches: list[list[int]]) -> list[dict[str, Any]]:
    """The model's input arrays for each batch of texts, padded to the batch's longest."""
    feeds = []
    for batch in batches:
        width = max(len(encodings[i].ids) for i in batch)
        ids = np.zeros((len(batch), width), dtype=np.int64)
        for row, i in enumerate(batch):
            ids[row, : len(encodings[i].ids)] = encodings[i].ids
        mask = (ids != 0).astype(np.int64)
        feeds.append({"input_ids": ids, "attention_mask": mask, "token_type_ids": ids * 0})
    return feeds


#: Every how many built-in chunks the batch comparison takes one, to keep it to a minute.
BATCHING_SAMPLE_STEP = 3


def bench_batching() -> None:
    """What the shape of the batches costs: the bare session on a sample of built-in chunks.

    Sorted by length and batched up to a word-piece budget (what ships, at BATCH_TOKENS), and
    in file order 8 at a time (padded to the longest of each batch). Rounds alternate between
    layouts so that load on the machine hits them alike; CPU time (all threads of this
    process) is steadier than wall time on a shared machine.
    """
    texts = builtin_chunk_texts()[::BATCHING_SAMPLE_STEP]
    model = _load_minilm()
    encodings = model.tokenizer.encode_batch(texts)
    lengths = [len(e.ids) for e in encodings]
    layouts = {
        f"sorted, {budget:>4} pieces a batch": _batches(lengths, budget)
        for budget in (BATCH_TOKENS, 512, 1024, 2048)
    }
    layouts["file order, 8 a batch"] = [
        list(range(i, min(i + 8, len(texts)))) for i in range(0, len(texts), 8)
    ]
    feeds = {label: session_feeds(encodings, batches) for label, batches in layouts.items()}
    wall: dict[str, list[float]] = {label: [] for label in layouts}
    cpu: dict[str, list[float]] = {label: [] for label in layouts}
    for _ in range(3):
        for label, batch_feeds in feeds.items():
            started_cpu = time.process_time()
            wall[label].append(timed(partial(run_feeds, model.session, batch_feeds)))
            cpu[label].append(time.process_time() - started_cpu)
    print(
        f"batch shapes, bare session.run on {len(texts)} built-in chunks "
        f"(medians of 3; {model.session.get_session_options().intra_op_num_threads} intra-op "
        f"threads on {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}):"
    )
    for label, batches in layouts.items():
        padded = sum(len(batch) * max(lengths[i] for i in batch) for batch in batches)
        print(
            f"  {label}: {len(texts) / statistics.median(wall[label]):5.1f} chunks/s, "
            f"{statistics.median(cpu[label]) / len(texts) * 1000:5.1f} ms CPU a chunk, "
            f"{len(batches)} batches, padding {padded / sum(lengths) - 1:4.0%} of the pieces"
        )


def run_feeds(session: Any, feeds: list[dict[str, Any]]) -> None:
    for feed in feeds:
        session.run(["last_hidden_state"], feed)


def embedding_memory() -> dict[str, float]:
    """Run in a fresh process: resident memory around loading the model and embedding."""
    import onnxruntime  # noqa: F401  (imported here so that the model's figure is its own)
    import tokenizers  # noqa: F401

    texts = builtin_chunk_texts()
    figures = {"imports": rss_mb()}
    embed = LocalMiniLMEmbedding()
    embed(["how do I take critical feedback without getting defensive"])
    figures["query"] = rss_mb()
    embed(texts)
    figures["corpus"] = rss_mb()
    return figures


def bench_embedding_memory() -> None:
    command = [sys.executable, __file__, "--memory-child"]
    result = subprocess.run(command, check=True, capture_output=True, text=True)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    print(
        f"resident memory of a fresh process: {figures['imports']:.0f} MB with the chunks read "
        f"and numpy, chromadb, onnxruntime and tokenizers imported; {figures['query']:.0f} MB "
        f"with the model loaded and one query embedded; {figures['corpus']:.0f} MB after "
        f"embedding all built-in chunks"
    )


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def query_latencies(kb: KnowledgeBase, queries: Sequence[str], **options: Any) -> Latencies:
    """Wall and CPU milliseconds of each search; CPU counts every thread of this process.

    On a shared machine the wall time waits for the CPU; the CPU time is the work itself.
    """
    kb.search(queries[0])  # snapshot, BM25 index and model load happen once, outside timing
    wall, cpu = [], []
    for query in queries:
        started_cpu = time.process_time()
        wall.append(timed(partial(kb.search, query, k=5, **options)) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return Latencies(wall, cpu)


@dataclass(frozen=True)
class Latencies:
    wall: list[float]
    cpu: list[float]

    def summary(self) -> str:
        p50, p95 = percentiles(self.wall)
        return (
            f"p50 {p50:5.1f} ms, p95 {p95:5.1f} ms (CPU p50 {statistics.median(self.cpu):5.1f} ms)"
        )

    @property
    def p50(self) -> float:
        return statistics.median(self.wall)


def bench_builtin_queries(queries: list[str]) -> None:
    print("\n== Query latency, built-in index (hybrid search, k=5, query embedding included) ==")
    with tempfile.TemporaryDirectory(prefix="reflect-bench-") as home:
        kb = KnowledgeBase.open(settings_for(home))
        kb.ensure_index()
        latencies = query_latencies(kb, queries)
        print(
            f"{len(queries)} queries: {latencies.summary()} "
            f"{verdict(latencies.p50, TARGETS['p50_builtin_ms'])}; load average {load_average()}"
        )
        kb.close()


def bench_synthetic(count: int, queries: list[str], keep: Path | None = None) -> None:
    """Query latency and first searches over ``count`` synthetic chunks.

    With ``keep``, the synthetic home and corpus live in that folder and are reused by the
    next run with the same count: the insert (some 15 minutes of CPU at 100,000) is skipped,
    and the run starts from a new process's first search.
    """
    print(f"\n== Query latency, {count:,} synthetic chunks (hybrid search, k=5) ==")
    with contextlib.ExitStack() as stack:
        if keep is None:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="reflect-bench-")))
        else:
            folder = keep
        home, corpus = folder / "home", folder / "corpus"
        marker = folder / "synthetic.json"
        reused = (
            keep is not None
            and marker.is_file()
            and (json.loads(marker.read_text(encoding="utf-8")).get("count") == count)
        )
        if not reused:
            shutil.rmtree(home, ignore_errors=True)
            shutil.rmtree(corpus, ignore_errors=True)
            home.mkdir(parents=True)
            corpus.mkdir()
            insert_synthetic(home, corpus, count, queries)
            marker.write_text(json.dumps({"count": count}), encoding="utf-8")
        else:
            print(f"reusing the synthetic home in {keep} (insert skipped)")
        measure_synthetic(home, corpus, count, queries)


def insert_synthetic(home: Path, corpus: Path, count: int, queries: list[str]) -> None:
    """Fill a new home's collection with ``count`` synthetic chunks, then search it once."""
    words = " ".join(
        read_document(p.path, p.source).body for p in builtin_files(BUILTIN_KNOWLEDGE_DIR)
    ).split()
    rng = random.Random(7)
    vectors_rng = np.random.default_rng(7)
    files = synthetic_files(corpus, (count + 3) // 4)
    kb = KnowledgeBase.open(settings_for(str(home)), builtin_dir=corpus)
    store = kb.store()
    store.drop()
    collection = store.create()
    batch = min(store.client.get_max_batch_size(), 5000)
    texts: list[str] = []
    started = time.perf_counter()
    for start in range(0, count, batch):
        size = min(batch, count - start)
        vectors = vectors_rng.standard_normal((size, 384)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        ids = [f"synthetic-{start + i}" for i in range(size)]
        documents = [" ".join(rng.choices(words, k=60)) for _ in ids]
        texts += documents
        collection.add(
            ids=ids,
            embeddings=vectors,
            documents=documents,
            metadatas=[synthetic_metadata(start + i, files, rng) for i in range(size)],
        )
    inserted = time.perf_counter() - started
    # Mark the store as in sync with its corpus, so search does not re-index it.
    collection.modify(metadata=store.metadata(fingerprint(kb.planned_files())))
    print(
        f"inserted {collection.count():,} chunks in {inserted:.0f} s "
        f"(batches of {batch}, precomputed vectors)"
    )
    first = timed(lambda: kb.search(queries[0]))
    print(
        f"first search after inserting straight into chromadb (no indexer, so it reads every "
        f"chunk and vector back, builds BM25, writes the search cache): {first:.1f} s, of "
        f"which building BM25 alone takes {timed(lambda: LexicalIndex(texts)):.1f} s"
    )
    kb.close()


def measure_synthetic(home: Path, corpus: Path, count: int, queries: list[str]) -> None:
    """First searches (new process, after ``knowledge add``) and query latency."""
    print(f"load average before: {load_average()}")
    again = first_search_in_new_process(home, corpus, queries[1])
    print(
        f"first search of a new process: {again['total']:.2f} s in all: Python and imports "
        f"{again['imports']:.2f} s, the first search (sources planned, search cache opened, "
        f"model loaded) {again['first']:.2f} s; a second search {again['second']:.3f} s; "
        f"load average {load_average()}"
    )
    notes = home / "notes"
    notes.mkdir(exist_ok=True)
    # New content each run, so that a reused home has one file to index again.
    (notes / "pay.md").write_text(
        f"# Pay\n\nHow to ask my mentor about pay bands ({time.time_ns()}).\n"
    )
    kb = KnowledgeBase.open(settings_for(str(home)), builtin_dir=corpus)
    indexing = timed(lambda: kb.add_sources([notes]))
    after = timed(lambda: kb.search(queries[2]))
    print(
        f"`knowledge add` of one file to the {count:,} chunks: index pass {indexing:.1f} s, "
        f"then the first search {after:.2f} s ({len(kb.sources()):,} files in the index)"
    )
    latencies = query_latencies(kb, queries)
    print(
        f"{len(queries)} queries: {latencies.summary()} "
        f"{verdict(latencies.p50, TARGETS['p50_synthetic_ms'])}; load average {load_average()}"
    )
    filtered = query_latencies(kb, queries, audience="mentee", moments=["before"])
    print(f"with audience and moment filters (as conversations search): {filtered.summary()}")
    dense = query_latencies(kb, queries, method="dense")
    print(f"dense only: {dense.summary()}; load average {load_average()}")
    kb.close()


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


#: A new process's first search, with no more imported than the CLI or the app would.
FIRST_SEARCH_CHILD = """
import json, sys, time
started = time.perf_counter()
from pathlib import Path
from assistant.config import load_settings
from assistant.knowledge import KnowledgeBase
arguments = json.loads(sys.argv[1])
imported = time.perf_counter()
settings = load_settings({"REFLECT_HOME": arguments["home"]})
kb = KnowledgeBase.open(settings, builtin_dir=Path(arguments["corpus"]))
kb.search(arguments["query"])
first = time.perf_counter()
kb.search(arguments["query"] + " again")
second = time.perf_counter() - first
print(json.dumps({"imports": imported - started, "first": first - imported, "second": second}))
"""


def first_search_in_new_process(home: Path, corpus: Path, query: str) -> dict[str, float]:
    """Seconds a new process takes to its first search result, and to its parts."""
    arguments = json.dumps({"home": str(home), "corpus": str(corpus), "query": query})
    command = [sys.executable, "-c", FIRST_SEARCH_CHILD, arguments]
    root = Path(__file__).resolve().parent.parent
    started = time.perf_counter()
    result = subprocess.run(command, check=True, capture_output=True, text=True, cwd=root)
    total = time.perf_counter() - started
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return {"total": total, **figures}


def synthetic_files(corpus: Path, count: int) -> list[tuple[str, str]]:
    """Write ``count`` small files; their source names and content hashes, in order."""
    for number in range(count):
        (corpus / f"{number:06d}.md").write_text(f"# Synthetic {number}\n\nSynthetic file.\n")
    documents = [read_document(p.path, p.source) for p in builtin_files(corpus)]
    return sorted((doc.source, doc.content_hash) for doc in documents)


def synthetic_metadata(
    number: int, files: list[tuple[str, str]], rng: random.Random
) -> dict[str, object]:
    source, content_hash = files[number // 4]
    return {
        "source": source,
        "builtin": True,
        "title": f"Synthetic {number // 4}",
        "heading": f"Synthetic {number // 4} > Part {number % 4}",
        "topics": "",
        "audience": rng.choice(("mentee", "mentor", "both")),
        "moments": [rng.choice(("before", "during", "after", "any"))],
        "file_hash": content_hash,
        "chunk_hash": "synthetic",
        "chunk_index": number % 4,
        "chunk_count": 4,
        "tokens": 250,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--synthetic", type=int, default=100_000, help="chunks (default 100000)")
    parser.add_argument("--queries", type=int, default=90, help="queries per measurement")
    parser.add_argument(
        "--synthetic-only", action="store_true", help="only the synthetic store's figures"
    )
    parser.add_argument(
        "--keep-home",
        type=Path,
        metavar="DIR",
        help="keep the synthetic home in DIR and reuse it on the next run with the same count",
    )
    parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--cold-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        print(json.dumps(embedding_memory()))
        return 0
    if args.cold_child:
        print(json.dumps(cold_build()))
        return 0
    questions = [item["question"] for item in json.loads(DEVSET.read_text(encoding="utf-8"))]
    queries = (questions * (1 + args.queries // len(questions)))[: args.queries]
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}\n"
    )
    if not args.synthetic_only:
        bench_builds()
        bench_add_calls()
        bench_embedding()
        bench_batching()
        bench_embedding_overhead()
        bench_embedding_memory()
        bench_builtin_queries(queries)
    if args.synthetic:
        bench_synthetic(args.synthetic, queries, args.keep_home)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
