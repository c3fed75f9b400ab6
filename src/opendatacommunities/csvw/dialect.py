"""CSV dialects and reading tabular data (Model for Tabular Data §8).

The common dialects (one-character delimiter and quote, CRLF/LF line ends) are read with
Python's C ``csv`` reader for speed; a line source in front of it finds comment lines and counts
source rows the way the spec does. Anything else goes through :func:`split_records`, a direct
reading of the spec's algorithm.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import double_encoding  # noqa: F401  (registers the repairing codec)

Trim = bool | str


@dataclass(frozen=True)
class Dialect:
    """The parsing flags of §8, from a dialect description."""

    encoding: str = "utf-8"
    line_terminators: tuple[str, ...] = ("\r\n", "\n")
    quote_char: str | None = '"'
    double_quote: bool = True
    skip_rows: int = 0
    # The suite (and the working group's later reading) has no comment prefix by default:
    # a header cell such as "##0" is a title, not a comment.
    comment_prefix: str | None = None
    header_row_count: int = 1
    delimiter: str = ","
    skip_columns: int = 0
    skip_blank_rows: bool = False
    trim: Trim = True

    @property
    def escape_char(self) -> str | None:
        """The character escaping the quote inside quoted cells."""
        if self.quote_char is None:
            return None
        return self.quote_char if self.double_quote else "\\"


def read_dialect(description: dict[str, Any]) -> Dialect:
    """Build the flags from a normalised dialect description.

    >>> read_dialect({"header": False, "delimiter": "\\t"}).header_row_count
    0
    """
    d = description
    header_rows = d.get("headerRowCount", 1 if d.get("header", True) else 0)
    trim: Trim = d["trim"] if "trim" in d else ("start" if d.get("skipInitialSpace") else True)
    if "trim" not in d and "skipInitialSpace" in d and not d["skipInitialSpace"]:
        trim = False
    return Dialect(
        encoding=d.get("encoding", "utf-8"),
        line_terminators=tuple(d.get("lineTerminators", ("\r\n", "\n"))),
        quote_char=d.get("quoteChar", '"'),
        double_quote=d.get("doubleQuote", True),
        skip_rows=d.get("skipRows", 0),
        comment_prefix=d.get("commentPrefix"),
        header_row_count=header_rows,
        delimiter=d.get("delimiter", ","),
        skip_columns=d.get("skipColumns", 0),
        skip_blank_rows=d.get("skipBlankRows", False),
        trim=trim,
    )


@dataclass
class Header:
    """What the rows before the data say: titles per column and comment lines."""

    titles: list[list[str]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    width: int = 0


Record = tuple[int, str, list[str] | None]  # source row number, raw content, cells (None: comment)


def open_text(path: Path, dialect: Dialect) -> Iterator[str]:
    """Read a file as lines of text in the dialect's encoding, dropping a byte-order mark."""
    encoding = codecs.lookup(dialect.encoding).name
    if encoding == "utf-8":
        encoding = "utf-8-sig"
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        yield from handle


def _is_standard(dialect: Dialect) -> bool:
    return (
        len(dialect.delimiter) == 1
        and (dialect.quote_char is None or len(dialect.quote_char) == 1)
        and set(dialect.line_terminators) <= {"\r\n", "\n", "\r"}
    )


def read_records(lines: Iterable[str], dialect: Dialect) -> Iterator[Record]:
    """Split text into records: each source row with its raw content and its parsed cells."""
    if _is_standard(dialect):
        yield from _csv_records(lines, dialect)
    else:
        yield from split_records("".join(lines), dialect)


def _csv_records(lines: Iterable[str], dialect: Dialect) -> Iterator[Record]:
    source = _RecordLines(lines, dialect)
    reader = csv.reader(
        source,
        delimiter=dialect.delimiter,
        quotechar=dialect.quote_char or '"',
        quoting=csv.QUOTE_MINIMAL if dialect.quote_char else csv.QUOTE_NONE,
        doublequote=dialect.double_quote,
        escapechar=None if dialect.double_quote else "\\",
        strict=False,
    )
    for cells in reader:
        for comment in source.take_comments():
            yield comment
        source.number += 1
        yield source.number, source.last, cells or [""]
    for comment in source.take_comments():
        yield comment


