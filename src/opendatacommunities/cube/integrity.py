"""The RDF Data Cube integrity constraints IC-1 to IC-21 (W3C Recommendation, section 11.1).

Each constraint is the Recommendation's own query (``queries/ic-*.rq``, W3C text), asked as
a SELECT that names the offending nodes instead of an ASK that only says whether any exist,
over the normalised graph (section 10.2, ``normalise``). Two are evaluated differently, with
the same meaning:

* IC-12 (no duplicate observations) compares every pair of observations of a dataset in the
  Recommendation: quadratic, hours on a big cube. Here the store counts the observations at
  each point (GROUP BY the dimension values), which is linear; only when some point holds
  two are the observations read, to name them.
* IC-17 (all measures present in a measure-dimension cube) likewise counts the observations
  sharing each point in one aggregate, rather than pairing them.
* IC-11 (all dimensions required) first counts, per dataset, the observations that have a
  value for every dimension: when that is all of them the constraint holds, and the
  Recommendation's query (which names the offenders) runs only when it is not.
* IC-14 and IC-16 (all measures present; one measure per observation of a measure-dimension
  cube) are asked one dataset and one measure at a time, which lets the store use its
  indexes: as one query Oxigraph pairs every observation with every measure first (minutes
  on a cube of 300,000 observations, against seconds). (The Recommendation's query also
  uses a SELECT alias inside HAVING, which strict SPARQL 1.1 leaves unbound: the shipped
  ``ic-17...portable.rq`` is the corrected text, kept for reference.)

IC-19b (codes from a ``skos:Collection``) asks that each code be a member of the collection,
transitively, and not itself a collection; the Recommendation's query asks instead that the
code be typed ``skos:Concept`` as well, which fails untyped but listed codes.

IC-20 and IC-21 are templates: they are instantiated for each ``qb:parentChildProperty`` of
the data (IC-21 for those given as the inverse of a property).

Normalisation phase 1 is skipped when it would add nothing (``queries/phase-1-needed.rq``
asks), as for data compiled from a cube description, which is written in normalised form.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from importlib import resources

from pyoxigraph import NamedNode

from opendatacommunities.store.memory import MemoryGraph
from opendatacommunities.vocab import OWL_INVERSE_OF, QB

#: At most this many violations are reported per constraint (the first ones found).
MAX_PER_CONSTRAINT = 1000


@dataclass(frozen=True)
class IntegrityViolation:
    """One breach of an integrity constraint, with the node that breaks it."""

    constraint: str
    """``IC-12``; IC-19, IC-20 and IC-21 may carry a suffix (``IC-19a``)."""
    title: str
    words: str
    """The constraint in words, then what was found."""
    focus: str
    """The offending node: the observation where there is one, else the dataset, slice,
    structure or property."""
    path: str | None = None
    """The property involved, when there is one (to trace the CSV cell it came from)."""

    def to_text(self) -> str:
        """One line: constraint, title, node, property, and the words."""
        where = f" {self.path}" if self.path else ""
        return f"{self.constraint} {self.title}: {self.focus}{where}: {self.words}"


@dataclass(frozen=True)
class _Check:
    number: str
    file: str
    title: str
    focus: tuple[str, ...]
    """Variables naming the offending node, in order of preference."""
    path: str | None = None
    """The variable holding the property involved, if any."""


_CHECKS = (
    _Check("IC-1", "ic-01-unique-dataset", "Unique DataSet", ("obs",)),
    _Check("IC-2", "ic-02-unique-dsd", "Unique DSD", ("dataset",)),
    _Check("IC-3", "ic-03-dsd-includes-measure", "DSD includes measure", ("dsd",)),
    _Check("IC-4", "ic-04-dimensions-have-range", "Dimensions have range", ("dim",)),
    _Check(
        "IC-5",
        "ic-05-concept-dimensions-have-code-lists",
        "Concept dimensions have code lists",
        ("dim",),
    ),
    _Check(
        "IC-6",
        "ic-06-only-attributes-optional",
        "Only attributes may be optional",
        ("componentSpec",),
        "component",
    ),
    _Check("IC-7", "ic-07-slice-keys-declared", "Slice Keys must be declared", ("sliceKey",)),
    _Check(
        "IC-8",
        "ic-08-slice-keys-consistent-with-dsd",
        "Slice Keys consistent with DSD",
        ("slicekey",),
        "prop",
    ),
    _Check("IC-9", "ic-09-unique-slice-structure", "Unique slice structure", ("slice",)),
    _Check(
        "IC-10", "ic-10-slice-dimensions-complete", "Slice dimensions complete", ("slice",), "dim"
    ),
    _Check("IC-11", "ic-11-all-dimensions-required", "All dimensions required", ("obs",), "dim"),
    _Check("IC-13", "ic-13-required-attributes", "Required attributes", ("obs",), "attr"),
    _Check(
        "IC-15",
        "ic-15-measure-dimension-consistent",
        "Measure dimension consistent",
        ("obs",),
        "measure",
    ),
    _Check("IC-18", "ic-18-consistent-data-set-links", "Consistent data set links", ("obs",), None),
    _Check(
        "IC-19a",
        "ic-19a-codes-from-code-list-conceptscheme",
        "Codes from code list",
        ("obs",),
        "dim",
    ),
    _Check(
        "IC-19b", "ic-19b-codes-from-code-list-collection", "Codes from code list", ("obs",), "dim"
    ),
)
_HIERARCHY_PROPERTIES = f"""SELECT DISTINCT ?p WHERE {{
  ?hierarchy a <{QB}HierarchicalCodeList> ; <{QB}parentChildProperty> ?p . FILTER(isIRI(?p)) }}"""
_INVERSE_HIERARCHY_PROPERTIES = f"""SELECT DISTINCT ?p WHERE {{
  ?hierarchy a <{QB}HierarchicalCodeList> ; <{QB}parentChildProperty> ?pcp .
  FILTER(isBlank(?pcp)) ?pcp <{OWL_INVERSE_OF}> ?p . FILTER(isIRI(?p)) }}"""


def query_text(name: str) -> str:
    """The text of a shipped query file (``ic-12-no-duplicate-observations``, say)."""
    folder = resources.files("opendatacommunities.cube") / "queries"
    update = folder / f"{name}.ru"
    return (update if update.is_file() else folder / f"{name}.rq").read_text(encoding="utf-8")


def _words(name: str) -> str:
    # The second header line of each query file is the constraint in words.
    lines = [line for line in query_text(name).splitlines() if line.startswith("#")]
    return lines[1].lstrip("# ").strip() if len(lines) > 1 else ""


def _select(text: str) -> str:
    """The REC's ASK as a SELECT of every solution (the ASK is true when one exists)."""
    return text.replace("ASK {", "SELECT DISTINCT * WHERE {", 1) + f"\nLIMIT {MAX_PER_CONSTRAINT}"


