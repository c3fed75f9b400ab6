"""A query from ``/sparql`` as a remote engine is sent it, and the engine's answer as the
client is sent it.

A release sits on the engine under graph names of its own (``store.remote.layout``): the
site's graph ``G`` of release ``R`` is ``urn:odc:release:R:G``. The query the client wrote
names ``G``; the engine must read ``urn:odc:release:R:G``, and the answer must say ``G``
again. Both ways the change is made on the terminals of the text (``text.tokens``), never by
a search through it: only an IRI, or a prefixed name, that names one of the release's graphs
after ``GRAPH``, ``FROM`` or ``FROM NAMED`` is renamed. The engine knows none of the site's
common prefixes either: those the query uses without declaring them are declared before it.

>>> graphs = {"http://h/graph/a": "urn:odc:release:R:http://h/graph/a"}
>>> common = {"graph": "http://h/graph/", "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
>>> print(engine_query("SELECT * { GRAPH graph:a { graph:a rdfs:label ?o } }", graphs, common))
PREFIX graph: <http://h/graph/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT * { GRAPH <urn:odc:release:R:http://h/graph/a> { graph:a rdfs:label ?o } }
"""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator, AsyncIterator, Mapping

from opendatacommunities.store.query.text import Token, decode_escapes, tokens

#: The words a graph's name follows: only there is an IRI renamed (the same IRI as a subject
#: or an object is the resource, not the graph).
_GRAPH_KEYWORDS = frozenset({"GRAPH", "FROM", "NAMED"})
_PLX_ESCAPE = re.compile(r"\\([_~.\-!$&'()*+,;=/?#@%])")


def declared_prefixes(query: str) -> dict[str, str]:
    """The ``PREFIX name: <iri>`` declarations of ``query``, name -> namespace.

    >>> declared_prefixes("PREFIX ex: <http://e/>\\nprefix : <http://d/> ASK {}")
    {'ex': 'http://e/', '': 'http://d/'}
    """
    found: dict[str, str] = {}
    terms = list(tokens(query))
    for keyword, name, iri in zip(terms, terms[1:], terms[2:], strict=False):
        is_prefix = keyword.kind == "word" and keyword.text.upper() == "PREFIX"
        if is_prefix and name.text.endswith(":") and iri.kind == "iri":
            found[name.text[:-1]] = decode_escapes(iri.text[1:-1])
    return found


def _expanded(token: Token, prefixes: Mapping[str, str]) -> str | None:
    """The absolute IRI an IRI token or a prefixed name stands for, if known."""
    if token.kind == "iri":
        return decode_escapes(token.text[1:-1])
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + _PLX_ESCAPE.sub(r"\1", local)
    return None


def engine_query(query: str, graphs: Mapping[str, str], common: Mapping[str, str]) -> str:
    """``query`` as the engine reads it: every IRI or prefixed name naming a key of ``graphs``
    replaced by its value (the engine's name for it), and the ``common`` prefixes it uses
    undeclared declared first (a declaration of its own wins)."""
    own = declared_prefixes(query)
    prefixes = {**common, **own}
    used: set[str] = set()
    parts: list[str] = []
    previous = ""
    for token in tokens(query, layout=True):
        iri = _expanded(token, prefixes) if previous in _GRAPH_KEYWORDS else None
        if token.kind not in ("space", "comment"):
            previous = token.text.upper() if token.kind == "word" else ""
        if iri is not None and iri in graphs:
            parts.append(f"<{graphs[iri]}>")
            continue
        if token.kind == "pname":
            used.add(token.text.partition(":")[0])
        parts.append(token.text)
    declarations = [
        f"PREFIX {name}: <{common[name]}>\n"
        for name in sorted(used)
        if name in common and name not in own
    ]
    return "".join(declarations) + "".join(parts)


async def renamed(chunks: AsyncIterator[bytes], prefix: bytes) -> AsyncGenerator[bytes, None]:
    """``chunks`` with every ``prefix`` removed (the engine's graph names back to the site's),
    also where one is split between two chunks.

    A graph name is written as it is in every results format (JSON, XML, CSV, TSV, N-Triples,
    N-Quads, Turtle's ``<...>``): ``urn:odc:release:R:`` has no character any of them escapes.
    """
    held = b""
    async for chunk in chunks:
        data = (held + chunk).replace(prefix, b"")
        # Keep back what could be the start of a prefix that the next chunk completes.
        keep = _partial_suffix(data, prefix)
        held = data[len(data) - keep :] if keep else b""
        if len(data) > keep:
            yield data[: len(data) - keep]
    if held:
        yield held


def _partial_suffix(data: bytes, prefix: bytes) -> int:
    """The length of the longest end of ``data`` that begins ``prefix`` (shorter than it).

    >>> _partial_suffix(b"abc urn:od", b"urn:odc:"), _partial_suffix(b"abc", b"urn:")
    (6, 0)
    """
    for size in range(min(len(prefix) - 1, len(data)), 0, -1):
        if prefix.startswith(data[-size:]):
            return size
    return 0
