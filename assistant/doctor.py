"""`reflect doctor`: every check a user needs before a conversation, each with a verdict."""

from __future__ import annotations

import os
import tempfile
from dataclasses import asdict

from assistant.checks import CheckResult
from assistant.config import Settings
from assistant.conversation.model.endpoint import check_endpoint
from assistant.journal import Journal, JournalError
from assistant.private_files import ensure_private_dir


def check_home(settings: Settings) -> CheckResult:
    try:
        ensure_private_dir(settings.home)
        with tempfile.NamedTemporaryFile(dir=settings.home, prefix=".doctor-"):
            pass
    except OSError as exc:
        return CheckResult("home", False, f"{settings.home} is not writable: {exc.strerror}")
    return CheckResult("home", True, f"{settings.home} is writable")


def check_mode(settings: Settings) -> CheckResult:
    if settings.offline:
        return CheckResult(
            "mode", True, "Guide mode (--offline): conversations run without a model"
        )
    if not settings.endpoint_configured:
        return CheckResult(
            "mode",
            True,
            "Guide mode: no endpoint configured (set OPENAI_API_KEY or OPENAI_BASE_URL "
            "for model mode)",
        )
    return CheckResult("mode", True, f"Model mode: {settings.model} at {settings.endpoint_label}")


def check_model_endpoint(settings: Settings) -> CheckResult | None:
    if not settings.model_mode:
        return None
    result = check_endpoint(settings)
    return CheckResult("endpoint", result.ok, result.detail)


def check_journal(settings: Settings) -> CheckResult:
    if not settings.journal_path.exists():
        return CheckResult("journal", True, f"{settings.journal_path} will be created on first use")
    try:
        with Journal(settings.journal_path) as journal:
            verdict = journal.integrity_check()
            sessions = journal.count_sessions()
    except JournalError as exc:
        return CheckResult("journal", False, str(exc))
    if verdict != "ok":
        return CheckResult("journal", False, f"{settings.journal_path} failed its check: {verdict}")
    return CheckResult("journal", True, f"{settings.journal_path}: {sessions} sessions, intact")


def check_key_privacy(settings: Settings) -> CheckResult | None:
    if not settings.api_key:
        return None
    source = "OPENAI_API_KEY" if os.environ.get("OPENAI_API_KEY") else "the environment"
    return CheckResult("api key", True, f"read from {source}: {settings.masked_key()}")


def run_checks(settings: Settings) -> list[CheckResult]:
    from assistant.knowledge.health import check_index

    checks = [
        check_home(settings),
        check_mode(settings),
        check_key_privacy(settings),
        check_model_endpoint(settings),
        check_journal(settings),
        check_index(settings),
    ]
    return [check for check in checks if check is not None]


def as_json(settings: Settings, checks: list[CheckResult]) -> dict[str, object]:
    return {
        "ok": all(check.ok for check in checks),
        "mode": "model" if settings.model_mode else "guide",
        "model": settings.model if settings.model_mode else None,
        "home": str(settings.home),
        "checks": [asdict(check) for check in checks],
    }
