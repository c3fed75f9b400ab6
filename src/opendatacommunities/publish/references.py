"""Links that land: every IRI under the site's base that a dataset points to must be a
resource the release publishes.

A link to an area that does not exist (a mistyped code, ``E05999999``, or an authority the
site does not hold) would otherwise be published as a link to a page that answers 404. What
each dataset defines and points to is read from the in-memory store its checks run on
(``note_references``, ``note_cube``), so nothing is read twice; once every dataset is checked,
``unresolved`` compares the two. A cube's area codes are reported with the rows that hold
them; the code of an archived area is accepted with a warning naming its successor.
"""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from opendatacommunities.cube.description import CubeDescription, read_description
from opendatacommunities.cube.structure import dimension_property
from opendatacommunities.errors import location
from opendatacommunities.iris import IriSpace
from opendatacommunities.store.memory import MemoryGraph
from opendatacommunities.vocab import DCT_IS_REPLACED_BY, RDFS_LABEL

from .catalog import Published
from .cubes import cube_build

#: How many rows are named for each unknown code.
ROWS_NAMED = 5
LINKS = "links.json.gz"
"""Where a release keeps what its reference datasets define and point to, so that a later
publish can check new links without checking the reference datasets again."""


@dataclass
class Archived:
    """An area whose code is no longer in use, and the area that replaced it (if known)."""

    label: str
    successor: str | None


@dataclass
class References:
    """What the datasets checked so far define under the base, and what they point to."""

    base: str
    defined: set[str] = field(default_factory=set)
    archived: dict[str, Archived] = field(default_factory=dict)
    dangling: dict[str, tuple[str, str]] = field(default_factory=dict)
    """IRIs the reference datasets point to and do not define, with one (subject,
    predicate) that points there, as N-Triples terms."""
    areas: dict[str, set[str]] = field(default_factory=dict)
    """The area IRIs each cube's observations point to, by dataset name."""
    cubes: dict[str, Published] = field(default_factory=dict)
    defined_by: dict[str, set[str]] = field(default_factory=dict)
    """The IRIs each reference dataset defines, by dataset name."""

    def note_references(self, store: MemoryGraph, outputs: dict[str, Path]) -> None:
        """Read the reference datasets (loaded together, with the vocabularies, in
        ``store``; mapped into ``outputs``): what they define, which areas are archived,
        what they point to."""
        self.defined |= set(_subjects(store, self.base))
        self.archived.update(_archived(store, self.base))
        for iri, subject, predicate in _pointing_out(store, self.base):
            self.dangling.setdefault(iri, (subject, predicate))
        for name, path in outputs.items():
            self.defined_by[name] = set(_defined_in(path, self.base)) & self.defined

    def note_cube(self, item: Published, store: MemoryGraph) -> None:
        """Read the areas a cube's observations point to (``store`` holds the cube)."""
        cube = read_description(item.dataset.mapping)
        iris = IriSpace(self.base).cube(cube.name)
        found: set[str] = set()
        for dimension in cube.dimensions:
            if dimension.kind == "area":
                found |= set(_objects(store, dimension_property(iris, dimension)))
        self.areas[item.dataset.name] = found
        self.cubes[item.dataset.name] = item

    def links_of(self, name: str) -> list[str]:
        """The reference datasets that define an area the cube ``name`` points to."""
        areas = self.areas.get(name, set())
        return sorted(other for other, iris in self.defined_by.items() if areas & iris)

    def unresolved(self, build: Path) -> tuple[list[str], list[str]]:
        """Errors (a link to nothing) and warnings (a link to an archived area), each a line
        naming where it comes from."""
        errors, warnings = self.reference_errors(set(self.cubes)), []
        for name in self.areas:
            found = self.cube_lines(name, build)
            errors += found[0]
            warnings += found[1]
        return errors, warnings

    def reference_errors(self, cubes: set[str]) -> list[str]:
        """A line for each link of the reference datasets to nothing (a dataset page of one
        of ``cubes`` is something)."""
        datasets = {IriSpace(self.base).dataset(name) for name in cubes}
        return [
            f"{_node(subject)} {_node(predicate)}: links to <{iri}>, which nothing publishes"
            for iri, (subject, predicate) in sorted(self.dangling.items())
            if iri not in self.defined and iri not in datasets
        ]

    def cube_lines(self, name: str, build: Path) -> tuple[list[str], list[str]]:
        """The errors and warnings of one cube's links to areas."""
        areas = self.areas[name]
        unknown = {iri for iri in areas if iri not in self.defined}
        archived = {iri for iri in areas if iri in self.archived}
        if not unknown and not archived:
            return [], []
        return _cube_lines(build, self.cubes[name], unknown, archived, self.archived)

    def to_bytes(self) -> bytes:
        """What the reference datasets define and point to, for ``restore``."""
        by_dataset = set().union(*self.defined_by.values()) if self.defined_by else set()
        document = {
            "defined_by": {name: sorted(iris) for name, iris in self.defined_by.items()},
            "defined_also": sorted(self.defined - by_dataset),
            "archived": {iri: [a.label, a.successor] for iri, a in self.archived.items()},
            "dangling": {iri: list(pair) for iri, pair in self.dangling.items()},
        }
        return gzip.compress(json.dumps(document).encode(), compresslevel=5)

    def restore(self, data: bytes) -> None:
        """Take over what an earlier publish recorded (``to_bytes``) of the reference
        datasets, as if they had been checked now."""
        document = json.loads(gzip.decompress(data))
        self.defined_by = {name: set(iris) for name, iris in document["defined_by"].items()}
        self.defined = set(document["defined_also"]).union(*self.defined_by.values())
        self.archived = {iri: Archived(*pair) for iri, pair in document["archived"].items()}
        self.dangling = {iri: (pair[0], pair[1]) for iri, pair in document["dangling"].items()}


