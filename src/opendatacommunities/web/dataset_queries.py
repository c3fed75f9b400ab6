"""Example SPARQL queries for a dataset, made from its structure: what kinds of resource it
holds, a table of its commonest resources with the properties they use, and which
properties it uses. Each names the dataset's graph, so it runs on ``/sparql`` as it stands,
and declares the prefixes it uses, so it runs on any other SPARQL endpoint too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from opendatacommunities.iris import IriSpace, humanise, local_name
from opendatacommunities.store.dataset_profile import DatasetProfile
from opendatacommunities.web.cube.words import listing, plural

#: Properties shown as columns in the table of resources.
COLUMNS = 4
#: Rows the table of resources asks for.
ROWS = 100
_LOCAL = re.compile(r"[A-Za-z_][\w-]*")


@dataclass(frozen=True)
class ExampleQuery:
    """A query, what it asks in words, and the address that opens it in the editor."""

    title: str
    query: str
    href: str


class _Terms:
    """Writes IRIs as prefixed names where a well-known or site prefix fits, and remembers
    the prefixes used, to declare them."""

    def __init__(self, iris: IriSpace) -> None:
        self._prefixes = sorted(iris.prefixes.items(), key=lambda p: -len(p[1]))
        self.used: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        for prefix, namespace in self._prefixes:
            rest = iri[len(namespace) :]
            if iri.startswith(namespace) and _LOCAL.fullmatch(rest):
                self.used[prefix] = namespace
                return f"{prefix}:{rest}"
        return f"<{iri}>"

    def declared(self, body: str) -> str:
        lines = [f"PREFIX {p}: <{ns}>" for p, ns in sorted(self.used.items())]
        return "\n".join([*lines, body]) if lines else body


def _variable(iri: str, taken: set[str]) -> str:
    name = re.sub(r"\W", "_", local_name(iri)) or "value"
    name = name if name[0].isalpha() else f"v_{name}"
    while name in taken:
        name += "_"
    taken.add(name)
    return name


def _kinds(graph: str) -> str:
    return "\n".join(
        [
            "SELECT ?kind (COUNT(?resource) AS ?resources)",
            "WHERE {",
            f"  GRAPH <{graph}> {{ ?resource a ?kind }}",
            "}",
            "GROUP BY ?kind",
            "ORDER BY DESC(?resources)",
        ]
    )


def _table(iris: IriSpace, graph: str, profile: DatasetProfile) -> tuple[str, str]:
    """A table of the commonest resources, a column per property they use most."""
    terms, taken = _Terms(iris), {"resource"}
    chosen = profile.properties[:COLUMNS]
    columns = [(_variable(p, taken), p) for p in chosen]
    lines = [
        "SELECT ?resource " + " ".join(f"?{name}" for name, _ in columns),
        "WHERE {",
        f"  GRAPH <{graph}> {{",
        f"    ?resource a {terms(profile.classes[0].iri)} .",
        *(f"    OPTIONAL {{ ?resource {terms(p)} ?{name} }}" for name, p in columns),
        "  }",
        "}",
        f"LIMIT {ROWS}",
    ]
    kind = profile.classes[0]
    noun = plural((kind.label or humanise(kind.iri)).lower())
    words = listing([humanise(p) for p in chosen])
    title = f"The first {ROWS} {noun}" + (f", with their {words}" if words else "")
    return title, terms.declared("\n".join(lines))


def _properties(graph: str) -> str:
    return "\n".join(
        [
            "SELECT ?property (COUNT(*) AS ?uses)",
            "WHERE {",
            f"  GRAPH <{graph}> {{ ?resource ?property ?value }}",
            "}",
            "GROUP BY ?property",
            "ORDER BY DESC(?uses)",
        ]
    )


def _example(title: str, query: str) -> ExampleQuery:
    return ExampleQuery(title, query, "/sparql?query=" + quote(query, safe=""))


def example_queries(iris: IriSpace, name: str, profile: DatasetProfile) -> list[ExampleQuery]:
    """Two or three queries on the dataset ``name``: by kind, a table of its commonest kind
    of resource (when it has typed resources), and its properties."""
    graph = iris.dataset_graph(name)
    found = [_example("How many resources of each kind it holds", _kinds(graph))]
    if profile.classes:
        found.append(_example(*_table(iris, graph, profile)))
    found.append(_example("Which properties it uses, and how often", _properties(graph)))
    return found
