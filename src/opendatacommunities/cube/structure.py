"""A cube's structure as RDF: the dataset, its data structure definition, the component
properties it mints or reuses, the code lists of its coded dimensions (with their hierarchy)
and the units of its measures.

Everything is written in the Recommendation's normalised form (section 10.2): component
specifications name their ``qb:componentProperty``, properties are typed, and attributes are
attached to observations, so the integrity constraints and consumers' queries run on the data
as served.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from pyoxigraph import Literal, NamedNode, Triple

from opendatacommunities.cube.description import CubeDescription, Dimension, Measure, slug
from opendatacommunities.cube.tidy import Codes
from opendatacommunities.cube.usage import display_order
from opendatacommunities.iris import CubeIris
from opendatacommunities.vocab import (
    INTERVAL,
    PMDQB_CODES_USED,
    PREFIXES,
    QB,
    RDF_TYPE,
    RDFS,
    SDMX_OBS_STATUS,
    SDMX_REF_AREA,
    SDMX_REF_PERIOD,
    SDMX_UNIT_MEASURE,
    SKOS,
    UI_SORT_PRIORITY,
    XSD,
)


def dimension_property(iris: CubeIris, dimension: Dimension) -> str:
    """A dimension's property: the one it reuses, the SDMX one of its kind, or one minted
    for this cube."""
    if dimension.property:
        return expand(dimension.property)
    if dimension.kind == "area":
        return SDMX_REF_AREA
    if dimension.kind == "period":
        return SDMX_REF_PERIOD
    return iris.dimension(dimension.name)


def dimension_value(iris: CubeIris, dimension: Dimension, code: str) -> str:
    """The IRI of a dimension's value from its code (what the observations point at); the
    code may be an RFC 6570 expression, for the CSVW ``valueUrl`` of the column."""
    if dimension.kind == "area":
        return iris.space.area(code)
    if dimension.kind == "period":
        return iris.space.period(code)
    return iris.concept(dimension.name, code)


#: Labels of the shared dimension properties this module reuses.
SHARED_LABELS = {
    SDMX_REF_AREA: "reference area",
    SDMX_REF_PERIOD: "reference period",
}


def key_label(iri: str) -> str:
    """A readable name from an IRI's last segment (``refArea`` -> ``ref area``)."""
    local = iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).replace("-", " ").lower()


def expand(term: str) -> str:
    """An IRI from a CURIE with a known prefix, or the IRI as given.

    >>> expand("sdmx-dimension:refArea")
    'http://purl.org/linked-data/sdmx/2009/dimension#refArea'
    """
    prefix, colon, local = term.partition(":")
    if colon and prefix in PREFIXES:
        return PREFIXES[prefix] + local
    return term


def _label(subject: str, text: str, *, pref: bool = False) -> Iterator[Triple]:
    words = Literal(text, language="en")
    yield Triple(NamedNode(subject), NamedNode(RDFS + "label"), words)
    if pref:
        yield Triple(NamedNode(subject), NamedNode(SKOS + "prefLabel"), words)


def _triple(subject: str, predicate: str, obj: str) -> Triple:
    return Triple(NamedNode(subject), NamedNode(predicate), NamedNode(obj))


def _dimension_triples(
    iris: CubeIris, dimension: Dimension, codes: Codes | None, seen: dict[str, None]
) -> Iterator[Triple]:
    prop = dimension_property(iris, dimension)
    yield _triple(prop, RDF_TYPE, QB + "DimensionProperty")
    shared = dimension.property or dimension.kind != "codes"
    yield from _label(prop, SHARED_LABELS.get(prop, key_label(prop)) if shared else dimension.label)
    if dimension.kind == "area":
        yield _triple(prop, RDFS + "range", iris.space.definition("geography/Area"))
    elif dimension.kind == "period":
        yield _triple(prop, RDFS + "range", INTERVAL)
    elif codes is not None:
        yield _triple(prop, RDFS + "range", SKOS + "Concept")
        yield _triple(prop, QB + "codeList", iris.scheme(dimension.name))
        yield from _code_list(iris, dimension, codes, seen)


