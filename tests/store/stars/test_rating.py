"""The five-star rating as a pure function of its evidence: cumulative, each star with its
reason, formats judged by name or media type in any case."""

from __future__ import annotations

import pytest

from opendatacommunities.store.stars import Evidence, Link, rate
from opendatacommunities.store.stars.formats import kind_of

OGL = "Open Government Licence v3.0"
OURS = Evidence((OGL,), (OGL,), held_here=True, example_uri="http://x/id/a")


@pytest.mark.parametrize(
    ("evidence", "stars"),
    [
        (Evidence(), 0),
        (Evidence((OGL,), (OGL,)), 1),
        (Evidence((OGL,), (OGL,), formats=("PDF", "Web page")), 1),
        (Evidence((OGL,), (OGL,), formats=("XLS",)), 2),
        (Evidence((OGL,), (OGL,), formats=("xls", "text/csv")), 3),
        (Evidence((OGL,), (OGL,), formats=("Turtle",)), 4),
        (OURS, 4),
        (Evidence(**{**OURS.__dict__, "links": (Link("Areas", 1),)}), 5),
        # Links and URIs without a licence earn nothing: the stars build on each other.
        (Evidence(held_here=True, example_uri="http://x/id/a", links=(Link("Areas", 1),)), 0),
        (Evidence(("Closed",), (), formats=("CSV",)), 0),
    ],
)
def test_stars_are_cumulative(evidence: Evidence, stars: int) -> None:
    rating = rate(evidence)
    assert rating.stars == stars
    assert [s.earned for s in rating.each] == [n < stars for n in range(5)]
    assert [s.number for s in rating.each] == [1, 2, 3, 4, 5]


def test_every_star_has_a_reason_earned_or_not() -> None:
    rating = rate(Evidence(formats=("CSV",)))
    reasons = [s.reason for s in rating.each]
    assert reasons[0] == "no licence stated, so no first star"
    assert reasons[1] == (
        "downloads in structured formats: CSV; but the stars build on each other, "
        "and star 1 is not earned"
    )
    assert all(reasons)


def test_links_name_their_targets_with_counts() -> None:
    links = (Link("Council areas", 1234), Link("statistics.gov.scot", 3))
    evidence = Evidence(**{**OURS.__dict__, "links": links})
    assert rate(evidence).each[4].reason == (
        "links to things in other data: 1,234 in Council areas; 3 in statistics.gov.scot"
    )
    assert rate(OURS).each[4].reason == "its data links to no other dataset or official URI"


@pytest.mark.parametrize(
    ("name", "structured", "is_open", "rdf"),
    [
        ("CSV", True, True, False),
        (" GeoJSON ", True, True, False),
        ("application/ld+json", True, True, True),
        ("XLSX", True, False, False),
        ("ArcGIS GeoService", True, False, False),
        ("OGC WMS", False, False, False),
        ("ZIP", False, False, False),
        ("PDF", False, False, False),
    ],
)
def test_formats(name: str, structured: bool, is_open: bool, rdf: bool) -> None:
    kind = kind_of(name)
    assert (kind.structured, kind.open, kind.rdf) == (structured, is_open, rdf)
