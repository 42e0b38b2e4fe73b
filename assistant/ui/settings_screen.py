"""Profile and settings: what conversations know about the user, how they sound, where they go.

Every value is saved through :func:`assistant.config.save_setting` (validated, written to
config.toml) or the journal's profile. The API key is only ever shown masked: it comes from the
environment and is never written anywhere. The doctor checks contact the endpoint, so they run
in a thread worker, only when the screen opens or the user asks.
"""

from __future__ import annotations

import os
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static, TextArea

from assistant.checks import CheckResult
from assistant.config import DIRECTNESS_LEVELS, ConfigError, Settings, save_setting
from assistant.doctor import run_checks
from assistant.journal import Journal
from assistant.ui.safe_text import inert
from assistant.ui.widgets.from_thread import deliver
from assistant.ui.widgets.header import AppHeader
from assistant.url_display import masked_url

DIRECTNESS_HELP = {
    "gentle": "Warm and encouraging; challenges softly.",
    "balanced": "Supportive, and names what it notices.",
    "direct": "Plain and brief; challenges you openly.",
}

#: Environment variables that override a value saved here, by Settings field.
ENV_OVERRIDES = {"base_url": "OPENAI_BASE_URL", "model": "REFLECT_MODEL"}


def check_lines(checks: list[CheckResult]) -> Text:
    lines = Text()
    for index, check in enumerate(checks):
        if index:
            lines.append("\n")
        lines.append("✔ " if check.ok else "✘ ", style="bold green" if check.ok else "bold red")
        lines.append(f"{check.name}: ", style="bold")
        lines.append(inert(check.detail))
    return lines


def section(title: str, *children: Any, id: str) -> Vertical:
    box = Vertical(*children, id=id, classes="settings-section")
    box.border_title = title
    return box


