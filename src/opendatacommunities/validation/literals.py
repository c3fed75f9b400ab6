"""Whether a literal is a well-formed value of its datatype, judged exactly as pyshacl does.

SPARQL cannot tell an ill-typed literal (``"abc"^^xsd:integer``) from a good one with the same
datatype, and XSD casts disagree with rdflib at the edges (``" 1"`` is an integer to rdflib), so
the fast engine calls this function from its sh:datatype queries as a SPARQL custom function.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache

import rdflib
from pyoxigraph import Literal, NamedNode
from rdflib.term import XSDToPython

from opendatacommunities.vocab import RDF, XSD

from .vocab import XSD_BOOLEAN

#: The IRI under which the fast engine's queries call `well_typed`.
WELL_TYPED = NamedNode("urn:x-odc:validation:well-typed")

# Datatypes whose Python value pyshacl checks (pyshacl's _assert_actual_datatype).
_PYTHON_TYPES: dict[str, type | tuple[type, ...]] = {
    XSD + "string": (str, bytes),
    RDF + "langString": (str, bytes),
    XSD + "integer": int,
    XSD + "float": float,
    XSD + "decimal": Decimal,
    XSD + "boolean": bool,
    XSD + "date": date,
    XSD + "time": time,
    XSD + "dateTime": datetime,
}
_RDFLIB_CHECKED = frozenset({str(iri) for iri in XSDToPython if iri is not None})
_TRUE = Literal("true", datatype=XSD_BOOLEAN)
_FALSE = Literal("false", datatype=XSD_BOOLEAN)


def needs_check(datatype: NamedNode) -> bool:
    """Whether literals of this datatype can be ill-formed in pyshacl's eyes.

    Strings never are (rdflib's value is the text itself), and they are the commonest datatype,
    so leaving them out spares a Python call per value.
    """
    if datatype.value in (XSD + "string", RDF + "langString"):
        return False
    return datatype.value in _RDFLIB_CHECKED or datatype.value in _PYTHON_TYPES


def well_typed(term: object) -> Literal:
    """SPARQL custom function: true when the literal is a well-formed value of its datatype.

    >>> well_typed(Literal("12", datatype=NamedNode(XSD + "integer"))).value
    'true'
    >>> well_typed(Literal("twelve", datatype=NamedNode(XSD + "integer"))).value
    'false'
    """
    if not isinstance(term, Literal):
        return _FALSE
    return _TRUE if _accepts(term.value, term.datatype.value, term.language) else _FALSE


@lru_cache(maxsize=65536)
def _accepts(lexical: str, datatype: str, language: str | None) -> bool:
    """rdflib's reading of a literal, cached because data repeats values (dates, codes)."""
    if language is not None:
        literal = rdflib.Literal(lexical, lang=language)
    elif datatype == XSD + "string":
        # N-Triples drops ^^xsd:string, so pyshacl sees these as plain literals.
        literal = rdflib.Literal(lexical)
    else:
        literal = rdflib.Literal(lexical, datatype=rdflib.URIRef(datatype))
    if literal.ill_typed is True:
        return False
    python_type = _PYTHON_TYPES.get(datatype)
    return python_type is None or isinstance(literal.value, python_type)
