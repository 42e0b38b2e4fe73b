"""The wheel a user installs works on its own: built from this tree, installed into a fresh
virtual environment outside it and run from another folder, it finds its flows, its guidance
corpus and its tokenizer, and produces an artifact.

The wheel is installed without its dependencies (nothing is downloaded); the test
environment's site-packages is made visible to the new environment through a ``.pth`` file,
which adds the folder to ``sys.path`` without running the ``.pth`` files in it, so the
editable install of this checkout stays out of the way.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.support.conversation import FLOW_ANSWERS

SOURCE_TREE = Path(__file__).resolve().parent.parent
DATA_FOLDERS = ("prompts", "knowledge")
#: Not part of what a wheel is built from; hidden folders hold the venv, git and caches.
NOT_BUILD_INPUT = shutil.ignore_patterns(
    ".*", "__pycache__", "build", "dist", "*.egg-info", "tests", "benchmarks"
)
TIMEOUT = 300

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of this tree, built from a clean copy so no stale build/ folder leaks in."""
    work = tmp_path_factory.mktemp("wheel-build")
    source = work / "source"
    shutil.copytree(SOURCE_TREE, source, ignore=NOT_BUILD_INPUT)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work), str(source)])
    (built,) = work.glob("*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv outside the checkout with the wheel installed; returns its bin folder."""
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    install = [sys.executable, "-m", "pip", "--python", str(python), "install"]
    run([*install, "--no-deps", "--no-index", "-q", str(wheel)])
    # Only now: with the test environment visible, pip would see this checkout's editable
    # install as reflect-assistant already installed.
    purelib = run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
    dependencies = "\n".join(site.getsitepackages()) + "\n"
    (Path(purelib.strip()) / "reflect-test-dependencies.pth").write_text(dependencies)
    return venv / "bin"


def run(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT
    )
    assert result.returncode == 0, f"{command[:4]} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_the_wheel_carries_every_prompt_and_guidance_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in DATA_FOLDERS:
        edited = {
            path.relative_to(SOURCE_TREE).as_posix()
            for pattern in ("*.md", "*.toml")
            for path in (SOURCE_TREE / folder).rglob(pattern)
        }
        shipped = {name.removeprefix("assistant/_data/") for name in names}
        assert edited and edited <= shipped
    assert "assistant/knowledge/model_files/tokenizer.json" in names
    assert "assistant/knowledge/builtin_vectors/vectors.npy" in names
    assert "assistant/knowledge/builtin_vectors/index.json" in names


def test_the_installed_wheel_finds_the_vectors_of_its_guidance(installed: Path) -> None:
    """So that a first index build from the wheel takes them instead of running the model."""
    script = (
        "from assistant.knowledge.shipped_vectors import shipped_vectors, builtin_embedding_texts, "
        "text_key\n"
        "shipped = shipped_vectors()\n"
        "print(all(text_key(t) in shipped.rows for t in builtin_embedding_texts()))\n"
    )
    env = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    assert run([str(installed / "python"), "-c", script], cwd=installed, env=env).strip() == "True"


def test_the_installed_wheel_runs_a_flow_offline_from_another_folder(
    installed: Path, knowledge_home: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    answers = elsewhere / "turns.txt"
    answers.write_text("\n---\n".join(FLOW_ANSWERS["prepare"]) + "\n", encoding="utf-8")
    env = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    where = run(
        [str(installed / "python"), "-c", "import assistant.resources as r; print(r.__file__)"],
        cwd=elsewhere,
        env=env,
    )
    assert Path(where.strip()).is_relative_to(installed.parent)

    chat = [str(installed / "reflect"), "chat", "prepare", "--offline", "--json"]
    output = run([*chat, "--input", answers.name], cwd=elsewhere, env=env)
    result = json.loads(output)
    assert result["mode"] == "guide"
    assistant_turns = [turn for turn in result["turns"] if turn["role"] == "assistant"]
    assert assistant_turns and all(turn["sources"] for turn in assistant_turns)
    for turn in assistant_turns:
        for source in turn["sources"]:
            assert (SOURCE_TREE / "knowledge" / source["source"]).is_file()
    assert any(section["items"] for section in result["artifact"]["sections"])
    assert result["markdown"].startswith(f"# {result['artifact']['title']}\n")
    assert FLOW_ANSWERS["prepare"][0] in result["markdown"]