class SettingsScreen(Screen):
    """The profile, conversation tone, theme, endpoint and model, the masked key, and checks."""

    CSS_PATH = "settings_screen.tcss"
    #: Typing as soon as the screen opens goes into the first field, not nowhere.
    AUTO_FOCUS = "#name"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back (keeps the profile)"),
        Binding("ctrl+s", "save_profile", "Save profile"),
    ]

    @property
    def settings(self) -> Settings:
        return self.app.settings  # type: ignore[attr-defined]

    @property
    def journal(self) -> Journal:
        return self.app.journal  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield AppHeader("Profile and settings")
        with VerticalScroll(id="settings-body"):
            with Horizontal(id="settings-columns"):
                yield self._profile_section()
                with Vertical(id="settings-right"):
                    yield self._conversation_section()
                    yield self._model_section()
            yield section(
                "Checks",
                Static("Running the checks…", id="checks", markup=False),
                Horizontal(Button("Run checks", id="run-checks"), classes="buttons"),
                id="doctor",
            )
        yield Footer()

    def _profile_section(self) -> Vertical:
        profile = self.journal.profile()
        return section(
            "Your profile (every conversation uses it)",
            Label("Your name"),
            Input(profile["name"], placeholder="What the assistant calls you", id="name"),
            Label("Your mentor"),
            Input(profile["mentor"], placeholder="Who you meet with", id="mentor"),
            Label("Your goals"),
            TextArea(profile["goals"], id="goals", soft_wrap=True),
            Label("Your context: role, team, what is going on"),
            TextArea(profile["context"], id="context", soft_wrap=True),
            Horizontal(
                Button("Save profile", id="save-profile", variant="primary"),
                Static("or ctrl+s", classes="hint"),
                classes="buttons",
            ),
            id="profile",
        )

    def _conversation_section(self) -> Vertical:
        return section(
            "Conversations",
            Label("Directness"),
            Select(
                [(level.capitalize(), level) for level in DIRECTNESS_LEVELS],
                value=self.settings.directness,
                allow_blank=False,
                id="directness",
            ),
            Static(DIRECTNESS_HELP[self.settings.directness], id="directness-help", classes="hint"),
            Label("Theme"),
            Select(
                [(name, name) for name in sorted(self.app.available_themes)],
                value=self.app.theme,
                allow_blank=False,
                id="theme",
            ),
            id="conversation-settings",
        )

    def _model_section(self) -> Vertical:
        return section(
            "Model endpoint",
            Label("Endpoint (OpenAI-compatible base URL)"),
            Input(
                self._shown_base_url(),
                placeholder="https://api.openai.com/v1 (the default)",
                id="base-url",
            ),
            Label("Model"),
            Input(self.settings.model, id="model"),
            Static(self._override_note(), id="env-note", markup=False),
            Button("Save endpoint and model", id="save-model", variant="primary"),
            Static(id="settings-error", markup=False),
            Static(self._key_line(), id="api-key", markup=False),
            Static(f"Mode now: {self.settings.mode_label}", id="mode", markup=False),
            id="model-settings",
        )

    def on_mount(self) -> None:
        self.query_one("#settings-error").display = False
        self.run_doctor()

    def _override_note(self) -> str:
        overridden = [name for name in ENV_OVERRIDES.values() if os.environ.get(name)]
        if not overridden:
            return ""
        return (
            f"Set in your environment: {', '.join(overridden)}. The environment takes "
            "precedence over what is saved here."
        )

    def _key_line(self) -> Text:
        line = Text("API key: ", style="bold")
        if self.settings.api_key:
            line.append(self.settings.masked_key())
            line.append("  from OPENAI_API_KEY; never stored by Reflect", style="dim")
        else:
            line.append("not set", style="dim")
            line.append(
                "  (set OPENAI_API_KEY in your environment; Reflect never stores a key)",
                style="dim",
            )
        return line

    # --- saving -----------------------------------------------------------------------------

    def _save(self, section_name: str, key: str, value: Any) -> bool:
        """Save one setting; show the reason in the error line if it cannot be saved."""
        try:
            new_settings = save_setting(self.settings, section_name, key, value)
        except (ConfigError, OSError) as exc:
            self._show_error(str(exc))
            return False
        self.app.update_settings(new_settings)  # type: ignore[attr-defined]
        self._show_error("")
        return True

    def _show_error(self, message: str) -> None:
        error = self.query_one("#settings-error", Static)
        error.update(message)
        error.display = bool(message)
        if message:
            self.notify(message, title="Not saved", severity="error", markup=False)

    @on(Select.Changed, "#directness")
    def save_directness(self, event: Select.Changed) -> None:
        self.query_one("#directness-help", Static).update(DIRECTNESS_HELP[str(event.value)])
        if event.value != self.settings.directness and self._save(
            "conversation", "directness", event.value
        ):
            self.notify(f"Directness: {event.value}. New replies use it.", markup=False)

    @on(Select.Changed, "#theme")
    def save_theme(self, event: Select.Changed) -> None:
        if event.value != self.app.theme:
            self.app.theme = str(event.value)

    @on(Button.Pressed, "#save-model")
    def save_model(self) -> None:
        settings = self.settings
        base_url = self.query_one("#base-url", Input).value.strip()
        model = self.query_one("#model", Input).value.strip()
        changes = []
        if base_url != self._shown_base_url():
            changes.append(("base_url", base_url))
        if model != settings.model:
            changes.append(("name", model))
        for key, value in changes:
            if not self._save("model", key, value):
                return
        if changes:
            self.query_one("#mode", Static).update(f"Mode now: {self.settings.mode_label}")
            self.notify("Endpoint and model saved. Run the checks to try them.")

    def _shown_base_url(self) -> str:
        """The endpoint as the field shows it: a secret in it (from the environment) masked."""
        return masked_url(self.settings.base_url) if self.settings.base_url else ""

    @on(Button.Pressed, "#save-profile")
    def action_save_profile(self) -> None:
        self.journal.set_profile(**self._typed_profile())
        self.notify("Profile saved. The next conversation uses it.")

    def action_back(self) -> None:
        """Leave; a profile edited but not saved is saved, so nothing typed is lost."""
        typed = self._typed_profile()
        if {key: value.strip() for key, value in typed.items()} != self.journal.profile():
            self.action_save_profile()
        self.app.pop_screen()

    def _typed_profile(self) -> dict[str, str]:
        return {
            "name": self.query_one("#name", Input).value,
            "mentor": self.query_one("#mentor", Input).value,
            "goals": self.query_one("#goals", TextArea).text,
            "context": self.query_one("#context", TextArea).text,
        }

    # --- checks -----------------------------------------------------------------------------

    @on(Button.Pressed, "#run-checks")
    def rerun_doctor(self) -> None:
        self.query_one("#checks", Static).update("Running the checks…")
        self.run_doctor()

    @work(thread=True, exclusive=True, group="doctor")
    def run_doctor(self) -> None:
        deliver(self, self.show_checks, run_checks(self.settings))

    def show_checks(self, checks: list[CheckResult]) -> None:
        self.query_one("#checks", Static).update(check_lines(checks))
