"""The entries of a release's search index, read from its store: every labelled IRI with
its names and code (from the release's lexicon), its types, what it lies within and its
status (read from its store: seconds, done once per release)."""

from __future__ import annotations

from pyoxigraph import NamedNode, QuerySolutions

from opendatacommunities.store.graph_store import GraphStore
from opendatacommunities.store.lexicon import Lexicon
from opendatacommunities.store.search.parts import Entry
from opendatacommunities.vocab import RDF_TYPE

_TYPE = NamedNode(RDF_TYPE)


def _pairs(store: GraphStore, query: str) -> dict[str, set[str]]:
    """Subject IRI -> the values of ``?o``, from a query selecting ``?s ?o``."""
    found: dict[str, set[str]] = {}
    result = store.query(query, use_default_graph_as_union=True)
    assert isinstance(result, QuerySolutions)
    for subject, value in result:
        values = found.setdefault(str(subject.value), set())
        if value is not None:
            values.add(str(value.value))
    return found


def _types(store: GraphStore, iri: str) -> tuple[str, ...]:
    """The types of ``iri``, sorted. Asked IRI by IRI: for the tens of thousands of labelled
    IRIs, half the time of one query joining labels and types."""
    quads = store.quads_for_pattern(NamedNode(iri), _TYPE, None, None)
    return tuple(sorted({q.object.value for q in quads if isinstance(q.object, NamedNode)}))


def read_entries(
    lexicon: Lexicon, *, parent: str | None = None, status: str | None = None
) -> list[Entry]:
    """Every labelled IRI of the lexicon's store, with what each lies within along the
    property ``parent`` and its value of ``status``."""
    store = lexicon.store
    parents = _pairs(store, f"SELECT ?s ?o {{ ?s <{parent}> ?o }}") if parent else {}
    states = _pairs(store, f"SELECT ?s ?o {{ ?s <{status}> ?o }}") if status else {}
    entries = []
    for iri, word in lexicon.words.items():
        if word.label is None:
            continue
        state = min(states[iri]) if iri in states else None
        entries.append(
            Entry(
                iri,
                (word.label, *word.other_labels),
                word.notation,
                _types(store, iri),
                tuple(sorted(parents.get(iri, ()))),
                state,
            )
        )
    return entries
