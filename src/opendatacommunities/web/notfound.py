"""Helpful 404s: what the client may have meant, and where to search.

Codes get replaced (Glasgow City was S12000046 until 2018, now S12000049), people type codes
in lower case or paste a ``/doc/`` URL where an ``/id/`` IRI belongs. A 404 names what the
store knows: successors along ``dct:isReplacedBy``/``dct:replaces``, the same path as an
``/id/`` IRI or with its code in upper case, ``owl:sameAs`` resources, and links to whatever
mentions the IRI.
"""

from __future__ import annotations

from urllib.parse import quote

from opendatacommunities.errors import NotFoundError, Suggestion
from opendatacommunities.iris import IriSpace, local_name
from opendatacommunities.store import Reader
from opendatacommunities.web.words import Words

MAX_SUGGESTIONS = 10


def _candidates(reader: Reader, iris: IriSpace, iri: str) -> list[tuple[str, str]]:
    """(IRI, why) pairs of described resources the client may have meant."""
    found: list[tuple[str, str]] = []
    for successor in reader.successors(iri):
        found.append((successor, "replaced it"))
    for alternative in iris.alternatives(iri):
        found.append((alternative, "the same path"))
        found += [(s, "replaced that") for s in reader.successors(alternative)]
    for other in reader.same_as(iri):
        found.append((other, "the same thing"))
    described = [(c, why) for c, why in found if reader.is_subject(c)]
    return list(dict.fromkeys(described))[:MAX_SUGGESTIONS]


def not_found(reader: Reader, iris: IriSpace, iri: str) -> NotFoundError:
    """A ``NotFoundError`` for ``iri`` with every suggestion the store supports."""
    candidates = _candidates(reader, iris, iri)
    summaries, _ = reader.summaries(c for c, _ in candidates)
    words = Words(iris, summaries)
    suggestions = []
    for candidate, why in candidates:
        link = words.link(candidate)
        details = ", ".join(part for part in (link.kinds, link.notation, why) if part)
        suggestions.append(Suggestion(link.href or candidate, link.text, details))
    if reader.is_known(iri) and not reader.is_subject(iri):
        href = "/resource?uri=" + quote(iri, safe="")
        suggestions.append(Suggestion(href, "What links to it", "the store mentions it"))
    term = local_name(iri)
    suggestions.append(Suggestion("/search?q=" + quote(term, safe=""), f"Search for “{term}”"))
    detail = f"Nothing is published about {iri}."
    if len(suggestions) > 1:
        detail += " Did you mean one of these?"
    return NotFoundError(detail, suggestions=suggestions)
