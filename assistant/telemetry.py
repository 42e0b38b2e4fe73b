"""Switch off the telemetry of the libraries Reflect uses, before they are imported.

- onnxruntime (1.32 here) starts Microsoft's 1DS telemetry when it initialises: it looks up a
  Microsoft events endpoint every few seconds and writes a device id and machine details to
  ``~/.cache/Microsoft/DeveloperTools/.onnxruntime/``. Its ``Privacy.md`` names one switch
  that stops the uploader, the events and the device id for the whole process:
  ``ORT_DISABLE_TELEMETRY=1``, read when the library initialises, so it is set before any
  import of onnxruntime (this module runs when the ``assistant`` package is imported).
- chromadb's anonymised telemetry (posthog) is off through ``ANONYMIZED_TELEMETRY=False``,
  which its settings read, and again through ``anonymized_telemetry=False`` in the settings
  every client is built with (``knowledge/store.py``).
"""

from __future__ import annotations

import os

#: The environment each library reads, and the value that switches its telemetry off.
SWITCHES = {
    "ORT_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
}


def switch_off() -> None:
    """Set every switch, overriding a value inherited from the environment."""
    os.environ.update(SWITCHES)
