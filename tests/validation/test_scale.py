"""At scale only the fast engine runs: 50,000 generated areas, seven injected violations.

No timing is asserted (benchmarks measure speed); the test shows that the one-query-per-
constraint engine finds exactly the injected violations among about 300,000 triples.
"""

from __future__ import annotations

from pyoxigraph import NamedNode

from opendatacommunities.validation import validate
from tests.plugins.geography import geography_store
from tests.plugins.project import VALIDATION_GEOGRAPHY


def test_fifty_thousand_areas_have_exactly_the_seven_injected_violations() -> None:
    store, injected = geography_store(8100)
    notation = NamedNode("http://www.w3.org/2004/02/skos/core#notation")
    assert len(list(store.quads(None, notation))) >= 50_000
    report = validate(store, [VALIDATION_GEOGRAPHY / "shapes.ttl"])
    assert not report.notes
    assert {(v.focus, v.component) for v in report.violations} == {
        (i.focus, i.component) for i in injected
    }
    assert len(report.violations) == 7


def test_the_generated_areas_conform_without_the_injected_ones() -> None:
    store, injected = geography_store(300, inject=False)
    assert not injected
    assert validate(store, [VALIDATION_GEOGRAPHY / "shapes.ttl"]).conforms
