"""The prefixes a SPARQL query may use without declaring them: the site's one table of
common prefixes, read alike by the engine (``worker``), the ``SERVICE`` check (``services``)
and the message for a prefix that is neither common nor declared.

A query's own ``PREFIX`` declaration wins over a common prefix of the same name.

>>> message = syntax_message("SELECT * { ?s foo:b ?o }", "error at 1:20: Prefix not found")
>>> message.startswith("error at 1:15: unknown prefix 'foo:': declare it (PREFIX foo: <...>)")
True
"""

from __future__ import annotations

from collections.abc import Mapping

from opendatacommunities.iris import PREFIXES
from opendatacommunities.store.query.text import unknown_prefix

COMMON_PREFIXES: Mapping[str, str] = PREFIXES
"""Prefix name -> namespace, for every query the endpoint runs."""
_UNDECLARED = "Prefix not found"
"""What Oxigraph's parser says of a prefixed name whose prefix it does not know."""


def syntax_message(query: str, message: str) -> str:
    """The engine's syntax error ``message`` about ``query``; when it is about an undeclared
    prefix, one naming the prefix, where it is used, and the prefixes that need no
    declaration."""
    if _UNDECLARED not in message:
        return message
    use = unknown_prefix(query, COMMON_PREFIXES)
    if use is None:
        return message
    common = ", ".join(f"{name}:" for name in sorted(COMMON_PREFIXES))
    return (
        f"error at {use.line}:{use.column}: unknown prefix '{use.prefix}:': declare it "
        f"(PREFIX {use.prefix}: <...>) or use a common prefix, which needs no declaration: "
        f"{common}"
    )
