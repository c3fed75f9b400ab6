"""The entries of a release's search index, read from its store: every labelled IRI with
its names and code (from the release's lexicon), its types, what it lies within and its
status (three SPARQL queries over the whole store: seconds, done once per release)."""

from __future__ import annotations

from pyoxigraph import QuerySolutions, Store

from opendatacommunities.store.lexicon import Lexicon
from opendatacommunities.store.search.parts import Entry
from opendatacommunities.vocab import LABEL_PROPERTIES, RDF_TYPE


def _pairs(store: Store, query: str) -> dict[str, set[str]]:
    """Subject IRI -> the values of ``?o``, from a query selecting ``?s ?o``."""
    found: dict[str, set[str]] = {}
    result = store.query(query, use_default_graph_as_union=True)
    assert isinstance(result, QuerySolutions)
    for subject, value in result:
        values = found.setdefault(str(subject.value), set())
        if value is not None:
            values.add(str(value.value))
    return found


def _types_of_labelled(store: Store) -> dict[str, set[str]]:
    """The types of every labelled subject. The OPTIONAL makes Oxigraph start from the
    labels (some tens of thousands), not from every typed observation (millions)."""
    labels = "|".join(f"<{p}>" for p in LABEL_PROPERTIES)
    query = f"SELECT ?s ?o {{ ?s {labels} ?l OPTIONAL {{ ?s <{RDF_TYPE}> ?o }} }}"
    return _pairs(store, query)


def read_entries(
    lexicon: Lexicon, *, parent: str | None = None, status: str | None = None
) -> list[Entry]:
    """Every labelled IRI of the lexicon's store, with what each lies within along the
    property ``parent`` and its value of ``status``."""
    store = lexicon.store
    types = _types_of_labelled(store)
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
                tuple(sorted(types.get(iri, ()))),
                tuple(sorted(parents.get(iri, ()))),
                state,
            )
        )
    return entries
