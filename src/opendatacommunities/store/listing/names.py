"""Short names and typed values: what the words of a list request stand for in a release.

A property is named by a CURIE with one of the site's prefixes (``rdfs:label``,
``geography:parent``), or by its local name alone (``parent``) when only one property has it:
the properties declared in the release's vocabularies and the common ones of ``COMMON``.
A class is named by its IRI, a CURIE, or the local name of a class that has members. A value
is read as what the data holds along the path: an IRI (full, a CURIE, or a path of this
site such as ``/id/...``), a number, a date, a date and time, true or false, or text.

>>> vocabulary = Vocabulary.of_mappings("http://h", {"p": "http://h/p"}, lambda iri: "number")
>>> vocabulary.property_iri("p"), vocabulary.property_iri("rdfs:label")
('http://h/p', 'http://www.w3.org/2000/01/rdf-schema#label')
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal as Kinds

from pyoxigraph import Literal, NamedNode

from opendatacommunities.errors import ParameterError, ParameterProblem
from opendatacommunities.iris import IriSpace, local_name
from opendatacommunities.vocab import (
    DCT,
    GEO_HAS_GEOMETRY,
    OWL_SAME_AS,
    QB_DATASET_PROPERTY,
    RDF_TYPE,
    RDFS_COMMENT,
    RDFS_LABEL,
    SDMX_REF_AREA,
    SDMX_REF_PERIOD,
    SKOS_NOTATION,
    SKOS_PREF_LABEL,
    XSD,
    XSD_NUMERIC,
    common_prefixes,
)

Kind = Kinds["iri", "number", "date", "datetime", "boolean", "text"]
COMMON = (
    RDFS_LABEL,
    RDFS_COMMENT,
    SKOS_PREF_LABEL,
    SKOS_NOTATION,
    OWL_SAME_AS,
    RDF_TYPE,
    DCT + "title",
    DCT + "description",
    DCT + "replaces",
    DCT + "isReplacedBy",
    DCT + "license",
    DCT + "publisher",
    DCT + "issued",
    DCT + "modified",
    GEO_HAS_GEOMETRY,
    QB_DATASET_PROPERTY,
    SDMX_REF_AREA,
    SDMX_REF_PERIOD,
)
"""Properties known by their local names besides those the release declares."""
NUMBERS = frozenset(XSD + name for name in XSD_NUMERIC)
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?"
)
_CURIE = re.compile(r"^([A-Za-z][A-Za-z0-9_.-]*):([^/].*)?$")


@dataclass(frozen=True)
class Form:
    """A form of literal: a language tag, or (without one) a datatype."""

    language: str
    datatype: str


def kind_of_term(term: object) -> Kind:
    """The kind of value ``term`` (an object found in the store) is."""
    if not isinstance(term, Literal):
        return "iri"
    datatype = term.datatype.value
    if datatype in NUMBERS:
        return "number"
    if datatype == XSD + "date":
        return "date"
    if datatype == XSD + "dateTime":
        return "datetime"
    return "boolean" if datatype == XSD + "boolean" else "text"


@dataclass(frozen=True)
class Vocabulary:
    """The names a release's lists understand, and how to learn what a property holds."""

    base: str
    prefixes: Mapping[str, str]
    properties: Mapping[str, tuple[str, ...]]
    """Local name -> the property IRIs with it."""
    kind_of: Callable[[str], Kind | None]
    """What a property's values are, or None when nothing in the release has it."""
    classes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Local name -> the class IRIs with it."""
    forms_of: Callable[[str], tuple[Form, ...] | None] = field(default=lambda iri: None)
    """The forms a text property's values take (language tags, datatypes), or None when
    they are not known."""

    def text_terms(self, iri: str, text: str) -> tuple[str, ...] | None:
        """``text`` in each form the values of property ``iri`` take, as SPARQL terms: the
        values equal to it, whatever their language, are then looked up, not scanned."""
        forms = self.forms_of(iri)
        if forms is None:
            return None
        return tuple(
            str(Literal(text, language=form.language))
            if form.language
            else str(Literal(text, datatype=NamedNode(form.datatype)))
            for form in forms
        )

    @classmethod
    def of_mappings(
        cls,
        base: str,
        properties: Mapping[str, str],
        kind_of: Callable[[str], Kind | None],
        classes: Iterable[str] = (),
    ) -> Vocabulary:
        """A vocabulary of the properties ``properties`` (local name -> IRI), the common
        ones, and ``classes``."""
        return cls.of(base, [*properties.values()], kind_of, classes)

    @classmethod
    def of(
        cls,
        base: str,
        declared: Iterable[str],
        kind_of: Callable[[str], Kind | None],
        classes: Iterable[str] = (),
        forms_of: Callable[[str], tuple[Form, ...] | None] = lambda iri: None,
    ) -> Vocabulary:
        """A vocabulary of the ``declared`` properties and the common ones, and ``classes``."""
        return cls(
            base,
            common_prefixes(base),
            _by_local_name([*COMMON, *declared]),
            kind_of,
            _by_local_name(classes),
            forms_of,
        )

    def expand(self, text: str) -> str | None:
        """The IRI the CURIE ``text`` stands for, or None if it is not one of ours."""
        match = _CURIE.match(text)
        if match is None or match.group(1) not in self.prefixes:
            return None
        return self.prefixes[match.group(1)] + (match.group(2) or "")

    def property_iri(self, name: str) -> str | None:
        """The property ``name`` (a CURIE or a local name) stands for, or None; a local name
        that several properties have raises ``ParameterError`` naming them."""
        if ":" in name:
            return self.expand(name)
        return _one_of(self.properties.get(name, ()), name, "property", self)

    def class_iri(self, name: str) -> str | None:
        """The class ``name`` (an IRI, a CURIE or a local name) stands for, or None."""
        if "://" in name:
            return name
        if ":" in name:
            return self.expand(name)
        return _one_of(self.classes.get(name, ()), name, "class", self)

    def curie(self, iri: str) -> str:
        """``iri`` written with one of the prefixes, where one fits."""
        for prefix, namespace in self.prefixes.items():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        return iri


def _by_local_name(iris: Iterable[str]) -> dict[str, tuple[str, ...]]:
    found: dict[str, dict[str, None]] = {}
    for iri in iris:
        found.setdefault(local_name(iri), {})[iri] = None
    return {name: tuple(sorted(several)) for name, several in found.items()}


def _one_of(iris: tuple[str, ...], name: str, what: str, vocabulary: Vocabulary) -> str | None:
    if len(iris) > 1:
        named = ", ".join(vocabulary.curie(iri) for iri in iris)
        problem = ParameterProblem(name, f"names several {what} IRIs ({named}); use a CURIE", name)
        raise ParameterError([problem])
    return iris[0] if iris else None


def value_term(kind: Kind, text: str, base: str, vocabulary: Vocabulary) -> str | None:
    """``text`` as a SPARQL term of ``kind`` (written by pyoxigraph, so escaped), or None
    when it is not a value of that kind."""
    if kind == "iri":
        iri = IriSpace(base).url(text) if text.startswith("/") else vocabulary.expand(text) or text
        try:
            return str(NamedNode(iri)) if "://" in iri or iri.startswith("urn:") else None
        except ValueError:
            return None
    if kind == "number":
        if not _NUMBER.fullmatch(text):
            return None
        datatype = "double" if "e" in text.lower() else "decimal"
        return str(Literal(text, datatype=NamedNode(XSD + datatype)))
    if kind in ("date", "datetime"):
        return _temporal(kind, text)
    if kind == "boolean":
        boolean = Literal(text, datatype=NamedNode(XSD + "boolean"))
        return str(boolean) if text in ("true", "false") else None
    return str(Literal(text))


def _temporal(kind: Kind, text: str) -> str | None:
    """An ``xsd:date`` or ``xsd:dateTime`` in XML Schema's form (Python's parsers take more:
    ``20200101``, a space for the ``T``); a date alone stands for its midnight."""
    if kind == "datetime" and len(text) == 10:
        text += "T00:00:00"
    shape = _DATE if kind == "date" else _DATETIME
    if not shape.fullmatch(text):
        return None
    try:
        if kind == "date":
            date.fromisoformat(text)
        else:
            datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    datatype = "date" if kind == "date" else "dateTime"
    return str(Literal(text, datatype=NamedNode(XSD + datatype)))
