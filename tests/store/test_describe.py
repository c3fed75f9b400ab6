"""The query façade: descriptions, words for their links, incoming links, geometry, successors."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode

from opendatacommunities.errors import NotAnIriError, OdcError
from opendatacommunities.store import Reader, ReleaseRoot
from opendatacommunities.store.lexicon import LEXICON
from opendatacommunities.vocab import RDFS_LABEL
from tests.plugins.project import BASE
from tests.plugins.releases import publish

SG = f"{BASE}/id/statistical-geography/"
GLASGOW = SG + "S12000049"
LINN = SG + "S13002967"
PARENT = f"{BASE}/def/geography/parent"
WARDS_BY_NAME = ["Cardonald", "Govan", "Greater Pollok", "Linn", "Newlands/Auldburn"]


def test_subjects_and_mentions(reader: Reader) -> None:
    assert reader.is_subject(GLASGOW)
    assert not reader.is_subject(SG + "S12000044")
    # S12000044 is only mentioned, as what North Lanarkshire replaced.
    assert reader.is_known(SG + "S12000044")
    assert not reader.is_known(SG + "S99999999")


def test_not_an_iri_is_refused(reader: Reader) -> None:
    """pyoxigraph's ValueError comes out as the platform's NotAnIriError, a 400."""
    with pytest.raises(NotAnIriError, match=r"not an IRI: 'not an iri> \. <x'") as refused:
        reader.is_subject("not an iri> . <x")
    assert refused.value.status == 400 and isinstance(refused.value, OdcError)
    for ask in (
        lambda: reader.describe('http://x/"a'),
        lambda: reader.is_known("a b"),
        lambda: reader.links_in("a b", 1),
        lambda: reader.statements("a b"),
        lambda: reader.holds(GLASGOW, "a b", GLASGOW),
        lambda: reader.successors("<x>"),
    ):
        with pytest.raises(NotAnIriError):
            ask()


def test_statements_and_holds(reader: Reader) -> None:
    """What the store says about a resource, by predicate; whether it holds one triple."""
    statements = reader.statements(GLASGOW)
    assert Literal("Glasgow City", language="en") in statements[RDFS_LABEL]
    objects = [o for found in statements.values() for o in found]
    assert objects and all(isinstance(o, NamedNode | Literal) for o in objects)
    assert reader.statements(SG + "S99999999") == {}
    kind = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    [area_type, *_] = [o.value for o in statements[kind]]
    assert reader.holds(GLASGOW, kind, area_type)
    assert not reader.holds(GLASGOW, kind, SG + "S99999999")


def test_description_of_a_council_area(reader: Reader) -> None:
    description = reader.describe(GLASGOW, offset=0, limit=100)
    assert description.exists
    predicates = {t.predicate.value for t in description.triples}
    assert RDFS_LABEL in predicates
    assert all(t.subject == NamedNode(GLASGOW) for t in description.triples)
    groups = {g.property: g for g in description.incoming}
    assert groups[PARENT].count == 5
    names = [description.summaries[s].label for s in groups[PARENT].subjects]
    assert names == WARDS_BY_NAME
    assert description.incoming_total == 6  # five wards and the archived S12000046
    assert description.geometries == ()


def test_summaries_give_words_for_everything_linked(reader: Reader) -> None:
    description = reader.describe(LINN)
    summaries = description.summaries
    glasgow = summaries[GLASGOW]
    assert (glasgow.label, glasgow.notation) == ("Glasgow City", "S12000049")
    council_area = glasgow.types[0]
    assert summaries[council_area].label == "council area"
    assert summaries[PARENT].label == "parent area"
    assert summaries[PARENT].inverse_label == "areas within"
    # The labels of linked resources travel with the document, as stated in the store.
    labelled = {str(t.subject): t.object for t in description.label_triples}
    assert labelled[f"<{GLASGOW}>"] == Literal("Glasgow City", language="en")
    assert f"<{LINN}>" not in labelled


def test_english_label_is_preferred(reader: Reader) -> None:
    summaries, _ = reader.summaries([SG + "W06000001"])
    assert summaries[SG + "W06000001"].label == "Isle of Anglesey"


def test_words_are_read_once_per_release(root: ReleaseRoot) -> None:
    release = root.open_current_read_only()
    first = Reader.of(release).summaries([PARENT])[0][PARENT]
    lexicon = release.cache.get(LEXICON)
    again = Reader.of(release).summaries([PARENT])[0][PARENT]
    assert lexicon is not None and release.cache.get(LEXICON) is lexicon
    assert (again.label, again.inverse_label) == (first.label, first.inverse_label)
    again.types.append("changed")
    assert "changed" not in Reader.of(release).summaries([PARENT])[0][PARENT].types


def test_incoming_links_are_paged(reader: Reader) -> None:
    seen = []
    for offset in range(0, 6, 4):
        groups, total = reader.incoming(GLASGOW, offset=offset, limit=4)
        assert total == 6
        seen += [s for g in groups for s in g.subjects]
    assert len(seen) == len(set(seen)) == 6
    assert reader.incoming(GLASGOW, offset=6, limit=4) == ((), 6)


def test_geometry_of_a_ward(reader: Reader) -> None:
    (wkt,) = reader.describe(LINN).geometries
    assert "POLYGON((-4.23375 55.81866" in wkt


def test_successors_follow_replacement_both_ways(reader: Reader) -> None:
    assert reader.successors(SG + "S12000046") == [GLASGOW]  # dct:isReplacedBy
    assert reader.successors(SG + "S12000044") == [SG + "S12000050"]  # ^dct:replaces
    assert reader.successors(GLASGOW) == []


def test_same_as_either_way(reader: Reader) -> None:
    official = "http://statistics.gov.scot/id/statistical-geography/S13002967"
    assert reader.same_as(LINN) == [official]
    assert reader.same_as(official) == [LINN]


def test_blank_nodes_are_described_with_their_subject(tmp_path: Path) -> None:
    extra = """
        @prefix dct: <http://purl.org/dc/terms/> .
        <id/thing> dct:source [ dct:title "a source" ; dct:creator [ dct:title "nested" ] ] .
    """
    publish(tmp_path, BASE, extra=extra, files=())
    reader = Reader(ReleaseRoot(tmp_path).open_current_read_only().store)
    triples = reader.describe(f"{BASE}/id/thing").triples
    assert len(triples) == 4
    assert sum(isinstance(t.subject, BlankNode) for t in triples) == 3
