"""Cubes for tests: a made-up cube description of people by council area and year, and a
cube's RDF built the way ``odc publish`` does (compile, then map with the CSVW engine) into a
store, without publishing."""

from __future__ import annotations

import json
from pathlib import Path

from pyoxigraph import RdfFormat

from opendatacommunities.csvw import Job, Reporter, map_to_rdf
from opendatacommunities.cube.compile import CompiledCube, compile_cube
from opendatacommunities.cube.description import read_description
from opendatacommunities.store.memory import MemoryGraph
from tests.plugins.areas import CODES
from tests.plugins.project import BASE


def build_cube(mapping: Path, build: Path) -> tuple[MemoryGraph, CompiledCube]:
    """The cube's observations and structure in a new in-memory graph."""
    compiled = compile_cube(read_description(mapping), build, base=BASE)
    job = Job(input=compiled.metadata, minimal=True, provenance=False)
    text = "".join(map_to_rdf(job, Reporter(strict=True)))
    store = MemoryGraph()
    store.load(text.encode(), format=RdfFormat.N_TRIPLES)
    store.load(path=compiled.structure, format=RdfFormat.N_TRIPLES)
    return store, compiled


def write_cube(folder: Path, name: str, rows: str) -> Path:
    """A cube of people by council area and year."""
    (folder / f"{name}.csv").write_text("Geography,Year,Value\n" + rows, encoding="utf-8")
    description = {
        "dc:title": f"People ({name})",
        "csv": f"{name}.csv",
        "dimensions": [
            {"name": "refArea", "label": "Council area", "kind": "area", "column": "Geography"},
            {"name": "refPeriod", "label": "Year", "kind": "period", "column": "Year"},
        ],
        "measures": [{"name": "people", "label": "People", "datatype": "integer"}],
        "observations": {"value": "Value"},
    }
    path = folder / f"{name}.cube.json"
    path.write_text(json.dumps(description), encoding="utf-8")
    return path


def cube_rows(years: range, codes: list[str] = CODES) -> str:
    """A row per area and year."""
    return "".join(f"{code},{year},{year - 1000}\n" for year in years for code in codes)
