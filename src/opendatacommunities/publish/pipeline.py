"""The publishing pipeline: map -> check -> load into a new release -> swap, stages overlapping.

Datasets are mapped in worker processes, biggest first (``workers``). Each is handed to the
loading thread as soon as it is mapped (``loading``) and checked in this thread, against the
shapes and, for cubes, the integrity constraints (``checks``). Once every dataset is mapped
the vocabularies and the catalogue follow it into the release, which is then compacted; once
every check has passed and everything is in, one rename makes the release current. Until
then it is a draft beside the live release, deleted if anything fails.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from opendatacommunities.config import Settings
from opendatacommunities.errors import PublishError, ValidationFailedError
from opendatacommunities.iris import IriSpace
from opendatacommunities.store import ReleaseRoot, exclusive

from .catalog import Published, catalog_lines
from .checks import Checker, ontology_text
from .datasets import Dataset, discover, read_dataset
from .loading import Loader
from .mapping import MapTask, expected_work, reused
from .progress import Progress, Relay, Timeline
from .workers import MapPool

__all__ = ["Layout", "Outcome", "PublishError", "ValidationFailedError", "publish"]

#: Below this many bytes of sources to map, mapping in this process beats starting workers.
WORKERS_FROM_BYTES = 4_000_000
STAGES = ("map", "check-store", "shacl", "integrity", "load")
"""The stages a publish reports the time of: mapping, loading the in-memory stores the
checks run on, SHACL, the integrity constraints, and loading the release."""


@dataclass(frozen=True)
class Layout:
    """Where the publisher's files are."""

    mappings: Path = Path("mappings")
    shapes: Path = Path("shapes")
    ontologies: Path = Path("ontologies")
    build: Path = Path("var/build")
    include: str = "*.json"
    """Which files of ``mappings`` to publish (a glob pattern)."""
    cubes: bool = True
    """Whether the cube descriptions among them are published (False: the reference
    datasets alone, which a site can be served from while its statistics are published)."""


@dataclass
class Outcome:
    """What a publish did: the datasets, and seconds spent in each stage (``STAGES``; they
    overlap) and in all (``total``)."""

    published: list[Published]
    seconds: dict[str, float]


def publish(
    settings: Settings,
    layout: Layout = Layout(),
    *,
    only: Iterable[Path] = (),
    progress: Progress = lambda message: None,
    workers: int | None = None,
    debug: bool = False,
) -> Outcome:
    """Publish every dataset (re-mapping only ``only`` when given and the rest is built).

    ``workers`` is how many processes map datasets (0: this one); by default one per core
    when there is enough to map, else none. With ``debug`` every integrity constraint's
    time is reported.

    :raises SourceError: a bad cell or mapping (file:row:column named); nothing published.
    :raises ValidationFailedError: SHACL or integrity violations; nothing published.
    :raises BusyError: another publish into the same store or build folder is running.
    """
    with (
        exclusive(settings.store_dir, purpose="publish into this store"),
        exclusive(layout.build, purpose="publish with this build folder"),
    ):
        _sweep(ReleaseRoot(settings.store_dir), layout.build, progress)
        try:
            return _publish(settings, layout, only, progress, workers, debug=debug)
        finally:
            _remove_partial_files(layout.build)


def _sweep(root: ReleaseRoot, build: Path, progress: Progress) -> None:
    """Remove what killed publishes left: their drafts (no live process holds them) and
    half-written files in the build folder (this publish holds it alone)."""
    removed = root.prune(keep=2)
    removed += _remove_partial_files(build)
    if removed:
        progress(f"removed {len(removed)} leftovers of earlier publishes")


def _remove_partial_files(build: Path) -> list[Path]:
    found = list(build.glob("*.nt.part"))
    for path in found:
        path.unlink(missing_ok=True)
    return found


def _publish(
    settings: Settings,
    layout: Layout,
    only: Iterable[Path],
    progress: Progress,
    workers: int | None,
    *,
    debug: bool,
) -> Outcome:
    timeline, relay = Timeline(), Relay(progress)
    base = settings.base_iri
    datasets = _datasets(layout, only)
    shapes = sorted(layout.shapes.glob("*.ttl"))
    ontologies = {
        path: ontology_text(path, base) for path in sorted(layout.ontologies.glob("*.ttl"))
    }
    tasks, kept = _plan(datasets, {path.resolve() for path in only}, layout, base, shapes)
    checker = Checker(
        list(ontologies.values()), shapes, layout.build, base, relay, timeline, debug=debug
    )
    run = _Run(settings, layout, relay, timeline, checker, ontologies)
    published = run.run(tasks, kept, _processes(workers, tasks))
    order = {dataset.name: index for index, dataset in enumerate(datasets)}
    published.sort(key=lambda item: order[item.dataset.name])
    seconds = timeline.seconds()
    for stage in STAGES:
        progress(f"{stage} took {seconds.get(stage, 0.0):.1f} s")
    progress(f"published in {seconds['total']:.1f} s (the stages overlap)")
    return Outcome(published, seconds)


