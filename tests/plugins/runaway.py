"""A store and a query for memory tests: labels long enough that a cross product of them,
concatenated, needs gigabytes."""

from __future__ import annotations

#: A cross product of 2,000 long labels concatenated: gigabytes, unless stopped.
RUNAWAY = """SELECT (GROUP_CONCAT(CONCAT(?a, ?b, ?a, ?b, ?a, ?b); separator=",") AS ?all)
WHERE { ?x <http://example.org/label> ?a . ?y <http://example.org/label> ?b }"""


def labels(count: int) -> str:
    """Turtle for ``count`` resources, each with a 1,000-character label."""
    return "\n".join(
        f'<http://example.org/r{i}> <http://example.org/label> "{"x" * 994}{i:06d}" .'
        for i in range(count)
    )
