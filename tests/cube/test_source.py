"""Reading a cube's source CSV: the quirks of the real files (a byte order mark, CRLF line
ends, blank lines, another encoding) read cleanly; a row of the wrong width or bytes that
are not text stop the reading with one error naming the file, row, column and value."""

from __future__ import annotations

from pathlib import Path

import pytest

from opendatacommunities.cube.source import table_rows
from opendatacommunities.errors import SourceError


def _csv(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "source.csv"
    path.write_bytes(data)
    return path


def test_header_then_rows_with_their_line_numbers(tmp_path: Path) -> None:
    """A BOM is not part of the first column's name; CRLF ends lines; a quoted cell may hold
    a line break (the next row's number counts it); blank lines are no rows."""
    path = _csv(
        tmp_path,
        b'\xef\xbb\xbfcode,name,people\r\nS12000049,Glasgow City,"29,199"\r\n\r\n'
        b'S12000046,"Glasgow\r\n(old)",*\r\n',
    )
    assert list(table_rows(path, "utf-8")) == [
        (1, ["code", "name", "people"]),
        (2, ["S12000049", "Glasgow City", "29,199"]),
        (5, ["S12000046", "Glasgow\r\n(old)", "*"]),
    ]


def test_another_encoding_is_read_as_declared(tmp_path: Path) -> None:
    path = _csv(tmp_path, "code,name\nW06000001,Ynys Môn\n".encode("latin-1"))
    assert list(table_rows(path, "latin-1"))[1] == (2, ["W06000001", "Ynys Môn"])


def test_a_short_row_names_its_first_missing_cell(tmp_path: Path) -> None:
    path = _csv(tmp_path, b"code,name,people\nS1,Glasgow,5\nS2,Edinburgh\n")
    with pytest.raises(SourceError) as stopped:
        list(table_rows(path, "utf-8"))
    assert str(stopped.value) == (
        f'{path}:3:people (column "people", the 3rd): '
        "the row has 2 cells but the header has 3 columns"
    )


def test_a_long_row_names_its_first_extra_cell_and_value(tmp_path: Path) -> None:
    path = _csv(tmp_path, b"code,people\nS1,5\nS2,29,199\n")
    with pytest.raises(SourceError) as stopped:
        list(table_rows(path, "utf-8"))
    error = stopped.value
    assert (error.row, error.index, error.value) == (3, 3, "199")
    assert "the row has 3 cells but the header has 2 columns" in str(error)


def test_bytes_not_in_the_encoding_name_the_line_and_cell(tmp_path: Path) -> None:
    """Found on its own line even far into the file, past the reader's first block."""
    rows = b"".join(b"S%07d,Area %d\n" % (n, n) for n in range(5000))
    path = _csv(tmp_path, b"code,name\n" + rows + b"S9999999,Caf\xe9 Quarter\n")
    with pytest.raises(SourceError) as stopped:
        list(table_rows(path, "utf-8"))
    error = stopped.value
    assert (error.row, error.column, error.index) == (5002, "name", 2)
    assert error.value == "Caf\ufffd Quarter"
    assert "not utf-8 text (0xe9)" in error.message
    assert 'give the file\'s "encoding" in the cube description' in error.message


def test_a_file_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    with pytest.raises(SourceError) as stopped:
        list(table_rows(missing, "utf-8"))
    assert str(stopped.value) == f"{missing}: cannot read the table (No such file or directory)"
