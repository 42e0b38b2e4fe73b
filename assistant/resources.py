"""Where the data that ships with Reflect lives: flow prompts and the guidance corpus."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PROMPTS_DIR = PROJECT_ROOT / "prompts"
BUILTIN_KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
