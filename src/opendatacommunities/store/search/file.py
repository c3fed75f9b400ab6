"""The search index as a file in its release (``search.idx``), written at publish time.

A server opening a release reads the index from this file instead of building it: no
queries over the store, no tables to compute. The file is data only (no pickle, nothing a
reader executes): a first line naming the format, the length of a JSON header, the header,
then arrays of unsigned integers back to back. The header holds the format's version, the
properties the index was built along (``parent``, ``status``), every text of the index (IRIs,
names, folded names, codes, words, pieces) and where each array lies; each array is one
``Lists`` (numbered lists end to end) or a plain column, in the machine's byte order as
written down, so that loading it is one read and a copy per array.
"""

from __future__ import annotations

import json
import sys
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opendatacommunities.errors import SearchFileError
from opendatacommunities.store.search.index import SearchIndex
from opendatacommunities.store.search.lists import TYPECODE, KeyedLists, Lists
from opendatacommunities.store.search.parts import Entry, Parts
from opendatacommunities.store.search.spelling import Spelling

#: The file's name in a release directory.
SEARCH_FILE = "search.idx"
MAGIC = b"odc-search-index\n"
VERSION = 2
_LENGTH = 8  # bytes of the header's length


@dataclass(frozen=True)
class Built:
    """What an index was built along: part of the file, checked when it is read."""

    parent: str | None
    status: str | None


def to_bytes(index: SearchIndex, built: Built) -> bytes:
    """The file's content for ``index``."""
    parts = index.parts
    # Entries share their types, parents and status with many others: each distinct tuple
    # of IRIs is written once, and read back as one tuple that all of them share.
    sets: dict[tuple[str, ...], int] = {(): 0}

    def numbered(iris: Iterable[tuple[str, ...]]) -> array[int]:
        return _column(sets.setdefault(held, len(sets)) for held in iris)

    entries = parts.entries
    columns = {
        "types": numbered(e.types for e in entries),
        "parents": numbered(e.parents for e in entries),
        "status": numbered((e.status,) if e.status else () for e in entries),
        "tokens": parts.tokens,
        "postings": parts.postings,
        "pieces": parts.spelling.pieces.lists,
        "sized": parts.spelling.sized.lists,
        "lengths": _column(length for _, length in parts.spelling.sized.keys),
        "numbered": _column(list(parts.numbered)),
    }
    head = {"version": VERSION, "parent": built.parent, "status": built.status}
    return _assemble(head, _texts(parts, list(sets)), columns)


def _texts(parts: Parts, sets: list[tuple[str, ...]]) -> dict[str, Any]:
    return {
        "iris": [e.iri for e in parts.entries],
        "labels": [e.labels for e in parts.entries],
        "notations": [e.notation for e in parts.entries],
        "folded": parts.labels,
        "codes": parts.notations,
        "sets": sets,
        "words": parts.spelling.words,
        "pieces": list(parts.spelling.pieces.keys),
        "sized": [piece for piece, _ in parts.spelling.sized.keys],
    }


def _column(values: Any) -> array[int]:
    return array(TYPECODE, values)


def _assemble(head: dict[str, Any], texts: dict[str, Any], columns: dict[str, Any]) -> bytes:
    arrays: list[bytes] = []
    table: dict[str, list[int]] = {}
    offset = 0
    for name, column in columns.items():
        pieces = [column.starts, column.values] if isinstance(column, Lists) else [column]
        table[name] = []
        for piece in pieces:
            raw = piece.tobytes()
            table[name].append(offset)
            table[name].append(len(raw))
            arrays.append(raw)
            offset += len(raw)
    layout = {"byteorder": sys.byteorder, "itemsize": array(TYPECODE).itemsize, "arrays": table}
    header = json.dumps({**head, **layout, "texts": texts}, ensure_ascii=False).encode()
    return b"".join([MAGIC, len(header).to_bytes(_LENGTH, "little"), header, *arrays])