def _datasets(layout: Layout, only: Iterable[Path]) -> list[Dataset]:
    datasets = [
        d for d in discover(layout.mappings, layout.include) if layout.cubes or not d.is_cube
    ]
    known = {d.mapping.resolve() for d in datasets}
    datasets += [read_dataset(path) for path in only if path.resolve() not in known]
    return datasets


def _plan(
    datasets: list[Dataset], chosen: set[Path], layout: Layout, base: str, shapes: list[Path]
) -> tuple[list[MapTask], list[Published]]:
    """What to map (biggest first), and what an earlier publish mapped that is kept."""
    tasks, kept = [], []
    for dataset in datasets:
        output = layout.build / f"{dataset.name}.nt"
        if not chosen or dataset.mapping.resolve() in chosen or not output.exists():
            tasks.append(MapTask(dataset, output, base, shapes))
        else:
            kept.append(reused(dataset, output, shapes))
    tasks.sort(key=lambda task: -expected_work(task.dataset))
    return tasks, kept


def _processes(workers: int | None, tasks: list[MapTask]) -> int:
    if len(tasks) < 2:
        return 0
    if workers is None:
        if sum(expected_work(task.dataset) for task in tasks) < WORKERS_FROM_BYTES:
            return 0
        workers = os.cpu_count() or 1
    return max(0, min(workers, len(tasks)))


class _Run:
    """One publish: maps arriving, checks to run, and the release being loaded."""

    def __init__(
        self,
        settings: Settings,
        layout: Layout,
        relay: Relay,
        timeline: Timeline,
        checker: Checker,
        ontologies: dict[Path, bytes],
    ) -> None:
        self._base = settings.base_iri
        self._root = ReleaseRoot(settings.store_dir)
        self._layout = layout
        self._relay = relay
        self._timeline = timeline
        self._checker = checker
        self._ontologies = ontologies
        self._checks: list[Callable[[], None]] = []
        self._references: list[Published] = []
        self._loader = Loader(self._root, relay, timeline)

    def run(self, tasks: list[MapTask], kept: list[Published], processes: int) -> list[Published]:
        """Map, check and load everything, then make the release current."""
        self._unmapped_references = sum(not task.dataset.is_cube for task in tasks)
        published = list(kept)
        with self._loader, MapPool(processes, self._relay, self._hand_over) as pool:
            for item in kept:
                self._hand_over(item)
                self._arrived(item)
            if self._unmapped_references == 0:
                self._schedule_references()
            for task in tasks:
                pool.submit(task)
            if not tasks:
                self._load_the_rest(published)
            while pool.pending or self._checks:
                self._loader.raise_error()
                if self._checks and not pool.has_result():
                    self._checks.pop(0)()
                    continue
                item = pool.next_mapped()
                self._timeline.add("map", item.started.timestamp(), item.ended.timestamp())
                published.append(item)
                self._arrived(item)
                if not item.dataset.is_cube:
                    self._unmapped_references -= 1
                    if self._unmapped_references == 0:
                        self._schedule_references()
                if not pool.pending:
                    self._load_the_rest(published)
            self._checker.links()
            # Only the live release is kept beside the new one (and any an open server still
            # reads): a kill just after the swap leaves two releases on disk, not three.
            self._root.prune(keep=1)
            path = self._loader.commit(self._base)
        self._root.prune(keep=2)
        self._relay.now(f"release {path.name} is live")
        return published

    def _hand_over(self, item: Published) -> None:
        """Queue a mapped dataset for loading (from any thread)."""
        name = item.dataset.name
        graph = IriSpace(self._base).dataset_graph(name)
        note = f"{name}: loaded {item.triples:,} triples into {graph}"
        self._loader.load(self._layout.build / f"{name}.nt", graph, note, checked=True)

    def _arrived(self, item: Published) -> None:
        """Note a mapped dataset: a cube's own check can be scheduled now; the reference
        datasets are checked together once the last of them is mapped."""
        if item.dataset.is_cube:
            self._checks.append(lambda: self._checker.cube(item))
        else:
            self._references.append(item)

    def _schedule_references(self) -> None:
        if self._references:
            references = list(self._references)
            self._checks.append(lambda: self._checker.reference(references))

    def _load_the_rest(self, published: list[Published]) -> None:
        """Once every dataset is mapped: the vocabularies, the catalogue, then compaction."""
        for path, text in self._ontologies.items():
            graph = IriSpace(self._base).vocabulary_graph(path.stem)
            self._loader.load(text, graph, f"{path.name}: loaded into {graph}")
        lines = (line for item in published for line in catalog_lines(self._base, item))
        graph = IriSpace(self._base).catalogue_graph()
        self._loader.load("".join(lines).encode(), graph, f"catalogue loaded into {graph}")
        self._loader.seal()
