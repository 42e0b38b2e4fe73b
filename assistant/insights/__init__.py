"""What keeps coming back in the journal: themes across sessions, and trends over time.

Domain code: it reads a :class:`~assistant.journal.Journal` and returns plain data for the
insights screen (and anything else) to show. One job per module: ``units`` (what was said,
as sentences), ``vectors`` (their embeddings, cached), ``clustering``, ``labels``, ``themes``
(the three together), ``periods`` (weeks and months) and ``gather`` (all of it for a screen).
"""

from assistant.insights.periods import local_date

__all__ = ["local_date"]
