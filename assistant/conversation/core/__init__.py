"""The engine and what it works with: flows, events, the in-memory session, headless driving."""
