"""The one exception the knowledge store raises for problems a user can act on."""

from __future__ import annotations


class KnowledgeError(Exception):
    """The index cannot be used as asked. ``str()`` is one line saying what to do."""


REBUILD_HINT = "run `reflect knowledge index --rebuild`"


class IndexUnreadable(KnowledgeError):
    """The embedded index cannot be opened (damaged files); ``--rebuild`` starts it afresh."""