def _defined_in(path: Path, base: str) -> Iterator[str]:
    """The subjects under ``base`` of an N-Triples file."""
    start = f"<{base}/"
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith(start):
                yield line[1 : line.index(">")]


def _subjects(store: MemoryGraph, base: str) -> Iterator[str]:
    query = f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{base}/")) }}'
    for row in store.select(query):
        yield str(row[0].value)


def _archived(store: MemoryGraph, base: str) -> Iterator[tuple[str, Archived]]:
    query = f"""
        SELECT ?area (SAMPLE(?name) AS ?label) (SAMPLE(?next) AS ?successor) WHERE {{
          ?area <{IriSpace(base).definition("geography/status")}> "archived" .
          OPTIONAL {{ ?area <{RDFS_LABEL}> ?name }}
          OPTIONAL {{ ?area <{DCT_IS_REPLACED_BY}> ?next }}
        }} GROUP BY ?area"""
    for row in store.select(query):
        label, successor = row[1], row[2]
        yield (
            str(row[0].value),
            Archived(
                label.value if isinstance(label, Literal) else "",
                successor.value if isinstance(successor, NamedNode) else None,
            ),
        )


def _pointing_out(store: MemoryGraph, base: str) -> Iterator[tuple[str, str, str]]:
    """IRIs under ``base`` (graphs aside: they are served as graphs) that ``store`` points
    to and does not describe, each with one subject and predicate pointing there."""
    query = f"""
        SELECT ?o (SAMPLE(?s) AS ?subject) (SAMPLE(?p) AS ?predicate) WHERE {{
          ?s ?p ?o
          FILTER(isIRI(?o) && STRSTARTS(STR(?o), "{base}/")
                 && !STRSTARTS(STR(?o), "{IriSpace(base).graphs()}"))
          FILTER NOT EXISTS {{ ?o ?q ?v }}
        }} GROUP BY ?o"""
    for row in store.select(query):
        yield str(row[0].value), str(row[1]), str(row[2])


def _objects(store: MemoryGraph, predicate: str) -> Iterator[str]:
    query = f"SELECT DISTINCT ?o WHERE {{ ?s <{predicate}> ?o FILTER(isIRI(?o)) }}"
    for row in store.select(query):
        yield str(row[0].value)


def _node(term: str) -> str:
    return term if term.startswith(("<", "_:")) else f"<{term}>"


def _cube_lines(
    build: Path,
    item: Published,
    unknown: set[str],
    archived: set[str],
    known: dict[str, Archived],
) -> tuple[list[str], list[str]]:
    """One error line per unknown area code, one warning per archived one, each at the
    first cell holding it, with the rows that hold it."""
    cube = read_description(item.dataset.mapping)
    wanted = {iri.rsplit("/", 1)[-1]: iri for iri in unknown | archived}
    errors, warnings = [], []
    for code, (column, rows) in sorted(_rows_of(build, item, cube, wanted).items()):
        iri = wanted[code]
        where = location(str(cube.csv), rows[0], column, _header_index(cube, column))
        if iri in unknown:
            errors.append(
                f"{where}: no published area has the code {code!r} ({_rows(rows)}): "
                f"check the code, or publish the area first (value {code!r})"
            )
        else:
            area = known[iri]
            instead = f", replaced by {area.successor.rsplit('/', 1)[-1]}" if area.successor else ""
            warnings.append(
                f"warning: {where}: {code!r} is the code of an archived area "
                f"({area.label or code}{instead}) ({_rows(rows)})"
            )
    return errors, warnings


def _rows_of(
    build: Path, item: Published, cube: CubeDescription, wanted: dict[str, str]
) -> dict[str, tuple[str, list[int]]]:
    """For each wanted code: the source column of its first cell, and the source rows that
    hold it (from the cube's tidy table, which keeps each value's source row and column)."""
    names = [d.name for d in cube.dimensions if d.kind == "area"]
    found: dict[str, tuple[str, list[int]]] = {}
    tidy = cube_build(build, item.dataset) / f"{cube.name}.observations.csv"
    with tidy.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for name in names:
                code = row[name]
                if code in wanted:
                    column = _area_column(cube, name) or row["source_column"]
                    place = found.setdefault(code, (column, []))
                    line = int(row["source_row"])
                    if line not in place[1]:
                        place[1].append(line)
    return found


def _header_index(cube: CubeDescription, column: str) -> int | None:
    """The place (from 1) of ``column`` in the source table's header."""
    encoding = "utf-8-sig" if cube.encoding == "utf-8" else cube.encoding
    with cube.csv.open(encoding=encoding, newline="") as handle:
        header = next(csv.reader(handle), [])
    return header.index(column) + 1 if column in header else None


def _area_column(cube: CubeDescription, name: str) -> str | None:
    return next((d.column for d in cube.dimensions if d.name == name), None)


def _rows(rows: list[int]) -> str:
    """``row 4``, ``rows 4, 9 and 12``, ``rows 4, 9, 12, 20, 31 and 7 more``."""
    if len(rows) == 1:
        return f"row {rows[0]}"
    shown = [str(row) for row in rows[:ROWS_NAMED]]
    if len(rows) > ROWS_NAMED:
        return f"rows {', '.join(shown)} and {len(rows) - ROWS_NAMED} more"
    return f"rows {', '.join(shown[:-1])} and {shown[-1]}"
