"""A SPARQL query's text as the grammar's terminals (SPARQL 1.1 section 19.8), read before it
runs: comments, strings, IRIs, variables, blank nodes, prefixed names (with their
``\\#``-style escapes and ``%`` codes), numbers, words and punctuation.

Codepoint escapes (``\\u0053``) are read where Oxigraph reads them, inside IRIs and strings
only: anywhere else Oxigraph takes them for a syntax error, so ``\\u0053ERVICE`` is not a
keyword to it. The readers of this module: ``names_dataset`` (does the query choose its
dataset with ``FROM``), ``query_shape`` (how deeply the query nests) and ``query_services``
(which reads ``SERVICE`` with a real parser, and with these tokens as a second opinion).

>>> [t.kind for t in tokens('SELECT * { ?s ex:a\\\\# "x" } # c')]
['word', 'other', 'other', 'var', 'pname', 'string', 'other']
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

# The character classes of the grammar's productions 164-169.
_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_U = _BASE + "_"
_CHARS = _U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PREFIX = f"(?:[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?)?"
_LOCAL = f"(?:(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?)?"
_EXPONENT = r"[eE][+-]?[0-9]+"

_TOKEN = re.compile(
    rf"""
      (?P<space>[\x20\t\r\n]+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<long>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''|\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\")
    | (?P<string>'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})*>)
    | (?P<var>[?$][{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*)
    | (?P<bnode>_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?)
    | (?P<pname>{_PREFIX}:{_LOCAL})
    | (?P<number>[0-9]+\.[0-9]*{_EXPONENT}|\.[0-9]+{_EXPONENT}|[0-9]+{_EXPONENT}
                 |[0-9]*\.[0-9]+|[0-9]+)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<other>&&|\|\||!=|<=|>=|\^\^|.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Token:
    """One terminal of the query: its kind (a group name of ``_TOKEN``) and its text."""

    kind: str
    text: str


def decode_escapes(text: str) -> str:
    """Replace ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes, as Oxigraph does in an IRI or a string.

    >>> decode_escapes(r"\\u0053ERVICE")
    'SERVICE'
    """

    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _ESCAPE.sub(replace, text) if "\\" in text else text


def tokens(text: str, *, layout: bool = False) -> Iterator[Token]:
    """The terminals of ``text``, and its white space and comments if ``layout``."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if layout or kind not in ("space", "comment"):
            yield Token(kind, match.group(0))


def names_dataset(query: str) -> bool:
    """Whether ``query`` chooses its own dataset with ``FROM`` or ``FROM NAMED``.

    >>> names_dataset("SELECT * FROM <http://g> { ?s ?p ?o }")
    True
    >>> names_dataset('SELECT * { ?s ?p "from" . ?s ex:a\\\\\\' ?o } # from')
    False
    """
    if "from" not in query.lower():
        return False
    return any(t.kind == "word" and t.text.upper() == "FROM" for t in tokens(query))


@dataclass(frozen=True, slots=True)
class PrefixUse:
    """A prefixed name in a query: its prefix, and where it starts (1-based line, column)."""

    prefix: str
    line: int
    column: int


def unknown_prefix(query: str, known: Collection[str]) -> PrefixUse | None:
    """The first prefixed name whose prefix is neither in ``known`` nor declared in the query.

    >>> unknown_prefix("PREFIX ex: <http://e/>\\nSELECT * { ?s ex:a foo:b }", {"rdf"})
    PrefixUse(prefix='foo', line=2, column=20)
    >>> unknown_prefix("SELECT * { ?s rdf:type 'foo:b' }", {"rdf"}) is None
    True
    """
    declared, declaring = set(known), False
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup
        if kind in ("space", "comment"):
            continue
        text = match.group(0)
        if kind == "pname":
            prefix = text.partition(":")[0]
            if declaring:
                declared.add(prefix)
            elif prefix not in declared:
                line = query.count("\n", 0, match.start()) + 1
                column = match.start() - (query.rfind("\n", 0, match.start()) + 1) + 1
                return PrefixUse(prefix, line, column)
        declaring = kind == "word" and text.upper() == "PREFIX"
    return None
