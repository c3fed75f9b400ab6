"""How deeply a SPARQL query nests and how many clauses it chains, measured before any parser
sees it.

Oxigraph's parser and planner, and rdflib's parser, recurse once per level of brackets,
parentheses and ``!``, and once per clause or operator chained in a group or an expression:
a few thousand of either overflow the engine's stack and kill its process, and a few hundred
``OPTIONAL``s already take it minutes to plan. One linear pass over the query's terminals
refuses such a query with ``400`` and the limit it broke, so neither parser ever sees it.

>>> check_shape("SELECT * { ?s ?p ?o OPTIONAL { ?s ?p ?o } FILTER(!(?o > 1)) }")
>>> check_shape("SELECT * WHERE " + "{" * 101 + "}" * 101)
Traceback (most recent call last):
...
opendatacommunities.errors.QueryTooComplexError: The query nests 101 levels deep ...
"""

from __future__ import annotations

from dataclasses import dataclass

from opendatacommunities.errors import QueryTooComplexError
from opendatacommunities.store.query.text import Token, tokens

#: The deepest nesting of brackets, parentheses and ``!`` a query may have.
MAX_DEPTH = 100
#: The most clauses and operators a query may chain (VALUES data not counted).
MAX_CLAUSES = 1000

_OPEN, _CLOSE = frozenset("{(["), frozenset(")]}")
_CLAUSE_WORDS = frozenset(
    {"OPTIONAL", "UNION", "MINUS", "BIND", "FILTER", "GRAPH", "SERVICE", "VALUES", "EXISTS"}
    | {"SELECT"}
)
_OPERATORS = frozenset(
    {".", ";", ",", "/", "|", "^", "&&", "||", "+", "-", "*", "=", "!=", "<", ">", "<=", ">="}
    | {"{", "(", "["}
)


@dataclass
class _Measure:
    depth: int = 0
    bangs: int = 0
    deepest: int = 0
    clauses: int = 0
    values_next: bool = False
    """Whether the next ``{`` opens a VALUES data block."""
    values_at: int | None = None
    """The depth a VALUES data block opened at, while inside one (its rows are not counted)."""

    def step(self, symbol: str) -> None:
        """Follow one bracket, ``!`` or other symbol."""
        self.bangs = self.bangs + 1 if symbol == "!" else 0
        if symbol == "{" and self.values_next:
            self.values_next, self.values_at = False, self.depth
        if symbol in _OPEN:
            self.depth += 1
        elif symbol in _CLOSE:
            self.depth = max(self.depth - 1, 0)
            if symbol == "}" and self.values_at is not None and self.depth <= self.values_at:
                self.values_at = None
        self.deepest = max(self.deepest, self.depth + self.bangs)

    def count(self, token: Token) -> None:
        """Count ``token`` if it chains a clause or an operator."""
        if self.values_at is not None:
            return
        word = token.text.upper() if token.kind == "word" else ""
        if word in _CLAUSE_WORDS or (token.kind == "other" and token.text in _OPERATORS):
            self.clauses += 1
        if word == "VALUES":
            self.values_next = True


def measure(query: str) -> tuple[int, int]:
    """The deepest nesting of ``query`` and the number of clauses and operators it chains.

    Brackets inside an IRI count too: ``<`` may be a comparison rather than an IRI's start.

    >>> measure("SELECT * { FILTER(!!!(1 + 2)) VALUES ?x { 1 2 3 } }")
    (5, 9)
    """
    shape = _Measure()
    for token in tokens(query):
        shape.count(token)
        if token.kind == "iri":
            for symbol in token.text:
                shape.step(symbol)
        else:
            shape.step(token.text if token.kind == "other" else "")
    return shape.deepest, shape.clauses


def surely_within(query: str) -> bool:
    """Whether counting characters alone shows ``query`` within both limits: it has no more
    brackets and ``!`` than ``MAX_DEPTH``, and no more operator characters and clause
    keywords than ``MAX_CLAUSES`` (each an upper bound of what ``measure`` finds). Most
    queries pass this way, in microseconds, without being tokenised.

    >>> surely_within("SELECT * { ?s ?p ?o }"), surely_within("ASK {" + "{}" * 100 + "}")
    (True, False)
    """
    if sum(query.count(symbol) for symbol in "{([!") > MAX_DEPTH:
        return False
    operators = sum(query.count(symbol) for symbol in ".;,/|^&+-*=<>{([")
    lowered = query.lower()
    keywords = sum(lowered.count(word.lower()) for word in _CLAUSE_WORDS)
    return operators + keywords <= MAX_CLAUSES


def check_shape(query: str) -> None:
    """Refuse ``query`` if it nests deeper than ``MAX_DEPTH`` or chains more than
    ``MAX_CLAUSES`` clauses and operators.

    :raises QueryTooComplexError: naming the limit.
    """
    if surely_within(query):
        return
    deepest, clauses = measure(query)
    if deepest > MAX_DEPTH:
        raise QueryTooComplexError(
            f"The query nests {deepest} levels deep (brackets, parentheses and '!'); this "
            f"endpoint's limit is {MAX_DEPTH}. Write it with fewer levels."
        )
    if clauses > MAX_CLAUSES:
        raise QueryTooComplexError(
            f"The query chains {clauses} clauses and operators (OPTIONAL, UNION, FILTER, "
            f"'.', '+' ...); this endpoint's limit is {MAX_CLAUSES}. Split it into smaller "
            "queries, or give long lists of values in a VALUES block."
        )
