"""The search cache's files: large arrays memory-mapped, small ones read whole, all private,
and a copy that is damaged, of another key or of another format not read at all."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from assistant.knowledge import cache_files

FORMAT = 3


def arrays() -> dict[str, np.ndarray]:
    rows = cache_files.MAP_FROM_BYTES // (4 * 384) + 1
    vectors = np.arange(rows * 384, dtype=np.float32).reshape(rows, 384)
    return {"vectors": vectors, "lengths": np.array([3, 1, 4], dtype=np.int32)}


def test_a_copy_reads_back_with_its_large_arrays_mapped(tmp_path: Path) -> None:
    folder = tmp_path / "search-cache"
    cache_files.write(folder, "key", arrays(), form=FORMAT, facts={"chunks": 3})
    read = cache_files.read(folder, "key", form=FORMAT)
    assert read is not None
    # The vectors are the file's pages, mapped read-only; the small arrays were read whole.
    assert isinstance(read["vectors"].base, np.memmap) and not read["vectors"].flags.writeable
    assert read["lengths"].base is None or not isinstance(read["lengths"].base, np.memmap)
    for name, array in arrays().items():
        assert np.array_equal(read[name], array) and read[name].dtype == array.dtype
    assert cache_files.recorded_key(folder) == "key"
    files = [path for path in folder.rglob("*") if path.is_file()]
    assert len(files) == 3  # the header, the vectors, the small arrays
    assert all(path.stat().st_mode & 0o777 == 0o600 for path in files)


def test_a_new_copy_replaces_the_old_one_whole(tmp_path: Path) -> None:
    folder = tmp_path / "search-cache"
    cache_files.write(folder, "old", arrays(), form=FORMAT)
    (folder / "chunks.json").write_text("{}")  # a file of an earlier format
    newer = {**arrays(), "lengths": np.array([2, 7], dtype=np.int32)}
    cache_files.write(folder, "new", newer, form=FORMAT)
    assert cache_files.read(folder, "old", form=FORMAT) is None
    read = cache_files.read(folder, "new", form=FORMAT)
    assert read is not None and read["lengths"].tolist() == [2, 7]
    generations = list(folder.glob(f"{cache_files.GENERATION_PREFIX}*"))
    assert len(generations) == 1 and not (folder / "chunks.json").exists()


def test_a_damaged_copy_or_one_of_another_format_is_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "search-cache"
    cache_files.write(folder, "key", arrays(), form=FORMAT)
    assert cache_files.read(folder, "key", form=FORMAT + 1) is None
    vectors = next(folder.glob("*/vectors.npy"))
    vectors.write_bytes(vectors.read_bytes()[:-4])  # a write cut short
    assert cache_files.read(folder, "key", form=FORMAT) is None
    cache_files.discard(folder)
    assert cache_files.recorded_key(folder) is None and not folder.exists()