def _run(store: MemoryGraph, check: _Check, text: str, words: str) -> Iterator[IntegrityViolation]:
    result = store.select(_select(text))
    names = [v.value for v in result.variables]
    for row in result:
        values = {n: row[n] for n in names if row[n] is not None}
        focus = next((values[v] for v in check.focus if v in values), None)
        path = values.get(check.path) if check.path else None
        shown = ", ".join(f"?{k} = {v}" for k, v in values.items())
        yield IntegrityViolation(
            constraint=check.number,
            title=check.title,
            words=f"{words} Found: {shown}.",
            focus=_plain(focus) if focus is not None else "(the data)",
            path=_plain(path) if path is not None else None,
        )


def _plain(term: object) -> str:
    value = getattr(term, "value", None)
    return str(value) if isinstance(term, NamedNode) and value is not None else str(term)


def normalise(store: MemoryGraph) -> None:
    """Apply the Recommendation's normalisation algorithm (section 10.2, phases 1 and 2) to
    the store's default graph, in place."""
    if store.ask(query_text("phase-1-needed")):
        store.update(query_text("phase-1-type-and-property-closure"))
    store.update(query_text("phase-2-push-down-attachment-levels"))


def _hierarchy_checks(store: MemoryGraph) -> Iterator[IntegrityViolation]:
    for number, name, finder, title in (
        ("IC-20", "ic-20-codes-from-hierarchy", _HIERARCHY_PROPERTIES, "Codes from hierarchy"),
        (
            "IC-21",
            "ic-21-codes-from-hierarchy-inverse",
            _INVERSE_HIERARCHY_PROPERTIES,
            "Codes from hierarchy (inverse)",
        ),
    ):
        text, words = query_text(name), _words(name)
        for row in store.select(finder):
            prop = row["p"]
            assert isinstance(prop, NamedNode)
            check = _Check(number, name, title, ("obs",), "dim")
            yield from _run(store, check, text.replace("<$p>", str(prop)), words)


Timings = dict[str, float]
"""Seconds spent on each step of a check (``normalisation``, ``IC-1``...), in order."""


def check_integrity(
    store: MemoryGraph, *, normalise_first: bool = True, timings: Timings | None = None
) -> list[IntegrityViolation]:
    """Every violation of IC-1 to IC-21 in the store's default graph (at most
    ``MAX_PER_CONSTRAINT`` per constraint), in constraint order.

    With ``normalise_first`` the store is normalised first (it is changed: pass a copy, or a
    store made for checking). ``timings``, when given, receives the seconds of each step.
    """
    spent: Timings = {} if timings is None else timings
    if normalise_first:
        started = time.perf_counter()
        normalise(store)
        spent["normalisation"] = time.perf_counter() - started
    found: list[IntegrityViolation] = []
    for number, step in _steps(store):
        started = time.perf_counter()
        found += step()
        spent[number] = spent.get(number, 0.0) + time.perf_counter() - started
    return found


