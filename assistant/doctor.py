"""`reflect doctor`: every check a user needs before a conversation, each with a verdict."""

from __future__ import annotations

import os
import tempfile
from dataclasses import asdict

from assistant.checks import CheckResult
from assistant.config import Settings
from assistant.conversation.model.endpoint import SpeedProbe, check_endpoint, probe_speed
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


def check_model_endpoint(settings: Settings) -> list[CheckResult]:
    """The endpoint answers and serves the model; then how fast it replies."""
    if not settings.model_mode:
        return []
    result = check_endpoint(settings)
    endpoint = CheckResult("endpoint", result.ok, result.detail)
    return [endpoint, check_model_speed(settings)] if result.ok else [endpoint]


#: Beyond these, a user waits noticeably for every reply.
SLOW_FIRST_TEXT_SECONDS = 8.0
SLOW_TOKENS_PER_SECOND = 10.0


def check_model_speed(settings: Settings) -> CheckResult:
    """Time a short reply; say when replies will be slow, and how slow."""
    from assistant.conversation.model.client import ModelError

    try:
        probe = probe_speed(settings)
    except ModelError as exc:
        return CheckResult("speed", False, f"the speed probe failed: {exc}")
    return CheckResult("speed", True, describe_speed(probe, settings.reply_tokens_coach))


def describe_speed(probe: SpeedProbe, coach_tokens: int) -> str:
    """The probe's figures, and what they mean for a coach turn of ``coach_tokens``."""
    rate = probe.tokens_per_second
    figures = f"first text after {probe.first_text_seconds:.1f} s"
    figures += f", {rate:.0f} tokens/s" if rate else ", speed not measurable (reply too short)"
    slow = probe.first_text_seconds > SLOW_FIRST_TEXT_SECONDS or (
        rate is not None and rate < SLOW_TOKENS_PER_SECOND
    )
    if not slow:
        return figures
    turn = probe.first_text_seconds + (coach_tokens / rate if rate else 0)
    return (
        f"{figures}: replies will be slow (a coach turn of up to {coach_tokens} tokens may "
        f"take about {turn:.0f} s); a smaller model or lower [model] reply_tokens_coach helps"
    )


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
        *check_model_endpoint(settings),
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
