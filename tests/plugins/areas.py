"""Mappings of made-up council areas, written into a test's own project, and a shape they
meet."""

from __future__ import annotations

import json
from pathlib import Path

from tests.plugins.project import BASE


def write_areas(folder: Path, name: str, rows: str, title: str | None = None) -> None:
    """A mapping ``name`` of areas (code, name) and its CSV, into ``folder``; its dataset's
    title is ``title`` (default "Areas NAME")."""
    (folder / f"{name}.csv").write_text("code,name\n" + rows, encoding="utf-8")
    mapping = {
        "@context": "http://www.w3.org/ns/csvw",
        "url": f"{name}.csv",
        "dc:title": title or f"Areas {name}",
        "tableSchema": {
            "aboutUrl": BASE + "/id/statistical-geography/{code}",
            "columns": [
                {
                    "name": "code",
                    "titles": "code",
                    "propertyUrl": "skos:notation",
                    "datatype": {"base": "string", "format": "^S\\d{8}$"},
                },
                {"name": "name", "titles": "name", "propertyUrl": "rdfs:label"},
            ],
            "primaryKey": "code",
        },
    }
    (folder / f"{name}.json").write_text(json.dumps(mapping), encoding="utf-8")


def rows(start: int, count: int) -> str:
    """``count`` areas from code S12{start}."""
    return "".join(f"S12{n:06d},Area {n}\n" for n in range(start, start + count))


def write_coded_areas(folder: Path, name: str, codes: list[str]) -> None:
    """A mapping ``name`` of the areas ``codes``, each named "Area CODE", into ``folder``."""
    write_areas(folder, name, "".join(f"{code},Area {code}\n" for code in codes))


#: Three council areas of Glasgow.
CODES = ["S12000049", "S12000046", "S12000047"]
#: A shape every coded resource meets with exactly one name.
AREA_SHAPES = f"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<{BASE}/def/shapes/Area> a sh:NodeShape ;
  sh:targetSubjectsOf skos:notation ;
  sh:property [ sh:path rdfs:label ; sh:minCount 1 ; sh:maxCount 1 ] .
"""
