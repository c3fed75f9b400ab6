"""The control graph of a remote engine (``layout``): which release is live, which finished
uploading, and the graphs each release has there; read and written through ``endpoint``."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from opendatacommunities.store.remote.endpoint import Endpoint
from opendatacommunities.store.remote.layout import (
    COMPLETE,
    CONTROL_GRAPH,
    HOLDS,
    LIVE,
    RELEASE_PREFIX,
    SITE,
    release_iri,
    split_release_graph,
)
from opendatacommunities.vocab import XSD

JSON = "application/sparql-results+json"
XSD_DATETIME = XSD + "dateTime"


def _column(endpoint: Endpoint, query: str, name: str) -> list[str]:
    answer = json.loads(endpoint.query(query, JSON))
    return [row[name]["value"] for row in answer["results"]["bindings"] if name in row]


def live_release(endpoint: Endpoint) -> str | None:
    """The id of the live release, or None before the first went live."""
    query = f"SELECT ?r WHERE {{ GRAPH <{CONTROL_GRAPH}> {{ <{SITE}> <{LIVE}> ?r }} }}"
    found = [iri.removeprefix(RELEASE_PREFIX) for iri in _column(endpoint, query, "r")]
    return max(found) if found else None


def complete_releases(endpoint: Endpoint) -> dict[str, datetime]:
    """Every release that finished uploading, with the time it did, oldest first."""
    query = f"SELECT ?r ?t WHERE {{ GRAPH <{CONTROL_GRAPH}> {{ ?r <{COMPLETE}> ?t }} }}"
    answer = json.loads(endpoint.query(query, JSON))
    found: dict[str, datetime] = {}
    for row in answer["results"]["bindings"]:
        release = row["r"]["value"].removeprefix(RELEASE_PREFIX)
        try:
            found[release] = datetime.fromisoformat(row["t"]["value"].replace("Z", "+00:00"))
        except ValueError:
            found[release] = datetime.fromtimestamp(0, UTC)
    return dict(sorted(found.items()))


def release_graphs(endpoint: Endpoint) -> dict[str, list[str]]:
    """The engine's graphs that belong to a release, by release id (names as the engine
    holds them)."""
    query = (
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER(STRSTARTS(STR(?g), "{RELEASE_PREFIX}")) }}'
    )
    found: dict[str, list[str]] = {}
    for name in _column(endpoint, query, "g"):
        split = split_release_graph(name)
        if split is not None:
            found.setdefault(split[0], []).append(name)
    return {release: sorted(names) for release, names in sorted(found.items())}


def mark_complete(endpoint: Endpoint, release_id: str, when: datetime, graphs: list[str]) -> None:
    """Record that ``graphs`` (the engine's names), every graph of ``release_id``, are
    uploaded."""
    stamp = when.astimezone(UTC).isoformat()
    release = f"<{release_iri(release_id)}>"
    held = "".join(f" {release} <{HOLDS}> <{graph}> ." for graph in graphs)
    endpoint.update(
        f"INSERT DATA {{ GRAPH <{CONTROL_GRAPH}> {{ "
        f'{release} <{COMPLETE}> "{stamp}"^^<{XSD_DATETIME}> .{held} }} }}'
    )


def graphs_of(endpoint: Endpoint, release_id: str) -> list[str]:
    """The engine's names of the graphs complete release ``release_id`` holds."""
    query = (
        f"SELECT ?g WHERE {{ GRAPH <{CONTROL_GRAPH}> "
        f"{{ <{release_iri(release_id)}> <{HOLDS}> ?g }} }}"
    )
    return sorted(_column(endpoint, query, "g"))


def go_live(endpoint: Endpoint, release_id: str) -> None:
    """Make ``release_id`` the live release: one update request replaces the ``LIVE``
    triple, run by the engine as one transaction, so a reader sees the old release or the
    new one. (Two operations, not one ``DELETE ... INSERT ... WHERE { OPTIONAL ... }``:
    Virtuoso inserts nothing when the optional part matches nothing.)"""
    endpoint.update(
        f"DELETE WHERE {{ GRAPH <{CONTROL_GRAPH}> {{ <{SITE}> <{LIVE}> ?old }} }} ;\n"
        f"INSERT DATA {{ GRAPH <{CONTROL_GRAPH}> {{ <{SITE}> <{LIVE}> "
        f"<{release_iri(release_id)}> }} }}"
    )


def forget(endpoint: Endpoint, release_id: str, graphs: list[str]) -> None:
    """Drop every graph of ``release_id`` and then its ``COMPLETE`` record."""
    for graph in graphs:
        endpoint.delete_graph(graph)
    endpoint.update(
        f"DELETE WHERE {{ GRAPH <{CONTROL_GRAPH}> {{ <{release_iri(release_id)}> ?p ?o }} }}"
    )
