"""Mapping one dataset to N-Triples in the build folder: CSVW strictly, or a cube description.

``map_task`` is what a worker process runs (see ``workers``); it is a plain function of
picklable values so that it can run in another process as well as in this one.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from opendatacommunities.csvw import Job, Reporter, map_to_rdf, source_files
from opendatacommunities.cube.description import read_description
from opendatacommunities.errors import OdcError
from opendatacommunities.iris import AUTHORED_BASE

from .catalog import Published
from .cubes import map_cube
from .datasets import Dataset

Progress = Callable[[str], None]


@dataclass(frozen=True)
class MapTask:
    """One dataset to map, and where its N-Triples go."""

    dataset: Dataset
    output: Path
    base: str
    shapes: list[Path]


def map_task(task: MapTask, progress: Progress) -> Published:
    """Map one dataset (a cube description or CSVW metadata) strictly into ``task.output``.

    :raises SourceError: a bad cell or mapping, naming its ``file:row:column``.
    """
    if task.dataset.is_cube:
        return map_cube(task.dataset, task.output, task.base, task.shapes, progress, rebase)
    return map_dataset(task.dataset, task.output, task.base, task.shapes, progress)


def rebase(lines: Iterable[str], base: str) -> Iterator[str]:
    """N-Triples written against the authored base, rewritten to ``base``."""
    if base == AUTHORED_BASE:
        yield from lines
        return
    old, new = f"<{AUTHORED_BASE}/", f"<{base}/"
    for line in lines:
        yield line.replace(old, new)


def map_dataset(
    dataset: Dataset, output: Path, base: str, shapes: list[Path], progress: Progress
) -> Published:
    """Map one dataset strictly to N-Triples (written atomically to ``output``).

    :raises SourceError: a bad cell or mapping, naming its ``file:row:column``.
    """
    started = datetime.now(UTC)
    job = Job(input=dataset.mapping, minimal=True, provenance=False)
    partial = output.with_suffix(".nt.part")
    rows = triples = 0
    clock = time.monotonic()
    with partial.open("w", encoding="utf-8") as out:
        for chunk in rebase(map_to_rdf(job, Reporter(strict=True)), base):
            out.write(chunk)
            rows += 1
            triples += chunk.count("\n")
            if time.monotonic() - clock > 2:
                clock = time.monotonic()
                progress(f"{dataset.name}: mapped {rows:,} rows, {triples:,} triples")
    os.replace(partial, output)
    progress(f"{dataset.name}: mapped {rows:,} rows into {triples:,} triples")
    return Published(dataset, source_files(job), shapes, triples, started, datetime.now(UTC))


def reused(dataset: Dataset, output: Path, shapes: list[Path]) -> Published:
    """What an earlier publish mapped, when ``output`` is kept as it is."""
    with output.open("rb") as handle:
        triples = sum(1 for _ in handle)
    moment = datetime.fromtimestamp(output.stat().st_mtime, UTC)
    if dataset.is_cube:
        sources = [read_description(dataset.mapping).csv]
    else:
        sources = source_files(Job(input=dataset.mapping))
    return Published(dataset, sources, shapes, triples, moment, moment)


def expected_work(dataset: Dataset) -> int:
    """Bytes of source a dataset is mapped from: the bigger, the sooner it is started."""
    try:
        if dataset.is_cube:
            return read_description(dataset.mapping).csv.stat().st_size
        return sum(path.stat().st_size for path in source_files(Job(input=dataset.mapping)))
    except (OSError, ValueError, OdcError):
        return 0  # the mapping itself will say what is wrong, when it is mapped
