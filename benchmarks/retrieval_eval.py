"""Retrieval quality on the labelled dev set, for dense, BM25 and the shipped hybrid search.

    python benchmarks/retrieval_eval.py [--devset FILE] [--misses]

Builds the built-in index in a fresh temporary REFLECT_HOME (offline, local embeddings) and
asks every question of ``benchmarks/retrieval_devset.json`` (a list of ``{"question",
"topics"}``, the first topic the best answer).

What counts as a hit: a retrieved passage whose file's topics include a labelled topic
("any label"). The strict variant counts only passages whose topics include the question's
first label. hit@k is the share of questions with a hit among the first k results; MRR is
the mean of 1/rank of the first hit (0 when none of the 5 results is one).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.config import load_settings
from assistant.knowledge import KnowledgeBase, Passage

DEVSET = Path(__file__).with_name("retrieval_devset.json")
K = 5
METHODS = (("dense", "dense"), ("BM25", "lexical"), ("shipped (hybrid)", "hybrid"))
TARGET_HIT5, TARGET_MRR = 0.95, 0.80


@dataclass
class Scores:
    hit1: float
    hit5: float
    mrr: float


def first_hit(results: Sequence[Passage], is_hit: Callable[[Passage], bool]) -> int | None:
    """The 1-based rank of the first hit, or None."""
    return next((rank for rank, p in enumerate(results, start=1) if is_hit(p)), None)


def score(ranks: list[int | None]) -> Scores:
    count = len(ranks) or 1
    return Scores(
        hit1=sum(r == 1 for r in ranks) / count,
        hit5=sum(r is not None and r <= K for r in ranks) / count,
        mrr=sum(1 / r for r in ranks if r is not None) / count,
    )


def evaluate(
    kb: KnowledgeBase, devset: list[dict], method: str, misses: bool
) -> tuple[Scores, Scores, float]:
    any_ranks: list[int | None] = []
    strict_ranks: list[int | None] = []
    started = time.perf_counter()
    for item in devset:
        labels, best = set(item["topics"]), item["topics"][0]
        results = kb.search(item["question"], k=K, method=method)
        any_rank = first_hit(results, lambda p, labels=labels: bool(labels & set(p.topics)))
        any_ranks.append(any_rank)
        strict_ranks.append(first_hit(results, lambda p, best=best: best in p.topics))
        if misses and any_rank != 1:
            got = ", ".join(p.source for p in results[:3])
            print(
                f"  [{method}] rank {any_rank}: {item['question'][:70]!r} {item['topics']} -> {got}"
            )
    per_query_ms = (time.perf_counter() - started) / max(len(devset), 1) * 1000
    return score(any_ranks), score(strict_ranks), per_query_ms


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devset", type=Path, default=DEVSET)
    parser.add_argument("--misses", action="store_true", help="list questions not hit first")
    args = parser.parse_args(argv)
    devset = json.loads(args.devset.read_text(encoding="utf-8"))

    with tempfile.TemporaryDirectory(prefix="reflect-eval-") as home:
        kb = KnowledgeBase.open(load_settings({"REFLECT_HOME": home}))
        report = kb.ensure_index()
        print(
            f"{len(devset)} questions; index: {report.chunks} chunks "
            f"(built in {report.seconds:.1f} s)\n"
        )
        print(
            f"{'method':<18} {'hit@1':>6} {'hit@5':>6} {'MRR':>6}   "
            f"{'strict hit@1':>12} {'hit@5':>6} {'MRR':>6}   {'ms/query':>8}"
        )
        shipped: Scores | None = None
        for label, method in METHODS:
            lenient, strict, ms = evaluate(kb, devset, method, args.misses)
            print(
                f"{label:<18} {lenient.hit1:>6.3f} {lenient.hit5:>6.3f} {lenient.mrr:>6.3f}   "
                f"{strict.hit1:>12.3f} {strict.hit5:>6.3f} {strict.mrr:>6.3f}   {ms:>8.1f}"
            )
            shipped = lenient
        kb.close()
    assert shipped is not None
    met = shipped.hit5 >= TARGET_HIT5 and shipped.mrr >= TARGET_MRR
    print(
        f"\nTarget for the shipped configuration (any label): hit@5 >= {TARGET_HIT5}, "
        f"MRR >= {TARGET_MRR}: {'met' if met else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
