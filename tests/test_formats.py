"""The one formats table: its entries agree with pyoxigraph, and odc map writes from it."""

from __future__ import annotations

import io

import pyoxigraph
import pytest
from pyoxigraph import QueryResultsFormat, RdfFormat

from opendatacommunities import formats
from opendatacommunities.formats import (
    BY_SUFFIX,
    GRAPH_FORMATS,
    OUTPUT_FORMATS,
    RESOURCE_FORMATS,
    SOLUTION_FORMATS,
    SPARQL_SUFFIXES,
    TURTLE,
    WebFormat,
    output_format,
    write_rdf,
)
from opendatacommunities.vocab import FORMATS

LINES = [
    '<http://h/id/a> <http://www.w3.org/2000/01/rdf-schema#label> "Linn"@en .\n',
    "<http://h/id/a> <http://www.w3.org/2002/07/owl#sameAs> <http://h/id/b> .\n",
]


@pytest.mark.parametrize("fmt", [f for f in (*RESOURCE_FORMATS, *GRAPH_FORMATS) if f.rdf])
def test_rdf_entries_agree_with_pyoxigraph(fmt: WebFormat) -> None:
    assert fmt.rdf is not None
    assert RdfFormat.from_media_type(fmt.media_type) == fmt.rdf
    assert RdfFormat.from_extension(fmt.key) == fmt.rdf or fmt.key == "jsonld"


@pytest.mark.parametrize("fmt", SOLUTION_FORMATS)
def test_results_entries_are_formats_pyoxigraph_writes(fmt: WebFormat) -> None:
    assert QueryResultsFormat.from_media_type(fmt.media_type) is not None


def test_every_format_on_the_sparql_endpoint_has_one_w3c_iri() -> None:
    iris = [f.iri for f in (*SOLUTION_FORMATS, *GRAPH_FORMATS)]
    assert all(iri is not None and iri.startswith(FORMATS) for iri in iris)
    assert len(set(iris)) == len(iris)


def test_suffixes_name_one_format_each() -> None:
    assert [f.key for f in RESOURCE_FORMATS] == list(BY_SUFFIX)
    for suffix, (table, graph) in SPARQL_SUFFIXES.items():
        assert table is None or table in SOLUTION_FORMATS, suffix
        assert graph is None or graph in GRAPH_FORMATS, suffix


def test_textual_formats_say_their_charset() -> None:
    assert TURTLE.content_type == "text/turtle; charset=utf-8"
    assert formats.JSON_LD.content_type == "application/ld+json; charset=utf-8"
    assert formats.RESULTS_XML.content_type == "application/sparql-results+xml"


def test_an_unknown_output_format_names_the_known_ones() -> None:
    assert [output_format(f.key) for f in OUTPUT_FORMATS] == list(OUTPUT_FORMATS)
    with pytest.raises(ValueError, match="'rdf'; known: nt, ttl, nq"):
        output_format("rdf")


@pytest.mark.parametrize("fmt", OUTPUT_FORMATS, ids=lambda f: f.key)
def test_written_rdf_parses_back_to_the_same_triples(fmt: WebFormat) -> None:
    out = io.BytesIO()
    write_rdf(iter(LINES), out, fmt)
    assert fmt.rdf is not None
    written = {str(q.triple) for q in pyoxigraph.parse(out.getvalue(), format=fmt.rdf)}
    expected = {str(t) for t in pyoxigraph.parse("".join(LINES), format=RdfFormat.N_TRIPLES)}
    assert written == expected


def test_turtle_uses_the_common_prefixes() -> None:
    out = io.BytesIO()
    write_rdf(iter(LINES), out, TURTLE)
    assert "rdfs:label" in out.getvalue().decode()
