"""IRIs of the SHACL, RDF, RDFS and XSD terms the validators read and write."""

from __future__ import annotations

from typing import TypeAlias

from pyoxigraph import BlankNode, Literal, NamedNode

#: An RDF term that can appear in a shapes graph, a data graph or a validation result.
Term: TypeAlias = NamedNode | BlankNode | Literal

SH_NS = "http://www.w3.org/ns/shacl#"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"


def sh(local: str) -> NamedNode:
    """The SHACL term ``sh:<local>``.

    >>> sh("minCount").value
    'http://www.w3.org/ns/shacl#minCount'
    """
    return NamedNode(SH_NS + local)


RDF_TYPE = NamedNode(RDF_NS + "type")
RDF_FIRST = NamedNode(RDF_NS + "first")
RDF_REST = NamedNode(RDF_NS + "rest")
RDF_NIL = NamedNode(RDF_NS + "nil")
RDF_LANG_STRING = NamedNode(RDF_NS + "langString")
RDFS_CLASS = NamedNode(RDFS_NS + "Class")
RDFS_SUBCLASS_OF = NamedNode(RDFS_NS + "subClassOf")
RDFS_LITERAL = NamedNode(RDFS_NS + "Literal")
RDFS_DATATYPE = NamedNode(RDFS_NS + "Datatype")
XSD_STRING = NamedNode(XSD_NS + "string")
XSD_BOOLEAN = NamedNode(XSD_NS + "boolean")

SH_VIOLATION = sh("Violation")
SH_WARNING = sh("Warning")
SH_INFO = sh("Info")
SH_NODE_SHAPE = sh("NodeShape")
SH_PROPERTY_SHAPE = sh("PropertyShape")
SH_PATH = sh("path")
SH_PROPERTY = sh("property")
SH_SEVERITY = sh("severity")
SH_MESSAGE = sh("message")
SH_DEACTIVATED = sh("deactivated")
SH_TARGET_CLASS = sh("targetClass")
SH_TARGET_NODE = sh("targetNode")
SH_TARGET_SUBJECTS_OF = sh("targetSubjectsOf")
SH_TARGET_OBJECTS_OF = sh("targetObjectsOf")
SH_INVERSE_PATH = sh("inversePath")
SH_ALTERNATIVE_PATH = sh("alternativePath")
SH_ZERO_OR_MORE_PATH = sh("zeroOrMorePath")
SH_ONE_OR_MORE_PATH = sh("oneOrMorePath")
SH_ZERO_OR_ONE_PATH = sh("zeroOrOnePath")
SH_SPARQL = sh("sparql")
SH_SELECT = sh("select")
SH_PREFIXES = sh("prefixes")
SH_DECLARE = sh("declare")
SH_PREFIX = sh("prefix")
SH_NAMESPACE = sh("namespace")
SH_CONSTRAINT_COMPONENT = sh("ConstraintComponent")
SH_PARAMETER = sh("parameter")

#: Well-known prefixes used to shorten IRIs in messages when the shapes files do not declare them.
DEFAULT_PREFIXES = {
    "sh": SH_NS,
    "rdf": RDF_NS,
    "rdfs": RDFS_NS,
    "xsd": XSD_NS,
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "qb": "http://purl.org/linked-data/cube#",
}
