"""Settings for the SPARQL workers' memory ceiling."""

from __future__ import annotations

import pytest

from opendatacommunities.config import Settings


def test_sparql_max_memory_is_read_and_checked() -> None:
    """The ceiling is read in megabytes; 0 means none; one too small for a worker to open a
    store is refused at start-up, naming the variable, rather than failing every query."""
    assert Settings.from_env({"ODC_SPARQL_MAX_MEMORY": "4096"}).sparql_max_memory == 4096
    assert Settings.from_env({"ODC_SPARQL_MAX_MEMORY": "0"}).sparql_max_memory == 0
    assert Settings().sparql_max_memory == 2048
    for bad in ("300", "-1", "lots"):
        with pytest.raises(ValueError, match="ODC_SPARQL_MAX_MEMORY"):
            Settings.from_env({"ODC_SPARQL_MAX_MEMORY": bad})
