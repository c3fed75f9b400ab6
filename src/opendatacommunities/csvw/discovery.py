"""Locating metadata for a tabular data file (Model for Tabular Data §5).

In order: metadata the user supplies; a ``Link: rel="describedby"`` header; the templates of
the site-wide ``/.well-known/csvm`` (or its defaults); and finally the file's own header.
Metadata found through the Link header or a template counts only if it describes the file.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urldefrag, urljoin

from .fetch import Fetcher, described_by
from .metadata import load_table_group
from .reporting import Reporter
from .templates import compile_template
from .urls import normalize, resolve

DEFAULT_CSVM = "{+url}-metadata.json\ncsv-metadata.json"

Json = Any


def describes(group: dict[str, Json], url: str) -> bool:
    """True if a table group has a table whose URL is ``url`` (after normalisation)."""
    target = normalize(url)
    return any(normalize(t.get("url", "")) == target for t in group.get("tables", []))


def locate(url: str, fetcher: Fetcher, report: Reporter) -> tuple[dict[str, Json], list[str]]:
    """Find the metadata for the tabular file at ``url``; return it and the URLs it came from."""
    header = fetcher.link_header(url)
    candidates = described_by(header, url) if header else []
    for link in reversed(candidates):
        found = _try(link, url, fetcher, report, "Link header")
        if found is not None:
            return found, [link]
    for location in site_locations(url, fetcher):
        found = _try(location, url, fetcher, report, "site-wide location")
        if found is not None:
            return found, [location]
    return {"tables": [{"url": url, "_embedded": True}]}, []


def site_locations(url: str, fetcher: Fetcher) -> list[str]:
    """Where ``/.well-known/csvm`` (or its defaults) says to look for metadata for ``url``."""
    document = fetcher.fetch(urljoin(url, "/.well-known/csvm"))
    text = document.data.decode("utf-8", "replace") if document else DEFAULT_CSVM
    plain = urldefrag(url)[0]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [resolve(plain, compile_template(line).expand({"url": plain})) for line in lines]


def _try(
    location: str, url: str, fetcher: Fetcher, report: Reporter, how: str
) -> dict[str, Json] | None:
    document = fetcher.fetch(location)
    if document is None:
        return None
    try:
        json.loads(document.data)
    except ValueError:
        # A server answering with something that is not JSON counts as not found.
        report.warn(f"{how}: {location} is not a JSON metadata document; ignored")
        return None
    group = load_table_group(document, fetcher, report.warn)
    if describes(group, url):
        return group
    report.warn(f"{document.path}: metadata found by {how} does not describe {url}; ignored")
    return None
