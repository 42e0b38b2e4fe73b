"""Settings for Reflect, from flags, environment, ``config.toml`` and defaults, in that order.

The API key is only ever read from the environment: it is never accepted from, nor written
to, a file. Every invalid value raises :class:`ConfigError` with one line that names the
file, the key and what is allowed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from assistant.private_files import ensure_private_dir, write_private_text
from assistant.url_display import masked_url, url_has_credentials

CONFIG_FILE_NAME = "config.toml"
DIRECTNESS_LEVELS = ("gentle", "balanced", "direct")
EMBEDDING_PROVIDERS = ("local", "openai", "ollama")
#: Structured output a JSON request asks for: ``auto`` tries ``json_schema`` (OpenAI, vLLM,
#: Ollama), then ``json_object_schema`` (llama-cpp-python), then ``json_object``, then JSON
#: asked for in the prompt only, and remembers what was taken.
JSON_FORMATS = ("auto", "json_schema", "json_object_schema", "json_object", "prompt")
DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_THEME = "textual-dark"


class ConfigError(Exception):
    """A setting has a value Reflect cannot use. ``str()`` is the one line to show."""


@dataclass(frozen=True)
class Settings:
    """Every setting the app uses. Build it with :func:`load_settings`."""

    home: Path
    api_key: str | None = field(default=None, repr=False)
    base_url: str | None = None
    model: str = DEFAULT_MODEL
    offline: bool = False
    temperature: float = 0.4
    context_window: int = 8192
    reply_reserve: int = 1024
    timeout: float = 60.0
    max_retries: int = 3
    #: Reply lengths in tokens (``max_tokens``) per purpose of a request.
    reply_tokens_coach: int = 200
    reply_tokens_persona: int = 120
    reply_tokens_draft: int = 800
    reply_tokens_rubric: int = 600
    #: Seconds until a reply's first text, and for the whole reply.
    first_token_timeout: float = 60.0
    reply_time_limit: float = 180.0
    #: The most of a reply that is kept, in bytes (UTF-8).
    reply_byte_cap: int = 64_000
    #: Which structured output a JSON request asks for first (``auto`` learns it).
    json_format: str = "auto"
    directness: str = "balanced"
    embedding: str = "local"
    embedding_model: str = ""
    ollama_url: str = "http://127.0.0.1:11434"
    chroma_url: str | None = None
    theme: str = DEFAULT_THEME

    @property
    def config_path(self) -> Path:
        return self.home / CONFIG_FILE_NAME

    @property
    def journal_path(self) -> Path:
        return self.home / "journal.db"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def exports_dir(self) -> Path:
        return self.home / "exports"

    @property
    def endpoint_configured(self) -> bool:
        return bool(self.api_key or self.base_url)

    @property
    def model_mode(self) -> bool:
        """True when conversations should try the model; guide mode otherwise."""
        return self.endpoint_configured and not self.offline

    @property
    def mode_label(self) -> str:
        return self.model if self.model_mode else "Guide mode"

    @property
    def endpoint_label(self) -> str:
        """The endpoint's address as it may be shown: a password in it is masked."""
        return masked_url(self.base_url or "https://api.openai.com/v1")

    def masked_key(self) -> str:
        """The key as it may be shown on screen: never more than its last four characters."""
        if not self.api_key:
            return "(not set)"
        return "…" + self.api_key[-4:] if len(self.api_key) > 8 else "…"


# --- validation -----------------------------------------------------------------------------

Validator = Callable[[Any], Any]


def _number(low: float, high: float) -> tuple[Validator, str]:
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError
        if not low <= value <= high:
            raise ValueError
        return float(value)

    return check, f"a number from {low:g} to {high:g}"


def _integer(low: int, high: int) -> tuple[Validator, str]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError
        return value

    return check, f"a whole number from {low} to {high}"


def _choice(options: tuple[str, ...]) -> tuple[Validator, str]:
    def check(value: Any) -> str:
        if value not in options:
            raise ValueError
        return value

    return check, "one of " + ", ".join(f'"{o}"' for o in options)


