"""Domain modules never pull in the UI, and the app's first import stays light."""

from __future__ import annotations

import subprocess
import sys

import pytest

DOMAIN_MODULES = [
    "assistant.config",
    "assistant.journal",
    "assistant.knowledge",
    "assistant.conversation",
    "assistant.doctor",
    "assistant.insights",
    "assistant.sanitize",
]


@pytest.mark.parametrize("module", DOMAIN_MODULES)
def test_domain_module_does_not_import_textual(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "bad = sorted(m for m in sys.modules\n"
        "             if m.split('.')[0] == 'textual' or m.startswith('assistant.ui'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
