"""Speed of the knowledge store: build, no-op re-index, embedding throughput, query latency.

    python benchmarks/knowledge_bench.py [--synthetic N] [--queries N]

Everything runs on this machine with the local model and embedded chromadb, in fresh
temporary homes. The synthetic store holds N chunks (default 100,000) with random unit
vectors inserted directly (no embedding) and random words from the corpus as text, so that
hybrid search does its full work (dense query in chromadb plus BM25 over all N chunks).

Embedding throughput is given with the chunks' length in the model's word pieces, as the work
per chunk grows with it; when it falls short of the target, a line says by how much in
floating-point operations per second. Resident memory around the model is measured in a
fresh process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from assistant.config import Settings, load_settings
from assistant.knowledge import KnowledgeBase
from assistant.knowledge.chunking import chunk_document, embedding_text
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


def bench_builds() -> None:
    print("== Built-in index ==")
    with tempfile.TemporaryDirectory(prefix="reflect-bench-") as home:
        kb = KnowledgeBase.open(settings_for(home))
        cold = timed(kb.ensure_index)
        noop = timed(kb.ensure_index)
        chunks = kb.store().collection().count()
        print(
            f"cold build, in process (model load included): {cold:6.2f} s for {chunks} chunks "
            f"{verdict(cold, TARGETS['cold_seconds'])}"
        )
        print(
            f"no-op re-index, in process:                   {noop:6.3f} s "
            f"{verdict(noop, TARGETS['noop_seconds'])}"
        )
        kb.close()
    with tempfile.TemporaryDirectory(prefix="reflect-bench-") as home:
        cold_cli = cli_seconds(home, "index")
        noop_cli = cli_seconds(home, "index")
    print(f"cold build, `reflect knowledge index`:        {cold_cli:6.2f} s (whole process)")
    print(
        f"no-op re-index, `reflect knowledge index`:    {noop_cli:6.2f} s (whole process: "
        f"Python, chromadb import, store open)"
    )


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


def builtin_chunk_texts() -> list[str]:
    texts = []
    for planned in builtin_files(BUILTIN_KNOWLEDGE_DIR):
        document = read_document(planned.path, planned.source)
        texts += [embedding_text(document, chunk) for chunk in chunk_document(document)]
    return texts


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
    feeds = []
    for batch in _batches([len(e.ids) for e in encodings], BATCH_TOKENS):
        width = max(len(encodings[i].ids) for i in batch)
        ids = np.zeros((len(batch), width), dtype=np.int64)
        for row, i in enumerate(batch):
            ids[row, : len(encodings[i].ids)] = encodings[i].ids
        mask = (ids != 0).astype(np.int64)
        feeds.append({"input_ids": ids, "attention_mask": mask, "token_type_ids": ids * 0})

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


def query_latencies(kb: KnowledgeBase, queries: Sequence[str]) -> list[float]:
    kb.search(queries[0])  # snapshot, BM25 index and model load happen once, outside timing
    return [timed(lambda q=q: kb.search(q, k=5)) * 1000 for q in queries]


def bench_builtin_queries(queries: list[str]) -> None:
    print("\n== Query latency, built-in index (hybrid search, k=5, query embedding included) ==")
    with tempfile.TemporaryDirectory(prefix="reflect-bench-") as home:
        kb = KnowledgeBase.open(settings_for(home))
        kb.ensure_index()
        p50, p95 = percentiles(query_latencies(kb, queries))
        print(
            f"{len(queries)} queries: p50 {p50:5.1f} ms, p95 {p95:5.1f} ms "
            f"{verdict(p50, TARGETS['p50_builtin_ms'])}"
        )
        kb.close()


def bench_synthetic(count: int, queries: list[str]) -> None:
    print(f"\n== Query latency, {count:,} synthetic chunks (hybrid search, k=5) ==")
    words = " ".join(
        read_document(p.path, p.source).body for p in builtin_files(BUILTIN_KNOWLEDGE_DIR)
    ).split()
    rng = random.Random(7)
    vectors_rng = np.random.default_rng(7)
    with (
        tempfile.TemporaryDirectory(prefix="reflect-bench-") as home,
        tempfile.TemporaryDirectory(prefix="reflect-bench-corpus-") as empty_corpus,
    ):
        kb = KnowledgeBase.open(settings_for(home), builtin_dir=Path(empty_corpus))
        store = kb.store()
        store.drop()
        collection = store.create()
        batch = min(store.client.get_max_batch_size(), 5000)
        started = time.perf_counter()
        for start in range(0, count, batch):
            size = min(batch, count - start)
            vectors = vectors_rng.standard_normal((size, 384)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            ids = [f"synthetic-{start + i}" for i in range(size)]
            collection.add(
                ids=ids,
                embeddings=vectors,
                documents=[" ".join(rng.choices(words, k=60)) for _ in ids],
                metadatas=[synthetic_metadata(start + i, rng) for i in range(size)],
            )
        inserted = time.perf_counter() - started
        # Mark the store as in sync with its (empty) corpus, so search does not re-index it.
        collection.modify(metadata=store.metadata(fingerprint(kb.planned_files())))
        print(
            f"inserted {collection.count():,} chunks in {inserted:.0f} s "
            f"(batches of {batch}, precomputed vectors)"
        )
        first = timed(lambda: kb.search(queries[0]))
        print(
            f"first search after indexing (reads every chunk and vector from chromadb, builds "
            f"BM25, writes the search cache): {first:.1f} s"
        )
        kb.close()
        kb = KnowledgeBase.open(settings_for(home), builtin_dir=Path(empty_corpus))
        again = timed(lambda: kb.search(queries[1]))
        print(f"first search of a new knowledge base (search cache read from disk): {again:.2f} s")
        p50, p95 = percentiles(query_latencies(kb, queries))
        print(
            f"{len(queries)} queries: p50 {p50:5.1f} ms, p95 {p95:5.1f} ms "
            f"{verdict(p50, TARGETS['p50_synthetic_ms'])}"
        )
        filtered = [
            timed(lambda q=q: kb.search(q, k=5, audience="mentee", moments=["before"])) * 1000
            for q in queries
        ]
        f50, f95 = percentiles(filtered)
        print(
            f"with audience and moment filters (as conversations search): "
            f"p50 {f50:5.1f} ms, p95 {f95:5.1f} ms"
        )
        dense = [timed(lambda q=q: kb.search(q, k=5, method="dense")) * 1000 for q in queries]
        d50, d95 = percentiles(dense)
        print(f"dense only: p50 {d50:5.1f} ms, p95 {d95:5.1f} ms")
        kb.close()


def synthetic_metadata(number: int, rng: random.Random) -> dict[str, object]:
    source = f"synthetic/{number // 4:06d}.md"
    return {
        "source": source,
        "builtin": True,
        "title": f"Synthetic {number // 4}",
        "heading": f"Synthetic {number // 4} > Part {number % 4}",
        "topics": "",
        "audience": rng.choice(("mentee", "mentor", "both")),
        "moments": [rng.choice(("before", "during", "after", "any"))],
        "file_hash": "synthetic",
        "chunk_hash": "synthetic",
        "chunk_index": number % 4,
        "chunk_count": 4,
        "tokens": 250,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--synthetic", type=int, default=100_000, help="chunks (default 100000)")
    parser.add_argument("--queries", type=int, default=90, help="queries per measurement")
    parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        print(json.dumps(embedding_memory()))
        return 0
    questions = [item["question"] for item in json.loads(DEVSET.read_text(encoding="utf-8"))]
    queries = (questions * (1 + args.queries // len(questions)))[: args.queries]
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}\n"
    )
    bench_builds()
    bench_embedding()
    bench_embedding_overhead()
    bench_embedding_memory()
    bench_builtin_queries(queries)
    if args.synthetic:
        bench_synthetic(args.synthetic, queries)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
