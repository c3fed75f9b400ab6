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
from typing import IO

from opendatacommunities.csvw import Job, Reporter, map_to_rdf, source_files
from opendatacommunities.cube.compile import CompiledCube, compile_cube
from opendatacommunities.cube.description import read_description
from opendatacommunities.errors import OdcError, SourceError
from opendatacommunities.iris import AUTHORED_BASE

from .catalog import Published
from .cubes import TidySources, cube_build
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
        return map_cube(task.dataset, task.output, task.base, task.shapes, progress)
    return map_dataset(task.dataset, task.output, task.base, task.shapes, progress)


def _write(chunks: Iterable[str], out: IO[str]) -> int:
    """Write N-Triples chunks in batches (one write per thousands of rows); the number of
    triples written."""
    triples = 0
    batch: list[str] = []
    for chunk in chunks:
        batch.append(chunk)
        if len(batch) == _BATCH:
            text = "".join(batch)
            out.write(text)
            triples += text.count("\n")
            batch.clear()
    text = "".join(batch)
    out.write(text)
    return triples + text.count("\n")


_BATCH = 4096


def map_cube(
    dataset: Dataset, output: Path, base: str, shapes: list[Path], progress: Progress
) -> Published:
    """Compile a cube, map its observations strictly, and write them with its structure to
    ``output`` (N-Triples, atomically).

    :raises SourceError: a cell that is not what its dimension or measure needs.
    :raises MetadataError: a cube description that does not hold together.
    """
    started = datetime.now(UTC)
    cube = read_description(dataset.mapping)
    try:
        # Compiled against the authored base, like every mapping, then rebased.
        compiled = compile_cube(cube, cube_build(output.parent, dataset), base=AUTHORED_BASE)
        triples = _map_observations(compiled, cube.csv, output, base, progress)
    except OdcError:
        raise
    except Exception as error:  # a bug must not reach the publisher as a traceback
        message = f"could not map this table ({type(error).__name__}: {error})"
        raise SourceError(message, file=str(cube.csv)) from error
    omitted = compiled.omitted
    missing = (
        f"; {omitted.total:,} cells without a value ({_counts(omitted.counts)})"
        if omitted.total
        else ""
    )
    progress(
        f"{dataset.name}: {compiled.observations:,} observations, {triples:,} triples{missing}"
    )
    return Published(
        dataset, [cube.csv], shapes, triples, started, datetime.now(UTC), dict(omitted.counts)
    )


def _map_observations(
    compiled: CompiledCube, source: Path, output: Path, base: str, progress: Progress
) -> int:
    """Map a compiled cube's tidy table strictly and write it with the structure to
    ``output``; the number of triples. Errors and warnings name the source CSV's cells."""
    job = Job(input=compiled.metadata, minimal=True, provenance=False)
    report = Reporter(
        strict=True,
        sink=lambda message: progress(f"warning: {message}"),
        relocate=TidySources(compiled.tidy, source).relocate,
    )
    partial = output.with_suffix(".nt.part")
    with partial.open("w", encoding="utf-8") as out:
        triples = _write(rebase(map_to_rdf(job, report), base), out)
        structure = compiled.structure.read_text(encoding="utf-8")
        triples += _write(rebase([structure], base), out)
    partial.replace(output)
    return triples


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n:,} '{marker}'" for marker, n in counts.items())


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
    """Map one dataset strictly to N-Triples (written atomically to ``output``); warnings
    (an odd but valid cell, metadata the engine ignored) go to ``progress``.

    :raises SourceError: a bad cell or mapping, naming its ``file:row:column``.
    """
    started = datetime.now(UTC)
    job = Job(input=dataset.mapping, minimal=True, provenance=False)
    report = Reporter(strict=True, sink=lambda message: progress(f"warning: {message}"))

    def mapping(rows: int, triples: int) -> None:
        progress(f"{dataset.name}: mapped {rows:,} rows, {triples:,} triples")

    try:
        rows, triples = _map_table(job, report, output, base, mapping)
    except OdcError:
        raise
    except Exception as error:  # a bug must not reach the publisher as a traceback
        message = f"could not map this dataset ({type(error).__name__}: {error})"
        raise SourceError(message, file=str(dataset.mapping)) from error
    progress(f"{dataset.name}: mapped {rows:,} rows into {triples:,} triples")
    return Published(dataset, source_files(job), shapes, triples, started, datetime.now(UTC))


def _map_table(
    job: Job, report: Reporter, output: Path, base: str, every: Callable[[int, int], None]
) -> tuple[int, int]:
    """Map ``job`` into ``output`` (atomically), calling ``every`` every few seconds with the
    rows and triples so far; the number of rows and of triples."""
    partial = output.with_suffix(".nt.part")
    rows = triples = 0
    clock = time.monotonic()
    with partial.open("w", encoding="utf-8") as out:
        for chunk in rebase(map_to_rdf(job, report), base):
            out.write(chunk)
            rows += 1
            triples += chunk.count("\n")
            if time.monotonic() - clock > 2:
                clock = time.monotonic()
                every(rows, triples)
    os.replace(partial, output)
    return rows, triples


def expected_work(dataset: Dataset) -> int:
    """Bytes of source a dataset is mapped from: the bigger, the sooner it is started."""
    try:
        if dataset.is_cube:
            return read_description(dataset.mapping).csv.stat().st_size
        return sum(path.stat().st_size for path in source_files(Job(input=dataset.mapping)))
    except (OSError, ValueError, OdcError):
        return 0  # the mapping itself will say what is wrong, when it is mapped