Step = Callable[[], Iterable[IntegrityViolation]]


def _steps(store: MemoryGraph) -> Iterator[tuple[str, Step]]:
    """Each constraint and how to evaluate it, in constraint order."""
    for check in _CHECKS:
        if check.number == "IC-13":
            yield "IC-12", partial(duplicate_observations, store)
        if check.number == "IC-15":
            yield "IC-14", partial(missing_measures, store)
        if check.number == "IC-18":
            yield "IC-16", partial(extra_measures, store)
            yield "IC-17", partial(incomplete_measure_points, store)
        if check.number == "IC-11":
            yield check.number, partial(_all_dimensions, store, check)
        else:
            yield (
                check.number,
                partial(_run, store, check, query_text(check.file), _words(check.file)),
            )
    yield "IC-20/21", partial(_hierarchy_checks, store)


def _all_dimensions(store: MemoryGraph, check: _Check) -> Iterable[IntegrityViolation]:
    """IC-11: nothing when counting shows every observation has all its dimensions, else
    the Recommendation's query, naming the observations that do not."""
    if all(_complete(store, dataset, dims) for dataset, (dims, _, _) in _structures(store).items()):
        return []
    return _run(store, check, query_text(check.file), _words(check.file))


def _count(store: MemoryGraph, query: str) -> int:
    (row,) = store.select(query)
    value = row[0]
    return int(value.value) if value is not None else 0


def _complete(store: MemoryGraph, dataset: str, dims: list[str]) -> bool:
    """Whether every observation of ``dataset`` has a value for each of ``dims``."""
    patterns, _ = _point_pattern(dims)
    members = f"?obs <{QB}dataSet> <{dataset}>"
    everyone = _count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {members} }}")
    query = f"SELECT (COUNT(DISTINCT ?obs) AS ?n) WHERE {{ {members} {patterns} }}"
    return _count(store, query) == everyone


def _point_pattern(dims: list[str]) -> tuple[str, str]:
    """The triple patterns binding ``?v0``... to the values of ``dims``, and those variables."""
    patterns = " ".join(f"; <{dim}> ?v{index}" for index, dim in enumerate(dims))
    return patterns, " ".join(f"?v{index}" for index in range(len(dims)))


def _any_point(store: MemoryGraph, dataset: str, dims: list[str], having: str) -> bool:
    """Whether some point (values of ``dims``) of ``dataset`` has a number of observations
    ``?n`` for which ``having`` holds: one aggregate, evaluated by the store."""
    patterns, variables = _point_pattern(dims)
    group = f"GROUP BY {variables}" if dims else ""
    return store.ask(
        f"ASK {{ {{ SELECT (COUNT(?obs) AS ?n) WHERE {{ ?obs <{QB}dataSet> <{dataset}> "
        f"{patterns} }} {group} }} FILTER({having}) }}"
    )


def _structures(store: MemoryGraph) -> dict[str, tuple[list[str], int, bool]]:
    """Per dataset: its dimensions, its number of measures, whether it has qb:measureType."""
    query = f"""SELECT ?dataset ?prop ?kind WHERE {{
      ?dataset <{QB}structure>/<{QB}component>/<{QB}componentProperty> ?prop .
      ?prop a ?kind . FILTER(?kind IN (<{QB}DimensionProperty>, <{QB}MeasureProperty>)) }}"""
    dims: dict[str, set[str]] = defaultdict(set)
    measures: dict[str, set[str]] = defaultdict(set)
    for row in store.select(query):
        target = dims if row["kind"] == NamedNode(f"{QB}DimensionProperty") else measures
        target[_plain(row["dataset"])].add(_plain(row["prop"]))
    return {
        dataset: (sorted(found), len(measures[dataset]), f"{QB}measureType" in found)
        for dataset, found in dims.items()
    }


def _points(store: MemoryGraph, dataset: str, dims: list[str]) -> Iterator[tuple[str, int]]:
    """Each observation of ``dataset`` with a hash of its values of ``dims``, in one pass."""
    patterns, variables = _point_pattern(dims)
    query = f"SELECT ?obs {variables} WHERE {{ ?obs <{QB}dataSet> <{dataset}> {patterns} }}"
    for row in store.select(query):
        values = tuple(row)
        yield str(values[0]), hash(tuple(str(v) for v in values[1:]))


