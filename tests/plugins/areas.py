"""Mappings of made-up council areas, written into a test's own project."""

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
