"""Domain modules never pull in the UI, and the app's first import stays light."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import assistant

#: Packages whose every module is domain logic.
DOMAIN_PACKAGES = ["assistant.conversation", "assistant.knowledge"]
DOMAIN_MODULES = [
    "assistant.config",
    "assistant.journal",
    "assistant.doctor",
    "assistant.insights",
    "assistant.sanitize",
    "assistant.tokens",
    "assistant.resources",
    "assistant.private_files",
]

CHECK = """
import importlib, sys

def ui_modules():
    return sorted(m for m in sys.modules
                  if m.split('.')[0] == 'textual' or m.startswith('assistant.ui'))

for name in sys.argv[1:]:
    importlib.import_module(name)
    bad = ui_modules()
    if bad:
        print(f"{name}: {','.join(bad)}")
        break
"""


def modules_of(package: str) -> list[str]:
    """Every module in ``package`` and its subpackages, found on disk (nothing imported)."""
    root = Path(assistant.__file__).parent.joinpath(*package.split(".")[1:])
    found = [package]
    for info in pkgutil.walk_packages([str(root)], prefix=f"{package}."):
        found.append(info.name)
    return sorted(found)


@pytest.mark.parametrize("package", DOMAIN_PACKAGES)
def test_every_module_of_a_domain_package_stays_clear_of_the_ui(package: str) -> None:
    modules = modules_of(package)
    assert len(modules) > 5  # the walk found the modules, not just the package
    result = subprocess.run(
        [sys.executable, "-c", CHECK, *modules], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


@pytest.mark.parametrize("module", DOMAIN_MODULES)
def test_domain_module_does_not_import_textual(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK, module], capture_output=True, text=True, check=True
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
