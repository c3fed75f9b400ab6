"""The parameters of a list (``/resources``), read the way the Linked Data API reads them:
``type``, ``dataset``, ``q``, ``{path}={value}``, ``min-{path}``, ``max-{path}``,
``exists-{path}``, ``_sort``, ``_page`` (or ``page``), ``_pageSize`` and ``_properties``.

This is the reading alone: names are split into property paths (``parent.label``) but not yet
looked up, and values are kept as text; ``store.listing.names`` resolves both against a
release. Every problem is reported at once, each naming its parameter and value.

>>> read_parameters([("type", "Ward"), ("min-population", "100"), ("_sort", "-label")], max_page=9)
... # doctest: +ELLIPSIS
ListParameters(kind='Ward', dataset='', text='', conditions=(Condition(op='min', ...
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from opendatacommunities.errors import ParameterError, ParameterProblem

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
"""The largest ``_pageSize``: a page is rendered whole, and its values fetched in one query."""
MAX_CONDITIONS = 20
MAX_STEPS = 5
MAX_COLUMNS = 30
MAX_SORT_KEYS = 5
MAX_VALUE = 500
"""The longest value of any parameter, in characters (a long IRI fits)."""
MAX_TEXT = 200
"""The longest text (``q``), as for a search."""

NO_NAME = "(no name)"
"""How a parameter with an empty name (``?=x``) is named in messages."""
Op = Literal["eq", "min", "max", "exists"]
_OPERATORS: tuple[tuple[str, Op], ...] = (("min-", "min"), ("max-", "max"), ("exists-", "exists"))
RESERVED = ("type", "dataset", "q", "page", "_page", "_pageSize", "_sort", "_properties")
"""The parameters that are not filters."""


@dataclass(frozen=True)
class Path:
    """A property path as written: short names separated by dots (``parent.label``)."""

    steps: tuple[str, ...]

    @property
    def text(self) -> str:
        """The path as it was written."""
        return ".".join(self.steps)


@dataclass(frozen=True)
class Condition:
    """One filter: values along ``path`` equal to, at least, at most ``value``, or whether
    there are any (``exists``, value ``true`` or ``false``)."""

    op: Op
    path: Path
    value: str
    parameter: str
    """The parameter as given, for messages."""


@dataclass(frozen=True)
class SortKey:
    """One key of ``_sort``: a path, or None for the name shown (``label``)."""

    path: Path | None
    descending: bool


@dataclass(frozen=True)
class ListParameters:
    """Everything a list request asks for, read but not yet resolved."""

    kind: str = ""
    dataset: str = ""
    text: str = ""
    conditions: tuple[Condition, ...] = ()
    sort: tuple[SortKey, ...] = ()
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    properties: tuple[Path | None, ...] = ()
    """The columns asked for by ``_properties`` (None: the name shown), or none for the
    default columns."""

    @property
    def store_needed(self) -> bool:
        """Whether anything beyond a type, a text and a page is asked for."""
        return bool(self.dataset or self.conditions or self.sort or self.properties)


class _Problems:
    """Problems found so far, each naming its parameter and value."""

    def __init__(self) -> None:
        self.found: list[ParameterProblem] = []

    def add(self, name: str, reason: str, value: str | None = None) -> None:
        self.found.append(ParameterProblem(name, reason, value))


def path_of(text: str, name: str, problems: _Problems) -> Path | None:
    """The path ``text`` writes, or None (and a problem noted) when it is malformed."""
    steps = tuple(text.split("."))
    if any(not step or not step.isprintable() or " " in step for step in steps):
        problems.add(name, "is not a property path (short names separated by dots)", text)
        return None
    if len(steps) > MAX_STEPS:
        problems.add(name, f"is a path of more than {MAX_STEPS} properties", text)
        return None
    return Path(steps)


def _whole(name: str, text: str, top: int, problems: _Problems) -> int:
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= top:
        problems.add(name, f"must be a whole number from 1 to {top}", text)
        return 1
    return int(text)


def _sort(text: str, problems: _Problems) -> tuple[SortKey, ...]:
    keys = []
    for part in text.split(","):
        descending = part.startswith("-")
        written = part[1:] if descending else part
        if written == "label":
            keys.append(SortKey(None, descending))
        elif (path := path_of(written, "_sort", problems)) is not None:
            keys.append(SortKey(path, descending))
    if len(keys) > MAX_SORT_KEYS:
        problems.add("_sort", f"has more than {MAX_SORT_KEYS} keys", text)
    return tuple(keys)


def _columns(text: str, problems: _Problems) -> tuple[Path | None, ...]:
    columns: list[Path | None] = []
    for part in text.split(","):
        columns.append(None if part == "label" else path_of(part, "_properties", problems))
    if len(columns) > MAX_COLUMNS:
        problems.add("_properties", f"names more than {MAX_COLUMNS} columns", text)
    return tuple(dict.fromkeys(columns))


def _condition(name: str, value: str, problems: _Problems) -> Condition | None:
    op: Op = "eq"
    written = name
    for prefix, found in _OPERATORS:
        if name.startswith(prefix):
            op, written = found, name[len(prefix) :]
            break
    if name.startswith("_"):
        problems.add(name, "is not a parameter of lists (they take: " + ", ".join(RESERVED) + ")")
        return None
    if op == "exists" and value not in ("true", "false"):
        problems.add(name, "must be true or false", value)
        return None
    path = path_of(written, name, problems)
    return None if path is None else Condition(op, path, value, name)


def _single(items: Sequence[tuple[str, str]], problems: _Problems) -> dict[str, str]:
    """The reserved parameters, each given at most once."""
    given: dict[str, str] = {}
    for name, value in items:
        if name not in RESERVED:
            continue
        if name in given:
            problems.add(name, "is given more than once; give it once", value)
        given[name] = value.strip()
    if "page" in given and "_page" in given:
        problems.add("_page", "and page are both given; give one", given["_page"])
    return given


def _conditions(items: Sequence[tuple[str, str]], problems: _Problems) -> tuple[Condition, ...]:
    conditions = []
    for name, value in items:
        if name in RESERVED:
            continue
        if not value.strip():
            problems.add(name, "is missing its value", value)
        elif (condition := _condition(name, value.strip(), problems)) is not None:
            conditions.append(condition)
    if len(conditions) > MAX_CONDITIONS:
        problems.add("filters", f"are more than {MAX_CONDITIONS}; give fewer")
    return tuple(conditions)


def read_parameters(items: Sequence[tuple[str, str]], *, max_page: int) -> ListParameters:
    """The list ``items`` (a query string's name, value pairs, in order) asks for; pages go
    up to ``max_page`` (the site's one bound on pages).

    :raises ParameterError: naming every parameter that is unknown, repeated, malformed or
        out of range, with its value.
    """
    problems = _Problems()
    for name, value in items:
        if len(value) > MAX_VALUE or len(name) > MAX_VALUE:
            problems.add(name[:MAX_VALUE], f"is longer than {MAX_VALUE} characters")
        elif not name:
            problems.add(NO_NAME, "is not a parameter of lists: give a name before the =", value)
    if problems.found:
        raise ParameterError(problems.found)
    given = _single(items, problems)
    if len(given.get("q", "")) > MAX_TEXT:
        problems.add("q", f"may be at most {MAX_TEXT} characters long", given["q"])
    page_text = given.get("_page", given.get("page", "1"))
    page_name = "_page" if "_page" in given else "page"
    size_text = given.get("_pageSize", str(DEFAULT_PAGE_SIZE))
    parameters = ListParameters(
        kind=given.get("type", ""),
        dataset=given.get("dataset", ""),
        text=given.get("q", ""),
        conditions=_conditions(items, problems),
        sort=_sort(given["_sort"], problems) if given.get("_sort") else (),
        page=_whole(page_name, page_text, max_page, problems),
        page_size=_whole("_pageSize", size_text, MAX_PAGE_SIZE, problems),
        properties=_columns(given["_properties"], problems) if given.get("_properties") else (),
    )
    if not _selects(parameters):
        problems.add(
            "type",
            "is missing: give the type to list (a class IRI or name), a dataset, q or a filter",
        )
    if problems.found:
        raise ParameterError(problems.found)
    return parameters


def _selects(parameters: ListParameters) -> bool:
    """Whether ``parameters`` say what to list: something every item must have."""
    positive = any(c.op != "exists" or c.value == "true" for c in parameters.conditions)
    return bool(parameters.kind or parameters.dataset or parameters.text or positive)
