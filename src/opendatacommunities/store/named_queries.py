"""Named queries: ``queries/{name}.rq`` files with a header that says what they do and what
parameters they take.

The header is the comment lines at the top of the file::

    # title: Wards of a council area
    # description: The electoral wards in a council area or local authority, by name.
    # parameter: area iri The council area (its /id/ URI)
    # example: area=http://localhost:8000/id/statistical-geography/S12000049

A parameter is a variable of the query (``?area``). Its value is bound as a typed RDF term
(pyoxigraph ``substitutions``), never pasted into the query text, so no value can change
what the query does.

>>> Parameter("n", "integer", "").term("42")
<Literal value=42 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pyoxigraph import Literal, NamedNode, QuerySolutions, Store

from opendatacommunities.errors import MetadataError, ParameterError, ParameterProblem
from opendatacommunities.vocab import XSD

#: Parameter types and the XSD datatype of their literals (None: an IRI, or a plain string).
TYPES: dict[str, str | None] = {
    "iri": None,
    "string": None,
    "integer": XSD + "integer",
    "decimal": XSD + "decimal",
    "boolean": XSD + "boolean",
    "date": XSD + "date",
}
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_HEADER = re.compile(r"^#\s*(title|description|parameter|example)\s*:\s*(.*)$")


def iri_error(text: str) -> str | None:
    """Why ``text`` is not an absolute IRI, or None when it is one.

    >>> iri_error("http://example.org/a"), iri_error("x")
    (None, 'No scheme found in an absolute IRI')
    """
    try:
        NamedNode(text)
    except ValueError as exc:
        return str(exc)
    return None


# XML Schema's lexical forms, which Python's parsers exceed (digit separators, digits of
# other scripts, exponents, NaN, dates without dashes).
_LEXICAL = {
    "integer": re.compile(r"[+-]?[0-9]+"),
    "decimal": re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"),
    "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    "boolean": re.compile(r"true|false"),
}


def _check(kind: str, text: str) -> bool:
    pattern = _LEXICAL.get(kind)
    if pattern is not None and not pattern.fullmatch(text):
        return False
    if kind == "date":
        try:
            date.fromisoformat(text)
        except ValueError:
            return False
    return True


@dataclass(frozen=True)
class Parameter:
    """One parameter of a named query."""

    name: str
    type: str
    description: str
    example: str | None = None

    def term(self, text: str) -> NamedNode | Literal:
        """The RDF term ``text`` stands for.

        :raises ParameterError: when ``text`` is not a valid value of the parameter's type.
        """
        if self.type == "iri":
            error = iri_error(text)
            if error is not None:
                reason = f"is not an absolute IRI: {text!r} ({error})"
                raise ParameterError([ParameterProblem(self.name, reason, text)])
            return NamedNode(text)
        if not _check(self.type, text):
            reason = f"is not a valid {self.type}: {text!r}"
            raise ParameterError([ParameterProblem(self.name, reason, text)])
        datatype = TYPES[self.type]
        return Literal(text, datatype=NamedNode(datatype)) if datatype else Literal(text)


@dataclass(frozen=True)
class NamedQuery:
    """A query file with its header read."""

    name: str
    title: str
    description: str
    text: str
    parameters: tuple[Parameter, ...] = field(default=())

    def bind(self, given: Mapping[str, Sequence[str]]) -> dict[str, NamedNode | Literal]:
        """Typed terms for the parameters, from every value ``given`` for each name.

        :raises ParameterError: naming every parameter missing, unknown, repeated or with a
            value not of its type, all at once.
        """
        names = [p.name for p in self.parameters]
        problems = [
            ParameterProblem(
                name, f"is not a parameter of this query (it takes: {', '.join(names)})"
            )
            for name in given
            if name not in names
        ]
        bound: dict[str, NamedNode | Literal] = {}
        for parameter in self.parameters:
            try:
                bound[parameter.name] = parameter.term(_one(parameter.name, given))
            except ParameterError as exc:
                problems += exc.problems
        if problems:
            raise ParameterError(problems)
        return bound


def _one(name: str, given: Mapping[str, Sequence[str]]) -> str:
    values = given.get(name, ())
    if len(values) > 1:
        reason = f"is given {len(values)} values; give one"
        raise ParameterError([ParameterProblem(name, reason)])
    text = values[0].strip() if values else ""
    if not text:
        raise ParameterError([ParameterProblem(name, "is missing: give a value")])
    return text


def _parameter(path: Path, text: str) -> Parameter:
    name, _, rest = text.partition(" ")
    kind, _, description = rest.strip().partition(" ")
    if not _NAME.match(name) or kind not in TYPES:
        raise MetadataError(
            f"a parameter line reads 'NAME TYPE description' with TYPE one of "
            f"{', '.join(TYPES)}; got {text!r}",
            file=str(path),
        )
    return Parameter(name, kind, description.strip())


def read_named_query(path: Path, *, base_iri: str, authored_base: str) -> NamedQuery:
    """Read one query file; ``authored_base`` IRIs in examples are rewritten to ``base_iri``.

    :raises MetadataError: a malformed header, naming the file.
    """
    text = path.read_text(encoding="utf-8").replace(authored_base, base_iri)
    header: dict[str, str] = {}
    parameters: list[Parameter] = []
    examples: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match is None:
            continue
        key, value = match.groups()
        if key == "parameter":
            parameters.append(_parameter(path, value))
        elif key == "example":
            name, _, example = value.partition("=")
            examples[name.strip()] = example.strip()
        else:
            header[key] = value.strip()
    if "title" not in header:
        raise MetadataError("a named query needs a '# title:' line", file=str(path))
    with_examples = tuple(
        Parameter(p.name, p.type, p.description, examples.get(p.name)) for p in parameters
    )
    return NamedQuery(
        path.stem, header["title"], header.get("description", ""), text, with_examples
    )


def load_named_queries(folder: Path, *, base_iri: str, authored_base: str) -> dict[str, NamedQuery]:
    """Every ``*.rq`` in ``folder`` by name (none if the folder does not exist)."""
    if not folder.is_dir():
        return {}
    return {
        path.stem: read_named_query(path, base_iri=base_iri, authored_base=authored_base)
        for path in sorted(folder.glob("*.rq"))
    }


def result_variables(query: NamedQuery) -> tuple[str, ...]:
    """The names of the columns a SELECT query's results have, read by running it on an
    empty store (quick, and the query's own parser says what it projects).

    >>> text = "SELECT ?area ?share WHERE { ?area <http://e/p> ?share }"
    >>> result_variables(NamedQuery("q", "Q", "", text))
    ('area', 'share')

    :raises MetadataError: the query is not valid SPARQL, or not a SELECT query.
    """
    try:
        results = Store().query(query.text)
    except SyntaxError as exc:
        raise MetadataError(f"not valid SPARQL: {exc}", file=f"queries/{query.name}.rq") from None
    if not isinstance(results, QuerySolutions):
        raise MetadataError("not a SELECT query", file=f"queries/{query.name}.rq")
    return tuple(variable.value for variable in results.variables)
