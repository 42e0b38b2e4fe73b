"""Reflect: a conversational reflection assistant for mentees and mentors."""

from assistant.telemetry import switch_off as _switch_off_telemetry

__version__ = "0.1.0"

# Before anything can import onnxruntime or chromadb: see assistant/telemetry.py.
_switch_off_telemetry()
