"""Generated statistical geography at any size, with seven known violations of the shapes.

The shapes are ``tests/data/validation/geography/shapes.ttl``; the areas follow the GSS code
patterns (S92 country, S12 council area, S13 ward, S02 intermediate zone, S01 data zone).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pyoxigraph import NamedNode, RdfFormat

from opendatacommunities.store.memory import MemoryGraph
from tests.plugins.project import BASE

GEO = BASE + "/def/geography/"
AREA = BASE + "/id/statistical-geography/"
SH = "http://www.w3.org/ns/shacl#"
_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
_NOTATION = "<http://www.w3.org/2004/02/skos/core#notation>"
_SAME_AS = "<http://www.w3.org/2002/07/owl#sameAs>"
_REPLACED_BY = "<http://purl.org/dc/terms/isReplacedBy>"
_REPLACES = "<http://purl.org/dc/terms/replaces>"
_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"


@dataclass(frozen=True)
class Injected:
    """One violation put into the generated data on purpose."""

    focus: NamedNode
    component: NamedNode


def _code(prefix: str, number: int) -> str:
    return f"{prefix}{number:06d}"


def _area(code: str, kind: str, label: str, parent: str | None, status: str = "live") -> list[str]:
    """The triples of one area, as N-Triples lines."""
    uri = f"<{AREA}{code}>"
    lines = [
        f"{uri} {_TYPE} <{GEO}{kind}> .",
        f'{uri} {_LABEL} "{label}" .',
        f'{uri} {_NOTATION} "{code}" .',
        f"{uri} <{GEO}status> <{GEO}{status}> .",
        f"{uri} {_SAME_AS} <http://statistics.gov.scot/id/statistical-geography/{code}> .",
    ]
    if parent is not None:
        lines.append(f"{uri} <{GEO}parent> <{AREA}{parent}> .")
    return lines


def _vocabulary() -> Iterator[str]:
    for kind in ("Country", "CouncilArea", "ElectoralWard", "IntermediateZone", "DataZone"):
        yield f"<{GEO}{kind}> {_SUBCLASS} <{GEO}Area> ."


def _areas(zones: int) -> Iterator[str]:
    """A country, its council areas, and per council 4 wards and 5 zones of 5 data zones."""
    yield from _area("S92000003", "Country", "Scotland", None)
    councils = max(1, zones // 30)
    for council in range(councils):
        council_code = _code("S12", council)
        yield from _area(council_code, "CouncilArea", f"Council {council}", "S92000003")
        for ward in range(4):
            number = council * 4 + ward
            yield from _area(_code("S13", number), "ElectoralWard", f"Ward {number}", council_code)
    for zone in range(zones):
        zone_code = _code("S02", zone)
        yield from _area(
            zone_code, "IntermediateZone", f"Zone {zone}", _code("S12", zone % councils)
        )
        for datazone in range(5):
            number = zone * 5 + datazone
            yield from _area(_code("S01", number), "DataZone", f"Data zone {number}", zone_code)
    # Archived council areas, each replaced by a live one.
    for old in range(councils):
        code = _code("S12", 900000 + old)
        yield from _area(code, "CouncilArea", f"Old council {old}", "S92000003", "archived")
        yield f"<{AREA}{code}> {_REPLACED_BY} <{AREA}{_code('S12', old)}> ."
        yield f"<{AREA}{_code('S12', old)}> {_REPLACES} <{AREA}{code}> ."


def _violations() -> tuple[list[str], list[Injected]]:
    """Seven areas, each breaking exactly one constraint."""

    def injected(code: str, component: str) -> Injected:
        return Injected(NamedNode(AREA + code), NamedNode(SH + component + "ConstraintComponent"))

    lines: list[str] = []
    bad_prefix = _area("S12999001", "ElectoralWard", "Misfiled ward", "S12000000")
    lines += bad_prefix
    no_label = [
        line for line in _area("S13999002", "ElectoralWard", "x", "S12000000") if _LABEL not in line
    ]
    lines += no_label
    lines += _area("S13999003", "ElectoralWard", "Twice", "S12000000")
    lines.append(f'<{AREA}S13999003> {_LABEL} "Twice named" .')
    lines += _area("S01999004", "DataZone", "Under a ward", "S13000000")
    lines += _area("S12999005", "CouncilArea", "Archived, no successor", "S92000003", "archived")
    mismatched = _area("S13999006", "ElectoralWard", "Mismatch", "S12000000")
    lines += [line.replace('"S13999006"', '"S13999007"') for line in mismatched]
    lines += [
        line.replace(
            "<http://statistics.gov.scot/id/statistical-geography/S13999008>", '"S13999008"'
        )
        for line in _area("S13999008", "ElectoralWard", "Literal sameAs", "S12000000")
    ]
    expected = [
        injected("S12999001", "Pattern"),
        injected("S13999002", "MinCount"),
        injected("S13999003", "MaxCount"),
        injected("S01999004", "Class"),
        injected("S12999005", "Or"),
        injected("S13999006", "SPARQL"),
        injected("S13999008", "NodeKind"),
    ]
    return lines, expected


def geography_store(zones: int, *, inject: bool = True) -> tuple[MemoryGraph, list[Injected]]:
    """An in-memory store of generated geography: about ``zones`` * 38 triples."""
    lines = [*_vocabulary(), *_areas(zones)]
    expected: list[Injected] = []
    if inject:
        extra, expected = _violations()
        lines += extra
    store = MemoryGraph()
    store.load(("\n".join(lines) + "\n").encode(), format=RdfFormat.N_TRIPLES)
    return store, expected
