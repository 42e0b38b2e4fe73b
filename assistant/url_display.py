"""Showing an endpoint's address without the secret some addresses carry.

A base URL may hold credentials (``http://user:KEY@host/v1``). The address is shown in
notices, errors and ``reflect doctor``; the password part never is.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

MASK = "***"


def masked_url(url: str) -> str:
    """``url`` with the password (or a lone user part, which is often a token) masked."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url if "@" not in url else MASK
    if "@" not in parts.netloc:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    if port is not None:
        host = f"{host}:{port}"
    user = parts.username or ""
    credentials = f"{user}:{MASK}" if parts.password is not None else MASK
    return urlunsplit(parts._replace(netloc=f"{credentials}@{host}"))