class _RecordLines:
    """Feeds lines to the csv reader, taking out comment lines found at record starts."""

    def __init__(self, lines: Iterable[str], dialect: Dialect) -> None:
        self._lines = iter(lines)
        self._prefix = dialect.comment_prefix
        self._quote = dialect.quote_char
        self._inside = False
        self._comments: list[Record] = []
        self.number = 0
        self.last = ""

    def __iter__(self) -> _RecordLines:
        return self

    def __next__(self) -> str:
        for line in self._lines:
            if not self._inside and self._prefix and line.startswith(self._prefix):
                self.number += 1
                content = line.rstrip("\r\n")[len(self._prefix) :]
                self._comments.append((self.number, content, None))
                continue
            if not self._inside:
                self.last = line.rstrip("\r\n")
            if self._quote and line.count(self._quote) % 2:
                self._inside = not self._inside
            return line
        raise StopIteration

    def take_comments(self) -> list[Record]:
        comments, self._comments = self._comments, []
        return comments


def split_records(text: str, dialect: Dialect) -> Iterator[Record]:
    """The spec's own row and cell splitting, for dialects the csv module cannot read."""
    number, position = 0, 0
    while position < len(text):
        content, position = _read_row(text, position, dialect)
        number += 1
        prefix = dialect.comment_prefix
        if prefix and content.startswith(prefix):
            yield number, content[len(prefix) :], None
        else:
            yield number, content, _parse_row(content, dialect)


def _read_row(text: str, start: int, dialect: Dialect) -> tuple[str, int]:
    quote, escape = dialect.quote_char, dialect.escape_char
    i, inside = start, False
    while i < len(text):
        if escape and quote and text.startswith(escape + quote, i) and (inside or escape != quote):
            i += len(escape) + len(quote)
        elif escape and escape != quote and text.startswith(escape, i):
            i += len(escape) + 1
        elif quote and text.startswith(quote, i):
            inside, i = not inside, i + len(quote)
        elif not inside and (end := _terminator_at(text, i, dialect)):
            return text[start:i], i + end
        else:
            i += 1
    return text[start:i], i


def _terminator_at(text: str, i: int, dialect: Dialect) -> int:
    for terminator in dialect.line_terminators:
        if text.startswith(terminator, i):
            return len(terminator)
    return 0


def _parse_row(content: str, dialect: Dialect) -> list[str]:
    quote, escape, delimiter = dialect.quote_char, dialect.escape_char, dialect.delimiter
    cells: list[str] = []
    current: list[str] = []
    i, quoted = 0, False
    while i < len(content):
        if (
            escape
            and quote
            and content.startswith(escape + quote, i)
            and (quoted or escape != quote)
        ):
            current.append(quote)
            i += len(escape) + len(quote)
        elif escape and escape != quote and content.startswith(escape, i):
            current.append(content[i + len(escape) : i + len(escape) + 1])
            i += len(escape) + 1
        elif quote and content.startswith(quote, i):
            quoted, i = not quoted, i + len(quote)
        elif not quoted and content.startswith(delimiter, i):
            cells.append("".join(current))
            current, i = [], i + len(delimiter)
        else:
            current.append(content[i])
            i += 1
    cells.append("".join(current))
    return cells


def trim_cell(value: str, trim: Trim) -> str:
    """Conditionally trim a cell value (§8).

    >>> trim_cell("  a ", "start"), trim_cell("  a ", True), trim_cell(" a ", False)
    ('a ', 'a', ' a ')
    """
    if trim is True or trim == "true":
        return value.strip()
    if trim == "start":
        return value.lstrip()
    if trim == "end":
        return value.rstrip()
    return value
