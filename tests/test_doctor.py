"""`reflect doctor`: run as a user would, against no endpoint, a dead one and the scripted one."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.conversation.model.limits import PROBE_TOKENS
from tests.conftest import FAKE_API_KEY
from tests.support.cli import reflect
from tests.support.openai_server import Reply, ScriptedOpenAI

DEAD_ENDPOINT = "http://127.0.0.1:9/v1"


def test_no_endpoint_is_guide_mode_and_passes(reflect_home: Path) -> None:
    result = reflect("doctor")

    assert result.returncode == 0, result.stderr
    assert "Guide mode" in result.stdout
    assert "All checks passed." in result.stdout
    assert "endpoint:" not in result.stdout
    assert result.stderr == ""


def test_offline_flag_is_guide_mode_even_with_an_endpoint() -> None:
    result = reflect("--offline", "doctor", env={"OPENAI_BASE_URL": DEAD_ENDPOINT})

    assert result.returncode == 0, result.stdout
    assert "Guide mode (--offline)" in result.stdout


def test_unreachable_endpoint_fails_and_names_the_url() -> None:
    result = reflect("doctor", env={"OPENAI_BASE_URL": DEAD_ENDPOINT})

    assert result.returncode == 1
    assert (
        f"[FAIL] endpoint: Cannot reach the model endpoint at {DEAD_ENDPOINT}; "
        "is the server running?"
    ) in result.stdout.splitlines()
    assert "Traceback" not in result.stdout + result.stderr


def test_scripted_endpoint_serving_the_model_passes(model_env: ScriptedOpenAI) -> None:
    result = reflect("doctor")

    assert result.returncode == 0, result.stdout
    assert f"[ok ] endpoint: {model_env.base_url} answers and serves test-model" in result.stdout
    assert "Model mode: test-model" in result.stdout
    # The model list, then the short speed probe.
    listing, probe = model_env.requests
    assert (listing.method, listing.path) == ("GET", "/v1/models")
    assert listing.headers["authorization"] == f"Bearer {FAKE_API_KEY}"
    assert (probe.method, probe.path) == ("POST", "/v1/chat/completions")
    assert probe.body is not None and probe.body["max_tokens"] == PROBE_TOKENS
    assert "[ok ] speed: first text after " in result.stdout
    assert "tokens/s" in result.stdout and "slow" not in result.stdout
    assert FAKE_API_KEY not in result.stdout + result.stderr
    assert FAKE_API_KEY[-4:] in result.stdout  # the masked key, so the user knows which one


def test_a_slow_endpoint_is_called_slow_with_its_figures(model_env: ScriptedOpenAI) -> None:
    model_env.default = Reply(
        chunks=["One", " slow", " word", " at", " a", " time."], chunk_delay=0.4
    )

    result = reflect("doctor")

    assert result.returncode == 0, result.stdout
    (speed,) = [line for line in result.stdout.splitlines() if line.startswith("[ok ] speed:")]
    assert "tokens/s: replies will be slow (a coach turn of up to 200 tokens may take about" in (
        speed
    )


def test_missing_model_fails_and_lists_the_served_ones(model_env: ScriptedOpenAI) -> None:
    model_env.models = ["test-model", "llama3.1:8b"]

    result = reflect("doctor", env={"REFLECT_MODEL": "missing"})

    assert result.returncode == 1
    assert (
        f"[FAIL] endpoint: The endpoint at {model_env.base_url} does not serve the model "
        "'missing'; it serves: llama3.1:8b, test-model. Set REFLECT_MODEL or [model] name."
    ) in result.stdout.splitlines()


def test_rejected_key_is_named(model_env: ScriptedOpenAI) -> None:
    model_env.models_status = 401

    result = reflect("doctor")

    assert result.returncode == 1
    assert (
        f"[FAIL] endpoint: The endpoint at {model_env.base_url} rejected the API key (401); "
        "check OPENAI_API_KEY."
    ) in result.stdout.splitlines()
    assert FAKE_API_KEY not in result.stdout + result.stderr
    assert len(model_env.requests) == 1


def test_json_output(model_env: ScriptedOpenAI, reflect_home: Path) -> None:
    result = reflect("doctor", "--json")

    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert report["mode"] == "model"
    assert report["model"] == "test-model"
    assert report["home"] == str(reflect_home)
    names = [check["name"] for check in report["checks"]]
    assert {"home", "mode", "endpoint", "journal", "index"} <= set(names)
    for check in report["checks"]:
        assert set(check) == {"name", "ok", "detail"}
        assert isinstance(check["ok"], bool)
        assert isinstance(check["detail"], str) and check["detail"]


def test_json_output_with_a_problem_exits_non_zero() -> None:
    result = reflect("doctor", "--json", env={"OPENAI_BASE_URL": DEAD_ENDPOINT})

    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    (endpoint,) = [check for check in report["checks"] if check["name"] == "endpoint"]
    assert endpoint["ok"] is False
    assert DEAD_ENDPOINT in endpoint["detail"]


def test_json_output_in_guide_mode() -> None:
    report = json.loads(reflect("doctor", "--json").stdout)

    assert report["mode"] == "guide"
    assert report["model"] is None


def test_bad_config_value_is_one_line_on_stderr(reflect_home: Path) -> None:
    reflect_home.mkdir(parents=True)
    config = reflect_home / "config.toml"
    config.write_text('[model]\ntemperature = "hot"\n', encoding="utf-8")

    result = reflect("doctor")

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f'reflect: {config}: [model] temperature = "hot" is not allowed; '
        "expected a number from 0 to 2"
    ]
