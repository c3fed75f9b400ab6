"""Reading the documents a conversion needs: the input, metadata files and linked resources.

Processing is specified in terms of URLs (metadata discovery, resolving ``url`` and
``tableSchema`` references), but the platform runs offline on local files. A :class:`Fetcher`
pins the input file to a URL and answers for any URL on the same site by mapping its path onto
the local directory tree, so a metadata file can be read "as if fetched" from that URL.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

_LINK_PART = re.compile(r"<([^>]*)>((?:\s*;\s*[^;,<]+)*)")
_PARAM = re.compile(r'\s*;\s*([A-Za-z*]+)\s*=\s*"?([^";]*)"?')


@dataclass(frozen=True)
class Document:
    """A fetched document: its URL, its local path and its bytes."""

    url: str
    path: Path
    data: bytes


@dataclass
class Fetcher:
    """Maps URLs to local files around an input pinned to ``url``.

    >>> f = Fetcher(Path("/data/tests/x.csv"), "http://example.org/tests/x.csv")
    >>> str(f.local_path("http://example.org/tests/sub/y.json?q=1"))
    '/data/tests/sub/y.json'
    >>> f.local_path("http://other.org/y.json") is None
    True
    """

    input_path: Path
    url: str
    link_headers: dict[str, str] = field(default_factory=dict)

    def local_path(self, url: str) -> Path | None:
        """The local file standing for ``url``, or None if ``url`` is off this site."""
        target, base = urlsplit(urldefrag(url)[0]), urlsplit(self.url)
        if (target.scheme, target.netloc) != (base.scheme, base.netloc):
            return None
        base_dir = posixpath.dirname(base.path)
        relative = posixpath.relpath(unquote(target.path) or "/", unquote(base_dir) or "/")
        # normpath, not resolve(): a mirror of a site may be made of symlinks.
        return Path(posixpath.normpath(posixpath.join(str(self.input_path.parent), relative)))

    def fetch(self, url: str) -> Document | None:
        """Read the document at ``url``; None when there is none (as a 404 would say)."""
        path = self.local_path(url)
        if path is None or not path.is_file():
            return None
        return Document(url=urldefrag(url)[0], path=path, data=path.read_bytes())

    def link_header(self, url: str) -> str | None:
        """The HTTP ``Link`` header that would come with ``url``, if one was given."""
        return self.link_headers.get(urldefrag(url)[0])


def file_url(path: Path) -> str:
    """The ``file:`` URL of a local path (used when no base URL is given)."""
    return path.absolute().as_uri()


def described_by(header: str, base: str) -> list[str]:
    """URLs of metadata documents a ``Link`` header points to with ``rel="describedby"``.

    Only JSON types count (or no type); the spec says the last such header wins, so the
    list is in header order and callers take from the end.

    >>> described_by('<m.json>; rel="describedby"; type="application/csvm+json"', "http://a/b.csv")
    ['http://a/m.json']
    """
    found = []
    for target, params in _LINK_PART.findall(header):
        attrs = {k.lower(): v for k, v in _PARAM.findall(params)}
        rels = attrs.get("rel", "").lower().split()
        kind = attrs.get("type", "application/json").lower()
        if "describedby" in rels and kind in _METADATA_TYPES:
            found.append(urljoin(base, target))
    return found


_METADATA_TYPES = {"application/csvm+json", "application/ld+json", "application/json"}