def write(path: Path, index: SearchIndex, built: Built) -> None:
    """Write the file of ``index`` at ``path``."""
    path.write_bytes(to_bytes(index, built))


def read(path: Path, built: Built) -> SearchIndex:
    """The index the file at ``path`` holds.

    :raises FileNotFoundError: there is no such file (a release published before it existed).
    :raises SearchFileError: it cannot be used: damaged, of another version, or built along
        other properties than ``built``'s.
    """
    data = path.read_bytes()
    try:
        return _parse(data, built)
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise SearchFileError(f"{path}: damaged ({type(error).__name__}: {error})") from error


def usable(path: Path, built: Built) -> bool:
    """Whether the file at ``path`` is of this format's version and built along ``built``
    (its header only is read: for a publish to keep a file it has no need to rebuild)."""
    try:
        with path.open("rb") as opened:
            if opened.read(len(MAGIC)) != MAGIC:
                return False
            length = int.from_bytes(opened.read(_LENGTH), "little")
            head = json.loads(opened.read(length))
        _check(head, built)
    except (OSError, ValueError, SearchFileError):
        return False
    return True


def _parse(data: bytes, built: Built) -> SearchIndex:
    if not data.startswith(MAGIC):
        raise ValueError("not a search index file")
    start = len(MAGIC) + _LENGTH
    end = start + int.from_bytes(data[len(MAGIC) : start], "little")
    head = json.loads(data[start:end])
    _check(head, built)
    arrays = {
        name: _arrays(data, end, spans, head["byteorder"]) for name, spans in head["arrays"].items()
    }
    return SearchIndex.from_parts(_parts(head["texts"], arrays))


def _check(head: dict[str, Any], built: Built) -> None:
    if head.get("version") != VERSION:
        raise SearchFileError(f"format version {head.get('version')}, not {VERSION}")
    if (head.get("parent"), head.get("status")) != (built.parent, built.status):
        raise SearchFileError(
            f"built along parent {head.get('parent')} and status {head.get('status')}, "
            f"not {built.parent} and {built.status}"
        )
    if head.get("itemsize") != array(TYPECODE).itemsize:
        raise SearchFileError(
            f"numbers of {head.get('itemsize')} bytes, not {array(TYPECODE).itemsize}"
        )


def _arrays(data: bytes, base: int, spans: list[int], byteorder: str) -> list[array[int]]:
    found = []
    for at in range(0, len(spans), 2):
        column = array(TYPECODE)
        offset, length = base + spans[at], spans[at + 1]
        if offset + length > len(data):
            raise ValueError("the file is cut short")
        column.frombytes(data[offset : offset + length])
        if byteorder != sys.byteorder:
            column.byteswap()
        found.append(column)
    return found


def _lists(arrays: dict[str, list[array[int]]], name: str) -> Lists:
    starts, values = arrays[name]
    return Lists(starts, values)


def _parts(texts: dict[str, Any], arrays: dict[str, list[array[int]]]) -> Parts:
    sets = [tuple(held) for held in texts["sets"]]
    (types,), (parents,), (states,) = arrays["types"], arrays["parents"], arrays["status"]
    entries = [
        Entry(
            iri,
            tuple(labels),
            notation,
            sets[types[i]],
            sets[parents[i]],
            sets[states[i]][0] if states[i] else None,
        )
        for i, (iri, labels, notation) in enumerate(
            zip(texts["iris"], texts["labels"], texts["notations"], strict=True)
        )
    ]
    (lengths,) = arrays["lengths"]
    spelling = Spelling(
        texts["words"],
        KeyedLists(texts["pieces"], _lists(arrays, "pieces")),
        KeyedLists(list(zip(texts["sized"], lengths, strict=True)), _lists(arrays, "sized")),
    )
    folded = [tuple(labels) for labels in texts["folded"]]
    (numbered,) = arrays["numbered"]
    return Parts(
        entries,
        folded,
        texts["codes"],
        bytes(numbered.tolist()),
        spelling,
        _lists(arrays, "tokens"),
        _lists(arrays, "postings"),
    )
