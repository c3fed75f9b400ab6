"""Reading a cube's source CSV: text in its encoding, every row as wide as the header.

A row with fewer or more cells than the header, or bytes that are not text in the file's
encoding, stop the reading with an error naming the row and column.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path

from opendatacommunities.errors import SourceError

Row = tuple[int, list[str]]
"""A row's line number and its cells."""


def table_rows(path: Path, encoding: str) -> Iterator[Row]:
    """The header (first), then each non-blank row, with its line number.

    :raises SourceError: a row of another width than the header; bytes not in ``encoding``;
        a file that cannot be read.
    """
    # utf-8-sig: a byte order mark (the IoD files have one) is not part of the header.
    codec = "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding
    names: list[str] | None = None
    try:
        with path.open(encoding=codec, newline="") as handle:
            reader = csv.reader(handle)
            for cells in reader:
                if names is None:
                    names = cells
                elif not cells:
                    continue  # a blank line is no row
                else:
                    _check_width(path, cells, names, reader.line_num)
                yield reader.line_num, cells
    except UnicodeDecodeError:
        raise _undecodable(path, encoding, codec) from None
    except OSError as error:
        raise SourceError(f"cannot read the table ({error.strerror})", file=str(path)) from None


def _check_width(path: Path, cells: list[str], names: list[str], line: int) -> None:
    """A row has one cell per column of the header, no fewer, no more."""
    if len(cells) == len(names):
        return
    message = f"the row has {len(cells)} cells but the header has {len(names)} columns"
    file = str(path)
    if len(cells) < len(names):
        # Named by the first missing cell, which has no value.
        index = len(cells) + 1
        raise SourceError(message, file=file, row=line, column=names[index - 1], index=index)
    extra = len(names)  # the first cell beyond the header
    raise SourceError(message, file=file, row=line, index=extra + 1, value=cells[extra])


def _undecodable(path: Path, encoding: str, codec: str) -> SourceError:
    """The first line holding bytes that are not ``codec`` text, and the cell they are in.

    The reader decodes in blocks, so the line it was at when decoding failed may be an
    earlier one: the file is read again, line by line, to find the first bad bytes.
    """
    message = f"not {encoding} text"
    advice = 'give the file\'s "encoding" in the cube description'
    decoder = codecs.getincrementaldecoder(codec)()
    names: list[str] = []
    with path.open("rb") as handle:
        for line, raw in enumerate(handle, start=1):
            text = raw.decode(codec, errors="replace").rstrip("\r\n")
            cells = next(csv.reader([text]), [])
            names = names or cells  # the header, as well as it reads
            try:
                decoder.decode(raw)
            except UnicodeDecodeError as error:
                bad = " ".join(f"0x{byte:02x}" for byte in raw[error.start : error.end])
                index = next((i for i, c in enumerate(cells, 1) if "\ufffd" in c), None)
                column = names[index - 1] if index is not None and index <= len(names) else None
                value = cells[index - 1] if index is not None else None
                found = f"{message} ({bad}): {advice}"
                return SourceError(
                    found, file=str(path), row=line, column=column, index=index, value=value
                )
    return SourceError(f"{message}: {advice}", file=str(path))
