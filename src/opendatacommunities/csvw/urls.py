"""URL resolution and normalisation (RFC 3986), as metadata discovery and keys compare URLs."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit, urlunsplit

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_DEFAULT_PORTS = {"http": "80", "https": "443"}
_PERCENT = re.compile(r"%[0-9a-fA-F]{2}")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def is_absolute(url: str) -> bool:
    """True if ``url`` starts with a scheme.

    >>> is_absolute("http://a/b"), is_absolute("b/c")
    (True, False)
    """
    return bool(_SCHEME.match(url))


def resolve(base: str, reference: str) -> str:
    """Resolve ``reference`` against ``base`` (RFC 3986 §5).

    >>> resolve("http://example.org/a/b.csv", "#row.1")
    'http://example.org/a/b.csv#row.1'
    >>> resolve("http://example.org/a/b.csv", "../c")
    'http://example.org/c'
    """
    if not base or _SCHEME.match(reference):
        return reference
    return urljoin(base, reference)


def _decode_unreserved(match: re.Match[str]) -> str:
    char = chr(int(match.group()[1:], 16))
    return char if char in _UNRESERVED else match.group().upper()


def normalize(url: str) -> str:
    """Syntax- and scheme-based normalisation, for comparing URLs.

    >>> normalize("HTTP://Example.org:80/a/./b/%7efoo")
    'http://example.org/a/b/~foo'
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    netloc = (
        host
        if parts.port is None or str(parts.port) == _DEFAULT_PORTS.get(scheme)
        else f"{host}:{parts.port}"
    )
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    path = urljoin(f"{scheme}://{netloc}/", parts.path or "/") if netloc else parts.path
    path = urlsplit(path).path if netloc else path
    cleaned = urlunsplit((scheme, netloc, path, parts.query, parts.fragment))
    return _PERCENT.sub(_decode_unreserved, cleaned)
