"""The publishing pipeline: map -> validate -> load into a new release -> swap."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph
from pyoxigraph import NamedNode, RdfFormat, Store

from opendatacommunities.config import Settings
from opendatacommunities.csvw import Job, Reporter, map_to_rdf, source_files
from opendatacommunities.csvw.trace import trace_sources
from opendatacommunities.cube.description import read_description
from opendatacommunities.errors import OdcError, SourceError
from opendatacommunities.iris import AUTHORED_BASE
from opendatacommunities.store import ReleaseRoot
from opendatacommunities.validation import Locator, Report, validate

from .catalog import Published, catalog_lines
from .cubes import integrity_failures, map_cube, observation_sources
from .datasets import Dataset, discover, read_dataset

Progress = Callable[[str], None]


class PublishError(OdcError):
    """Publishing stopped; nothing was changed."""


class ValidationFailedError(PublishError):
    """The data breaks its shapes: every violation is listed, with where it came from."""


@dataclass(frozen=True)
class Layout:
    """Where the publisher's files are."""

    mappings: Path = Path("mappings")
    shapes: Path = Path("shapes")
    ontologies: Path = Path("ontologies")
    build: Path = Path("var/build")
    include: str = "*.json"
    """Which files of ``mappings`` to publish (a glob pattern)."""


@dataclass
class Outcome:
    """What a publish did: the datasets, and seconds spent in each stage."""

    published: list[Published]
    seconds: dict[str, float]


def publish(
    settings: Settings,
    layout: Layout = Layout(),
    *,
    only: Iterable[Path] = (),
    progress: Progress = lambda message: None,
) -> Outcome:
    """Publish every dataset (re-mapping only ``only`` when given and the rest is built).

    :raises SourceError: a bad cell or mapping (file:row:column named); nothing published.
    :raises ValidationFailedError: SHACL violations; nothing published.
    """
    clock = time.perf_counter()
    seconds: dict[str, float] = {}

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[stage] = now - clock
        clock = now
        progress(f"{stage} took {seconds[stage]:.1f} s")

    layout.build.mkdir(parents=True, exist_ok=True)
    chosen = {path.resolve() for path in only}
    datasets = discover(layout.mappings, layout.include)
    for path in chosen - {d.mapping.resolve() for d in datasets}:
        datasets.append(read_dataset(path))
    shapes = sorted(layout.shapes.glob("*.ttl"))
    published = []
    for dataset in datasets:
        output = layout.build / f"{dataset.name}.nt"
        if not chosen or dataset.mapping.resolve() in chosen or not output.exists():
            if dataset.is_cube:
                mapped = map_cube(dataset, output, settings.base_iri, shapes, progress, _rebase)
            else:
                mapped = map_dataset(dataset, output, settings.base_iri, shapes, progress)
            published.append(mapped)
        else:
            published.append(_reused(dataset, output, shapes))
    lap("map")
    ontologies = sorted(layout.ontologies.glob("*.ttl"))
    check(published, ontologies, shapes, layout, settings.base_iri, progress)
    lap("validate")
    release(published, ontologies, layout, settings, progress)
    lap("load")
    return Outcome(published, seconds)


def _rebase(lines: Iterable[str], base: str) -> Iterator[str]:
    if base == AUTHORED_BASE:
        yield from lines
        return
    old, new = f"<{AUTHORED_BASE}/", f"<{base}/"
    for line in lines:
        yield line.replace(old, new)


def map_dataset(
    dataset: Dataset, output: Path, base: str, shapes: list[Path], progress: Progress
) -> Published:
    """Map one dataset strictly to N-Triples (written atomically to ``output``)."""
    started = datetime.now(UTC)
    job = Job(input=dataset.mapping, minimal=True, provenance=False)
    partial = output.with_suffix(".nt.part")
    rows = triples = 0
    clock = time.monotonic()
    with partial.open("w", encoding="utf-8") as out:
        for chunk in _rebase(map_to_rdf(job, Reporter(strict=True)), base):
            out.write(chunk)
            rows += 1
            triples += chunk.count("\n")
            if time.monotonic() - clock > 2:
                clock = time.monotonic()
                progress(f"{dataset.name}: mapped {rows:,} rows, {triples:,} triples")
    os.replace(partial, output)
    progress(f"{dataset.name}: mapped {rows:,} rows into {triples:,} triples")
    return Published(dataset, source_files(job), shapes, triples, started, datetime.now(UTC))


