"""What a publish has to do: which datasets to map and check, and which the live release
already holds as they would come out (the same key, see ``manifest``).

A dataset is redone when its mapping or a source file changed, when a shapes file that
targets it or a vocabulary changed, when a dataset it links to changed, or when the base
IRI changed; the reference datasets (everything but cubes) are checked together, so all of
them are checked again when one is redone or one goes. The others are reused: neither
mapped nor checked, and, when little is to be taken out of it, the new release starts as a
copy of the live one that shares its files (``copy``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .catalog import Published
from .datasets import Dataset
from .manifest import Entry, Manifest, Shared, content_of
from .mapping import MapTask, expected_work

REMOVE_AT_MOST = 50_000
"""Triples a copy of the live release may always lose (a changed or dropped dataset's);
beyond this and a tenth of the release, a fresh release is loaded instead: Oxigraph removes
triples one by one, about ten thousand a second, and loads a few hundred thousand a second."""
REMOVE_SHARE = 10


@dataclass
class Plan:
    """A publish's work, decided before anything is mapped."""

    tasks: list[MapTask]
    reused: list[Published]
    entries: dict[str, Entry]
    """The live release's entry of each reused dataset."""
    contents: dict[str, str | None]
    recheck_references: bool
    copy: bool
    drop: list[str] = field(default_factory=list)
    """Datasets of the live release whose graphs leave its copy."""
    shared_changed: bool = False
    """A shapes file or vocabulary changed (even one no dataset depends on)."""

    @property
    def unchanged(self) -> bool:
        """Whether the live release already is what this publish would make."""
        quiet = not self.tasks and not self.drop and not self.recheck_references
        return quiet and self.copy and not self.shared_changed


@dataclass(frozen=True)
class Inputs:
    """What a plan is made from."""

    datasets: list[Dataset]
    only: set[Path]
    """Mappings given by name: the other datasets of the live release are kept as they are."""
    build: Path
    root: Path
    shapes: list[Path]
    shared: Shared
    force: bool = False
    """Redo the mappings given by name, whatever their hashes (``odc check``)."""


def make_plan(inputs: Inputs, previous: Manifest | None, same_shared: bool) -> Plan:
    """Decide what to redo against the live release's manifest (None: redo everything)."""
    contents = {d.name: content_of(d, inputs.root) for d in inputs.datasets}
    old = previous.datasets if previous is not None else {}
    redo = {d.name for d in inputs.datasets if not _reusable(d, inputs, old, contents)}
    redo |= _dependants(old, redo, contents, inputs.datasets)
    tasks, reused, entries = [], [], {}
    for dataset in inputs.datasets:
        if dataset.name in redo:
            output = inputs.build / f"{dataset.name}.nt"
            tasks.append(MapTask(dataset, output, inputs.shared.base, inputs.shapes))
        else:
            entries[dataset.name] = old[dataset.name]
            reused.append(_published(dataset, old[dataset.name], inputs))
    tasks.sort(key=lambda task: -expected_work(task.dataset))
    names = {d.name for d in inputs.datasets}
    references = {d.name for d in inputs.datasets if not d.is_cube}
    recheck = bool(references & redo) or references != {n for n, e in old.items() if not e.cube}
    drop = sorted(name for name in old if name in redo or name not in names)
    removed = sum(old[name].triples for name in drop)
    total = sum(entry.triples for entry in old.values())
    copy = previous is not None and removed <= max(REMOVE_AT_MOST, total // REMOVE_SHARE)
    recheck = recheck and bool(references)
    return Plan(tasks, reused, entries, contents, recheck, copy, drop, not same_shared)


def _reusable(
    dataset: Dataset, inputs: Inputs, old: dict[str, Entry], contents: dict[str, str | None]
) -> bool:
    entry = old.get(dataset.name)
    if entry is None or entry.cube != dataset.is_cube:
        return False
    chosen = dataset.mapping.resolve() in inputs.only
    if inputs.force and chosen:
        return False
    if inputs.only and not chosen:
        return True  # kept as the live release holds it, whatever its files say now
    content = contents[dataset.name]
    if content is None or content != entry.content:
        return False
    linked = {name: contents.get(name) for name in entry.links}
    if any(value is None for value in linked.values()):
        return False  # it links to a dataset that is gone
    key = inputs.shared.key(content, entry.classes, entry.predicates, linked)  # type: ignore[arg-type]
    return key == entry.key


def _dependants(
    old: dict[str, Entry],
    redo: set[str],
    contents: dict[str, str | None],
    datasets: list[Dataset],
) -> set[str]:
    """Datasets kept by name that link to a dataset redone with other content."""
    changed = {n for n in redo if n in old and old[n].content != contents.get(n)}
    return {
        d.name
        for d in datasets
        if d.name in old and d.name not in redo and changed & set(old[d.name].links)
    }


def _published(dataset: Dataset, entry: Entry, inputs: Inputs) -> Published:
    """What the live release holds of a reused dataset, as the catalogue lists it."""
    return Published(
        dataset,
        [inputs.root / source for source in entry.sources],
        inputs.shapes,
        entry.triples,
        datetime.fromisoformat(entry.started),
        datetime.fromisoformat(entry.ended),
        dict(entry.omitted),
    )
