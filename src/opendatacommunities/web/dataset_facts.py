"""The parts of a dataset's page that tell where it came from, how big it is and how to use
it: its provenance (the files its publication used, with their SHA-256, and the release),
its size in words ("320,896 observations, 51 component specifications"), its full dumps, and
example SPARQL queries made from its structure, each a link that opens it in the editor.

Worked out once per release and dataset (a ``Slot``): a release never changes.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from opendatacommunities.iris import IriSpace, humanise
from opendatacommunities.store import Release
from opendatacommunities.store.cache import Slot
from opendatacommunities.store.dataset_profile import (
    ClassCount,
    DatasetProfile,
    UsedFile,
    dataset_profile,
)
from opendatacommunities.web.cube.words import counted, listing
from opendatacommunities.web.dataset_queries import ExampleQuery, example_queries
from opendatacommunities.web.dumps import DumpLink, dump_links

#: Kinds of resource named one by one in the size; the rest are counted together.
NAMED_KINDS = 4
__all__ = ["DatasetFacts", "ExampleQuery", "dataset_facts", "facts_json"]


@dataclass(frozen=True)
class DatasetFacts:
    """Everything the page shows of one dataset's provenance, size and use."""

    name: str
    release_id: str
    release_time: str
    """When the release was published, in words ("5 December 2026, 12:08 UTC")."""
    release_iso: str
    publication: str | None
    """The publication in words ("published on 4 December 2026 from 1 source file")."""
    files: tuple[UsedFile, ...]
    triples: int | None
    size: str
    """Its resources by kind, in words."""
    dumps: tuple[DumpLink, ...]
    examples: tuple[ExampleQuery, ...]


class _Made:
    """The facts made so far in one release, by dataset name."""

    def __init__(self) -> None:
        self._facts: dict[str, DatasetFacts | None] = {}
        self._lock = threading.Lock()

    def once(self, name: str, make: Callable[[], DatasetFacts | None]) -> DatasetFacts | None:
        with self._lock:
            if name not in self._facts:
                self._facts[name] = make()
            return self._facts[name]


DATASET_FACTS: Slot[_Made] = Slot("dataset-facts")


def _kind(count: ClassCount) -> str:
    noun = (count.label or humanise(count.iri)).lower()
    return counted(count.count, noun)


def size_words(classes: tuple[ClassCount, ...]) -> str:
    """Resources by kind, most first, the rare kinds counted together.

    >>> zones = ClassCount("x/DataZone", "data zone", 6976)
    >>> size_words((ClassCount("x/Observation", None, 32482), zones))
    '32,482 observations and 6,976 data zones'
    >>> size_words(tuple(ClassCount(f"x/K{n}", f"kind {n}", 6 - n) for n in range(6)))
    '6 kind 0s, 5 kind 1s, 4 kind 2s, 3 kind 3s and 3 resources of 2 other kinds'
    """
    named = [_kind(c) for c in classes[:NAMED_KINDS]]
    rest = classes[NAMED_KINDS:]
    if rest:
        total = sum(c.count for c in rest)
        named.append(f"{total:,} resource{'s' if total != 1 else ''} of {len(rest)} other kinds")
    return listing(named) if named else "no typed resources"


def _when(moment: datetime) -> str:
    """A time as people write it, in UTC.

    >>> _when(datetime(2026, 12, 4, 14, 36, 46, tzinfo=UTC))
    '4 December 2026, 14:36 UTC'
    """
    moment = moment.astimezone(UTC)
    return f"{moment.day} {moment:%B %Y}, {moment:%H:%M} UTC"


def _make(release: Release, iris: IriSpace, name: str) -> DatasetFacts | None:
    profile: DatasetProfile = dataset_profile(release, iris.dataset(name), iris.dataset_graph(name))
    if profile.triples is None and not profile.classes:
        return None  # not a dataset of this site's catalogue
    return DatasetFacts(
        name,
        release.id,
        _when(release.published),
        release.published.isoformat(),
        profile.activity_label,
        profile.files,
        profile.triples,
        size_words(profile.classes),
        tuple(dump_links(release, iris, name)),
        tuple(example_queries(iris, name, profile)),
    )


def dataset_facts(release: Release, iris: IriSpace, name: str) -> DatasetFacts | None:
    """The facts of the dataset ``/data/{name}``; None for anything that is not one of the
    site's published datasets."""
    if not re.fullmatch(r"[\w.-]+", name):
        return None
    made = release.cache.once(DATASET_FACTS, _Made)
    return made.once(name, lambda: _make(release, iris, name))


def facts_json(facts: DatasetFacts) -> dict[str, object]:
    """The facts for the page's JSON twin."""
    return {
        "release": {"id": facts.release_id, "published": facts.release_iso},
        "publication": facts.publication,
        "files": [{"role": f.role, "path": f.path, "sha256": f.sha256} for f in facts.files],
        "triples": facts.triples,
        "size": facts.size,
        "dumps": [
            {"format": d.name, "url": d.url, "bytes": d.file.bytes, "sha256": d.file.sha256}
            for d in facts.dumps
        ],
        "examples": [{"title": e.title, "query": e.query} for e in facts.examples],
    }