def _reused(dataset: Dataset, output: Path, shapes: list[Path]) -> Published:
    with output.open("rb") as handle:
        triples = sum(1 for _ in handle)
    moment = datetime.fromtimestamp(output.stat().st_mtime, UTC)
    if dataset.is_cube:
        sources = [read_description(dataset.mapping).csv]
    else:
        sources = source_files(Job(input=dataset.mapping))
    return Published(dataset, sources, shapes, triples, moment, moment)


def _ontology_text(path: Path, base: str) -> bytes:
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


def check(
    published: list[Published],
    ontologies: list[Path],
    shapes: list[Path],
    layout: Layout,
    base: str,
    progress: Progress,
) -> None:
    """Validate the reference datasets together (links cross datasets), then each cube on
    its own (with its structure and code lists, which it holds), against every shapes file;
    cubes also against the Data Cube integrity constraints.

    Each cube is checked in its own store, freed before the next: peak memory follows the
    largest cube, not the sum of them all.

    :raises ValidationFailedError: listing every violation with its source cell.
    """
    others = [item for item in published if not item.dataset.is_cube]
    _validate(others, ontologies, shapes, layout, base, progress)
    for item in published:
        if item.dataset.is_cube:
            store = _validate([item], ontologies, shapes, layout, base, progress)
            progress(f"{item.dataset.name}: checking the integrity constraints IC-1..IC-21")
            failures = integrity_failures(store, layout.build, [item.dataset], base)
            if failures:
                text = "\n".join(failures)
                raise ValidationFailedError(
                    f"{len(failures)} Data Cube integrity violations; nothing published:\n{text}"
                )
            del store
    progress("validation passed")


def _validate(
    items: list[Published],
    ontologies: list[Path],
    shapes: list[Path],
    layout: Layout,
    base: str,
    progress: Progress,
) -> Store:
    """Load ``items`` (and the ontologies) into a new store and validate it with ``shapes``.

    :raises ValidationFailedError: listing every blocking violation with its source cell.
    """
    store = Store()
    for item in items:
        store.bulk_load(path=layout.build / f"{item.dataset.name}.nt", format=RdfFormat.N_TRIPLES)
    for path in ontologies:
        store.bulk_load(_ontology_text(path, base), format=RdfFormat.N_TRIPLES)
    if not shapes or not items:
        return store
    names = ", ".join(item.dataset.name for item in items)
    total = sum(item.triples for item in items)
    progress(f"validating {total:,} triples ({names}) against {len(shapes)} shapes files")
    report = validate(store, shapes)
    for note in report.notes:
        progress(f"note: {note}")
    if report.blocking:
        locate = _locator(report, items, layout.build, base)
        count = len(report.blocking)
        text = report.to_text(locate)
        raise ValidationFailedError(f"{count} SHACL violations; nothing published:\n{text}")
    # Results of severity sh:Warning or sh:Info are shown but do not stop a publish.
    for violation in report.violations:
        progress(violation.to_text())
    return store


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


def release(
    published: list[Published],
    ontologies: list[Path],
    layout: Layout,
    settings: Settings,
    progress: Progress,
) -> Path:
    """Load everything into a new release and make it current; prune old releases."""
    base = settings.base_iri
    root = ReleaseRoot(settings.store_dir)
    with root.new_release() as draft:
        for item in published:
            graph = f"{base}/graph/{item.dataset.name}"
            draft.load(layout.build / f"{item.dataset.name}.nt", RdfFormat.N_TRIPLES, graph=graph)
            progress(f"{item.dataset.name}: loaded {item.triples:,} triples into {graph}")
        for path in ontologies:
            graph = f"{base}/graph/def/{path.stem}"
            draft.load(_ontology_text(path, base), RdfFormat.N_TRIPLES, graph=graph)
        catalog = "".join(line for item in published for line in catalog_lines(base, item))
        draft.load(catalog.encode(), RdfFormat.N_TRIPLES, graph=f"{base}/graph/catalog")
        path = draft.commit()
    root.prune(keep=2)
    progress(f"release {path.name} is live")
    return path
