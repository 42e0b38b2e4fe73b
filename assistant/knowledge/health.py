"""The doctor's look at the knowledge index."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.config import Settings

if TYPE_CHECKING:
    from assistant.doctor import CheckResult


def check_index(settings: Settings) -> CheckResult:
    from assistant.doctor import CheckResult

    where = settings.chroma_url or str(settings.index_dir)
    return CheckResult("index", True, f"knowledge index at {where}")
