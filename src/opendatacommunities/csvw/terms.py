"""RDF terms as N-Triples text.

The converter produces terms as N-Triples strings rather than term objects: joining strings is the
cheapest thing Python can do per cell, and N-Triples is what the store bulk-loads fastest.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from opendatacommunities.vocab import XSD_STRING

Triple = tuple[str, str, str]

_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LITERAL_UNSAFE = re.compile(r'[\\"\n\r]')
_LITERAL_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}


def iri(value: str) -> str:
    """Write an IRI as an N-Triples term, escaping the characters IRIREF forbids.

    >>> iri("http://example.org/a b")
    '<http://example.org/a%20b>'
    """
    if _IRI_UNSAFE.search(value):
        value = _IRI_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", value)
    return f"<{value}>"


def literal(lexical: str, datatype: str | None = None, language: str | None = None) -> str:
    """Write a literal as an N-Triples term.

    >>> literal('say "hi"', language="en")
    '"say \\\\"hi\\\\""@en'
    >>> from opendatacommunities.vocab import XSD
    >>> literal("1", XSD + "integer")
    '"1"^^<http://www.w3.org/2001/XMLSchema#integer>'
    """
    if _LITERAL_UNSAFE.search(lexical):
        lexical = _LITERAL_UNSAFE.sub(lambda m: _LITERAL_ESCAPES[m.group()], lexical)
    if language:
        return f'"{lexical}"@{language}'
    if datatype and datatype != XSD_STRING:
        return f'"{lexical}"^^<{datatype}>'
    return f'"{lexical}"'


class BlankNodes:
    """Mints blank node labels unique within one conversion.

    >>> nodes = BlankNodes()
    >>> nodes.new(), nodes.new()
    ('_:b0', '_:b1')
    """

    def __init__(self, prefix: str = "b") -> None:
        self._prefix = prefix
        self._counter: Iterator[int] = itertools.count()

    def new(self) -> str:
        """Return a fresh blank node term."""
        return f"_:{self._prefix}{next(self._counter)}"