def _code_list(
    iris: CubeIris, dimension: Dimension, codes: Codes, seen: dict[str, None]
) -> Iterator[Triple]:
    scheme = iris.scheme(dimension.name)
    yield _triple(scheme, RDF_TYPE, SKOS + "ConceptScheme")
    yield from _label(scheme, f"{dimension.label} codes")
    yield Triple(
        NamedNode(scheme),
        NamedNode(SKOS + "prefLabel"),
        Literal(f"{dimension.label} codes", language="en"),
    )
    order = display_order(dimension, codes.labels, codes.parents, seen)
    for priority, code in enumerate(order, start=1):
        label = codes.labels[code]
        concept = iris.concept(dimension.name, code)
        yield _triple(concept, RDF_TYPE, SKOS + "Concept")
        yield _triple(concept, SKOS + "inScheme", scheme)
        yield from _label(concept, label)
        yield Triple(
            NamedNode(concept), NamedNode(SKOS + "prefLabel"), Literal(label, language="en")
        )
        yield Triple(NamedNode(concept), NamedNode(SKOS + "notation"), Literal(code))
        yield Triple(NamedNode(concept), NamedNode(UI_SORT_PRIORITY), _integer(priority))
        parent = codes.parents.get(code)
        if parent is None or parent not in codes.labels:
            yield _triple(scheme, SKOS + "hasTopConcept", concept)
            yield _triple(concept, SKOS + "topConceptOf", scheme)
        else:
            yield _triple(concept, SKOS + "broader", iris.concept(dimension.name, parent))
            yield _triple(iris.concept(dimension.name, parent), SKOS + "narrower", concept)


def _measure_triples(iris: CubeIris, measure: Measure) -> Iterator[Triple]:
    prop = iris.measure(measure.name)
    yield _triple(prop, RDF_TYPE, QB + "MeasureProperty")
    yield from _label(prop, measure.label)
    if measure.definition:
        definition = Literal(measure.definition, language="en")
        yield Triple(NamedNode(prop), NamedNode(SKOS + "definition"), definition)
    if measure.unit:
        unit = iris.unit(slug(measure.unit))
        yield _triple(prop, SDMX_UNIT_MEASURE, unit)
        yield _triple(unit, RDF_TYPE, SKOS + "Concept")
        yield from _label(unit, measure.unit)


def _component(
    iris: CubeIris, name: str, kind: str, prop: str, order: int, label: str | None = None
) -> Iterator[Triple]:
    spec = iris.component(name)
    if label is not None:
        # What the component is in this cube ("Data zone"), where the property is shared
        # by many cubes (sdmx-dimension:refArea is "reference area" in all of them).
        yield from _label(spec, label)
    yield _triple(iris.structure(), QB + "component", spec)
    yield _triple(spec, RDF_TYPE, QB + "ComponentSpecification")
    yield _triple(spec, QB + kind, prop)
    yield _triple(spec, QB + "componentProperty", prop)
    yield Triple(
        NamedNode(spec),
        NamedNode(QB + "order"),
        Literal(str(order), datatype=NamedNode(XSD + "integer")),
    )


def _integer(number: int) -> Literal:
    return Literal(str(number), datatype=NamedNode(XSD + "integer"))


def _codes_used(iris: CubeIris, name: str, label: str, members: Iterable[str]) -> Iterator[Triple]:
    """The collection of the codes one dimension takes, linked from its component."""
    collection = iris.codes_used(name)
    yield _triple(iris.component(name), PMDQB_CODES_USED, collection)
    yield _triple(collection, RDF_TYPE, SKOS + "Collection")
    yield from _label(collection, f"{label}: the codes used")
    for member in members:
        yield _triple(collection, SKOS + "member", member)


def _dimensions(
    cube: CubeDescription,
    iris: CubeIris,
    codes: dict[str, Codes],
    used: dict[str, dict[str, None]],
) -> Iterator[Triple]:
    """The dimensions (the measure dimension last), their components in order, their code
    lists and the collections of the codes they use."""
    for order, dimension in enumerate(cube.dimensions, start=1):
        seen = used.get(dimension.name, {})
        yield from _dimension_triples(iris, dimension, codes.get(dimension.name), seen)
        prop = dimension_property(iris, dimension)
        yield from _component(iris, dimension.name, "dimension", prop, order, dimension.label)
        if seen:
            members = (dimension_value(iris, dimension, code) for code in seen)
            yield from _codes_used(iris, dimension.name, dimension.label, members)
    if cube.measure_type:
        order = len(cube.dimensions) + 1
        yield _triple(QB + "measureType", RDF_TYPE, QB + "DimensionProperty")
        yield _triple(QB + "measureType", RDFS + "range", QB + "MeasureProperty")
        yield from _component(iris, "measureType", "dimension", QB + "measureType", order)
        if "measureType" in used:
            members = (iris.measure(name) for name in used["measureType"])
            yield from _codes_used(iris, "measureType", "Measure", members)


