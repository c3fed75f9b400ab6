"""Datasets as publishers describe them: one mapping file each in ``mappings/``.

A mapping is CSVW metadata, or a cube description (``*.cube.json``, docs/cubes.md). Its
top-level common properties (``dct:title``, ``dct:description``, ``dct:license``,
``dct:publisher``, ``dct:subject``: its theme) describe the dataset in the catalogue, with
``prov:wasDerivedFrom`` naming the datasets a derived one was computed from; the CSV files its
tables point to are the dataset's sources.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opendatacommunities.csvw.prefixes import expand_term
from opendatacommunities.errors import MetadataError
from opendatacommunities.vocab import DCT, PROV

DESCRIBING = ("title", "description", "license", "publisher", "source", "subject")
CUBE_SUFFIX = ".cube.json"


@dataclass(frozen=True)
class Dataset:
    """A dataset to publish: its name (the mapping's file stem) and its mapping file."""

    name: str
    mapping: Path
    about: dict[str, list[object]] = field(default_factory=dict, compare=False)
    derived_from: tuple[str, ...] = field(default=(), compare=False)
    """The IRIs of what the dataset was computed from (``prov:wasDerivedFrom``), written
    against the authored base."""

    @property
    def is_cube(self) -> bool:
        """Whether the mapping is a cube description (``*.cube.json``), not CSVW metadata."""
        return self.mapping.name.endswith(CUBE_SUFFIX)

    @property
    def title(self) -> str:
        """The dataset's title, or its name when the mapping gives none."""
        titles = self.about.get("title") or [self.name]
        return _text(titles[0])


def _text(value: object) -> str:
    if isinstance(value, dict):
        return str(value.get("@value", value.get("@id", "")))
    return str(value)


def read_dataset(mapping: Path) -> Dataset:
    """Read what a mapping says about its dataset.

    :raises MetadataError: when the mapping is not a JSON object.
    """
    try:
        document = json.loads(mapping.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MetadataError(f"cannot read mapping: {exc}", file=str(mapping)) from None
    if not isinstance(document, dict):
        raise MetadataError("a mapping must be a JSON object", file=str(mapping))
    name = mapping.name.removesuffix(CUBE_SUFFIX).removesuffix(".json")
    about = _about(document)
    return Dataset(name, mapping, about, _derived_from(mapping, document))


def _about(document: dict[str, Any]) -> dict[str, list[object]]:
    about: dict[str, list[object]] = {}
    for key, value in document.items():
        expanded = expand_term(key) if ":" in key else None
        if expanded and expanded.startswith(DCT) and expanded[len(DCT) :] in DESCRIBING:
            about[expanded[len(DCT) :]] = value if isinstance(value, list) else [value]
    return about


def _derived_from(mapping: Path, document: dict[str, Any]) -> tuple[str, ...]:
    """The ``prov:wasDerivedFrom`` IRIs of a mapping (one, or a list).

    :raises MetadataError: a value that is not an IRI.
    """
    key = PROV + "wasDerivedFrom"
    values: object = next(
        (v for k, v in document.items() if ":" in k and expand_term(k) == key), []
    )
    found = []
    for value in values if isinstance(values, list) else [values]:
        text = value.get("@id") if isinstance(value, dict) else value
        if not isinstance(text, str) or not text.startswith(("http://", "https://")):
            message = f"prov:wasDerivedFrom: expected an IRI, not {value!r}"
            raise MetadataError(message, file=str(mapping))
        found.append(text)
    return tuple(found)


def discover(folder: Path, include: str = "*.json") -> list[Dataset]:
    """Every mapping in a folder matching ``include``, in name order."""
    return [read_dataset(path) for path in sorted(folder.glob(include))]


def sha256(path: Path) -> str:
    """The SHA-256 checksum of a file, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
