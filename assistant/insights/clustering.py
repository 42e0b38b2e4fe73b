"""Grouping sentence vectors: average-linkage clustering on cosine similarity, then joining
groups with close centres; numpy only.

Two groups merge while the mean similarity between their members is at least a threshold.
The nearest-neighbour chain finds the same merges as merging the closest pair each time, in
about ``3 n`` row scans instead of ``n`` scans of the whole matrix, so a few thousand
sentences take well under a second. Ties go to the lowest index and to the pair already on
the chain, so the same vectors always give the same groups.
"""

from __future__ import annotations

import numpy as np

#: Mean cosine similarity two groups need to merge. Tuned on the seeded journals in
#: tests/test_insights.py: with all-MiniLM-L6-v2, sentences on one subject in different words
#: sit around 0.3-0.6, unrelated ones below 0.2; at 0.4 the subjects fell apart into pairs.
MERGE_SIMILARITY = 0.3
#: Centre similarity at which two groups are joined (:func:`join_close_groups`). At 0.5 the
#: seeded journal's "taking on too much" stayed in three pieces; at 0.4 the 200-session journal
#: of benchmarks/insights_bench.py chained most of its subjects into one group (a joined
#: group's centre drifts towards "work in general"); 0.45 keeps the sentence purity of the
#: first pass there (0.74) and finds the seeded themes.
JOIN_SIMILARITY = 0.45
#: Similarity of a row with a group that is gone (merged away or complete).
GONE = -np.inf


def average_linkage(vectors: np.ndarray, threshold: float = MERGE_SIMILARITY) -> list[list[int]]:
    """Groups of row indices of ``vectors`` (unit rows), each sorted, ordered by first index."""
    count = len(vectors)
    similarity = (vectors @ vectors.T).astype(np.float32)
    np.fill_diagonal(similarity, GONE)
    sizes = np.ones(count, dtype=np.float32)
    members: dict[int, list[int]] = {index: [index] for index in range(count)}
    remaining = count
    lowest_open = 0
    #: GONE for the groups merged away or complete, 0 for the others: added to a row.
    closed = np.zeros(count, dtype=np.float32)
    complete: list[list[int]] = []
    chain: list[int] = []
    while remaining:
        if not chain:
            while closed[lowest_open] == GONE:
                lowest_open += 1
            chain.append(lowest_open)
        top = chain[-1]
        row = similarity[top] + closed
        nearest = int(np.argmax(row))
        best = float(row[nearest])
        if len(chain) > 1 and row[chain[-2]] >= best:
            nearest = chain[-2]
        if best < threshold:
            # No group is close enough now, and merging others never brings one closer
            # (an average is at most its largest part): this group is complete.
            complete.append(members.pop(top))
            remaining -= 1
            closed[top] = GONE
            chain.pop()
        elif len(chain) > 1 and nearest == chain[-2]:
            chain.pop()
            chain.pop()
            gone = _merge(similarity, sizes, members, top, nearest)
            remaining -= 1
            closed[gone] = GONE
        else:
            chain.append(nearest)
    return sorted((sorted(group) for group in complete), key=lambda group: group[0])


def _merge(
    similarity: np.ndarray,
    sizes: np.ndarray,
    members: dict[int, list[int]],
    first: int,
    second: int,
) -> int:
    """Merge two groups into the lower index (Lance-Williams update for the average);
    return the index that is gone."""
    keep, gone = min(first, second), max(first, second)
    total = sizes[keep] + sizes[gone]
    merged = (sizes[keep] * similarity[keep] + sizes[gone] * similarity[gone]) / total
    similarity[keep, :] = merged
    similarity[:, keep] = merged
    similarity[keep, keep] = GONE
    sizes[keep] = total
    members[keep] += members.pop(gone)
    return gone


def join_close_groups(
    vectors: np.ndarray, groups: list[list[int]], threshold: float
) -> list[list[int]]:
    """Join groups while the centres of the two closest are at least ``threshold`` alike.

    One subject said in several ways can fall into a few tight groups, each too far from the
    others on average although their centres (what each group is about) are close.
    """
    groups = [list(group) for group in groups]
    sums = np.vstack([vectors[group].sum(axis=0) for group in groups]) if groups else vectors[:0]
    while len(groups) > 1:
        centres = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
        similarity = centres @ centres.T
        np.fill_diagonal(similarity, GONE)
        first, second = divmod(int(np.argmax(similarity)), len(groups))
        if similarity[first, second] < threshold:
            break
        groups[first] = sorted(groups[first] + groups.pop(second))
        sums[first] += sums[second]
        sums = np.delete(sums, second, axis=0)
    return sorted(groups, key=lambda group: group[0])
