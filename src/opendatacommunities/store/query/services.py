"""Which endpoints a SPARQL query's ``SERVICE`` clauses call, decided from the parsed query.

Oxigraph sends a ``SERVICE`` clause to its endpoint over HTTP, internal addresses included,
and returns the answer; it offers no way to turn that off. The public endpoint therefore
refuses every ``SERVICE`` whose endpoint is not allow-listed, and decides so from what a real
SPARQL parser reads: rdflib's grammar, whose parse tree holds every ``ServiceGraphPattern``
wherever it is nested (OPTIONAL, UNION, GRAPH, sub-SELECT, EXISTS ...). Two readings must
agree before a query runs, so that a difference between rdflib's grammar and Oxigraph's
cannot open a way through:

* rdflib's parse tree, whenever the text contains the letters ``service`` in any case (with
  escapes decoded or not): without them no spelling of the keyword exists, Oxigraph reading
  keywords ASCII case-insensitively and never through escapes. A query rdflib cannot parse is
  then refused, not run. rdflib is given the text with each codepoint escape replaced by a
  letter: Oxigraph decodes escapes only inside IRIs and strings, where a decoded character
  never ends the token, whereas rdflib decodes them everywhere first (so an escaped quote
  would end its string early); and with ``\\r`` ending a comment, as in Oxigraph;
* the query's terminals (``query_text``): every word or prefix containing ``service`` is a
  ``SERVICE`` clause, recognised or refused.

An allow-listed endpoint must be written as an absolute IRI without escapes (directly, or by
a prefix bound to one): resolving a relative one against a base is where two parsers might
part ways.

>>> check_services("SELECT * { ?s ?p 'customer service' }", ())
>>> check_services("PREFIX : <http://127.0.0.1:9/> SELECT * { SERVICE:x {} }", ())
Traceback (most recent call last):
...
opendatacommunities.errors.ServiceRefusedError: SERVICE ...
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef, Variable

from opendatacommunities.errors import ServiceRefusedError
from opendatacommunities.store.query.text import Token, decode_escapes, tokens
from opendatacommunities.vocab import PREFIXES

_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_ESCAPE = re.compile(r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}")
#: pyparsing keeps its memo tables in globals: one parse at a time.
_PARSING = threading.Lock()


@dataclass(frozen=True)
class ServiceCall:
    """One ``SERVICE`` clause: its endpoint as written (prefix expanded), or None when it
    is a variable or could not be read; ``shown`` is how a message names it."""

    endpoint: str | None
    shown: str


def service_calls(query: str, prefixes: Mapping[str, str] = PREFIXES) -> list[ServiceCall]:
    """Every ``SERVICE`` clause of ``query``, by either reading (see the module's doc), with
    ``prefixes`` declared before the query's own declarations, as the engine reads them.

    :raises ServiceRefusedError: the text could hold ``SERVICE`` and does not parse.

    >>> [c.endpoint for c in service_calls("SELECT * { SERVICE SILENT <http://e/q> {} }")]
    ['http://e/q', 'http://e/q']
    """
    if "service" not in decode_escapes(query).lower():
        return []
    return _parsed_calls(query, prefixes) + _lexed_calls(query, prefixes)


def check_services(
    query: str, allowed: tuple[str, ...], prefixes: Mapping[str, str] = PREFIXES
) -> None:
    """Refuse ``query`` unless every ``SERVICE`` clause calls an endpoint in ``allowed``,
    reading its prefixed names with ``prefixes`` undeclared (``query_prefixes``).

    :raises ServiceRefusedError: naming the first endpoint refused.
    """
    for call in service_calls(query, prefixes):
        endpoint = call.endpoint
        if endpoint is None or endpoint not in allowed or not _ABSOLUTE.match(endpoint):
            permitted = ", ".join(f"<{e}>" for e in allowed) or "none"
            raise ServiceRefusedError(
                f"SERVICE {call.shown} is not allowed: this endpoint makes no requests to "
                f"other sites except to allow-listed endpoints, written as absolute IRIs "
                f"({permitted})."
            )


def _parsed_calls(query: str, common: Mapping[str, str]) -> list[ServiceCall]:
    text = _ESCAPE.sub("x", query).replace("\r", "\n")  # see the module's doc
    try:
        with _PARSING:
            tree = parseQuery(text)
    except Exception as exc:  # ParseException, RecursionError, ValueError: all refused
        raise ServiceRefusedError(
            "This query is not allowed: it may hold a SERVICE clause, and could not be read "
            f"to check it ({type(exc).__name__}: {str(exc)[:200]}). This endpoint makes no "
            "requests to other sites except to allow-listed endpoints."
        ) from None
    prefixes = dict(common)  # the query's own declarations win, as in the engine
    for declaration in tree[0]:
        if declaration.name == "PrefixDecl":
            prefixes[declaration.get("prefix") or ""] = str(declaration["iri"])
    return [_parsed_call(node["term"], prefixes) for node in _services(tree)]


def _services(tree: object) -> Iterator[CompValue]:
    """Every ``ServiceGraphPattern`` node in the parse tree, without recursion."""
    pending = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                yield node
            pending.extend(node.values())
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            pending.extend(node)  # type: ignore[arg-type]


def _parsed_call(term: object, prefixes: dict[str, str]) -> ServiceCall:
    if isinstance(term, Variable):
        return ServiceCall(None, "an endpoint given by a variable")
    if isinstance(term, URIRef):
        return ServiceCall(str(term), f"<{term}>")
    if isinstance(term, CompValue) and term.name == "pname":
        prefix, local = term.get("prefix") or "", term.get("localname") or ""
        if prefix in prefixes:
            return ServiceCall(prefixes[prefix] + local, f"<{prefixes[prefix] + local}>")
        return ServiceCall(None, f"{prefix}:{local}")
    return ServiceCall(None, "an endpoint that could not be read")


def _lexed_calls(text: str, common: Mapping[str, str]) -> list[ServiceCall]:
    terminals = list(tokens(text))
    prefixes = dict(common)
    found: list[ServiceCall] = []
    for index, token in enumerate(terminals):
        following = terminals[index + 1 : index + 4]
        if token.kind == "word" and token.text.upper() == "PREFIX":
            _declare(following, prefixes)
        if token.kind == "word" and token.text.upper() == "SERVICE":
            found.append(_lexed_call(following, prefixes))
        elif "service" in _keyword_part(token).lower():
            # SERVICE glued to what follows (SERVICE:x, SERVICESILENT, trueSERVICE ...)
            found.append(ServiceCall(None, f"in '{token.text}'"))
    return found


def _keyword_part(token: Token) -> str:
    """Where a keyword could hide in ``token``: a word, or a prefixed name's prefix."""
    if token.kind == "word":
        return token.text
    if token.kind == "pname":
        return token.text.partition(":")[0]
    return ""


def _declare(following: list[Token], prefixes: dict[str, str]) -> None:
    if len(following) >= 2 and following[0].kind == "pname" and following[1].kind == "iri":
        prefixes[following[0].text.partition(":")[0]] = decode_escapes(following[1].text[1:-1])


def _lexed_call(following: list[Token], prefixes: dict[str, str]) -> ServiceCall:
    if following and following[0].kind == "word" and following[0].text.upper() == "SILENT":
        following = following[1:]
    target = following[0] if following else Token("other", "")
    if target.kind == "iri":
        return ServiceCall(decode_escapes(target.text[1:-1]), target.text)
    if target.kind == "pname":
        prefix, _, local = target.text.partition(":")
        if prefix in prefixes:
            return ServiceCall(prefixes[prefix] + local, f"<{prefixes[prefix] + local}>")
        return ServiceCall(None, target.text)
    if target.kind == "var":
        return ServiceCall(None, "an endpoint given by a variable")
    return ServiceCall(None, "an endpoint that could not be read")
