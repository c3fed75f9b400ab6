"""The gate every dataset passes before it is published: SHACL shapes, and for statistics
the Data Cube integrity constraints, each checked in an in-memory store made for it.

The reference datasets are checked together (links cross datasets); each cube on its own,
with its structure and code lists (which it holds), freed before the next: peak memory
follows the largest cube, not the sum of them all. Queries on an in-memory store run three
to four times faster than on the release being written to disk, which is why the data is
loaded twice (the release is loaded meanwhile, in another thread).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
from pyoxigraph import NamedNode, RdfFormat

from opendatacommunities.csvw import Job
from opendatacommunities.csvw.trace import trace_sources
from opendatacommunities.errors import SourceError, ValidationFailedError
from opendatacommunities.iris import AUTHORED_BASE
from opendatacommunities.store.memory import MemoryGraph
from opendatacommunities.validation import Locator, Report, ShapesGraph, validate_graph
from opendatacommunities.vocab import RDFS

from .catalog import Published
from .cubes import integrity_failures, observation_sources
from .progress import Relay, Timeline
from .references import References


def ontology_text(path: Path, base: str) -> bytes:
    """An ontology as N-Triples: relative IRIs resolved against the base IRI, absolute ones
    written against the authored base rewritten to it.

    :raises SourceError: naming the file and the parser's message when it is not Turtle.
    """
    text = path.read_text(encoding="utf-8").replace(AUTHORED_BASE + "/", base + "/")
    try:
        triples = pyoxigraph.parse(text.encode(), format=RdfFormat.TURTLE, base_iri=base + "/")
        return pyoxigraph.serialize(triples, format=RdfFormat.N_TRIPLES) or b""
    except SyntaxError as exc:
        raise SourceError(f"not valid Turtle: {exc}", file=str(path)) from None


class Checker:
    """Checks mapped datasets against every shapes file (read once) and the integrity
    constraints, with the vocabularies (``ontologies``, as N-Triples) beside the data."""

    def __init__(
        self,
        ontologies: list[bytes],
        shapes: list[Path],
        build: Path,
        base: str,
        relay: Relay,
        timeline: Timeline,
        *,
        debug: bool = False,
    ) -> None:
        self._ontologies = ontologies
        self._shapes = shapes
        self._graph = ShapesGraph.load(shapes) if shapes else None
        self._build = build
        self._base = base
        self._relay = relay
        self._timeline = timeline
        self._debug = debug
        self.references = References(base)
        self.facts: dict[str, tuple[list[str], list[str]]] = {}
        """The classes (with their superclasses) and predicates of each dataset checked."""
        self._ready = True
        """Whether what the reference datasets define is known (checked, or restored)."""
        self._waiting: list[str] = []
        """Cubes whose links wait for the reference datasets' check."""
        self._cubes: set[str] = set()

    def expect(self, cubes: set[str], *, references: bool) -> None:
        """Say which cubes the release holds (a reference dataset may link to their pages)
        and whether the reference datasets are to be checked (else ``references`` holds
        what an earlier check found)."""
        self._cubes = cubes
        self._ready = not references

    def reference(self, items: list[Published]) -> None:
        """Validate the reference datasets (everything but cubes) together, then their
        links and those of the cubes checked meanwhile.

        :raises ValidationFailedError: listing every blocking violation with its source
            cell, or every link to nothing.
        """
        if items:
            store = self._validate(items)
            outputs = {item.dataset.name: self._output(item) for item in items}
            self.references.note_references(store, outputs)
        self._ready = True
        self._raise_links(self.references.reference_errors(self._cubes))
        for name in self._waiting:
            self._cube_links(name)
        self._waiting = []

    def cube(self, item: Published) -> None:
        """Validate one cube against the shapes, then against IC-1..IC-21.

        :raises ValidationFailedError: listing every violation with its source cell.
        """
        store = self._validate([item])
        self.references.note_cube(item, store)
        name = item.dataset.name
        self._relay.now(f"{name}: checking the integrity constraints IC-1..IC-21")
        timings: dict[str, float] = {}
        with self._timeline.stage("integrity"):
            failures = integrity_failures(store, self._build, [item.dataset], self._base, timings)
        del store
        if failures:
            text = "\n".join(failures)
            raise ValidationFailedError(
                f"{len(failures)} Data Cube integrity violations; nothing published:\n{text}"
            )
        self._relay.now(f"{name}: IC-1..IC-21 passed in {_timings(timings, self._debug)}")
        if self._ready:
            self._cube_links(name)
        else:
            self._waiting.append(name)

    def links(self) -> None:
        """Once every dataset is checked: the links still waiting for the reference
        datasets (there were none to check).

        :raises ValidationFailedError: listing each link to nothing.
        """
        if not self._ready or self._waiting:
            self.reference([])
        else:  # the reference datasets were reused: the cubes beside them may have changed
            self._raise_links(self.references.reference_errors(self._cubes))

    def _cube_links(self, name: str) -> None:
        """Every area a cube points to is published; archived ones are warned of.

        :raises ValidationFailedError: listing each unknown area code with its rows.
        """
        errors, warnings = self.references.cube_lines(name, self._build)
        for warning in warnings:
            self._relay.now(warning)
        self._raise_links(errors)

    def _raise_links(self, errors: list[str]) -> None:
        if errors:
            text = "\n".join(errors)
            links = "1 link" if len(errors) == 1 else f"{len(errors)} links"
            raise ValidationFailedError(
                f"{links} to resources that are not published; nothing published:\n{text}"
            )

    def _output(self, item: Published) -> Path:
        return self._build / f"{item.dataset.name}.nt"

    def _validate(self, items: list[Published]) -> MemoryGraph:
        """Load ``items`` (and the ontologies) into a new in-memory graph and validate it.

        :raises ValidationFailedError: listing every blocking violation with its source cell.
        """
        store = MemoryGraph()
        with self._timeline.stage("check-store"):
            for item in items:
                store.load(path=self._output(item))
            for ontology in self._ontologies:
                store.load(ontology)
            facts = _facts(store)
        for item in items:
            self.facts[item.dataset.name] = facts
        if self._graph is None:
            return store
        names = ", ".join(item.dataset.name for item in items)
        total = sum(item.triples for item in items)
        count = len(self._shapes)
        self._relay.now(f"validating {total:,} triples ({names}) against {count} shapes files")
        with self._timeline.stage("shacl"):
            report = validate_graph(store, self._graph)
        for note in report.notes:
            self._relay.now(f"note: {note}")
        if report.blocking:
            locate = _locator(report, items, self._build, self._base)
            text = report.to_text(locate)
            raise ValidationFailedError(
                f"{len(report.blocking)} SHACL violations; nothing published:\n{text}"
            )
        # Results of severity sh:Warning or sh:Info are shown but do not stop a publish.
        for violation in report.violations:
            self._relay.now(violation.to_text())
        return store