def _text() -> tuple[Validator, str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise ValueError
        return value.strip()

    return check, "a non-empty string"


def _url() -> tuple[Validator, str]:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError
        parsed = urlparse(value.strip())
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError
        return value.strip().rstrip("/")

    return check, "an http:// or https:// URL"


def _flag() -> tuple[Validator, str]:
    def check(value: Any) -> bool:
        if not isinstance(value, bool):
            raise ValueError
        return value

    return check, "true or false"


# (section, key) in config.toml -> (Settings field, validator and its description)
FILE_KEYS: dict[tuple[str, str], tuple[str, tuple[Validator, str]]] = {
    ("model", "base_url"): ("base_url", _url()),
    ("model", "name"): ("model", _text()),
    ("model", "temperature"): ("temperature", _number(0, 2)),
    ("model", "context_window"): ("context_window", _integer(1024, 2_000_000)),
    ("model", "reply_reserve"): ("reply_reserve", _integer(128, 100_000)),
    ("model", "timeout"): ("timeout", _number(1, 600)),
    ("model", "max_retries"): ("max_retries", _integer(0, 10)),
    ("model", "offline"): ("offline", _flag()),
    ("model", "reply_tokens_coach"): ("reply_tokens_coach", _integer(16, 100_000)),
    ("model", "reply_tokens_persona"): ("reply_tokens_persona", _integer(16, 100_000)),
    ("model", "reply_tokens_draft"): ("reply_tokens_draft", _integer(64, 100_000)),
    ("model", "reply_tokens_rubric"): ("reply_tokens_rubric", _integer(64, 100_000)),
    ("model", "first_token_timeout"): ("first_token_timeout", _number(1, 3600)),
    ("model", "reply_time_limit"): ("reply_time_limit", _number(1, 3600)),
    ("model", "reply_byte_cap"): ("reply_byte_cap", _integer(1024, 10_000_000)),
    ("model", "json_format"): ("json_format", _choice(JSON_FORMATS)),
    ("conversation", "directness"): ("directness", _choice(DIRECTNESS_LEVELS)),
    ("knowledge", "embedding"): ("embedding", _choice(EMBEDDING_PROVIDERS)),
    ("knowledge", "embedding_model"): ("embedding_model", _text()),
    ("knowledge", "ollama_url"): ("ollama_url", _url()),
    ("knowledge", "chroma_url"): ("chroma_url", _url()),
    ("ui", "theme"): ("theme", _text()),
}

# environment variable -> (Settings field, validator)
ENV_KEYS: dict[str, tuple[str, tuple[Validator, str]]] = {
    "OPENAI_BASE_URL": ("base_url", _url()),
    "REFLECT_MODEL": ("model", _text()),
    "REFLECT_CHROMA_URL": ("chroma_url", _url()),
    "REFLECT_REPLY_TOKENS_COACH": ("reply_tokens_coach", _integer(16, 100_000)),
    "REFLECT_REPLY_TOKENS_PERSONA": ("reply_tokens_persona", _integer(16, 100_000)),
    "REFLECT_REPLY_TOKENS_DRAFT": ("reply_tokens_draft", _integer(64, 100_000)),
    "REFLECT_REPLY_TOKENS_RUBRIC": ("reply_tokens_rubric", _integer(64, 100_000)),
    "REFLECT_FIRST_TOKEN_TIMEOUT": ("first_token_timeout", _number(1, 3600)),
    "REFLECT_REPLY_TIME_LIMIT": ("reply_time_limit", _number(1, 3600)),
    "REFLECT_JSON_FORMAT": ("json_format", _choice(JSON_FORMATS)),
}

SECRET_KEY_NAMES = {"api_key", "openai_api_key", "key", "token"}
#: Settings that hold an address, which may carry a secret (``http://user:KEY@host``).
URL_FIELDS = {"base_url", "ollama_url", "chroma_url"}


def default_home() -> Path:
    import platformdirs  # only without REFLECT_HOME: a few milliseconds off every start

    return Path(platformdirs.user_data_dir("reflect", appauthor=False))


def resolve_home(env: Mapping[str, str]) -> Path:
    raw = env.get("REFLECT_HOME", "").strip()
    return Path(raw).expanduser() if raw else default_home()


def _config_text(path: Path) -> str:
    """The text of ``config.toml``; empty when there is no file."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.__class__.__name__}: {exc})") from None


def _read_config_file(path: Path) -> dict[str, Any]:
    return _parse_config(path, _config_text(path))


def _parse_config(path: Path, text: str) -> dict[str, Any]:
    if not text:
        return {}
    import tomllib  # only when there is a file: the parser costs 7 ms to import

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: is not valid TOML ({exc}); fix or delete the file") from None


def _values_from_file(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for section, table in data.items():
        if not isinstance(table, dict):
            raise ConfigError(
                f"{path}: {section} = {table!r} is not allowed at the top level; "
                f"use sections [model], [conversation], [knowledge] and [ui]"
            )
        for key, raw in table.items():
            if key.lower() in SECRET_KEY_NAMES:
                raise ConfigError(
                    f"{path}: [{section}] {key} is not allowed; the API key is read only "
                    f"from the OPENAI_API_KEY environment variable, never from a file"
                )
            spec = FILE_KEYS.get((section, key))
            if spec is None:
                known = ", ".join(f"[{s}] {k}" for s, k in FILE_KEYS)
                raise ConfigError(f"{path}: [{section}] {key} is not a setting; known: {known}")
            field_name, (check, allowed) = spec
            try:
                values[field_name] = check(raw)
            except ValueError:
                raise ConfigError(
                    f"{path}: [{section}] {key} = {_toml_repr(raw)} is not allowed; "
                    f"expected {allowed}"
                ) from None
    return values


def _values_from_env(env: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, (field_name, (check, allowed)) in ENV_KEYS.items():
        raw = env.get(name, "").strip()
        if not raw:
            continue
        try:
            values[field_name] = _check_env_value(check, raw)
        except ValueError:
            raise ConfigError(
                f"environment: {name}={raw!r} is not allowed; expected {allowed}"
            ) from None
    key = env.get("OPENAI_API_KEY", "").strip()
    if key:
        values["api_key"] = key
    return values


def _check_env_value(check: Validator, raw: str) -> Any:
    """``raw`` checked as text, else as a whole number, else as a number (env is all text)."""
    for parse in (str, int, float):
        try:
            return check(parse(raw))
        except ValueError:
            continue
    raise ValueError(raw)


def _toml_repr(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def load_settings(
    env: Mapping[str, str] | None = None,
    *,
    offline: bool | None = None,
    model: str | None = None,
) -> Settings:
    """Build settings: flags override environment, which overrides config.toml and defaults."""
    env = os.environ if env is None else env
    home = resolve_home(env)
    path = home / CONFIG_FILE_NAME
    values = _values_from_file(path, _read_config_file(path))
    values.update(_values_from_env(env))
    if offline is not None and offline:
        values["offline"] = True
    if model:
        values["model"] = model
    settings = Settings(home=home, **values)
    if settings.reply_reserve >= settings.context_window // 2:
        raise ConfigError(
            f"{path}: [model] reply_reserve = {settings.reply_reserve} is not allowed; "
            f"expected less than half of context_window ({settings.context_window})"
        )
    return settings


def prepare_home(settings: Settings) -> Path:
    """Create the home folder (0700) the first time the app writes there."""
    try:
        return ensure_private_dir(settings.home)
    except OSError as exc:
        raise ConfigError(
            f"REFLECT_HOME {settings.home} cannot be used: {exc.strerror}; "
            f"point REFLECT_HOME at a writable folder"
        ) from None


def save_setting(settings: Settings, section: str, key: str, value: Any) -> Settings:
    """Validate one value, write it into config.toml (keeping the rest) and return new settings.

    Used by the settings screen. Secrets cannot pass: they are not in ``FILE_KEYS``, and an
    address that carries one is refused. The
    file is edited, not regenerated: the user's comments, order and layout stay as they were.
    """
    import tomlkit

    spec = FILE_KEYS.get((section, key))
    if spec is None:
        raise ConfigError(f"{settings.config_path}: [{section}] {key} is not a setting")
    field_name, (check, allowed) = spec
    try:
        checked = check(value)
    except ValueError:
        raise ConfigError(
            f"{settings.config_path}: [{section}] {key} = {_toml_repr(value)} is not allowed; "
            f"expected {allowed}"
        ) from None
    if field_name in URL_FIELDS and url_has_credentials(checked):
        raise ConfigError(
            f"{settings.config_path}: [{section}] {key} holds a password or key, and Reflect "
            f"never writes one to a file; save the address without it (the API key goes in "
            f"OPENAI_API_KEY)"
        )
    path = settings.config_path
    text = _config_text(path)
    _parse_config(path, text)  # a file that is not valid TOML is reported, never overwritten
    document = tomlkit.parse(text)
    table = document.get(section)
    if table is None:
        table = document[section] = tomlkit.table()
    table[key] = checked
    write_private_text(path, tomlkit.dumps(document))
    return replace(settings, **{field_name: checked})
