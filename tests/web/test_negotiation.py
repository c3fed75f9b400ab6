"""Content negotiation: q-values, wildcards, specificity, suffixes, and the 406 case."""

from __future__ import annotations

import pytest

from opendatacommunities.formats import (
    CSV,
    ERROR_FORMATS,
    HTML,
    JSON,
    JSON_LD,
    NTRIPLES,
    PROBLEM_JSON,
    RDF_XML,
    RESOURCE_FORMATS,
    TURTLE,
    WebFormat,
)
from opendatacommunities.web.negotiation import (
    describe_offer,
    negotiate,
    parse_accept,
    split_suffix,
)

FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
CHROME = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
)
RDFLIB_DEFAULT = (
    "application/rdf+xml, text/n3, text/turtle, application/n-triples, application/ld+json, "
    "application/n-quads, application/trix, application/trig"
)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, TURTLE),
        ("", TURTLE),
        ("*/*", TURTLE),
        (FIREFOX, HTML),
        (CHROME, HTML),
        ("application/xhtml+xml", HTML),
        ("text/turtle", TURTLE),
        ("application/x-turtle", TURTLE),
        ("application/n-triples", NTRIPLES),
        ("text/plain, */*;q=0.1", NTRIPLES),  # rdflib, format="nt"
        ("application/rdf+xml, */*;q=0.1", RDF_XML),
        ("application/ld+json, application/json;q=0.9, */*;q=0.1", JSON_LD),
        ("application/json", JSON),
        ("text/csv", CSV),
        (RDFLIB_DEFAULT, TURTLE),  # ties go to our preference
        ("text/html;q=0.5, text/turtle;q=0.9", TURTLE),
        ("text/*", TURTLE),
        ("text/*;q=0.5, text/html", HTML),
        # The most specific range decides: text/turtle is refused even though text/* is not.
        ("text/*, text/turtle;q=0", HTML),
        ("TEXT/HTML", HTML),
        ("text/html; level=1", HTML),
        ("application/rdf+xml;q=0.5, text/turtle;q=oops", RDF_XML),  # a broken q is skipped
    ],
)
def test_negotiate(accept: str | None, expected: WebFormat) -> None:
    assert negotiate(accept) == expected


@pytest.mark.parametrize("accept", ["image/png", "text/turtle;q=0", "application/pdf, image/*"])
def test_nothing_acceptable(accept: str) -> None:
    assert negotiate(accept) is None


def test_garbage_accept_is_treated_as_absent() -> None:
    assert negotiate("no slash here, ;;;") is TURTLE


def test_error_formats_prefer_problem_details() -> None:
    assert negotiate("*/*", ERROR_FORMATS) is PROBLEM_JSON
    assert negotiate(FIREFOX, ERROR_FORMATS) is HTML
    assert negotiate("application/json", ERROR_FORMATS) is PROBLEM_JSON
    assert negotiate("application/problem+json", ERROR_FORMATS) is PROBLEM_JSON
    assert negotiate("text/turtle", ERROR_FORMATS) is None


def test_parse_accept_specificity_and_q() -> None:
    ranges = parse_accept("*/*;q=0.1, text/*;q=0.2, text/html, text/html;level=1;q=0.4")
    assert [(r.type, r.subtype, r.q, r.specificity) for r in ranges] == [
        ("*", "*", 0.1, 0),
        ("text", "*", 0.2, 1),
        ("text", "html", 1.0, 2),
        ("text", "html", 0.4, 3),
    ]
    assert parse_accept("*/html") == []


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("statistical-geography/S13002967.ttl", ("statistical-geography/S13002967", "ttl")),
        ("statistical-geography/S13002967", ("statistical-geography/S13002967", None)),
        ("a.b/c", ("a.b/c", None)),
        ("thing.unknown", ("thing.unknown", None)),
        (".ttl", (".ttl", None)),
        ("x.jsonld", ("x", "jsonld")),
    ],
)
def test_split_suffix(path: str, expected: tuple[str, str | None]) -> None:
    assert split_suffix(path) == expected


def test_one_table_built_on_pyoxigraph_formats() -> None:
    keys = [f.key for f in RESOURCE_FORMATS]
    assert keys == ["ttl", "html", "nt", "rdf", "jsonld", "json", "csv"]
    assert TURTLE.rdf is not None and TURTLE.media_type == TURTLE.rdf.media_type
    assert TURTLE.content_type == "text/turtle; charset=utf-8"
    assert "application/n-triples" in describe_offer(RESOURCE_FORMATS)
