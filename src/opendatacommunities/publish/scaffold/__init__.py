"""Scaffolding: a starting mapping for a new CSV (``odc new cube``, ``odc new table``),
guessed from its header and a sample of its rows, with a note on every guess. The
publisher edits it, then publishes it as it is."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from opendatacommunities.errors import ExistingFileError

from .cube import describe_cube
from .sample import read_sample
from .table import describe_table

__all__ = ["new_cube", "new_table"]


def default_target(csv: Path, suffix: str) -> Path:
    """Where a new mapping for ``csv`` goes: ``mappings/{name}{suffix}``."""
    return Path("mappings") / f"{csv.stem}{suffix}"


def _write(document: dict[str, Any], target: Path) -> Path:
    """Write ``document`` as JSON to ``target``, which must not exist yet."""
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        raise ExistingFileError(
            f"{target} already exists: not overwritten (move it away, or write elsewhere with -o)"
        ) from None
    return target


def new_cube(csv: Path, target: Path | None = None) -> Path:
    """Write a starting cube description for ``csv``; return where.

    :raises SourceError: the CSV cannot be read, or holds no numbers.
    :raises ExistingFileError: the target exists (it is never overwritten).
    """
    target = target or default_target(csv, ".cube.json")
    _refuse_existing(target)
    return _write(describe_cube(read_sample(csv), target), target)


def new_table(csv: Path, target: Path | None = None) -> Path:
    """Write starting CSVW metadata for ``csv``; return where.

    :raises SourceError: the CSV cannot be read.
    :raises ExistingFileError: the target exists (it is never overwritten).
    """
    target = target or default_target(csv, ".json")
    _refuse_existing(target)
    return _write(describe_table(read_sample(csv), target), target)


def _refuse_existing(target: Path) -> None:
    # Checked before reading the CSV too, so that the answer does not wait on a big file.
    if target.exists():
        raise ExistingFileError(
            f"{target} already exists: not overwritten (move it away, or write elsewhere with -o)"
        )
