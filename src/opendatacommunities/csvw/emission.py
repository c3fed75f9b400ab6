"""How one column's cells become triples (csv2rdf §4.2, the steps for each cell).

Everything that does not depend on the row is worked out once per column: constant
predicates and constant value URLs become ready-made terms. Within a row, a template shared
by several columns (an observation's ``aboutUrl``, say) is expanded once and reused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote

from opendatacommunities.vocab import CSVW, RDF, XSD_STRING

from .cells import CellValue
from .datatypes import Value
from .model import Column
from .templates import Template, compile_template, to_url
from .terms import BlankNodes, iri, literal

_DESCRIBES = iri(CSVW + "describes")
_FIRST, _REST, _NIL = iri(RDF + "first"), iri(RDF + "rest"), iri(RDF + "nil")


@dataclass
class Cell:
    """What the cells of one row share: template variables, the default subject, the row
    node (standard mode), and the terms already expanded in this row."""

    variables: dict[str, object]
    default_subject: str
    row_node: str | None
    blanks: BlankNodes
    expanded: dict[Template, str] = field(default_factory=dict)
    described: set[str] = field(default_factory=set)


class ColumnOutput:
    """Everything about how one column's cells become triples, decided once."""

    def __init__(self, column: Column, url: str, base: str) -> None:
        self.column, self.url = column, url
        self.suppressed = column.suppress_output
        self.virtual = column.virtual
        self.about = _compiled(column.about_url)
        self.value_url = _compiled(column.value_url)
        self.property = _compiled(column.property_url)
        self._column_vars = {
            "_column": column.number,
            "_sourceColumn": column.number,
            "_name": unquote(column.name),
        }
        self.fixed_subject = self._constant(self.about)
        self.fixed_value = self._constant(self.value_url)
        self.fixed_predicate = (
            iri(base + "#" + column.name)
            if self.property is None
            else self._constant(self.property)
        )
        string_base = column.datatype.base == "string"
        self.language = column.lang if string_base and column.lang != "und" else None
        self.ordered = column.ordered
        # The common case of a virtual column: fixed predicate and value, so each row only
        # needs its subject; the rest of the line is made once.
        self.suffix = (
            f" {self.fixed_predicate} {self.fixed_value} .\n"
            if self.fixed_predicate and self.fixed_value
            else None
        )

    def _constant(self, template: Template | None) -> str | None:
        if template is None:
            return None
        if template.names - set(self._column_vars):
            return None
        return iri(to_url(template.expand(self._column_vars), self.url))

    def _term(self, template: Template, cell: Cell) -> str:
        term = cell.expanded.get(template)
        if term is not None:
            return term
        if template.per_column:
            variables = {**cell.variables, **self._column_vars}
            return iri(to_url(template.expand(variables), self.url))
        term = cell.expanded[template] = iri(to_url(template.expand(cell.variables), self.url))
        return term

    def term(self, value: Value) -> str:
        """The literal for one value: language-tagged for strings, typed otherwise."""
        if value.datatype == XSD_STRING:
            return literal(value.lexical, language=self.language)
        return literal(value.lexical, value.datatype)

    def subject(self, out: list[str], cell: Cell) -> str:
        """This column's subject in the current row (saying the row describes it, once)."""
        about = self.about
        if self.fixed_subject:
            subject = self.fixed_subject
        elif about is None:
            subject = cell.default_subject
        else:
            subject = cell.expanded.get(about) or self._term(about, cell)
        if cell.row_node is not None and subject not in cell.described:
            cell.described.add(subject)
            out.append(f"{cell.row_node} {_DESCRIBES} {subject} .\n")
        return subject

    def emit(self, out: list[str], value: CellValue, cell: Cell) -> None:
        """Append the triples for this column's cell in the current row."""
        subject = self.subject(out, cell)
        if self.suffix is not None:
            if value is not None or self.virtual:
                out.append(subject + self.suffix)
            return
        predicate = self.fixed_predicate or self._term(self.property, cell)  # type: ignore[arg-type]
        if self.value_url is not None:
            if value is not None or self.virtual:
                target = self.fixed_value or self._term(self.value_url, cell)
                out.append(f"{subject} {predicate} {target} .\n")
        elif isinstance(value, list):
            self._emit_list(out, subject, predicate, value, cell.blanks)
        elif value is not None:
            out.append(f"{subject} {predicate} {self.term(value)} .\n")

    def _emit_list(
        self, out: list[str], subject: str, predicate: str, values: list[Value], blanks: BlankNodes
    ) -> None:
        if not self.ordered:
            out.extend(f"{subject} {predicate} {self.term(item)} .\n" for item in values)
            return
        node = blanks.new() if values else _NIL
        out.append(f"{subject} {predicate} {node} .\n")
        for position, item in enumerate(values):
            following = blanks.new() if position < len(values) - 1 else _NIL
            out.append(f"{node} {_FIRST} {self.term(item)} .\n{node} {_REST} {following} .\n")
            node = following


class Emitter:
    """Writes one row's triples for one column, or for a run of virtual columns that share a
    subject and have fixed predicates and values (an observation's type, dataset, measure
    type...): those cost one string join per row instead of one call per column."""

    def __init__(self, index: int, outputs: list[ColumnOutput]) -> None:
        self.index, self.first = index, outputs[0]
        grouped = len(outputs) > 1 or (outputs[0].virtual and outputs[0].suffix is not None)
        self.pieces = ["", *(o.suffix or "" for o in outputs)] if grouped else None

    def emit(self, out: list[str], values: list[CellValue], cell: Cell) -> None:
        """Append the triples for the current row."""
        if self.pieces is None:
            self.first.emit(out, values[self.index], cell)
        else:
            out.append(self.first.subject(out, cell).join(self.pieces))


def plan_emitters(outputs: list[ColumnOutput]) -> list[Emitter]:
    """Group the fixed virtual columns that share a subject; keep the rest single.

    Grouping changes the order of lines within a row, never the graph.
    """
    emitters: list[Emitter] = []
    groups: dict[tuple[object, str | None], list[int]] = {}
    for index, output in enumerate(outputs):
        if output.suppressed:
            continue
        if output.virtual and output.suffix is not None:
            groups.setdefault((output.about, output.fixed_subject), []).append(index)
        else:
            emitters.append(Emitter(index, [output]))
    for indexes in groups.values():
        emitters.append(Emitter(indexes[0], [outputs[i] for i in indexes]))
    return emitters


def _compiled(source: str | None) -> Template | None:
    return None if source is None else compile_template(source)
