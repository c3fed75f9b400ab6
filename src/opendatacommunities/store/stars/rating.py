"""Tim Berners-Lee's five-star rating of open data, from the evidence about one dataset.

The stars build on each other: a dataset has star *n* only when it has every star before it.
Each star is given with its reason in words, whether it is earned or not, so that a reader
sees why a dataset stops where it does.

>>> open_csv = Evidence(licences=("OGL",), open_licences=("OGL",), formats=("CSV",))
>>> rate(open_csv).stars
3
>>> rate(Evidence(formats=("CSV",))).each[0].reason
'no licence stated, so no first star'
"""

from __future__ import annotations

from dataclasses import dataclass

from opendatacommunities.store.stars.formats import describe_formats, kind_of

TITLES = (
    "open licence",
    "machine-readable",
    "open format",
    "URIs for things",
    "links to other data",
)


@dataclass(frozen=True)
class Link:
    """Where a dataset's data links out to: another dataset, or an official URI space, and
    how many distinct things there it names."""

    target: str
    count: int


@dataclass(frozen=True)
class Evidence:
    """What the store says about one dataset, as the rating needs it."""

    licences: tuple[str, ...] = ()
    """Its licences, by name."""
    open_licences: tuple[str, ...] = ()
    """Those of its licences known to be open, by name."""
    formats: tuple[str, ...] = ()
    """The formats of its downloads elsewhere, as their catalogue names them."""
    held_here: bool = False
    """Whether its triples are held by this site (and served in every RDF format)."""
    example_uri: str | None = None
    """One of its things, identified by an IRI under this site."""
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Star:
    """One star: its number, what it stands for, whether it is earned, and why."""

    number: int
    title: str
    earned: bool
    reason: str


@dataclass(frozen=True)
class Rating:
    """How many stars a dataset has, and each of the five with its reason."""

    stars: int
    each: tuple[Star, ...]


def _licence(evidence: Evidence) -> tuple[bool, str]:
    if evidence.open_licences:
        named = " and ".join(evidence.open_licences)
        several = len(evidence.open_licences) > 1
        return True, f"{named} {'are open licences' if several else 'is an open licence'}"
    if evidence.licences:
        named = ", ".join(evidence.licences)
        return False, f"the licence ({named}) is not one known to be open, so no first star"
    return False, "no licence stated, so no first star"


_HERE = "served by this site as RDF (Turtle, N-Triples, RDF/XML, JSON-LD) and CSV"


def _structured(evidence: Evidence) -> tuple[bool, str]:
    if evidence.held_here:
        return True, f"structured data, {_HERE}"
    found = [f for f in evidence.formats if kind_of(f).structured]
    if found:
        return True, f"downloads in structured formats: {describe_formats(found)}"
    if evidence.formats:
        listed = describe_formats(evidence.formats)
        return False, f"its downloads ({listed}) are not structured data"
    return False, "no downloads are listed"


def _open_format(evidence: Evidence) -> tuple[bool, str]:
    if evidence.held_here:
        return True, "RDF and CSV are open formats"
    found = [f for f in evidence.formats if kind_of(f).open]
    if found:
        return True, f"downloads in open formats: {describe_formats(found)}"
    return False, "no download is in an open, non-proprietary format"


def _uris(evidence: Evidence) -> tuple[bool, str]:
    if evidence.example_uri:
        return True, f"its things have URIs on this site, such as {evidence.example_uri}"
    rdf = [f for f in evidence.formats if kind_of(f).rdf]
    if rdf:
        return True, f"its RDF downloads ({describe_formats(rdf)}) identify things by URI"
    if evidence.held_here:
        return False, "none of its things has a URI on this site"
    return False, "its data is held elsewhere, with no RDF download: its things have no URIs"


def _links(evidence: Evidence) -> tuple[bool, str]:
    if evidence.links:
        parts = [f"{link.count:,} in {link.target}" for link in evidence.links]
        return True, "links to things in other data: " + "; ".join(parts)
    if evidence.held_here:
        return False, "its data links to no other dataset or official URI"
    return False, "its data is not held here, so no links out can be seen"


_TESTS = (_licence, _structured, _open_format, _uris, _links)


def rate(evidence: Evidence) -> Rating:
    """The five stars of a dataset with ``evidence``, cumulative, each with its reason.

    >>> ours = Evidence(("OGL",), ("OGL",), held_here=True, example_uri="http://x/id/a",
    ...                 links=(Link("Council areas", 3),))
    >>> [s.earned for s in rate(ours).each], rate(ours).stars
    ([True, True, True, True, True], 5)
    >>> unlicensed = rate(Evidence(held_here=True, example_uri="http://x/id/a"))
    >>> unlicensed.stars, unlicensed.each[2].reason
    (0, 'RDF and CSV are open formats; but the stars build on each other, and star 1 is not earned')
    """
    each: list[Star] = []
    missing: int | None = None
    for number, (title, test) in enumerate(zip(TITLES, _TESTS, strict=True), start=1):
        holds, reason = test(evidence)
        if holds and missing is not None:
            reason += f"; but the stars build on each other, and star {missing} is not earned"
        earned = holds and missing is None
        if not earned and missing is None:
            missing = number
        each.append(Star(number, title, earned, reason))
    return Rating(sum(s.earned for s in each), tuple(each))
