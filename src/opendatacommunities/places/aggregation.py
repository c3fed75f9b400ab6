"""Ward-level summaries of small-area deprivation deciles, through a best-fit lookup.

A ward's figures are those of the small areas (data zones, LSOAs) the lookup puts in it:
how many fall in each national decile, the share among the country's 10% and 20% most
deprived, the same shares weighted by population, and the population summed. Deciles and
ranks are never summed or averaged; population is a count, so summing it is valid.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .sources import Row

DECILES = tuple(range(1, 11))


@dataclass(frozen=True)
class Zone:
    """A small area's national deprivation decile (1: most deprived) and population."""

    code: str
    decile: int
    population: int


def read_zone(row: Row, code: str, decile: str, population: int) -> Zone:
    """A zone from a source row: ``code`` and ``decile`` are its columns.

    :raises SourceError: a decile that is not a whole number from 1 to 10.
    """
    value = row.whole_number(decile)
    if value not in DECILES:
        raise row.fail(decile, "expected a decile, a whole number from 1 to 10")
    return Zone(row.text(code), value, population)


@dataclass(frozen=True)
class WardSummary:
    """One ward's small areas, summarised."""

    ward: str
    zones: tuple[Zone, ...]

    def count(self, decile: int) -> int:
        """How many of the ward's zones are in ``decile``."""
        return sum(1 for zone in self.zones if zone.decile == decile)

    @property
    def population(self) -> int:
        """The ward's population: the sum of its zones'."""
        return sum(zone.population for zone in self.zones)

    def share(self, deciles: int) -> float:
        """Per cent of the ward's zones in the ``deciles`` most deprived deciles (1: the
        country's 10% most deprived, 2: 20%), to one decimal place."""
        hits = sum(1 for zone in self.zones if zone.decile <= deciles)
        return round(100 * hits / len(self.zones), 1)

    def population_share(self, deciles: int) -> float | None:
        """Per cent of the ward's population living in zones of the ``deciles`` most deprived
        deciles, to one decimal place; None for a ward with no population."""
        if not self.population:
            return None
        hits = sum(zone.population for zone in self.zones if zone.decile <= deciles)
        return round(100 * hits / self.population, 1)


def summarise(lookup: Mapping[str, str], zones: Iterable[Zone]) -> list[WardSummary]:
    """The summary of each ward of ``lookup`` (zone code -> ward code), in ward code order;
    ``zones`` must hold every zone of the lookup, and zones outside it are left out."""
    by_ward: dict[str, list[Zone]] = {ward: [] for ward in lookup.values()}
    for zone in zones:
        if zone.code in lookup:
            by_ward[lookup[zone.code]].append(zone)
    return [WardSummary(ward, tuple(by_ward[ward])) for ward in sorted(by_ward)]