def structure_triples(
    cube: CubeDescription,
    iris: CubeIris,
    codes: dict[str, Codes],
    markers: dict[str, str],
    used: dict[str, dict[str, None]] | None = None,
) -> Iterator[Triple]:
    """Every triple of the cube's structure and code lists; ``markers`` are the
    missing-value markers met in the data, with their meaning (for the status attribute);
    ``used`` the codes each dimension takes (by dimension name, first met first; the key
    ``measureType`` for the measures), for the codes-used collections and the code order."""
    used = used or {}
    dataset, structure = iris.dataset, iris.structure()
    yield _triple(dataset, RDF_TYPE, QB + "DataSet")
    yield _triple(dataset, QB + "structure", structure)
    title = cube.about.get("dc:title")
    yield from _label(dataset, str(title) if title else cube.name)
    yield _triple(structure, RDF_TYPE, QB + "DataStructureDefinition")
    yield from _label(structure, f"{title or cube.name} (structure)")
    yield from _dimensions(cube, iris, codes, used)
    order = len(cube.dimensions) + 1 + (1 if cube.measure_type else 0)
    for measure in cube.measures:
        yield from _measure_triples(iris, measure)
        yield from _component(iris, measure.name, "measure", iris.measure(measure.name), order)
        order += 1
    if markers:
        yield from _status_triples(iris, markers, order)
        order += 1
    if cube.totals:
        yield from _total_triples(iris, order)
        order += 1
    if any(m.unit for m in cube.measures):
        yield _triple(SDMX_UNIT_MEASURE, RDF_TYPE, QB + "AttributeProperty")
        yield from _label(SDMX_UNIT_MEASURE, "unit of measure")
        yield from _component(iris, "unitMeasure", "attribute", SDMX_UNIT_MEASURE, order)
        # Attached to the measures: each measure states its unit once, rather than every
        # observation repeating it (REC section 6.6; normalisation leaves this level as is).
        attachment = NamedNode(QB + "MeasureProperty")
        yield Triple(
            NamedNode(iris.component("unitMeasure")),
            NamedNode(QB + "componentAttachment"),
            attachment,
        )


def _status_triples(iris: CubeIris, markers: dict[str, str], order: int) -> Iterator[Triple]:
    """The observation status attribute, and the code list of the statuses the markers mean."""
    yield _triple(SDMX_OBS_STATUS, RDF_TYPE, QB + "AttributeProperty")
    yield from _label(SDMX_OBS_STATUS, "observation status")
    yield from _component(iris, "obsStatus", "attribute", SDMX_OBS_STATUS, order)
    optional = Literal("false", datatype=NamedNode(XSD + "boolean"))
    yield Triple(
        NamedNode(iris.component("obsStatus")), NamedNode(QB + "componentRequired"), optional
    )
    scheme = iris.status_scheme()
    yield _triple(scheme, RDF_TYPE, SKOS + "ConceptScheme")
    yield from _label(scheme, "Observation status", pref=True)
    for marker, meaning in markers.items():
        concept = iris.status(slug(meaning))
        yield _triple(concept, RDF_TYPE, SKOS + "Concept")
        yield _triple(concept, SKOS + "inScheme", scheme)
        yield from _label(concept, meaning, pref=True)
        note = f"The source marks these cells '{marker}'; the value is NaN (not a number)."
        yield Triple(
            NamedNode(concept), NamedNode(SKOS + "scopeNote"), Literal(note, language="en")
        )


#: What the total attribute says, on its own page and to anyone reading the structure.
TOTAL_COMMENT = (
    "True for an observation that is the total of others in its cube (the figure of a larger "
    "area, such as a country among its local authorities): not to be added to them."
)


def _total_triples(iris: CubeIris, order: int) -> Iterator[Triple]:
    """The optional attribute that marks totals, and its component."""
    total = iris.total()
    yield _triple(total, RDF_TYPE, QB + "AttributeProperty")
    yield from _label(total, "total")
    yield Triple(
        NamedNode(total), NamedNode(RDFS + "comment"), Literal(TOTAL_COMMENT, language="en")
    )
    yield _triple(total, RDFS + "range", XSD + "boolean")
    yield from _component(iris, "total", "attribute", total, order)
    optional = Literal("false", datatype=NamedNode(XSD + "boolean"))
    yield Triple(NamedNode(iris.component("total")), NamedNode(QB + "componentRequired"), optional)
