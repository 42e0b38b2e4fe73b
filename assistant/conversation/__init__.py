"""Guided conversations: flow specs, the engine, the model client, guide mode, token budget.

Nothing here imports the UI: the TUI, the headless ``reflect chat`` and the tests drive the
engine the same way.
"""
