"""Which datasets a shapes file can apply to: its targets, against a dataset's classes and
predicates.

A dataset is checked again when a shapes file that targets it changes, and only then: a
file whose shapes target only classes and predicates a dataset does not use cannot change
that dataset's report. Targets this cannot judge (``sh:targetNode``, SPARQL-based targets)
are taken to hit every dataset.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode

from opendatacommunities.iris import AUTHORED_BASE
from opendatacommunities.validation import ShapesGraph
from opendatacommunities.vocab import RDF_TYPE, RDFS, SH

RDFS_CLASS = RDFS + "Class"


@dataclass(frozen=True)
class Targets:
    """The classes and predicates a shapes file's shapes target."""

    classes: frozenset[str]
    predicates: frozenset[str]
    everything: bool = False

    def hit(self, classes: list[str], predicates: list[str]) -> bool:
        """Whether a dataset with these classes and predicates can be a focus node."""
        return (
            self.everything
            or not self.classes.isdisjoint(classes)
            or not self.predicates.isdisjoint(predicates)
        )


def shape_targets(path: Path, base: str) -> Targets:
    """The targets of the shapes in one file (IRIs under the authored base also counted
    under ``base``, as the published data is).

    :raises SourceError: the file cannot be read or parsed.
    """
    graph = ShapesGraph.load([path]).graph

    def objects(predicate: str) -> set[str]:
        found = graph.quads(None, NamedNode(predicate))
        return {_rebased(str(q.object), base) for q in found}

    def subjects(predicate: str, value: str) -> set[str]:
        found = graph.quads(None, NamedNode(predicate), NamedNode(value))
        return {_rebased(str(q.subject), base) for q in found}

    classes = objects(SH + "targetClass") | subjects(RDF_TYPE, RDFS_CLASS)
    predicates = objects(SH + "targetSubjectsOf") | objects(SH + "targetObjectsOf")
    everything = bool(objects(SH + "targetNode") or objects(SH + "target"))
    return Targets(frozenset(classes), frozenset(predicates), everything)


def _rebased(term: str, base: str) -> str:
    """A term as N-Triples writes it, without brackets, moved from the authored base."""
    text = term.strip("<>")
    if text.startswith(AUTHORED_BASE + "/"):
        return base + text[len(AUTHORED_BASE) :]
    return text
