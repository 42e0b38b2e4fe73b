"""Reflect uses only the public surface of its libraries (textual, rich, chromadb, openai,
onnxruntime, tokenizers, tiktoken, argparse, ...): a private name can change or vanish in
any release, without notice.

The check reads the package's source: every ``_name`` reached through an attribute, a
``getattr``-like call or an import must be one that Reflect defines itself.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import assistant

PACKAGE = Path(assistant.__file__).parent
ATTRIBUTE_CALLS = {"getattr", "setattr", "hasattr", "delattr"}


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _sources() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _own_private_names() -> set[str]:
    """Every private name the package defines: functions, classes, attributes, variables."""
    names: set[str] = set()
    for _, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Name | ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.id if isinstance(node, ast.Name) else node.attr)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
    return {name for name in names if _is_private(name)}


def _private_uses(tree: ast.Module) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _is_private(node.attr):
            yield node.lineno, node.attr
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ATTRIBUTE_CALLS
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and node.args[1].value.startswith("_")
        ):
            yield node.lineno, node.args[1].value
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            private = [part for part in node.module.split(".") if _is_private(part)]
            yield from ((node.lineno, f"module {node.module}") for _ in private[:1])


def test_no_private_name_of_a_library_is_used() -> None:
    own = _own_private_names()
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {name}"
        for path, tree in _sources()
        for line, name in _private_uses(tree)
        if name not in own
    ]
    assert found == []
