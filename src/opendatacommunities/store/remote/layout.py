"""Where a release lives on a remote engine: release-specific named graphs and one control graph.

Each named graph ``G`` of release ``R`` (a dataset's graph, its metadata's) is held on the
engine as the graph ``release_graph(R, G)``; the release's default graph, if it has triples,
as ``release_graph(R, DEFAULT)``. Several releases can therefore sit side by side on one
engine, and a publish uploads the next one while the live one is read.

The control graph ``CONTROL_GRAPH`` says which release is live (one ``LIVE`` triple) and
lists every release that finished uploading (``COMPLETE``). Going live is one SPARQL Update
request that replaces the ``LIVE`` triple: readers see the old release or the new one. Graphs
of a release the control graph does not list as complete belong to a publish that was
stopped; the next publish drops them.

>>> name = release_graph("20261205T1Z-ab12cd", "http://localhost:8000/graph/simd2020")
>>> name
'urn:odc:release:20261205T1Z-ab12cd:http://localhost:8000/graph/simd2020'
>>> split_release_graph(name)
('20261205T1Z-ab12cd', 'http://localhost:8000/graph/simd2020')
>>> split_release_graph("http://example.org/other") is None
True
"""

from __future__ import annotations

import re

RELEASE_PREFIX = "urn:odc:release:"
CONTROL_GRAPH = "urn:odc:control"
"""The one graph read to find the live release."""
SITE = "urn:odc:site"
"""The subject of the control graph's ``LIVE`` triple."""
LIVE = "urn:odc:live"
"""``SITE LIVE <urn:odc:release:R>``: release R is live."""
COMPLETE = "urn:odc:complete"
"""``<urn:odc:release:R> COMPLETE "published time"^^xsd:dateTime``: R finished uploading."""
HOLDS = "urn:odc:holds"
"""``<urn:odc:release:R> HOLDS <release graph>``: one of R's graphs, recorded with ``COMPLETE``
so that a reader learns them without scanning the engine's graphs."""
DEFAULT = "urn:odc:default-graph"
"""Stands for a release's default graph in ``release_graph``."""

_RELEASE_ID = re.compile(r"[0-9A-Za-z_.-]+")


def release_iri(release_id: str) -> str:
    """The IRI naming release ``release_id`` in the control graph.

    :raises ValueError: the id has characters a release id never has.
    """
    if _RELEASE_ID.fullmatch(release_id) is None:
        raise ValueError(f"not a release id: {release_id!r}")
    return RELEASE_PREFIX + release_id


def release_graph(release_id: str, graph: str) -> str:
    """The engine's name for named graph ``graph`` (or ``DEFAULT``) of release ``release_id``."""
    return f"{release_iri(release_id)}:{graph}"


def split_release_graph(name: str) -> tuple[str, str] | None:
    """The release id and the site's graph name a ``release_graph`` name stands for, or None
    for a graph that belongs to no release."""
    if not name.startswith(RELEASE_PREFIX):
        return None
    release_id, colon, graph = name[len(RELEASE_PREFIX) :].partition(":")
    if not colon or _RELEASE_ID.fullmatch(release_id) is None:
        return None
    return release_id, graph
