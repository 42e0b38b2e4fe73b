"""Widgets shared by Reflect's screens."""
