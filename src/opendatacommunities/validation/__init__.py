"""SHACL validation: the gate every dataset passes before it is published.

Two validators give the same `Report`:

* `validate_with_pyshacl` is the reference: pyshacl on an rdflib copy of the data.
* `validate` is the fast engine: each constraint of each shape becomes one SPARQL query that
  Oxigraph runs over all focus nodes at once (never one query per node); the value-level
  constraints of a shape share one query. Where a shape's path is a single property, the query
  first scans that property alone and only its few candidates are checked against the focus
  nodes. A million triples of statistical geography validate in under ten seconds. The tests
  run both engines on the same cases and compare their results.

Both read a store's default graph, a named graph, or the union of several (a dataset with the
vocabulary that declares its subclasses).

Supported by the fast engine (SHACL Core and SHACL-SPARQL):

* Targets: sh:targetClass (with rdfs:subClassOf*), implicit class targets, sh:targetNode,
  sh:targetSubjectsOf, sh:targetObjectsOf.
* Paths: IRIs, sh:inversePath, sequences, sh:alternativePath, sh:zeroOrMorePath,
  sh:oneOrMorePath, sh:zeroOrOnePath (each is a SPARQL property path).
* Value type: sh:class, sh:datatype (ill-typed literals judged by rdflib, as pyshacl does),
  sh:nodeKind. Cardinality: sh:minCount, sh:maxCount. Value range: sh:minInclusive,
  sh:maxInclusive, sh:minExclusive, sh:maxExclusive. String: sh:minLength, sh:maxLength,
  sh:pattern with sh:flags, sh:languageIn, sh:uniqueLang. Property pairs: sh:equals,
  sh:disjoint, sh:lessThan, sh:lessThanOrEquals. Other: sh:in, sh:hasValue, sh:closed with
  sh:ignoredProperties.
* Shape-based: sh:node, sh:property, sh:not, sh:and, sh:or, sh:xone, sh:qualifiedValueShape
  with sh:qualifiedMinCount, sh:qualifiedMaxCount and sh:qualifiedValueShapesDisjoint.
* sh:deactivated, sh:severity, sh:message (English or untagged preferred).
* SHACL-SPARQL: sh:sparql with sh:select, sh:prefixes, sh:message ({?var} filled in), $this,
  $currentShape and $PATH, where the query can be joined with the focus nodes safely
  (see `opendatacommunities.validation.sparql`).

Where pyshacl departs from the SHACL text the engine follows pyshacl, because pyshacl is the
reference: sh:pattern honours only the ``i`` and ``m`` flags and ``$`` also matches before a
final newline (Python's ``re``); sh:languageIn compares whole tags or their first subtag.

Anything else — SHACL-AF (sh:target, sh:rule), custom SPARQL constraint components, recursive
shapes, blank nodes a query cannot name (in sh:in, sh:hasValue, sh:targetNode), a regular
expression Oxigraph rejects — is not skipped: that shape is validated by pyshacl instead, and
the report's ``notes`` say so.

Results are `Violation` objects (focus node, path, value, constraint component, source shape,
severity, message); `Report.to_text` writes one per line, with the source location a caller's
``locate(focus, path)`` function supplies (``file:row:column``). `Report.conforms` follows SHACL
(no result of any severity); `Report.blocking` holds only the sh:Violation ones.
"""

from .engine import validate, validate_graph
from .graphs import DataGraphs, ShapesGraph, load_data_file
from .paths import AlternativePath, InversePath, PathExpr, RepeatPath, SequencePath
from .reference import validate_graph_with_pyshacl, validate_with_pyshacl
from .report import Locator, Report, Violation

__all__ = [
    "AlternativePath",
    "DataGraphs",
    "InversePath",
    "Locator",
    "PathExpr",
    "RepeatPath",
    "Report",
    "SequencePath",
    "ShapesGraph",
    "Violation",
    "load_data_file",
    "validate",
    "validate_graph",
    "validate_graph_with_pyshacl",
    "validate_with_pyshacl",
]
