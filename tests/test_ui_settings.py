"""The profile and settings screen in the real ReflectApp: saving, refusing, masking, checks."""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button, Input, OptionList, Select, TextArea

from assistant.config import load_settings
from assistant.ui.app import ReflectApp
from assistant.ui.settings_screen import SettingsScreen
from tests.conftest import FAKE_API_KEY
from tests.support.openai_server import ScriptedOpenAI
from tests.support.screen_text import screen_text

SIZE = (100, 30)


def saved_config(home: Path) -> dict:
    path = home / "config.toml"
    return tomllib.loads(path.read_text()) if path.exists() else {}


async def open_settings(app: ReflectApp, pilot: Pilot) -> SettingsScreen:
    await pilot.press("s")
    await pilot.pause()
    assert isinstance(app.screen, SettingsScreen)
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app.screen


async def choose(pilot: Pilot, select_id: str, label: str) -> None:
    """Open a Select with the keyboard, move down to the option shown as ``label``, pick it."""
    select = pilot.app.screen.query_one(select_id, Select)
    select.focus()
    await pilot.press("enter")
    await pilot.pause()
    overlay = select.query_one("SelectOverlay", OptionList)
    overlay.highlighted = 0
    for _ in range(overlay.option_count):
        if str(overlay.get_option_at_index(overlay.highlighted or 0).prompt) == label:
            await pilot.press("enter")
            await pilot.pause()
            return
        await pilot.press("down")
        await pilot.pause()
    raise AssertionError(f"{label!r} is not an option of {select_id}")


async def test_directness_is_saved_to_config(reflect_home: Path):
    app = ReflectApp(load_settings())
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot)
        await choose(pilot, "#directness", "Direct")
        assert saved_config(reflect_home)["conversation"]["directness"] == "direct"
        assert app.settings.directness == "direct"
        assert "challenges you openly" in screen_text(app)
    assert load_settings().directness == "direct"


async def test_theme_is_applied_and_saved(reflect_home: Path):
    app = ReflectApp(load_settings())
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot)
        await choose(pilot, "#theme", "nord")
        assert app.theme == "nord"
        assert saved_config(reflect_home)["ui"]["theme"] == "nord"
    assert load_settings().theme == "nord"


async def test_invalid_endpoint_is_refused_with_the_reason(reflect_home: Path):
    app = ReflectApp(load_settings())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(app, pilot)
        screen.query_one("#base-url", Input).value = "localhost:11434"
        screen.query_one("#model", Input).value = "llama3.1"
        await pilot.click("#save-model")
        await pilot.pause()
        error = screen.query_one("#settings-error")
        assert error.display
        assert "base_url" in str(error.render())
        assert "expected an http:// or https:// URL" in str(error.render())
        assert "base_url" not in saved_config(reflect_home).get("model", {})
        assert app.settings.base_url is None

        screen.query_one("#base-url", Input).value = "http://localhost:11434/v1"
        # The "Not saved" toast can sit over the button, so press it rather than click there.
        screen.query_one("#save-model", Button).press()
        await pilot.pause()
        model = saved_config(reflect_home)["model"]
        assert model == {"base_url": "http://localhost:11434/v1", "name": "llama3.1"}
        assert app.settings.model_mode
        assert not error.display


async def test_profile_is_saved_to_the_journal():
    app = ReflectApp(load_settings())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(app, pilot)
        await pilot.click("#name")
        await pilot.press(*"Sam")
        screen.query_one("#mentor", Input).value = "Dana"
        screen.query_one("#goals", TextArea).text = "Lead the migration [bold]well[/bold]"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.journal.profile() == {
            "name": "Sam",
            "mentor": "Dana",
            "goals": "Lead the migration [bold]well[/bold]",
            "context": "",
        }


async def test_key_is_masked_and_checks_reach_the_endpoint(
    model_env: ScriptedOpenAI, reflect_home: Path
):
    app = ReflectApp(load_settings())
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot)
        app.screen.query_one("#settings-body").focus()  # the first field has the focus
        await pilot.press("end")
        await pilot.pause()
        text = screen_text(app)
        assert FAKE_API_KEY not in text
        assert FAKE_API_KEY[-4:] in text
        assert "answers and serves test-model" in text
        served_before = len(model_env.requests)

        await pilot.click("#run-checks")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(model_env.requests) > served_before
        await choose(pilot, "#directness", "Gentle")
    for path in reflect_home.rglob("*"):
        if path.is_file():
            assert FAKE_API_KEY.encode() not in path.read_bytes(), path


async def test_checks_do_not_run_before_the_screen_opens(model_env: ScriptedOpenAI):
    app = ReflectApp(load_settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert model_env.requests == []
        await open_settings(app, pilot)
        assert model_env.requests != []


async def test_leaving_while_the_checks_run_is_safe(model_env: ScriptedOpenAI):
    app = ReflectApp(load_settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"


async def test_leaving_keeps_a_profile_typed_but_not_saved():
    app = ReflectApp(load_settings())
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot)
        await pilot.click("#mentor")
        await pilot.press(*"Dana", "escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        assert app.journal.profile()["mentor"] == "Dana"


async def test_settings_open_with_the_first_field_focused_so_typing_is_kept():
    app = ReflectApp(load_settings())
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot)
        assert app.focused is not None and app.focused.id == "name"
        await pilot.press(*"Ana", "escape")
        await pilot.pause()
        assert app.journal.profile()["name"] == "Ana"
