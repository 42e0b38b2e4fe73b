"""Endpoint addresses without the secrets some addresses carry.

A base URL may hold credentials: a password or a token as the user part
(``http://user:KEY@host/v1``, ``http://TOKEN@host``), or a key in the query
(``https://host/v1?api_key=KEY``). Such an address is shown in notices, errors and
``reflect doctor`` with the secret masked (:func:`masked_url`), and what is kept on disk (the
index's configuration, the search cache) holds it without the secret at all
(:func:`url_without_credentials`); :func:`url_has_credentials` lets a settings writer refuse it.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MASK = "***"
#: Query parameters whose value is a secret (``api_key``, ``access_token``, ``sig``, ...).
_SECRET_PARAMETER = re.compile(
    r"key|token|secret|passw|pwd|auth|sig|credential|session", re.IGNORECASE
)


class _Parts(NamedTuple):
    scheme: str
    host: str  # with its port, without any user part
    user: str | None
    password: str | None
    path: str
    query: list[tuple[str, str]]
    fragment: str


def _parts(url: str) -> _Parts | None:
    """``url`` taken apart; None when it cannot be (a malformed port or host)."""
    try:
        split = urlsplit(url)
        port = split.port
    except ValueError:
        return None
    host = split.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    if port is not None:
        host = f"{host}:{port}"
    query = parse_qsl(split.query, keep_blank_values=True)
    has_user = "@" in split.netloc
    return _Parts(
        split.scheme,
        host,
        split.username if has_user else None,
        split.password,
        split.path,
        query,
        split.fragment,
    )


def _join(parts: _Parts, credentials: str, query: list[tuple[str, str]]) -> str:
    netloc = f"{credentials}@{parts.host}" if credentials else parts.host
    return urlunsplit(
        (parts.scheme, netloc, parts.path, urlencode(query, safe=MASK), parts.fragment)
    )


def _is_secret(name: str) -> bool:
    return bool(_SECRET_PARAMETER.search(name))


def url_has_credentials(url: str) -> bool:
    """Whether ``url`` carries a user part or a secret query parameter."""
    parts = _parts(url)
    if parts is None:
        return "@" in url
    return parts.user is not None or any(_is_secret(name) for name, _ in parts.query)


def masked_url(url: str) -> str:
    """``url`` with the password (or a lone user part, often a token) and the values of
    secret query parameters masked."""
    parts = _parts(url)
    if parts is None:
        return url if "@" not in url and "?" not in url else MASK
    if not url_has_credentials(url):
        return url
    if parts.user is None:
        credentials = ""
    elif parts.password is not None:
        credentials = f"{parts.user}:{MASK}"
    else:
        credentials = MASK
    query = [(name, MASK if _is_secret(name) else value) for name, value in parts.query]
    return _join(parts, credentials, query)


def url_without_credentials(url: str) -> str:
    """``url`` with no user part and no secret query parameter: what may be kept on disk."""
    parts = _parts(url)
    if parts is None:
        return MASK
    if not url_has_credentials(url):
        return url
    query = [(name, value) for name, value in parts.query if not _is_secret(name)]
    return _join(parts, "", query)
