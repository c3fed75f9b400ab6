"""Geography levels a cube description may name: the kinds of area of the reference
geography (``ontologies/geography.ttl``) and the GSS statistical entities whose codes are of
each kind. A GSS code's first three characters are its entity, so an area's level is known
from its code alone, before any geography is read.

>>> level_of("E06000001").name, find_level("LocalAuthority").term
('local authority', 'LocalAuthority')
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Level:
    """A kind of area: its name in words, its class in ``/def/geography/``, its entities."""

    name: str
    term: str
    entities: tuple[str, ...]


LEVELS = (
    Level("country", "Country", ("E92", "W92", "S92", "N92")),
    Level("local authority", "LocalAuthority", ("E06", "E07", "E08", "E09", "W06", "S12", "N09")),
    Level("electoral ward", "ElectoralWard", ("E05", "W05", "S13", "N08")),
    Level("lower layer super output area", "LowerLayerSuperOutputArea", ("E01", "W01")),
    Level("middle layer super output area", "MiddleLayerSuperOutputArea", ("E02", "W02")),
    Level("data zone", "DataZone", ("S01",)),
    Level("intermediate zone", "IntermediateZone", ("S02",)),
)
_BY_ENTITY = {entity: level for level in LEVELS for entity in level.entities}


def find_level(text: str) -> Level | None:
    """The level named ``text``: by its name or its class, in any case (``country``,
    ``Country``, ``local authority``, ``LocalAuthority``)."""
    wanted = text.strip().casefold()
    return next((level for level in LEVELS if wanted in (level.name, level.term.casefold())), None)


def level_of(code: str) -> Level | None:
    """The level of the area with GSS code ``code``, if its entity is one of ``LEVELS``."""
    return _BY_ENTITY.get(code.strip()[:3])
