"""Domain modules never pull in the UI, and the app's first import stays light."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

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


#: Packages and the parts above them that they must never import, lazily or not: the
#: knowledge store serves conversations and the doctor, so it cannot lean on either.
LOWER_LAYERS = {
    "knowledge": ("assistant.conversation", "assistant.doctor", "assistant.ui", "assistant.cli"),
    "conversation": ("assistant.doctor", "assistant.ui", "assistant.cli"),
}


@pytest.mark.parametrize("package", sorted(LOWER_LAYERS))
def test_no_import_runs_upward(package: str) -> None:
    root = Path(__file__).resolve().parent.parent / "assistant" / package
    upward = LOWER_LAYERS[package]
    found = [
        f"{path.relative_to(root.parent)} imports {name}"
        for path in sorted(root.rglob("*.py"))
        for name in imported_modules(path)
        if name.startswith(upward)
    ]
    assert found == []


def imported_modules(path: Path) -> list[str]:
    """Every absolute module name ``path`` imports, at the top or inside a function."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names
