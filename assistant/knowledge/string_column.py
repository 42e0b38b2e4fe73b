"""Many strings as two arrays, read one at a time: how the search cache keeps chunk texts.

A search needs the text and metadata of a few hundred candidate chunks, not of all 100,000;
decoding them all when a process opens the cache took a second or more. A
:class:`StringColumn` keeps the strings UTF-8 encoded end to end in one byte array, with the
offset where each starts, so that both arrays can be memory-mapped from disk and a string is
decoded only when asked for. :class:`JsonColumn` does the same for JSON objects (the chunks'
metadata), keeping each one it decodes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from itertools import pairwise
from typing import Any, overload

import numpy as np


class StringColumn(Sequence[str]):
    """Strings kept encoded: ``data[offsets[i]:offsets[i + 1]]`` is string ``i`` in UTF-8."""

    def __init__(self, data: np.ndarray, offsets: np.ndarray) -> None:
        if offsets.ndim != 1 or not len(offsets) or int(offsets[-1]) != len(data):
            raise ValueError("offsets do not fit the data")
        self.data = data
        self.offsets = offsets

    @classmethod
    def of(cls, strings: Sequence[str]) -> StringColumn:
        encoded = [text.encode("utf-8", "surrogatepass") for text in strings]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(piece) for piece in encoded], out=offsets[1:])
        return cls(np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @overload
    def __getitem__(self, position: int) -> str: ...

    @overload
    def __getitem__(self, position: slice) -> list[str]: ...

    def __getitem__(self, position: int | slice) -> str | list[str]:
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(len(self)))]
        if position < 0:
            position += len(self)
        if not 0 <= position < len(self):
            raise IndexError(position)
        start, end = int(self.offsets[position]), int(self.offsets[position + 1])
        return self.data[start:end].tobytes().decode("utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[str]:
        data = self.data.tobytes()
        bounds = self.offsets.tolist()
        for start, end in pairwise(bounds):
            yield data[start:end].decode("utf-8", "surrogatepass")

    def revised(self, keep: np.ndarray, added: Sequence[str]) -> StringColumn:
        """The strings ``keep`` marks, in order, then ``added``; copied as bytes, not decoded."""
        starts, ends = self.offsets[:-1][keep], self.offsets[1:][keep]
        # Kept strings lie in runs; each run is one slice of the data.
        breaks = np.flatnonzero(starts[1:] != ends[:-1]) + 1
        run_starts = np.concatenate([[0], breaks]).astype(np.int64)
        run_ends = np.concatenate([breaks, [len(starts)]]).astype(np.int64)
        pieces = [
            self.data[int(starts[first]) : int(ends[last - 1])]
            for first, last in zip(run_starts.tolist(), run_ends.tolist(), strict=True)
            if last > first
        ]
        new = StringColumn.of(added)
        lengths = np.concatenate([ends - starts, np.diff(new.offsets)])
        offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        data = np.concatenate([*pieces, new.data]) if pieces else new.data
        return StringColumn(np.asarray(data, dtype=np.uint8), offsets)


class JsonColumn(Sequence[dict[str, Any]]):
    """JSON objects kept as a :class:`StringColumn`, each decoded once, when first read."""

    def __init__(self, encoded: StringColumn) -> None:
        self.encoded = encoded
        self._decoded: dict[int, dict[str, Any]] = {}

    @classmethod
    def of(cls, objects: Sequence[dict[str, Any]]) -> JsonColumn:
        return cls(StringColumn.of([json.dumps(item) for item in objects]))

    def __len__(self) -> int:
        return len(self.encoded)

    @overload
    def __getitem__(self, position: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, position: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, position: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(len(self)))]
        if position < 0:
            position += len(self)
        decoded = self._decoded.get(position)
        if decoded is None:
            decoded = self._decoded[position] = json.loads(self.encoded[position])
        return decoded

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for position, text in enumerate(self.encoded):
            decoded = self._decoded.get(position)
            yield json.loads(text) if decoded is None else decoded

    def revised(self, keep: np.ndarray, added: Sequence[dict[str, Any]]) -> JsonColumn:
        return JsonColumn(self.encoded.revised(keep, [json.dumps(item) for item in added]))
