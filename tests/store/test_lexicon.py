"""The lexicon: every label, code and inverse wording of a release, read once, gives the same
words a query per page would."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, QuerySolutions, Store

from opendatacommunities.store import Reader, ReleaseRoot
from opendatacommunities.store import lexicon as lexicon_module
from opendatacommunities.store.lexicon import Lexicon, language_rank
from opendatacommunities.vocab import LABEL_PROPERTIES
from tests.plugins.project import BASE
from tests.plugins.releases import publish

PREF, RDFS_LABEL = LABEL_PROPERTIES
NOTATION = "http://www.w3.org/2004/02/skos/core#notation"
INVERSE = "http://www.w3.org/2002/07/owl#inverseOf"


def _rows(store: Store, query: str) -> QuerySolutions:
    result = store.query(query, use_default_graph_as_union=True)
    assert isinstance(result, QuerySolutions)
    return result


def _expected(store: Store, iri: str) -> tuple[object, ...]:
    """What a page about ``iri`` should say, asked of the store directly."""
    this = str(NamedNode(iri))
    labels = [
        (language_rank(label), LABEL_PROPERTIES.index(prop.value), label.value)
        for prop, label in _rows(
            store, f"SELECT ?p ?l {{ VALUES ?p {{ <{PREF}> <{RDFS_LABEL}> }} {this} ?p ?l }}"
        )
        if isinstance(label, Literal)
    ]
    notations = [n.value for (n,) in _rows(store, f"SELECT ?n {{ {this} <{NOTATION}> ?n }}")]
    types = {t.value for (t,) in _rows(store, f"SELECT ?t {{ {this} a ?t }}")}
    inverse = (
        f"SELECT ?l {{ {{ {this} <{INVERSE}> ?i }} UNION {{ ?i <{INVERSE}> {this} }} "
        f"?i <{PREF}>|<{RDFS_LABEL}> ?l }}"
    )
    inverses = sorted((language_rank(lit), lit.value) for (lit,) in _rows(store, inverse))
    return (
        min(labels)[2] if labels else None,
        min(notations) if notations else None,
        types,
        inverses[0][1] if inverses else None,
    )


def test_every_iri_gets_the_words_the_store_holds(reader: Reader) -> None:
    everything = "SELECT DISTINCT ?x { { ?x ?p ?o } UNION { ?s ?x ?o } UNION { ?s ?p ?x } }"
    iris = [x.value for (x,) in _rows(reader.store, everything) if isinstance(x, NamedNode)]
    summaries, label_triples = reader.summaries(iris)
    assert len(iris) > 40
    for iri in iris:
        summary = summaries[iri]
        found = (summary.label, summary.notation, set(summary.types), summary.inverse_label)
        assert found == _expected(reader.store, iri), iri
    stated = {t.subject.value: t for t in label_triples}
    assert set(stated) == {iri for iri in iris if summaries[iri].label is not None}
    for iri, triple in stated.items():
        assert triple.object.value == summaries[iri].label
        assert triple in {
            q.triple for q in reader.store.quads_for_pattern(NamedNode(iri), None, None)
        }


def test_labels_prefer_english_then_skos_then_one_chosen_the_same_way(tmp_path: Path) -> None:
    extra = """
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <id/a> rdfs:label "Ynys Môn"@cy, "Anglesey" ; skos:prefLabel "Isle of Anglesey"@en .
        <id/b> rdfs:label "Beta", "Alpha" .
        <id/c> rdfs:label "Caerdydd"@cy, "Cardiff"@en-GB .
    """
    publish(tmp_path, BASE, extra=extra, files=())
    lexicon = Lexicon.read(ReleaseRoot(tmp_path).open_current_read_only().store)
    assert lexicon.label(f"{BASE}/id/a") == "Isle of Anglesey"
    assert lexicon.label(f"{BASE}/id/b") == "Alpha"
    assert lexicon.label(f"{BASE}/id/c") == "Cardiff"
    assert lexicon.label(f"{BASE}/id/nothing") is None


def test_types_are_remembered_up_to_a_bound(
    reader: Reader, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lexicon_module, "TYPES_REMEMBERED", 2)
    lexicon = reader.lexicon
    glasgow = f"{BASE}/id/statistical-geography/S12000049"
    first = lexicon.types(glasgow)
    assert first and lexicon.types(glasgow) is first
    for n in range(3):
        lexicon.types(f"{BASE}/id/other/{n}")
    assert len(lexicon._types) <= 2
    assert lexicon.types(glasgow) == first
    with pytest.raises(ValueError):
        lexicon.types("not an iri")
