"""The manifest of a release: what each dataset was made from, by content hash.

``manifest.json`` sits in the release directory beside the store. For each dataset it holds
the hash of its inputs (``content``: the mapping and its source files), the key its checks
were valid for (``key``: that content, the base IRI, the vocabularies, the shapes files that
target its classes or predicates, and the content of the datasets it links to), what the
checks learnt of it (its classes and predicates, the datasets it links to) and what the
catalogue says of it. A later publish reuses a dataset whose key is unchanged: it is neither
mapped nor checked again (``plan``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from opendatacommunities.csvw import Job, source_files
from opendatacommunities.cube.description import read_description
from opendatacommunities.errors import OdcError

from .catalog import project_path
from .datasets import Dataset, sha256
from .targets import Targets

MANIFEST = "manifest.json"
FORMAT = 1
"""Raised whenever what a release records (or how a dataset is mapped) changes meaning: a
release of another format is not reused."""


@dataclass(frozen=True)
class Entry:
    """One dataset of a release, as the next publish needs to know it."""

    name: str
    mapping: str
    cube: bool
    content: str
    key: str
    sources: list[str]
    triples: int
    output_bytes: int
    started: str
    ended: str
    omitted: dict[str, int] = field(default_factory=dict)
    classes: list[str] = field(default_factory=list)
    predicates: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    """The datasets whose resources this one points to."""


@dataclass
class Manifest:
    """Every dataset of a release, and the shared inputs (project paths -> SHA-256)."""

    base: str
    shapes: dict[str, str]
    ontologies: dict[str, str]
    datasets: dict[str, Entry]

    def to_bytes(self) -> bytes:
        """The manifest as JSON."""
        document = {"format": FORMAT, **asdict(self)}
        return json.dumps(document, indent=1, sort_keys=True).encode()

    @classmethod
    def read(cls, release: Path | None) -> Manifest | None:
        """The manifest of a release, or None when it has none this code can use."""
        if release is None:
            return None
        try:
            document = json.loads((release / MANIFEST).read_text(encoding="utf-8"))
            if document.get("format") != FORMAT:
                return None
            datasets = {name: Entry(**value) for name, value in document["datasets"].items()}
            return cls(document["base"], document["shapes"], document["ontologies"], datasets)
        except (OSError, ValueError, KeyError, TypeError):
            return None


def hashes(paths: list[Path], root: Path) -> dict[str, str]:
    """Project path -> SHA-256 of each file."""
    return {project_path(path, root): sha256(path) for path in paths}


def dataset_sources(dataset: Dataset) -> list[Path]:
    """The source files a dataset's mapping names."""
    if dataset.is_cube:
        return [read_description(dataset.mapping).csv]
    return source_files(Job(input=dataset.mapping))


def content_of(dataset: Dataset, root: Path) -> str | None:
    """The hash of a dataset's mapping and source files; None when they cannot be read
    (the mapping itself then says what is wrong, when it is mapped)."""
    try:
        files = hashes([dataset.mapping, *dataset_sources(dataset)], root)
    except (OSError, ValueError, OdcError):
        return None
    return _digest(sorted(files.items()))


@dataclass(frozen=True)
class Shared:
    """What every dataset's checks depend on: the base IRI, the vocabularies and shapes."""

    base: str
    ontologies: dict[str, str]
    shapes: dict[str, tuple[str, Targets]]

    def key(
        self, content: str, classes: list[str], predicates: list[str], links: dict[str, str]
    ) -> str:
        """The key a dataset's checks hold for: ``links`` gives the content of each
        dataset it links to; only the shapes files that target it count."""
        targeted = sorted(
            (path, digest)
            for path, (digest, targets) in self.shapes.items()
            if targets.hit(classes, predicates)
        )
        ontologies = sorted(self.ontologies.items())
        return _digest([FORMAT, self.base, content, ontologies, targeted, sorted(links.items())])


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value).encode()).hexdigest()
