"""The search index file: what is read back searches as the index written, and a file that
cannot be used says why (damaged, another version, built along other properties)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opendatacommunities.errors import SearchFileError
from opendatacommunities.store.search import Built, Entry, SearchIndex
from opendatacommunities.store.search.file import MAGIC, read, to_bytes, usable, write

GEO = "http://example.org/def/geography/"
BUILT = Built(GEO + "parent", GEO + "status")
ENTRIES = [
    Entry("http://example.org/a", ("Anderston/City/Yorkhill",), "S13002976", (GEO + "Ward",)),
    Entry("http://example.org/b", ("Anderston - 01",), "S01010276", (), ("http://example.org/a",)),
    Entry("http://example.org/c", ("Ynys Môn", "Isle of Anglesey"), "W06000001", (), (), "live"),
    Entry("http://example.org/d", ("Sanderstead",), None, (GEO + "Ward", GEO + "Area")),
    Entry("http://example.org/e", ("Glasgow City",), "S12000049", (), (), "archived"),
]
QUERIES = ["anderston", "andersten", "ynys mon", "anglesey", "s1200", "ston", "", "glasgwo"]


def _written(tmp_path: Path) -> tuple[SearchIndex, Path]:
    index = SearchIndex(ENTRIES)
    path = tmp_path / "search.idx"
    write(path, index, BUILT)
    return index, path


def test_what_is_read_back_searches_as_what_was_written(tmp_path: Path) -> None:
    index, path = _written(tmp_path)
    loaded = read(path, BUILT)
    assert loaded.entries == index.entries
    assert loaded.type_counts == index.type_counts
    for text in QUERIES:
        assert loaded.search(text) == index.search(text), text
    assert loaded.search("andersten")[0].entry.label == "Anderston/City/Yorkhill"
    assert loaded.get("http://example.org/c") == ENTRIES[2]
    assert to_bytes(loaded, BUILT) == path.read_bytes()
    assert usable(path, BUILT)


def test_a_damaged_file_is_refused_saying_why(tmp_path: Path) -> None:
    _, path = _written(tmp_path)
    path.write_bytes(path.read_bytes()[:-8])
    with pytest.raises(SearchFileError, match="cut short"):
        read(path, BUILT)
    path.write_bytes(b"not an index")
    with pytest.raises(SearchFileError, match="not a search index file"):
        read(path, BUILT)
    assert not usable(path, BUILT)


def test_a_file_of_another_version_or_other_properties_is_refused(tmp_path: Path) -> None:
    _, path = _written(tmp_path)
    other = Built(GEO + "within", GEO + "status")
    with pytest.raises(SearchFileError, match="built along parent"):
        read(path, other)
    assert not usable(path, other)
    data = path.read_bytes()
    start = len(MAGIC) + 8
    end = start + int.from_bytes(data[len(MAGIC) : start], "little")
    head = json.loads(data[start:end])
    head["version"] = 0
    header = json.dumps(head).encode()
    path.write_bytes(MAGIC + len(header).to_bytes(8, "little") + header + data[end:])
    with pytest.raises(SearchFileError, match="format version 0"):
        read(path, BUILT)
    assert not usable(path, BUILT)
