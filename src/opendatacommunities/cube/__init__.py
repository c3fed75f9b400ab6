"""RDF Data Cubes: the integrity constraints every published cube must pass."""

from opendatacommunities.cube.integrity import (
    IntegrityViolation,
    check_integrity,
    normalise,
)

__all__ = ["IntegrityViolation", "check_integrity", "normalise"]
