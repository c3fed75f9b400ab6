"""The integrity checker on small cubes written for the purpose: what it reports, and the
nodes it names."""

from __future__ import annotations

from pyoxigraph import NamedNode, Quad, RdfFormat

from opendatacommunities.cube import check_integrity, normalise
from opendatacommunities.cube.integrity import query_text
from opendatacommunities.store.memory import MemoryGraph

PREFIXES = """
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
"""
STRUCTURE = """
ex:cube a qb:DataSet ; qb:structure ex:dsd .
ex:dsd a qb:DataStructureDefinition ;
  qb:component [ qb:dimension ex:area ] , [ qb:dimension ex:sex ] , [ qb:measure ex:count ] .
ex:area a qb:DimensionProperty ; rdfs:range skos:Concept ; qb:codeList ex:areas .
ex:sex a qb:DimensionProperty ; rdfs:range skos:Concept ; qb:codeList ex:sexes .
ex:count a qb:MeasureProperty .
ex:areas a skos:ConceptScheme .
ex:sexes a skos:ConceptScheme .
ex:a1 a skos:Concept ; skos:inScheme ex:areas .
ex:a2 a skos:Concept ; skos:inScheme ex:areas .
ex:f a skos:Concept ; skos:inScheme ex:sexes .
ex:m a skos:Concept ; skos:inScheme ex:sexes .
"""
OBSERVATIONS = """
ex:o1 qb:dataSet ex:cube ; ex:area ex:a1 ; ex:sex ex:f ; ex:count 10 .
ex:o2 qb:dataSet ex:cube ; ex:area ex:a1 ; ex:sex ex:m ; ex:count 12 .
ex:o3 qb:dataSet ex:cube ; ex:area ex:a2 ; ex:sex ex:f ; ex:count 7 .
"""


def _check(extra: str = "") -> list[tuple[str, str, str | None]]:
    store = MemoryGraph()
    text = PREFIXES + STRUCTURE + OBSERVATIONS + extra
    store.load(text.encode(), format=RdfFormat.TURTLE)
    return [(v.constraint, v.focus, v.path) for v in check_integrity(store)]


def test_a_valid_cube_has_no_violation() -> None:
    """The well-formed cube passes every constraint."""
    assert _check() == []


def test_duplicate_observation_names_both() -> None:
    """IC-12: an observation repeating another's dimension values is named with the other."""
    store = MemoryGraph()
    extra = "ex:o4 qb:dataSet ex:cube ; ex:area ex:a1 ; ex:sex ex:f ; ex:count 11 ."
    store.load((PREFIXES + STRUCTURE + OBSERVATIONS + extra).encode(), format=RdfFormat.TURTLE)
    [violation] = [v for v in check_integrity(store) if v.constraint == "IC-12"]
    named = {violation.focus, *(w.strip("<>.,") for w in violation.words.split())}
    assert {"http://example.org/o1", "http://example.org/o4"} <= named


def test_missing_measure_names_the_observation() -> None:
    """IC-14: an observation without the cube's measure is named, with the measure."""
    found = _check("ex:o5 qb:dataSet ex:cube ; ex:area ex:a2 ; ex:sex ex:m .")
    assert ("IC-14", "http://example.org/o5", "http://example.org/count") in found


def test_code_outside_its_list_names_observation_and_dimension() -> None:
    """IC-19: a code that is not in the dimension's code list is reported on its observation
    and dimension."""
    found = _check("ex:o6 qb:dataSet ex:cube ; ex:area ex:nowhere ; ex:sex ex:m ; ex:count 1 .")
    assert ("IC-19a", "http://example.org/o6", "http://example.org/area") in found


def test_normalisation_pushes_attachments_down() -> None:
    """Phase 2 copies a component attached to the dataset onto every observation."""
    store = MemoryGraph()
    extra = """
    ex:dsd qb:component [ qb:attribute ex:unit ; qb:componentAttachment qb:DataSet ] .
    ex:cube ex:unit ex:people ."""
    store.load((PREFIXES + STRUCTURE + OBSERVATIONS + extra).encode(), format=RdfFormat.TURTLE)
    normalise(store)
    unit = NamedNode("http://example.org/unit")
    observations = {q.subject for q in store.quads(None, unit)}
    assert {NamedNode(f"http://example.org/o{n}") for n in (1, 2, 3)} <= observations
    typed = store.quads(
        NamedNode("http://example.org/o1"),
        NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        NamedNode("http://purl.org/linked-data/cube#Observation"),
    )
    assert isinstance(next(iter(typed)), Quad)


def test_missing_dimension_names_the_observation() -> None:
    """IC-11: an observation without a value for one of its dimensions is named, with the
    dimension (the count that clears a complete cube does not hide it)."""
    found = _check("ex:o7 qb:dataSet ex:cube ; ex:area ex:a2 ; ex:count 3 .")
    assert ("IC-11", "http://example.org/o7", "http://example.org/sex") in found


def test_every_step_is_timed() -> None:
    """``timings`` receives the seconds of normalisation and of each constraint."""
    store = MemoryGraph()
    store.load((PREFIXES + STRUCTURE + OBSERVATIONS).encode(), format=RdfFormat.TURTLE)
    timings: dict[str, float] = {}
    assert check_integrity(store, timings=timings) == []
    numbers = [f"IC-{n}" for n in range(1, 19)] + ["IC-19a", "IC-19b", "IC-20/21"]
    assert list(timings) == ["normalisation", *numbers]
    assert all(seconds >= 0 for seconds in timings.values())


def test_normalising_normalised_data_changes_nothing() -> None:
    """Phase 1 is needed on data that lacks its triples (the observations here are not
    typed), not once they are there; normalising again changes nothing."""
    store = MemoryGraph()
    store.load((PREFIXES + STRUCTURE + OBSERVATIONS).encode(), format=RdfFormat.TURTLE)
    needed = query_text("phase-1-needed")
    assert store.ask(needed)
    normalise(store)
    assert not store.ask(needed)
    once = set(store)
    normalise(store)
    assert set(store) == once
