"""A list request resolved against a release: property IRIs for the short names, SPARQL terms
for the values, the class and the dataset's graph. ``resolve`` turns ``ListParameters`` into a
``ListQuery`` or reports every name and value that stands for nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from opendatacommunities.errors import ParameterError, ParameterProblem
from opendatacommunities.store.listing.names import Kind, Vocabulary, value_term
from opendatacommunities.store.listing.params import Condition, ListParameters, Op, Path

T = TypeVar("T")
LABEL = "label"
"""The column and sort key of the name shown (``skos:prefLabel`` or ``rdfs:label``)."""


@dataclass(frozen=True)
class PropertyPath:
    """A path resolved: its property IRIs, as written, and what its values are."""

    iris: tuple[str, ...]
    text: str
    kind: Kind


@dataclass(frozen=True)
class Filter:
    """One condition on the items: values along ``path`` compared with ``term``."""

    op: Op
    path: PropertyPath
    term: str
    """A SPARQL term (written by pyoxigraph), or ``true``/``false`` for ``exists``."""
    choices: tuple[str, ...] | None = None
    """For text equal to a value: the value in each form the data holds (its languages),
    as SPARQL terms, when they are known."""


@dataclass(frozen=True)
class Sort:
    """A sort key: a path, or None for the name shown."""

    path: PropertyPath | None
    descending: bool


@dataclass(frozen=True)
class ListQuery:
    """What to list, resolved: everything in it is safe to write into SPARQL."""

    kind: str | None
    graph: str | None
    filters: tuple[Filter, ...]
    sort: tuple[Sort, ...]
    columns: tuple[PropertyPath | None, ...]
    page: int
    page_size: int
    candidates: tuple[str, ...] | None = None
    """The items the text (``q``) matched, when one was given."""

    @property
    def offset(self) -> int:
        """How many items come before this page."""
        return (self.page - 1) * self.page_size


@dataclass(frozen=True)
class Scope:
    """What the release offers to resolve a request against."""

    vocabulary: Vocabulary
    graph_of: Callable[[str], str | None]
    """The named graph a ``dataset`` value names, or None."""
    has_instances: Callable[[str], bool]
    """Whether a class has any member in the release."""


def _path(path: Path, name: str, vocabulary: Vocabulary) -> PropertyPath:
    iris = []
    for step in path.steps:
        try:
            iri = vocabulary.property_iri(step)
        except ParameterError as exc:  # a local name several properties have
            reason = "; ".join(f"{p.name} {p.reason}" for p in exc.problems)
            raise ParameterError([ParameterProblem(name, reason, path.text)]) from None
        if iri is None:
            reason = f"names a property not known here: {step!r} (use a CURIE such as rdfs:label)"
            raise ParameterError([ParameterProblem(name, reason, path.text)])
        iris.append(iri)
    kind = vocabulary.kind_of(iris[-1])
    if kind is None:
        reason = f"names a property no resource has: {vocabulary.curie(iris[-1])}"
        raise ParameterError([ParameterProblem(name, reason, path.text)])
    return PropertyPath(tuple(iris), path.text, kind)


_WHAT = {
    "number": "a number",
    "date": "a date (YYYY-MM-DD)",
    "datetime": "a date and time (YYYY-MM-DDThh:mm:ss)",
    "boolean": "true or false",
    "iri": "an IRI, a CURIE or a path of this site",
    "text": "text",
}


def _filter(condition: Condition, vocabulary: Vocabulary) -> Filter:
    path = _path(condition.path, condition.parameter, vocabulary)
    if condition.op == "exists":
        return Filter("exists", path, condition.value)
    term = value_term(path.kind, condition.value, vocabulary.base, vocabulary)
    if term is None:
        reason = f"must be {_WHAT[path.kind]}, as the values of {path.text} are"
        raise ParameterError([ParameterProblem(condition.parameter, reason, condition.value)])
    if condition.op == "eq" and path.kind == "text":
        choices = vocabulary.text_terms(path.iris[-1], condition.value)
        return Filter(condition.op, path, term, choices)
    return Filter(condition.op, path, term)


def _kind(parameters: ListParameters, scope: Scope) -> str | None:
    if not parameters.kind:
        return None
    iri = scope.vocabulary.class_iri(parameters.kind)
    if iri is None or value_term("iri", iri, scope.vocabulary.base, scope.vocabulary) is None:
        reason = "is not a class IRI, a CURIE or the name of a class with members"
        raise ParameterError([ParameterProblem("type", reason, parameters.kind)])
    return iri


def _graph(parameters: ListParameters, scope: Scope) -> str | None:
    if not parameters.dataset:
        return None
    graph = scope.graph_of(parameters.dataset)
    if graph is None:
        reason = "names no published dataset (give its name, its IRI or its graph's IRI)"
        raise ParameterError([ParameterProblem("dataset", reason, parameters.dataset)])
    return graph


def _attempt(problems: list[ParameterProblem], make: Callable[[], T]) -> T | None:
    try:
        return make()
    except ParameterError as exc:
        problems += exc.problems
        return None


def _sort(parameters: ListParameters, vocabulary: Vocabulary) -> tuple[Sort, ...]:
    keys = []
    for key in parameters.sort:
        path = None if key.path is None else _path(key.path, "_sort", vocabulary)
        keys.append(Sort(path, key.descending))
    return tuple(keys)


def _columns(parameters: ListParameters, vocabulary: Vocabulary) -> tuple[PropertyPath | None, ...]:
    return tuple(
        None if path is None else _path(path, "_properties", vocabulary)
        for path in parameters.properties
    )


def resolve(
    parameters: ListParameters, scope: Scope, candidates: tuple[str, ...] | None = None
) -> ListQuery:
    """``parameters`` resolved in ``scope``.

    :raises ParameterError: naming every parameter whose names or values stand for nothing.
    """
    problems: list[ParameterProblem] = []
    vocabulary = scope.vocabulary
    kind = _attempt(problems, lambda: _kind(parameters, scope))
    graph = _attempt(problems, lambda: _graph(parameters, scope))
    filters = [_attempt(problems, partial(_filter, c, vocabulary)) for c in parameters.conditions]
    sort = _attempt(problems, lambda: _sort(parameters, vocabulary))
    columns = _attempt(problems, lambda: _columns(parameters, vocabulary))
    if problems or sort is None or columns is None:
        raise ParameterError(problems)
    return ListQuery(
        kind,
        graph,
        tuple(f for f in filters if f is not None),
        sort,
        columns,
        parameters.page,
        parameters.page_size,
        candidates,
    )
