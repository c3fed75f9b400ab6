"""Build a cube's RDF the way ``odc publish`` does (compile, then map with the CSVW engine),
into a store, without publishing."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import RdfFormat

from opendatacommunities.csvw import Job, Reporter, map_to_rdf
from opendatacommunities.cube.compile import CompiledCube, compile_cube
from opendatacommunities.cube.description import read_description
from opendatacommunities.store.memory import MemoryGraph

BASE = "http://localhost:8000"
ROOT = Path(__file__).resolve().parents[2]


def build_cube(mapping: Path, build: Path) -> tuple[MemoryGraph, CompiledCube]:
    """The cube's observations and structure in a new in-memory graph."""
    compiled = compile_cube(read_description(mapping), build, base=BASE)
    job = Job(input=compiled.metadata, minimal=True, provenance=False)
    text = "".join(map_to_rdf(job, Reporter(strict=True)))
    store = MemoryGraph()
    store.load(text.encode(), format=RdfFormat.N_TRIPLES)
    store.load(path=compiled.structure, format=RdfFormat.N_TRIPLES)
    return store, compiled
