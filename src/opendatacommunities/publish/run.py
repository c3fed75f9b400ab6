"""One publish in motion: datasets arriving from the mappers, checks to run between them,
and the release being loaded meanwhile (see ``pipeline`` for the stages).

Checks run as soon as what they need is there, and the first that fails stops the publish:
a cube is checked (and its links with it, once the reference datasets are known) as soon as
it is mapped, not after the rest of the release.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType

from opendatacommunities.iris import IriSpace
from opendatacommunities.store import ReleaseRoot

from .catalog import Published, catalog_lines, project_path
from .checks import Checker
from .dumps import Dumper
from .loading import Loader
from .manifest import MANIFEST, Entry, Manifest, Shared
from .plan import Plan
from .progress import Relay, Timeline
from .references import LINKS
from .workers import MapPool


class DryLoader:
    """Stands for the loader when nothing is to be published (``odc check``)."""

    def load(self, data: Path | bytes, graph: str, note: str, *, checked: bool = False) -> None:
        """Load nothing."""

    def drop(self, graph: str) -> None:
        """Drop nothing."""

    def seal(self, then: Callable[[Path], None] = lambda path: None) -> None:
        """Seal nothing."""

    def raise_error(self) -> None:
        """Nothing can go wrong."""

    def __enter__(self) -> DryLoader:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None


@dataclass(frozen=True)
class Context:
    """What a run works with besides the plan."""

    base: str
    root: ReleaseRoot
    build: Path
    project: Path
    relay: Relay
    timeline: Timeline
    checker: Checker
    ontologies: dict[Path, bytes]
    shared: Shared
    previous: Manifest | None


class Run:
    """Maps arriving, checks to run, and the release being loaded."""

    def __init__(
        self,
        context: Context,
        plan: Plan,
        loader: Loader | DryLoader,
        dumper: Dumper,
        index: Callable[[Path], None],
    ) -> None:
        self._c = context
        self._plan = plan
        self._loader = loader
        self._dumper = dumper
        self._index = index
        """Writes the search index of the sealed release."""
        self._checks: list[Callable[[], None]] = []
        self._references: list[Published] = []
        self._unmapped_references = sum(not task.dataset.is_cube for task in plan.tasks)

    def run(self, processes: int) -> list[Published]:
        """Map, check and load everything; the datasets, ready to commit."""
        published = list(self._plan.reused)
        with MapPool(processes, self._c.relay, self._hand_over) as pool:
            self._start()
            for task in self._plan.tasks:
                pool.submit(task)
            if not self._plan.tasks:
                self._load_the_rest(published)
            while pool.pending or self._checks:
                self._loader.raise_error()
                if self._checks and not pool.has_result():
                    self._checks.pop(0)()
                    continue
                item = pool.next_mapped()
                self._c.timeline.add("map", item.started.timestamp(), item.ended.timestamp())
                published.append(item)
                self._arrived(item)
                if not pool.pending:
                    self._load_the_rest(published)
            self._c.checker.links()
        return published

    def _start(self) -> None:
        """Take the live release's reused datasets into this one: keep them in its copy
        (dropping what changes), or load them again; the reference datasets join the
        check when they are checked again."""
        plan, space = self._plan, IriSpace(self._c.base)
        if plan.copy:
            for name in plan.drop:
                self._loader.drop(space.dataset_graph(name))
            for path in self._c.previous.ontologies if self._c.previous else {}:
                self._loader.drop(space.vocabulary_graph(Path(path).stem))
            self._loader.drop(space.catalogue_graph())
        for item in plan.reused:
            if not plan.copy:
                self._hand_over(item)
            if plan.recheck_references and not item.dataset.is_cube:
                self._references.append(item)
        if self._unmapped_references == 0:
            self._schedule_references()

    def _hand_over(self, item: Published) -> None:
        """Queue a mapped dataset for loading (from any thread)."""
        name = item.dataset.name
        graph = IriSpace(self._c.base).dataset_graph(name)
        note = f"{name}: loaded {item.triples:,} triples into {graph}"
        self._loader.load(self._c.build / f"{name}.nt", graph, note, checked=True)
        self._dumper.loaded(name, graph)

    def _arrived(self, item: Published) -> None:
        """Note a mapped dataset: a cube's own check can be scheduled now; the reference
        datasets are checked together once the last of them is mapped."""
        if item.dataset.is_cube:
            self._checks.append(lambda: self._c.checker.cube(item))
            return
        self._references.append(item)
        self._unmapped_references -= 1
        if self._unmapped_references == 0:
            self._schedule_references()

    def _schedule_references(self) -> None:
        if self._references:
            references = list(self._references)
            # First: cubes checked meanwhile wait for them to check their links.
            self._checks.insert(0, lambda: self._c.checker.reference(references))

    def _load_the_rest(self, published: list[Published]) -> None:
        """Once every dataset is mapped: the vocabularies, the catalogue, then compaction."""
        base, space = self._c.base, IriSpace(self._c.base)
        for path, text in self._c.ontologies.items():
            graph = space.vocabulary_graph(path.stem)
            self._loader.load(text, graph, f"{path.name}: loaded into {graph}")
        lines = (line for item in published for line in catalog_lines(base, item))
        graph = space.catalogue_graph()
        self._loader.load("".join(lines).encode(), graph, f"catalogue loaded into {graph}")
        self._loader.seal(then=self._sealed)

    def _sealed(self, release: Path) -> None:
        """The release is sealed: its dumps start (in a thread of their own), then its
        search index is built meanwhile, in the loading thread."""
        self._dumper.sealed(release)
        self._index(release)

    def manifest(self, published: list[Published]) -> Manifest:
        """What the new release is made of: every dataset, by content hash."""
        shared = self._c.shared
        entries = {item.dataset.name: self._entry(item) for item in published}
        return Manifest(
            shared.base,
            {path: digest for path, (digest, _) in shared.shapes.items()},
            shared.ontologies,
            entries,
        )

    def records(self, manifest: Manifest) -> dict[str, bytes]:
        """The manifest and the link facts the new release keeps beside its store."""
        return {MANIFEST: manifest.to_bytes(), LINKS: self._c.checker.references.to_bytes()}

    def _entry(self, item: Published) -> Entry:
        name = item.dataset.name
        facts = self._c.checker.facts.get(name)
        old = self._plan.entries.get(name)
        if facts is None and old is not None:
            return old  # neither mapped nor checked: as the live release has it
        classes, predicates = facts or ([], [])
        content = old.content if old else (self._plan.contents.get(name) or "")
        links = old.links if old else self._c.checker.references.links_of(name)
        key = self._c.shared.key(content, classes, predicates, self._contents(links))
        if old is not None:  # a reference dataset checked again with the others
            return replace(old, key=key, classes=classes, predicates=predicates)
        output = self._c.build / f"{name}.nt"
        return Entry(
            name=name,
            mapping=project_path(item.dataset.mapping, self._c.project),
            cube=item.dataset.is_cube,
            content=content,
            key=key,
            sources=[project_path(path, self._c.project) for path in item.sources],
            triples=item.triples,
            output_bytes=output.stat().st_size if output.exists() else 0,
            started=item.started.isoformat(),
            ended=item.ended.isoformat(),
            omitted=dict(item.omitted),
            classes=classes,
            predicates=predicates,
            links=links,
        )

    def _contents(self, names: list[str]) -> dict[str, str]:
        """The content of each named dataset as the new release holds it."""
        found = {}
        for name in names:
            entry = self._plan.entries.get(name)
            found[name] = entry.content if entry else (self._plan.contents.get(name) or "")
        return found
