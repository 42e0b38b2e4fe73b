"""Reading TOML or JSON data into dataclasses, with every problem named by where it is.

Flow files, scenario files and a model's artifact draft are each read into a dataclass whose
type hints say what the data must hold: strings, integers, booleans, ``StrEnum`` members,
``X | None``, ``tuple[X, ...]``, ``list[X]`` and nested dataclasses. A missing key without a
default is an error, and so is a key the dataclass does not have (a misspelt key in a file),
unless the caller ignores those (a model's JSON may carry more than was asked). Field metadata adds
:data:`MIN_LENGTH`, :data:`PATTERN` and :data:`STRIP`. Problems read like
``steps.2.kind: Input should be 'text', 'list' or ... (got 'quiz')``.

pydantic did this before. It is not used here because in guide mode nothing else loads it,
and importing it and building its validators for these shapes held about 11 MB of the app's
resident memory after a conversation (``benchmarks/journal_bench.py``); model mode loads it
anyway, with the ``openai`` client.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from enum import StrEnum
from typing import Any, TypeVar

#: Field metadata: the fewest characters of a string, or items of a tuple or list.
MIN_LENGTH = "min_length"
#: Field metadata: a regular expression a string must match.
PATTERN = "pattern"
#: Field metadata: a string is kept with surrounding whitespace removed (after the checks).
STRIP = "strip"
#: The metadata of a string that must not be empty.
NON_EMPTY: dict[str, Any] = {MIN_LENGTH: 1}

T = TypeVar("T")


class _Problems(list[str]):
    """The problems found so far, and whether a key the dataclass lacks is one."""

    def __init__(self, ignore_unknown_keys: bool) -> None:
        super().__init__()
        self.ignore_unknown_keys = ignore_unknown_keys


class RecordError(ValueError):
    """Data that does not fit its dataclass; ``problems`` has one line per field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def read_record(cls: type[T], data: object, *, ignore_unknown_keys: bool = False) -> T:
    """``data`` (parsed TOML or JSON) as a ``cls``, or :class:`RecordError` naming each problem."""
    problems = _Problems(ignore_unknown_keys)
    value = _read(cls, data, (), {}, problems)
    if problems:
        raise RecordError(problems)
    return typing.cast(T, value)


def json_schema(cls: type) -> dict[str, Any]:
    """The JSON schema of ``cls`` that :func:`read_record` accepts (for a model's output)."""
    return _schema(cls, {})


# --- reading --------------------------------------------------------------------------------


def _read(
    hint: Any, value: object, where: tuple[str, ...], rules: dict[str, Any], problems: _Problems
) -> Any:
    """``value`` as ``hint``; ``_MISSING`` (and a problem noted) when it does not fit."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        if value is None and type(None) in args:
            return None
        (inner,) = [arg for arg in args if arg is not type(None)]
        return _read(inner, value, where, rules, problems)
    if origin in (tuple, list):
        return _read_sequence(origin, args[0], value, where, rules, problems)
    if dataclasses.is_dataclass(hint):
        return _read_fields(typing.cast(type, hint), value, where, problems)
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        if isinstance(value, str) and value in {member.value for member in hint}:
            return hint(value)
        options = [repr(member.value) for member in hint]
        return _problem(where, f"Input should be {_either(options)}", value, problems)
    if hint is str:
        return _read_text(value, where, rules, problems)
    if hint is bool:
        if isinstance(value, bool):
            return value
        return _problem(where, "Input should be a valid boolean", value, problems)
    if hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return _problem(where, "Input should be a valid integer", value, problems)
    raise TypeError(f"read_record cannot read {hint!r}")


def _read_fields(cls: type, value: object, where: tuple[str, ...], problems: _Problems) -> Any:
    if not isinstance(value, dict):
        return _problem(where, f"Input should be a table of {cls.__name__}", value, problems)
    hints = typing.get_type_hints(cls)
    fields = {field.name: field for field in dataclasses.fields(cls) if field.init}
    for key in value:
        if key not in fields and not problems.ignore_unknown_keys:
            _problem((*where, str(key)), "Extra inputs are not permitted", None, problems)
    found: dict[str, Any] = {}
    complete = True
    for name, field in fields.items():
        if name not in value:
            required = field.default is dataclasses.MISSING
            if required and field.default_factory is dataclasses.MISSING:
                _problem((*where, name), "Field required", None, problems)
                complete = False
            continue
        read = _read(hints[name], value[name], (*where, name), dict(field.metadata), problems)
        if read is _MISSING:
            complete = False
        else:
            found[name] = read
    return cls(**found) if complete else _MISSING


def _read_sequence(
    kind: type,
    item: Any,
    value: object,
    where: tuple[str, ...],
    rules: dict[str, Any],
    problems: _Problems,
) -> Any:
    if not isinstance(value, list | tuple):
        return _problem(where, f"Input should be a valid {kind.__name__}", value, problems)
    items = [
        _read(item, element, (*where, str(i)), {}, problems) for i, element in enumerate(value)
    ]
    if any(element is _MISSING for element in items):
        return _MISSING
    least = rules.get(MIN_LENGTH, 0)
    if len(items) < least:
        message = f"{kind.__name__.title()} should have at least {least} item(s), not {len(items)}"
        return _problem(where, message, None, problems)
    return kind(items)


def _read_text(
    value: object, where: tuple[str, ...], rules: dict[str, Any], problems: _Problems
) -> Any:
    if not isinstance(value, str):
        return _problem(where, "Input should be a valid string", value, problems)
    least = rules.get(MIN_LENGTH, 0)
    if len(value) < least:
        return _problem(where, f"String should have at least {least} character(s)", value, problems)
    pattern = rules.get(PATTERN)
    if pattern is not None and not re.search(pattern, value):
        return _problem(where, f"String should match pattern {pattern!r}", value, problems)
    return value.strip() if rules.get(STRIP) else value


class _Missing:
    """What a field that could not be read becomes (its problem is already noted)."""


_MISSING = _Missing()


def _problem(where: tuple[str, ...], message: str, given: object, problems: _Problems) -> _Missing:
    shown = f" (got {given!r})" if isinstance(given, str | int | float | bool) else ""
    problems.append(f"{'.'.join(where) or '(file)'}: {message}{shown}")
    return _MISSING


def _either(options: list[str]) -> str:
    return options[0] if len(options) == 1 else f"{', '.join(options[:-1])} or {options[-1]}"


# --- schema ---------------------------------------------------------------------------------


def _schema(hint: Any, rules: dict[str, Any]) -> dict[str, Any]:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        return {"anyOf": [_schema(arg, rules) for arg in args]}
    if origin in (tuple, list):
        schema: dict[str, Any] = {"type": "array", "items": _schema(args[0], {})}
        if rules.get(MIN_LENGTH):
            schema["minItems"] = rules[MIN_LENGTH]
        return schema
    if dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        fields = [field for field in dataclasses.fields(hint) if field.init]
        return {
            "type": "object",
            "properties": {f.name: _schema(hints[f.name], dict(f.metadata)) for f in fields},
            "required": [
                f.name
                for f in fields
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            ],
        }
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return {"enum": [member.value for member in hint]}
    if hint is type(None):
        return {"type": "null"}
    simple = {str: "string", bool: "boolean", int: "integer"}
    schema = {"type": simple[hint]}
    if hint is str and rules.get(MIN_LENGTH):
        schema["minLength"] = rules[MIN_LENGTH]
    return schema
