"""Reflect: a conversational reflection assistant for mentees and mentors."""

__version__ = "0.1.0"
