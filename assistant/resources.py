"""Where the data that ships with Reflect lives: flow prompts and the guidance corpus.

``prompts/`` and ``knowledge/`` at the top of the source tree are the folders people edit. A
built wheel carries them inside the package as ``assistant/_data/prompts`` and
``assistant/_data/knowledge`` (``setup.py`` maps them there), found with importlib.resources.
An editable install (``pip install -e .``) has no ``_data`` folder: it reads the source tree's
folders themselves, so an edit there shows up without reinstalling.

Reflect reads these as files (the index stats and hashes them), so it runs from an unpacked
install, as pip and pipx make, not from a zip.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_SOURCE_TREE = _PACKAGE.parent


def shipped_folder(name: str) -> Path:
    """The data folder ``name``: inside the installed package, or in the source tree.

    The package's own folder, not ``importlib.resources`` (the same folder in an unpacked
    install, the only kind Reflect runs from): importing it cost 3 ms of every start.
    """
    packaged = _PACKAGE / "_data" / name
    if packaged.is_dir():
        return packaged
    return _SOURCE_TREE / name


PROMPTS_DIR = shipped_folder("prompts")
BUILTIN_KNOWLEDGE_DIR = shipped_folder("knowledge")
