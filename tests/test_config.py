"""Settings: precedence, one-line validation errors, and the key never in a file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assistant.config import ConfigError, load_settings, save_setting


def write_config(home: Path, text: str) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_give_guide_mode(reflect_home: Path) -> None:
    settings = load_settings()
    assert settings.home == reflect_home
    assert not settings.model_mode
    assert settings.mode_label == "Guide mode"


def test_precedence_flag_over_env_over_file(
    reflect_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(reflect_home, '[model]\nname = "from-file"\ntemperature = 0.9\n')
    assert load_settings().model == "from-file"
    monkeypatch.setenv("REFLECT_MODEL", "from-env")
    settings = load_settings()
    assert settings.model == "from-env"
    assert settings.temperature == 0.9
    assert load_settings(model="from-flag").model == "from-flag"


def test_offline_flag_wins_over_configured_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-abc")
    assert load_settings().model_mode
    assert not load_settings(offline=True).model_mode


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[model]\ntemperature = "hot"\n',
            '[model] temperature = "hot" is not allowed; expected a number from 0 to 2',
        ),
        (
            '[conversation]\ndirectness = "brutal"\n',
            'expected one of "gentle", "balanced", "direct"',
        ),
        ("[model]\nmax_retries = 2.5\n", "expected a whole number from 0 to 10"),
        ('[model]\nbase_url = "localhost:11434"\n', "expected an http:// or https:// URL"),
        ("[model]\ncolour = 1\n", "[model] colour is not a setting"),
        ("[model\nname=", "is not valid TOML"),
    ],
)
def test_bad_values_name_the_file_key_and_what_is_allowed(
    reflect_home: Path, text: str, expected: str
) -> None:
    path = write_config(reflect_home, text)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(str(path))
    assert expected in message
    assert "\n" not in message


def test_a_key_in_the_file_is_refused(reflect_home: Path) -> None:
    write_config(reflect_home, '[model]\napi_key = "sk-secret"\n')
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        load_settings()


def test_bad_environment_value_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "not a url")
    with pytest.raises(ConfigError, match=r"OPENAI_BASE_URL='not a url' is not allowed"):
        load_settings()


def test_cli_reports_a_bad_config_in_one_line_without_traceback(reflect_home: Path) -> None:
    path = write_config(reflect_home, '[model]\ntemperature = "hot"\n')
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "journal"], capture_output=True, text=True
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    expected = '[model] temperature = "hot" is not allowed; expected a number from 0 to 2'
    assert lines == [f"reflect: {path}: {expected}"]


def test_save_setting_keeps_other_values_and_never_writes_the_key(
    reflect_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-never-on-disk-1234")
    path = write_config(reflect_home, '[model]\nname = "llama3"\n')
    settings = save_setting(load_settings(), "conversation", "directness", "direct")
    assert settings.directness == "direct"
    assert load_settings().directness == "direct"
    assert load_settings().model == "llama3"
    text = path.read_text()
    assert "sk-never-on-disk" not in text
    assert path.stat().st_mode & 0o777 == 0o600
    with pytest.raises(ConfigError, match="expected one of"):
        save_setting(settings, "conversation", "directness", "harsh")


def test_masked_key_shows_at_most_four_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-abcdefghijklmnop")
    masked = load_settings().masked_key()
    assert masked == "…mnop"
    assert "abcdefghijkl" not in repr(load_settings())


def test_saving_a_setting_keeps_the_users_comments_and_layout(reflect_home: Path) -> None:
    text = (
        "# Reflect settings, edited by hand\n"
        "\n"
        "[model]\n"
        'name = "llama3"  # the small one, it is fast enough\n'
        "temperature = 0.4\n"
        "\n"
        "# How I like to be spoken to\n"
        "[conversation]\n"
        'directness = "gentle"\n'
    )
    path = write_config(reflect_home, text)
    settings = save_setting(load_settings(), "conversation", "directness", "direct")
    save_setting(settings, "ui", "theme", "nord")
    assert path.read_text() == (
        text.replace('directness = "gentle"', 'directness = "direct"') + '\n[ui]\ntheme = "nord"\n'
    )
    assert (load_settings().directness, load_settings().theme) == ("direct", "nord")


def test_a_config_broken_by_hand_is_reported_not_overwritten(reflect_home: Path) -> None:
    settings = load_settings()
    path = write_config(reflect_home, "[model\nname = 'llama3'\n")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        save_setting(settings, "ui", "theme", "nord")
    assert path.read_text() == "[model\nname = 'llama3'\n"
