"""The publishing pipeline: map -> check -> load into a new release -> swap, stages overlapping.

Datasets are mapped in worker processes, biggest first (``workers``). Each is handed to the
loading thread as soon as it is mapped (``loading``) and checked in this thread, against the
shapes and, for cubes, the integrity constraints (``checks``). Once every dataset is mapped
the vocabularies and the catalogue follow it into the release, which is then compacted; once
every check has passed and everything is in, one rename makes the release current. Until
then it is a draft beside the live release, deleted if anything fails.

Publishing is incremental (``plan``): a dataset whose inputs are unchanged since the live
release is neither mapped nor checked again, and the new release starts as a copy of the
live one sharing its files. ``check`` runs the same stages for one dataset without loading
anything: the same errors, in seconds, and nothing published.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from opendatacommunities.config import Settings
from opendatacommunities.errors import BrokenReferenceError, PublishError, ValidationFailedError
from opendatacommunities.iris import AUTHORED_BASE, IriSpace
from opendatacommunities.places.references import check_project
from opendatacommunities.store import ReleaseRoot, exclusive
from opendatacommunities.store.remote.publish import RemotePublisher

from .catalog import Published, project_path
from .checks import Checker, ontology_text
from .datasets import Dataset, discover, read_dataset, sha256
from .dumps import Dumper
from .loading import Loader
from .manifest import Manifest, Shared, hashes
from .mapping import MapTask, expected_work
from .plan import Inputs, Plan, make_plan
from .progress import Progress, Relay, Timeline
from .references import LINKS
from .run import Context, DryLoader, Run
from .search_index import STAGE as SEARCH_STAGE
from .search_index import search_index_writer
from .targets import shape_targets

__all__ = ["Layout", "Outcome", "PublishError", "ValidationFailedError", "check", "publish"]

#: Below this many bytes of sources to map, mapping in this process beats starting workers.
WORKERS_FROM_BYTES = 4_000_000
STAGES = ("map", "check-store", "shacl", "integrity", "load", SEARCH_STAGE, "dumps")
"""The stages a publish reports the time of: mapping, loading the in-memory stores the
checks run on, SHACL, the integrity constraints, loading the release, its search index, and
writing its dumps."""


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
    mapped: list[str] = field(default_factory=list)
    """The datasets mapped (the others were reused from the live release)."""
    checked: list[str] = field(default_factory=list)
    """The datasets checked."""


def publish(
    settings: Settings,
    layout: Layout = Layout(),
    *,
    only: Iterable[Path] = (),
    progress: Progress = lambda message: None,
    workers: int | None = None,
    debug: bool = False,
) -> Outcome:
    """Publish every dataset, mapping and checking only what changed since the live
    release; with ``only``, those mappings, the live release's other datasets kept as
    they are.

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
        root = ReleaseRoot(settings.store_dir)
        _sweep(root, layout.build, progress, settings.keep_releases)
        remote = RemotePublisher(settings, progress) if settings.store_url else None
        try:
            if remote is not None:
                remote.sweep()
            outcome = _publish(
                settings, layout, only, progress, workers, debug=debug, remote=remote
            )
        finally:
            _remove_partial_files(layout.build)
            if remote is not None:
                remote.close()
        root.prune(keep=settings.keep_releases)
        return outcome


def check(
    settings: Settings,
    layout: Layout,
    mapping: Path,
    *,
    progress: Progress = lambda message: None,
    debug: bool = False,
) -> Outcome:
    """Map and check one dataset as a publish would, against the live release (its
    areas, and the datasets checked with it), publishing nothing.

    :raises SourceError: a bad cell or mapping (file:row:column named).
    :raises ValidationFailedError: SHACL or integrity violations, or links to nothing.
    """
    build = layout.build / "check"
    with exclusive(build, purpose="check with this build folder"):
        try:
            chosen = replace(layout, build=build)
            return _publish(settings, chosen, [mapping], progress, 0, debug=debug, dry=True)
        finally:
            _remove_partial_files(build)


def _sweep(root: ReleaseRoot, build: Path, progress: Progress, keep: int) -> None:
    """Remove what killed publishes left: their drafts (no live process holds them) and
    half-written files in the build folder (this publish holds it alone)."""
    removed = root.prune(keep=keep)
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
    dry: bool = False,
    remote: RemotePublisher | None = None,
) -> Outcome:
    timeline, relay = Timeline(), Relay(progress)
    context, plan = _prepare(settings, layout, list(only), relay, timeline, debug=debug, dry=dry)
    live = context.root.current_path()
    if plan.unchanged and live is not None:
        progress(f"nothing changed since release {live.name}: every dataset is reused")
    elif plan.tasks:
        names = ", ".join(task.dataset.name for task in plan.tasks)
        progress(f"to map and check: {names}; {len(plan.reused)} datasets reused")
    _fetch_outputs(context, plan, live, dry=dry)
    index = search_index_writer(
        settings.base_iri, relay, timeline, live if plan.unchanged else None
    )
    loader = DryLoader() if dry else Loader(context.root, relay, timeline, _copied(plan, live))
    dumper = Dumper(context.base, live, plan.contents, relay, timeline)
    run = Run(context, plan, loader, dumper, index)
    # The dumper lets go of the draft's store first: the loader may then discard it.
    with loader, dumper:
        published = run.run(_processes(workers, plan.tasks))
        if isinstance(loader, Loader):
            # Only the live release is kept beside the new one (and any an open server
            # still reads): a kill just after the swap leaves no more than were kept.
            context.root.prune(keep=max(1, settings.keep_releases - 1))
            manifest = run.manifest(published)
            finish = partial(_finish, partial(dumper.finish, manifest=manifest), remote)
            path = loader.commit(run.records(manifest), settings.base_iri, finish)
            if remote is not None:
                remote.go_live(path.name)
            relay.now(f"release {path.name} is live")
    order = {name: index for index, name in enumerate(plan.contents)}  # as discovered
    published.sort(key=lambda item: order[item.dataset.name])
    done = "checked (nothing published)" if dry else "published"
    return _outcome(published, plan, context, timeline, progress, done)


