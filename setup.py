"""Which files the package carries; everything else about the project is in pyproject.toml.

``prompts/`` and ``knowledge/`` stay at the top of the source tree, where people edit them.
They are mapped into the package as ``assistant._data.prompts`` and ``assistant._data.knowledge``
so that a wheel carries them inside ``assistant/`` and :mod:`assistant.resources` finds them
with importlib.resources. The globs take every Markdown and TOML file at any depth: a new flow,
scenario or guidance file ships without being listed anywhere. This mapping needs code (a
package list that adds to the discovered one), which pyproject.toml cannot express.
"""

from setuptools import find_namespace_packages, setup

#: Data folders at the top of the source tree, by the package each becomes in the wheel.
DATA_FOLDERS = {"assistant._data.prompts": "prompts", "assistant._data.knowledge": "knowledge"}
DATA_FILES = ["**/*.md", "**/*.toml"]
#: Files other than Python modules in the code's own folders: styles, the tokenizer, tables,
#: the built-in guidance's vectors.
PACKAGE_FILES = ["*.tcss", "*.json", "*.toml", "*.md", "*.txt", "*.npy", "NOTICE"]

setup(
    packages=[*find_namespace_packages(include=["assistant", "assistant.*"]), *DATA_FOLDERS],
    package_dir=DATA_FOLDERS,
    package_data={"": PACKAGE_FILES, **dict.fromkeys(DATA_FOLDERS, DATA_FILES)},
)
