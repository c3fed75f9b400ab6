"""Compiling a cube description: the tidy table of observations, CSVW metadata that maps it
to RDF Data Cube observations, and the cube's structure as N-Triples.

The CSVW engine does the observation mapping (strictly, like every dataset), so the
observations get the same checks and the same ``file:row:column`` errors as any table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyoxigraph import RdfFormat, serialize

from opendatacommunities.cube.description import CubeDescription, Dimension
from opendatacommunities.cube.structure import (
    dimension_property,
    dimension_value,
    structure_triples,
)
from opendatacommunities.cube.tidy import SOURCE_COLUMNS, VALUE_COLUMNS, Omitted, write_tidy
from opendatacommunities.cube.usage import RecordingUnpivot
from opendatacommunities.iris import CubeIris, IriSpace
from opendatacommunities.vocab import CSVW_CONTEXT, QB, SDMX_OBS_STATUS


@dataclass(frozen=True)
class CompiledCube:
    """What compiling a cube produced."""

    metadata: Path
    """CSVW metadata over ``tidy``: maps it to observations."""
    tidy: Path
    structure: Path
    """The structure and code lists, as N-Triples."""
    observations: int
    omitted: Omitted


def observation_template(cube: CubeDescription, iris: CubeIris) -> str:
    """The RFC 6570 template of observation IRIs: the dataset, then each code, then the
    measure (``/data/{cube}/S12000039/quarter/2017-Q1/female/count``)."""
    parts = [f"{{+{d.name}}}" if d.kind == "period" else f"{{{d.name}}}" for d in cube.dimensions]
    return "/".join([iris.dataset, *parts, "{measure}"])


def _value_template(dimension: Dimension, iris: CubeIris) -> str:
    # Period codes hold slashes (quarter/2017-Q1), so they are expanded as reserved strings.
    expression = f"{{+{dimension.name}}}" if dimension.kind == "period" else f"{{{dimension.name}}}"
    return dimension_value(iris, dimension, expression)


def _columns(cube: CubeDescription, iris: CubeIris) -> list[dict[str, Any]]:
    columns: list[dict[str, Any]] = [
        {
            "name": d.name,
            "titles": d.name,
            "propertyUrl": dimension_property(iris, d),
            "valueUrl": _value_template(d, iris),
            "required": True,
        }
        for d in cube.dimensions
    ]
    measure: dict[str, Any] = {"name": "measure", "titles": "measure", "required": True}
    if cube.measure_type:
        measure |= {"propertyUrl": QB + "measureType", "valueUrl": iris.measure("{measure}")}
    else:
        measure["suppressOutput"] = True
    columns.append(measure)
    for datatype in VALUE_COLUMNS:
        columns.append(
            {
                "name": f"value_{datatype}",
                "titles": f"value_{datatype}",
                "propertyUrl": iris.measure("{measure}"),
                # Read as CSVW reads numbers: "," groups digits, "%" divides by 100.
                "datatype": {"base": datatype, "format": {"groupChar": ","}},
            }
        )
    status = {"propertyUrl": SDMX_OBS_STATUS, "valueUrl": iris.status("{status}")}
    columns.append({"name": "status", "titles": "status", **status})
    for name in SOURCE_COLUMNS:
        columns.append({"name": name, "titles": name, "suppressOutput": True})
    if cube.totals:
        # "true" in the rows of totals, empty (no triple) in every other row.
        total = {"propertyUrl": iris.total(), "datatype": "boolean"}
        columns.append({"name": "total", "titles": "total", **total})
    columns += [
        {
            "name": "type",
            "virtual": True,
            "propertyUrl": "rdf:type",
            "valueUrl": QB + "Observation",
        },
        {
            "name": "dataSet",
            "virtual": True,
            "propertyUrl": QB + "dataSet",
            "valueUrl": iris.dataset,
        },
    ]
    return columns


def csvw_metadata(cube: CubeDescription, iris: CubeIris, tidy: Path) -> dict[str, Any]:
    """CSVW metadata mapping the tidy table to observations."""
    return {
        "@context": CSVW_CONTEXT,
        "url": tidy.name,
        "dc:title": str(cube.about.get("dc:title", cube.name)),
        "tableSchema": {
            "columns": _columns(cube, iris),
            "aboutUrl": observation_template(cube, iris),
        },
    }


def compile_cube(cube: CubeDescription, build: Path, *, base: str) -> CompiledCube:
    """Write the tidy table, its CSVW metadata and the structure into ``build``.

    :raises SourceError: a cell that is not what its dimension or measure needs.
    """
    build.mkdir(parents=True, exist_ok=True)
    iris = IriSpace(base).cube(cube.name)
    unpivot = RecordingUnpivot(cube)
    tidy = build / f"{cube.name}.observations.csv"
    count = write_tidy(unpivot, tidy)
    metadata = build / f"{cube.name}.observations.csv-metadata.json"
    metadata.write_text(json.dumps(csvw_metadata(cube, iris, tidy), indent=2), encoding="utf-8")
    structure = build / f"{cube.name}.structure.nt"
    met = {m: cube.missing[m] for m in unpivot.markers_met()}
    used = dict(unpivot.used)
    if cube.measure_type:
        # In the description's order: the measure dimension's codes are its measures.
        used["measureType"] = {
            m.name: None for m in cube.measures if m.name in unpivot.measures_used
        }
    triples = list(structure_triples(cube, iris, unpivot.codes, met, used))
    structure.write_bytes(serialize(triples, format=RdfFormat.N_TRIPLES) or b"")
    return CompiledCube(metadata, tidy, structure, count, unpivot.omitted)
