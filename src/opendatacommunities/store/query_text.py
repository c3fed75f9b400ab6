"""What a SPARQL query text asks for, read before it runs: the endpoints of its ``SERVICE``
clauses.

Oxigraph would send any ``SERVICE`` clause to its endpoint over HTTP, internal addresses
included, and echo the answer in its error messages; the public endpoint therefore refuses
every ``SERVICE`` whose endpoint is not allow-listed. The check reads the query as the
SPARQL grammar does: codepoint escapes (``\\u0053ERVICE``) are decoded first, as the parser
does (SPARQL 1.1 section 19.2), then comments, strings and IRIs are recognised as tokens so
that the word inside ``"...service..."`` or ``<http://example/service>`` is not taken for the
keyword, while a keyword can never hide inside them.

>>> service_endpoints("SELECT * { ?s ?p ?o }")
[]
>>> service_endpoints("PREFIX ex: <http://ex.org/> SELECT * { SERVICE SILENT ex:q {} }")
['http://ex.org/q']
>>> service_endpoints('SELECT * { ?s ?p "SERVICE <http://x>" } # service <http://y>')
[]
>>> service_endpoints("SELECT * { SERVICE ?where { ?s ?p ?o } }")
[None]
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<long>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
    | (?P<string>'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
    | (?P<pname>(?:[^\W\d_][\w.-]*)?:(?:[\w:%-](?:[\w.:%-]*[\w:%-])?)?)
    | (?P<word>[^\W\d][\w-]*)
    | (?P<other>\S)
    """,
    re.VERBOSE | re.UNICODE,
)


def decode_escapes(text: str) -> str:
    """Replace ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes, as SPARQL does before parsing.

    >>> decode_escapes(r"\\u0053ERVICE")
    'SERVICE'
    """

    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _ESCAPE.sub(replace, text) if "\\" in text else text


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind != "comment":
            tokens.append((kind, match.group(0)))
    return tokens


def service_endpoints(query: str, *, base_iri: str | None = None) -> list[str | None]:
    """The endpoint IRI of every ``SERVICE`` clause of ``query``, in order; None stands for
    an endpoint given by a variable (which no allow-list can vouch for).

    Prefixed names are expanded with the query's own ``PREFIX`` declarations; an undeclared
    prefix gives its text as written (Oxigraph rejects such a query anyway).
    """
    text = decode_escapes(query)
    if "service" not in text.lower():
        return []  # the keyword cannot appear at all: skip the tokenising
    tokens = _tokens(text)
    prefixes: dict[str, str] = {}
    base = base_iri or ""
    found: list[str | None] = []
    for index, (kind, value) in enumerate(tokens):
        upper = value.upper() if kind in ("word", "pname") else ""
        following = tokens[index + 1 : index + 4]
        if upper == "PREFIX" and len(following) >= 2 and following[1][0] == "iri":
            prefixes[following[0][1].rstrip(":")] = urljoin(base, following[1][1][1:-1])
        elif upper == "BASE" and following and following[0][0] == "iri":
            base = urljoin(base, following[0][1][1:-1])
        elif upper == "SERVICE":
            rest = (
                following[1:]
                if following[:1] and following[0][1].upper() == "SILENT"
                else following
            )
            found.append(_endpoint(rest[0] if rest else ("other", ""), prefixes, base))
    return found


def names_dataset(query: str) -> bool:
    """Whether ``query`` chooses its own dataset with ``FROM`` or ``FROM NAMED``.

    >>> names_dataset("SELECT * FROM <http://g> { ?s ?p ?o }")
    True
    >>> names_dataset('SELECT * { ?s ?p "from" }')
    False
    """
    text = decode_escapes(query)
    if "from" not in text.lower():
        return False
    return any(kind == "word" and value.upper() == "FROM" for kind, value in _tokens(text))


def _endpoint(token: tuple[str, str], prefixes: dict[str, str], base: str) -> str | None:
    kind, value = token
    if kind == "iri":
        return urljoin(base, value[1:-1])
    if kind == "pname":
        prefix, _, local = value.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else value
    return None
