"""Build real release stores from the Turtle fixtures in tests/data/web, through the release
mechanism the publisher uses."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import RdfFormat

from opendatacommunities.store import ReleaseRoot
from tests.plugins.project import TEST_DATA

FIXTURES = TEST_DATA / "web"
GRAPHS = {"glasgow.ttl": "graph/reference-geography", "ontology.ttl": "graph/ontology"}


def publish(root: Path, base: str, extra: str = "", files: tuple[str, ...] = tuple(GRAPHS)) -> Path:
    """Publish the fixture files (plus ``extra`` Turtle) as a new current release."""
    with ReleaseRoot(root).new_release() as draft:
        for name in files:
            graph = f"{base}/{GRAPHS[name]}"
            draft.load(FIXTURES / name, RdfFormat.TURTLE, graph=graph, base_iri=base + "/")
        if extra:
            draft.load(
                extra.encode(), RdfFormat.TURTLE, graph=f"{base}/graph/extra", base_iri=base + "/"
            )
        return draft.commit()
