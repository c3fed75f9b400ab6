"""Reading shapes and data: files into in-memory graphs, and those into rdflib for pyshacl."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph
import rdflib
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat

from opendatacommunities.errors import SourceError
from opendatacommunities.store.memory import GraphName, MemoryGraph
from opendatacommunities.vocab import PREFIXES

from .vocab import RDF_FIRST, RDF_NIL, RDF_REST, XSD_STRING, Term

#: What a validator reads: one graph, or the union of several (a dataset and its vocabulary).
DataGraphs = GraphName | Sequence[GraphName] | None


def graph_list(graphs: DataGraphs) -> list[GraphName]:
    """The graphs to read, as a list (None means the default graph).

    >>> graph_list(None)
    [<DefaultGraph>]
    """
    if graphs is None:
        return [DefaultGraph()]
    if isinstance(graphs, NamedNode | BlankNode | DefaultGraph):
        return [graphs]
    return list(graphs)


# A local name that can follow "prefix:" without escaping (a safe subset of Turtle's PN_LOCAL).
_LOCAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")


def read_rdf_file(path: Path) -> tuple[list[Quad], dict[str, str]]:
    """Parse an RDF file (format from its extension) into quads and its declared prefixes.

    Blank nodes are renamed so that several files can be merged without their labels colliding.

    :raises SourceError: if the file is missing, of an unknown format, or not valid RDF.
    """
    try:
        fmt = RdfFormat.from_extension(path.suffix.lstrip("."))
        if fmt is None:
            raise SourceError("unknown RDF file extension", file=str(path))
        parser = pyoxigraph.parse(path=path, format=fmt, rename_blank_nodes=True)
        quads = list(parser)
    except (OSError, SyntaxError, ValueError) as error:
        raise SourceError(f"cannot read RDF: {error}", file=str(path)) from error
    return quads, dict(parser.prefixes)


def load_data_file(path: Path) -> MemoryGraph:
    """An in-memory graph holding the triples of one RDF file in its default graph.

    :raises SourceError: if the file cannot be read or parsed.
    """
    quads, _ = read_rdf_file(path)
    graph = MemoryGraph()
    graph.extend(Quad(q.subject, q.predicate, q.object, DefaultGraph()) for q in quads)
    return graph


class ShapesGraph:
    """The merged shapes files, held in an in-memory graph, with read helpers."""

    def __init__(self, graph: MemoryGraph, prefixes: dict[str, str]) -> None:
        self.graph = graph
        self.prefixes = {**PREFIXES, **prefixes}
        self._by_length = _longest_first(self.prefixes)

    @classmethod
    def load(cls, paths: Sequence[Path]) -> ShapesGraph:
        """Read and merge the shapes files.

        :raises SourceError: if a file cannot be read or parsed.
        """
        graph = MemoryGraph()
        prefixes: dict[str, str] = {}
        for path in paths:
            quads, declared = read_rdf_file(path)
            graph.extend(Quad(q.subject, q.predicate, q.object, DefaultGraph()) for q in quads)
            prefixes.update(declared)
        return cls(graph, prefixes)

    def objects(self, subject: Term, predicate: NamedNode) -> list[Term]:
        """Objects of ``subject predicate ?o``, in a stable order."""
        if isinstance(subject, Literal):
            return []
        found = self.graph.quads(subject, predicate)
        return sorted({_term(q.object) for q in found}, key=str)

    def subjects(self, predicate: NamedNode, obj: Term | None) -> list[Term]:
        """Subjects of ``?s predicate obj`` (any object when ``obj`` is None), in a stable order."""
        found = self.graph.quads(None, predicate, obj)
        return sorted({_term(q.subject) for q in found}, key=str)

    def value(self, subject: Term, predicate: NamedNode) -> Term | None:
        """One object of ``subject predicate ?o`` (the first in term order), or None."""
        objects = self.objects(subject, predicate)
        return objects[0] if objects else None

    def predicates(self, subject: Term) -> set[NamedNode]:
        """Every predicate used with ``subject``."""
        if isinstance(subject, Literal):
            return set()
        return {q.predicate for q in self.graph.quads(subject)}

    def items(self, head: Term) -> list[Term]:
        """The members of the RDF list starting at ``head``.

        :raises ValueError: if the list is malformed (no rdf:first, or a cycle).
        """
        members: list[Term] = []
        seen: set[Term] = set()
        node = head
        while node != RDF_NIL:
            first = self.value(node, RDF_FIRST)
            rest = self.value(node, RDF_REST)
            if first is None or rest is None or node in seen:
                raise ValueError(f"malformed RDF list at {node}")
            seen.add(node)
            members.append(first)
            node = rest
        return members

    def compact(self, term: Term) -> str:
        """A short form of a term for messages: ``prefix:local`` where a prefix fits."""
        return _compact(term, self._by_length)


def compact(term: Term, prefixes: dict[str, str]) -> str:
    """A short, unambiguous text form of a term.

    >>> compact(NamedNode("http://www.w3.org/ns/shacl#minCount"), {"sh": "http://www.w3.org/ns/shacl#"})
    'sh:minCount'
    >>> compact(Literal("x"), {})
    '"x"'
    """
    return _compact(term, _longest_first(prefixes))


def _longest_first(prefixes: dict[str, str]) -> list[tuple[str, str]]:
    """Prefixes by decreasing namespace length, so nested namespaces give the shortest name."""
    return sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))


def _compact(term: Term, prefixes: list[tuple[str, str]]) -> str:
    """`compact` with the prefixes already ordered."""
    if isinstance(term, NamedNode):
        for prefix, namespace in prefixes:
            local = term.value[len(namespace) :]
            if term.value.startswith(namespace) and _LOCAL_NAME.fullmatch(local):
                return f"{prefix}:{local}"
        return str(term)
    if isinstance(term, Literal) and term.language is None:
        if term.datatype == XSD_STRING:
            return str(Literal(term.value))
        return f"{Literal(term.value)}^^{_compact(term.datatype, prefixes)}"
    return str(term)


def _term(node: object) -> Term:
    """Narrow a pyoxigraph quad component to a Term (RDF-star triples are not shapes).

    :raises ValueError: for a quoted triple.
    """
    if isinstance(node, NamedNode | BlankNode | Literal):
        return node
    raise ValueError(f"unsupported RDF term {node!r}")


class _KeepBlankNodeIds(dict[str, rdflib.BNode]):
    """A bnode context for rdflib's N-Triples parser that keeps the labels it reads.

    rdflib otherwise invents fresh blank node ids, and then pyshacl's results could not be
    compared with the fast engine's, which reports the store's own blank nodes.
    """

    def get(self, key: str, default: object = None) -> rdflib.BNode:
        return rdflib.BNode(key)


def store_to_rdflib(store: MemoryGraph, graphs: DataGraphs = None) -> rdflib.Graph:
    """Copy graphs of a store into one rdflib graph through N-Triples, keeping bnode labels."""
    result = rdflib.Graph()
    for graph in graph_list(graphs):
        data = store.dump(graph)
        if data:
            result.parse(data=data, format="nt", bnode_context=_KeepBlankNodeIds())
    return result


def rdflib_to_store(graph: rdflib.Graph) -> MemoryGraph:
    """Copy an rdflib graph into an in-memory graph through N-Triples, keeping bnode labels."""
    store = MemoryGraph()
    data = graph.serialize(format="nt", encoding="utf-8")
    # Loading would rename blank nodes; parse keeps their labels.
    store.extend(pyoxigraph.parse(data, format=RdfFormat.N_TRIPLES))
    return store
