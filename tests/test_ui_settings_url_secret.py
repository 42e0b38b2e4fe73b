"""The settings screen never shows nor saves a secret carried in the endpoint's address."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.widgets import Button, Input

from assistant.config import load_settings
from assistant.ui.app import ReflectApp
from tests.support.screen_text import screen_text
from tests.test_ui_settings import SIZE, open_settings

SECRET = "pw-SECRET-typed-4711"


def saved_model(home: Path) -> dict[str, object]:
    path = home / "config.toml"
    return tomllib.loads(path.read_text())["model"] if path.exists() else {}


async def test_an_address_with_a_secret_is_refused_and_the_file_keeps_none(
    reflect_home: Path,
) -> None:
    app = ReflectApp(load_settings())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(app, pilot)
        screen.query_one("#base-url", Input).value = f"http://me:{SECRET}@127.0.0.1:8080/v1"
        screen.query_one("#save-model", Button).press()
        await pilot.pause()
        error = str(screen.query_one("#settings-error").render())
        assert "never writes one to a file" in error
        assert SECRET not in error
        assert saved_model(reflect_home).get("base_url") is None
        config = reflect_home / "config.toml"
        assert not config.exists() or SECRET not in config.read_text()


async def test_an_address_from_the_environment_is_shown_masked_and_left_alone(
    reflect_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://me:{SECRET}@127.0.0.1:9/v1")
    app = ReflectApp(load_settings())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(app, pilot)
        assert screen.query_one("#base-url", Input).value == "http://me:***@127.0.0.1:9/v1"
        assert SECRET not in screen_text(app)
        screen.query_one("#model", Input).value = "llama3.1"
        screen.query_one("#save-model", Button).press()
        await pilot.pause()
        assert saved_model(reflect_home) == {"name": "llama3.1"}
        assert app.settings.base_url == f"http://me:{SECRET}@127.0.0.1:9/v1"
