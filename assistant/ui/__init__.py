"""The Textual terminal app. Only ``assistant.ui`` imports textual."""
