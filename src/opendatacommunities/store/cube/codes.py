"""The codes of a cube's dimension: which they are, their labels (English or untagged first,
as resource pages choose), their hierarchy and the order to show them in.

Order: a code list's own (``ui:sortPriority``, parents before children), else a hierarchy
with siblings by label; periods by time; anything else by label.

>>> period_key("http://reference.data.gov.uk/id/quarter/2017-Q2")
(2017, 4, 1, 1)
>>> sorted(["year/2019", "month/2019-02", "quarter/2018-Q4"], key=period_key)
['quarter/2018-Q4', 'year/2019', 'month/2019-02']
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, QuerySolutions

from opendatacommunities.store.graph_store import GraphStore
from opendatacommunities.store.releases import Release
from opendatacommunities.store.result_rows import solutions
from opendatacommunities.vocab import LABEL_PROPERTIES, QB, SKOS, UI_SORT_PRIORITY

Labels = Callable[[str], str | None]
"""Where labels already read come from: IRI -> its label, if it has one."""
_PREF, _RDFS = LABEL_PROPERTIES
_BATCH = 2_000
_PERIOD = re.compile(r"(\d{4})(?:-(?:Q([1-4])|(\d{2})))?(?:-(\d{2}))?")


@dataclass(frozen=True)
class Code:
    """A value a dimension takes: its IRI, label, URL key, and its place in a hierarchy
    (``parent`` is the IRI of its broader code in the same dimension; ``total``: other codes
    are narrower than it)."""

    iri: str
    label: str
    key: str
    parent: str | None = None
    depth: int = 0
    total: bool = False


@dataclass
class _Found:
    iri: str
    label: str | None = None
    rank: tuple[int, int] = (99, 99)
    parent: str | None = None
    priority: float | None = None

    def offer(self, label: Literal, property_rank: int) -> None:
        language = (label.language or "").lower()
        rank = (
            0 if language in ("", "en") else 1 if language.startswith("en-") else 2,
            property_rank,
        )
        if rank < self.rank:
            self.label, self.rank = label.value, rank


def _fold_labels(found: dict[str, _Found], rows: QuerySolutions) -> None:
    for code, label, pref in rows:
        entry = found.get(code.value)
        if entry is None:
            entry = found[code.value] = _Found(code.value)
        if isinstance(pref, Literal):
            entry.offer(pref, 0)
        if isinstance(label, Literal):
            entry.offer(label, 1)


def _fold_hierarchy(found: dict[str, _Found], rows: QuerySolutions) -> None:
    for code, parent, priority in rows:
        entry = found.setdefault(code.value, _Found(code.value))
        if isinstance(parent, NamedNode) and entry.parent is None:
            entry.parent = parent.value
        if isinstance(priority, Literal):
            with contextlib.suppress(ValueError):  # not a number: no priority
                entry.priority = float(priority.value)


def _labels_query(source: str) -> str:
    return f"""SELECT ?code ?label ?pref WHERE {{ {source}
      OPTIONAL {{ ?code <{_RDFS}> ?label }} OPTIONAL {{ ?code <{_PREF}> ?pref }} }}"""


def read_labels(store: GraphStore, iris: Iterable[str]) -> dict[str, str]:
    """The best label of each IRI that has one (English or untagged first, then
    ``skos:prefLabel`` before ``rdfs:label``)."""
    wanted = list(dict.fromkeys(iris))
    found: dict[str, _Found] = {}
    for start in range(0, len(wanted), _BATCH):
        values = " ".join(str(NamedNode(iri)) for iri in wanted[start : start + _BATCH])
        _fold_labels(found, solutions(store, _labels_query(f"VALUES ?code {{ {values} }}")))
    return {iri: entry.label for iri, entry in found.items() if entry.label is not None}


def code_labels(release: Release, iris: Iterable[str]) -> dict[str, str]:
    """``read_labels`` in a release (for pages naming codes the cube's structure lacks)."""
    return read_labels(release.store, iris)


def read_codes(
    store: GraphStore,
    dataset: str,
    graph: str | None,
    dimension: str,
    codes_used: str | None,
    *,
    hierarchy: bool,
    labels: Labels | None = None,
) -> list[_Found]:
    """The codes ``dimension`` takes in the cube, with labels (and, with ``hierarchy``, their
    broader codes and sort priorities): from the cube's codes-used collection, else from its
    observations. ``labels`` gives labels already read (a release's lexicon), so that only
    the codes are asked for."""
    if codes_used is not None:
        source = f"<{codes_used}> <{SKOS}member> ?code ."
    elif graph is not None:
        source = f"""{{ SELECT DISTINCT ?code WHERE {{
          GRAPH <{graph}> {{ ?obs <{dimension}> ?code }} }} }}"""
    else:
        source = f"""{{ SELECT DISTINCT ?code WHERE {{
          ?obs <{QB}dataSet> <{dataset}> ; <{dimension}> ?code }} }}"""
    found: dict[str, _Found] = {}
    if labels is None:
        _fold_labels(found, solutions(store, _labels_query(source)))
    else:
        for (code,) in solutions(store, f"SELECT ?code WHERE {{ {source} }}"):
            found[code.value] = _Found(code.value, labels(code.value))
    if hierarchy:
        query = f"""SELECT ?code ?parent ?priority WHERE {{ {source}
          OPTIONAL {{ ?code <{SKOS}broader> ?parent }}
          OPTIONAL {{ ?code <{UI_SORT_PRIORITY}> ?priority }} }}"""
        _fold_hierarchy(found, solutions(store, query))
    return list(found.values())


def period_key(iri: str) -> tuple[int, int, int, int]:
    """Sorts reference periods by when they start, longer periods first: a year before its
    first quarter, its first quarter before its first month."""
    path = iri.rsplit("/id/", 1)[-1]
    match = _PERIOD.search(path)
    if match is None:
        return (9999, 99, 99, 9)
    year, quarter, month, day = match.groups()
    if quarter:
        return (int(year), (int(quarter) - 1) * 3 + 1, 1, 1)
    if month:
        return (int(year), int(month), int(day or 1), 3 if day else 2)
    return (int(year), 1, 1, 0)


def key_of(iri: str) -> str:
    """The short name of an IRI: what follows its last ``/`` or ``#``.

    >>> key_of("http://purl.org/linked-data/sdmx/2009/dimension#refArea")
    'refArea'
    """
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _keys(found: list[_Found]) -> dict[str, str]:
    """URL keys: the IRI's last segment, or the whole IRI where two codes share one."""
    keys = {e.iri: key_of(e.iri) for e in found}
    if len(set(keys.values())) < len(keys):
        counts: dict[str, int] = {}
        for key in keys.values():
            counts[key] = counts.get(key, 0) + 1
        keys = {iri: key if counts[key] == 1 else iri for iri, key in keys.items()}
    return keys


def ordered_codes(found: list[_Found], *, by_time: bool) -> tuple[Code, ...]:
    """Codes in display order (depth first through the hierarchy), with their depth and
    whether other codes are narrower than them."""
    keys = _keys(found)
    label = {e.iri: e.label or keys[e.iri] for e in found}
    if by_time:
        ranked = sorted(found, key=lambda e: (period_key(e.iri), label[e.iri].casefold()))
    else:
        ranked = sorted(
            found,
            key=lambda e: (
                float("inf") if e.priority is None else e.priority,
                label[e.iri].casefold(),
                keys[e.iri],
            ),
        )
    if not any(e.parent for e in found):
        return tuple(Code(e.iri, label[e.iri], keys[e.iri]) for e in ranked)
    parents = {e.iri: e.parent if e.parent in label and e.parent != e.iri else None for e in found}
    children: dict[str | None, list[str]] = {}
    for entry in ranked:
        children.setdefault(parents[entry.iri], []).append(entry.iri)
    codes: list[Code] = []
    stack = [(iri, 0) for iri in reversed(children.get(None, []))]
    while stack:
        iri, depth = stack.pop()
        below = children.get(iri, [])
        codes.append(Code(iri, label[iri], keys[iri], parents[iri], depth, bool(below)))
        stack += [(child, depth + 1) for child in reversed(below)]
    # Codes caught in a cycle of broader links have no top: shown after the rest, flat.
    placed = {code.iri for code in codes}
    codes += [Code(e.iri, label[e.iri], keys[e.iri]) for e in ranked if e.iri not in placed]
    return tuple(codes)
