"""Our JSON-LD: readable context, and exactly the same triples once expanded."""

from __future__ import annotations

import json

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize
from rdflib.compare import isomorphic

from opendatacommunities.iris import IriSpace
from opendatacommunities.vocab import PREFIXES, RDF_TYPE, RDFS_LABEL, XSD
from opendatacommunities.web.jsonld import to_jsonld
from tests.plugins.project import BASE

SPACE = IriSpace(BASE)
WARD = NamedNode(f"{BASE}/id/statistical-geography/S13002967")
GEO = f"{BASE}/def/geography/"


def graph_of(triples: list[Triple]) -> rdflib.Graph:
    nt = serialize(triples, format=RdfFormat.N_TRIPLES)
    assert nt is not None
    return rdflib.Graph().parse(data=nt.decode(), format="nt")


def round_trip(triples: list[Triple]) -> dict[str, object]:
    iris = [t.predicate.value for t in triples] + [WARD.value, GEO + "x"]
    document = to_jsonld(triples, {**SPACE.prefixes_for(iris), **PREFIXES})
    parsed = rdflib.Graph().parse(data=json.dumps(document), format="json-ld")
    assert isomorphic(parsed, graph_of(triples))
    return document


def test_single_resource_reads_naturally() -> None:
    triples = [
        Triple(WARD, NamedNode(RDF_TYPE), NamedNode(GEO + "ElectoralWard")),
        Triple(WARD, NamedNode(RDFS_LABEL), Literal("Linn", language="en")),
        Triple(WARD, NamedNode(GEO + "parent"), NamedNode(WARD.value[:-8] + "2000049")),
        Triple(WARD, NamedNode(GEO + "area"), Literal("12.5", datatype=NamedNode(XSD + "decimal"))),
        Triple(WARD, NamedNode(GEO + "code"), Literal("S13002967")),
    ]
    document = round_trip(triples)
    context = document["@context"]
    assert isinstance(context, dict)
    assert context["parent"] == {"@id": "geography:parent", "@type": "@id"}
    assert document["@type"] == "geography:ElectoralWard"
    assert document["label"] == {"@value": "Linn", "@language": "en"}
    assert document["code"] == "S13002967"
    assert document["area"] == {"@value": "12.5", "@type": "xsd:decimal"}


def test_many_subjects_blank_nodes_and_clashing_names() -> None:
    other = NamedNode("http://example.org/vocab#label")
    node = BlankNode("b1")
    triples = [
        Triple(WARD, NamedNode(RDFS_LABEL), Literal("Linn")),
        Triple(WARD, other, Literal("clash")),
        Triple(WARD, NamedNode(GEO + "source"), node),
        Triple(node, NamedNode(RDFS_LABEL), Literal("a source")),
        Triple(WARD, NamedNode(GEO + "mixed"), Literal("text")),
        Triple(WARD, NamedNode(GEO + "mixed"), NamedNode("http://example.org/thing")),
        Triple(WARD, NamedNode(RDF_TYPE), Literal("odd but legal")),
    ]
    document = round_trip(triples)
    assert "@graph" in document
    context = document["@context"]
    assert isinstance(context, dict)
    assert "label" not in context  # two properties are called "label": neither gets the name
