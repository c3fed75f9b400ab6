"""IRIs of the SHACL, RDF, RDFS and XSD terms the validators read and write."""

from __future__ import annotations

from typing import TypeAlias

from pyoxigraph import BlankNode, Literal, NamedNode

from opendatacommunities.vocab import RDF, RDFS, SH, XSD

#: An RDF term that can appear in a shapes graph, a data graph or a validation result.
Term: TypeAlias = NamedNode | BlankNode | Literal


def sh(local: str) -> NamedNode:
    """The SHACL term ``sh:<local>``.

    >>> sh("minCount").value
    'http://www.w3.org/ns/shacl#minCount'
    """
    return NamedNode(SH + local)


RDF_TYPE = NamedNode(RDF + "type")
RDF_FIRST = NamedNode(RDF + "first")
RDF_REST = NamedNode(RDF + "rest")
RDF_NIL = NamedNode(RDF + "nil")
RDF_LANG_STRING = NamedNode(RDF + "langString")
RDFS_CLASS = NamedNode(RDFS + "Class")
RDFS_SUBCLASS_OF = NamedNode(RDFS + "subClassOf")
RDFS_LITERAL = NamedNode(RDFS + "Literal")
RDFS_DATATYPE = NamedNode(RDFS + "Datatype")
XSD_STRING = NamedNode(XSD + "string")
XSD_BOOLEAN = NamedNode(XSD + "boolean")

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