def _facts(store: MemoryGraph) -> tuple[list[str], list[str]]:
    """The classes (and their superclasses) and the predicates ``store`` uses: what shapes
    target (``targets``)."""
    classes = f"""SELECT DISTINCT ?c WHERE {{
        {{ SELECT DISTINCT ?t WHERE {{ ?s a ?t }} }}
        ?t <{RDFS}subClassOf>* ?c }}"""
    predicates = "SELECT DISTINCT ?p WHERE { ?s ?p ?o }"
    found = []
    for query in (classes, predicates):
        found.append(sorted(str(row[0].value) for row in store.select(query)))
    return found[0], found[1]


def _timings(timings: dict[str, float], every: bool) -> str:
    """``12.3 s (IC-12 3.1 s, ...)``: the slowest three steps, or every one."""
    total = sum(timings.values())
    steps = timings.items() if every else sorted(timings.items(), key=lambda kv: -kv[1])[:3]
    return f"{total:.1f} s (" + ", ".join(f"{step} {s:.1f} s" for step, s in steps) + ")"


def _locator(report: Report, published: list[Published], build: Path, base: str) -> Locator:
    # Only plain predicates can be traced to a column; other paths are reported without.
    wanted = {
        (str(v.focus), str(v.path)) for v in report.violations if isinstance(v.path, NamedNode)
    }
    found: dict[tuple[str, str], str] = {}
    for item in published:
        if not item.dataset.is_cube:
            job = Job(input=item.dataset.mapping, minimal=True)
            found.update(trace_sources(job, wanted - set(found)))
    cubes = [item.dataset for item in published if item.dataset.is_cube]
    focuses = {str(v.focus).strip("<>") for v in report.violations}
    observations = observation_sources(build, cubes, focuses, base)

    def locate(focus: object, path: object) -> str | None:
        return found.get((str(focus), str(path))) or observations.get(str(focus).strip("<>"))

    return locate