def _finish(dumps: Callable[[Path], None], remote: RemotePublisher | None, path: Path) -> None:
    """The sealed release's last files, then (on a remote store) its upload: it is complete
    on the engine before it is committed on disk, and goes live there after."""
    dumps(path)
    if remote is not None:
        remote.upload(path)


def _copied(plan: Plan, live: Path | None) -> Path | None:
    return live if plan.copy else None


def _outcome(
    published: list[Published],
    plan: Plan,
    context: Context,
    timeline: Timeline,
    progress: Progress,
    done: str,
) -> Outcome:
    seconds = timeline.seconds()
    for stage in STAGES:
        progress(f"{stage} took {seconds.get(stage, 0.0):.1f} s")
    progress(f"{done} in {seconds['total']:.1f} s (the stages overlap)")
    mapped = [task.dataset.name for task in plan.tasks]
    return Outcome(published, seconds, mapped, sorted(context.checker.facts))


def _prepare(
    settings: Settings,
    layout: Layout,
    only: list[Path],
    relay: Relay,
    timeline: Timeline,
    *,
    debug: bool,
    dry: bool,
) -> tuple[Context, Plan]:
    """Read the inputs and the live release's manifest; decide what to redo."""
    base = settings.base_iri
    root = ReleaseRoot(settings.store_dir)
    project = layout.mappings.resolve().parent
    # Stories and dashboards first: a broken reference stops the publish before any work.
    broken = check_project(project, layout.mappings, base, AUTHORED_BASE)
    if broken:
        raise BrokenReferenceError(broken)
    shapes = sorted(layout.shapes.glob("*.ttl"))
    ontologies = {p: ontology_text(p, base) for p in sorted(layout.ontologies.glob("*.ttl"))}
    shared = Shared(
        base,
        hashes(list(ontologies), project),
        {project_path(p, project): (sha256(p), shape_targets(p, base)) for p in shapes},
    )
    previous = Manifest.read(root.current_path())
    if previous is not None and previous.base != base:
        previous = None  # every IRI changes: nothing can be reused
    same = previous is not None and (
        previous.ontologies == shared.ontologies
        and previous.shapes == {path: digest for path, (digest, _) in shared.shapes.items()}
    )
    datasets = _datasets(layout, only, previous if dry else None)
    chosen = {path.resolve() for path in only}
    inputs = Inputs(datasets, chosen, layout.build, project, shapes, shared, force=dry)
    plan = make_plan(inputs, previous, same)
    checker = Checker(
        list(ontologies.values()), shapes, layout.build, base, relay, timeline, debug=debug
    )
    checker.expect({d.name for d in datasets if d.is_cube}, references=plan.recheck_references)
    live = root.current_path()
    if not plan.recheck_references and live is not None and (live / LINKS).exists():
        checker.references.restore((live / LINKS).read_bytes())
    ontology_texts = dict(ontologies)
    context = Context(
        base,
        root,
        layout.build,
        project,
        relay,
        timeline,
        checker,
        ontology_texts,
        shared,
        previous,
    )
    return context, plan


def _datasets(layout: Layout, only: list[Path], live: Manifest | None) -> list[Dataset]:
    """Every mapping, and those given by name; with ``live``, only these and the live
    release's datasets."""
    found = discover(layout.mappings, layout.include)
    datasets = [d for d in found if layout.cubes or not d.is_cube]
    known = {d.mapping.resolve() for d in datasets}
    datasets += [read_dataset(path) for path in only if path.resolve() not in known]
    if live is None:
        return datasets
    chosen = {path.resolve() for path in only}
    return [d for d in datasets if d.name in live.datasets or d.mapping.resolve() in chosen]


def _fetch_outputs(context: Context, plan: Plan, live: Path | None, *, dry: bool) -> None:
    """The N-Triples of each reused dataset that is to be checked again or loaded again,
    in the build folder: as it was mapped, or else from the live release."""
    for item in plan.reused:
        name = item.dataset.name
        needed = (plan.recheck_references and not item.dataset.is_cube) or (
            not plan.copy and not dry
        )
        output = context.build / f"{name}.nt"
        entry = plan.entries[name]
        if not needed or live is None:
            continue
        if output.exists() and output.stat().st_size == entry.output_bytes:
            continue
        context.relay.now(f"{name}: reading its triples from release {live.name}")
        context.build.mkdir(parents=True, exist_ok=True)
        context.root.dump_graph(live, IriSpace(context.base).dataset_graph(name), output)


def _processes(workers: int | None, tasks: list[MapTask]) -> int:
    if len(tasks) < 2:
        return 0
    if workers is None:
        if sum(expected_work(task.dataset) for task in tasks) < WORKERS_FROM_BYTES:
            return 0
        workers = os.cpu_count() or 1
    return max(0, min(workers, len(tasks)))