def duplicate_observations(store: MemoryGraph) -> list[IntegrityViolation]:
    """IC-12 in one pass per dataset: observations grouped by their dimension values."""
    words = _words("ic-12-no-duplicate-observations")
    found: list[IntegrityViolation] = []
    for dataset, (dims, _, _) in _structures(store).items():
        if not _any_point(store, dataset, dims, "?n > 1"):
            continue
        first: dict[int, str] = {}
        for obs, point in _points(store, dataset, dims):
            other = first.setdefault(point, obs)
            if other != obs and len(found) < MAX_PER_CONSTRAINT:
                found.append(
                    IntegrityViolation(
                        "IC-12",
                        "No duplicate observations",
                        f"{words} {obs} has the same dimension values as {other}.",
                        obs.strip("<>"),
                    )
                )
    return found


def incomplete_measure_points(store: MemoryGraph) -> list[IntegrityViolation]:
    """IC-17 in one pass per measure-dimension dataset: at every point (dimension values
    other than qb:measureType) there is one observation per measure."""
    words = _words("ic-17-all-measures-present-in-measures-dimension-cube.portable")
    found: list[IntegrityViolation] = []
    for dataset, (dims, measures, has_measure_type) in _structures(store).items():
        if not has_measure_type:
            continue
        others = [d for d in dims if d != f"{QB}measureType"]
        if not _any_point(store, dataset, others, f"?n != {measures}"):
            continue
        members: dict[int, list[str]] = defaultdict(list)
        for obs, point in _points(store, dataset, others):
            members[point].append(obs)
        for group in members.values():
            if len(group) != measures:
                for obs in group[: MAX_PER_CONSTRAINT - len(found)]:
                    found.append(
                        IntegrityViolation(
                            "IC-17",
                            "All measures present in measures dimension cube",
                            f"{words} {len(group)} observations at the point of {obs}, "
                            f"{measures} measures.",
                            obs.strip("<>"),
                            f"{QB}measureType",
                        )
                    )
    return found


def _violation(number: str, title: str, words: str, obs: str, path: str) -> IntegrityViolation:
    return IntegrityViolation(number, title, words, obs, path)


def missing_measures(store: MemoryGraph) -> list[IntegrityViolation]:
    """IC-14: in a cube without ``qb:measureType``, every observation has every measure."""
    words = _words("ic-14-all-measures-present")
    found: list[IntegrityViolation] = []
    for dataset, measures in _measures(store).items():
        if dataset in _measure_type_datasets(store):
            continue
        for measure in measures:
            query = f"""SELECT ?obs WHERE {{ ?obs <{QB}dataSet> <{dataset}> .
              FILTER NOT EXISTS {{ ?obs <{measure}> ?value }} }} LIMIT {MAX_PER_CONSTRAINT}"""
            for row in store.select(query):
                obs = _plain(row["obs"])
                text = f"{words} {obs} has no value for {measure}."
                found.append(_violation("IC-14", "All measures present", text, obs, measure))
    return found[:MAX_PER_CONSTRAINT]


def extra_measures(store: MemoryGraph) -> list[IntegrityViolation]:
    """IC-16: an observation of a measure-dimension cube has no measure other than the one
    its ``qb:measureType`` names. Walked from each measure's own triples (the predicate
    index), which the store's planner does not do for the query."""
    words = _words("ic-16-single-measure-on-measure-dimension-observation")
    title = "Single measure on measure dimension observation"
    found: list[IntegrityViolation] = []
    measure_type, in_dataset = NamedNode(f"{QB}measureType"), NamedNode(f"{QB}dataSet")
    for dataset in _measure_type_datasets(store):
        for measure in _measures(store).get(dataset, []):
            prop = NamedNode(measure)
            for quad in store.quads(None, prop):
                obs = quad.subject
                if not any(store.quads(obs, in_dataset, NamedNode(dataset))):
                    continue
                for named in store.quads(obs, measure_type):
                    if named.object != prop and len(found) < MAX_PER_CONSTRAINT:
                        text = f"{words} {obs} names {named.object} and also has {measure}."
                        found.append(_violation("IC-16", title, text, _plain(obs), measure))
    return found


def _measures(store: MemoryGraph) -> dict[str, list[str]]:
    query = f"""SELECT DISTINCT ?dataset ?measure WHERE {{
      ?dataset <{QB}structure>/<{QB}component>/<{QB}componentProperty> ?measure .
      ?measure a <{QB}MeasureProperty> }}"""
    found: dict[str, list[str]] = defaultdict(list)
    for row in store.select(query):
        found[_plain(row["dataset"])].append(_plain(row["measure"]))
    return found


def _measure_type_datasets(store: MemoryGraph) -> set[str]:
    query = f"""SELECT DISTINCT ?dataset WHERE {{
      ?dataset <{QB}structure>/<{QB}component>/<{QB}componentProperty> <{QB}measureType> }}"""
    return {_plain(row["dataset"]) for row in store.select(query)}
