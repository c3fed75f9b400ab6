"""The prefixes a SPARQL query may use without declaring them: the site's common prefixes
(``vocab.common_prefixes``: the usual vocabularies and the site's own namespaces under its
base IRI), read alike by the engine (``worker``), the ``SERVICE`` check (``services``) and the
message for a prefix that is neither common nor declared.

A query's own ``PREFIX`` declaration wins over a common prefix of the same name.

>>> prefixes = query_prefixes("http://h")
>>> prefixes["qb"], prefixes["geography"]
('http://purl.org/linked-data/cube#', 'http://h/def/geography/')
>>> message = syntax_message("SELECT * { ?s foo:b ?o }", "error at 1:20: Prefix not found", {})
>>> message.startswith("error at 1:15: unknown prefix 'foo:': declare it (PREFIX foo: <...>)")
True
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from opendatacommunities.store.query.text import unknown_prefix
from opendatacommunities.vocab import PREFIXES, common_prefixes

_UNDECLARED = "Prefix not found"
"""What Oxigraph's parser says of a prefixed name whose prefix it does not know."""


@lru_cache(maxsize=16)
def query_prefixes(site: str | None) -> Mapping[str, str]:
    """Prefix name -> namespace, for every query on the site whose base IRI is ``site``
    (None: the common vocabularies alone)."""
    return MappingProxyType(common_prefixes(site) if site else dict(PREFIXES))


def syntax_message(query: str, message: str, prefixes: Mapping[str, str]) -> str:
    """The engine's syntax error ``message`` about ``query`` (run with ``prefixes``); when it
    is about an undeclared prefix, one naming the prefix, where it is used, and the prefixes
    that need no declaration."""
    if _UNDECLARED not in message:
        return message
    use = unknown_prefix(query, prefixes)
    if use is None:
        return message
    common = ", ".join(f"{name}:" for name in sorted(prefixes))
    return (
        f"error at {use.line}:{use.column}: unknown prefix '{use.prefix}:': declare it "
        f"(PREFIX {use.prefix}: <...>) or use a common prefix, which needs no declaration: "
        f"{common}"
    )
