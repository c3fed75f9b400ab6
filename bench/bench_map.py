"""bench-map: IoD 2019 File 2 to RDF Data Cube observations, ``odc map`` against morph-kgc.

Maps 32,844 LSOAs x 8 domains x {rank, decile} into 525,504 observations (3,153,024 triples)
three ways, each in a fresh process, and prints wall time, rows/s, triples/s and the peak
resident memory of the process tree:

* ``odc map`` with the CSVW metadata ``bench/map/iod2019-domains.json`` (every check on:
  datatypes, bounds, required, primary key), on the full file and on its first 10,000 rows to
  show memory does not grow with rows;
* morph-kgc 2.10 (the RML engine on PyPI) with the equivalent ``iod2019-domains.rml.ttl``, two
  processes, from its own virtual environment ``.venv-morph`` (it pins an older pyoxigraph
  and rdflib), created here on first use;
* two hand-written loops with no checks at all: ``csv`` with pyoxigraph terms and
  ``pyoxigraph.serialize``, and ``csv`` with plain string formatting, the floor for Python.

Both mappers' outputs are checked to hold the same set of triples.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from measure import run_measured

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "england-iod2019" / "File_2_-_IoD2019_Domains_of_Deprivation.csv"
CSVW = ROOT / "bench" / "map" / "iod2019-domains.json"
RML = ROOT / "bench" / "map" / "iod2019-domains.rml.ttl"
MORPH_VENV = ROOT / ".venv-morph"
BASE = "http://localhost:8000"
DOMAINS = ("imd", "income", "employment", "education", "health", "crime", "barriers")
DOMAINS += ("living-environment",)


@dataclass(frozen=True)
class Run:
    """One measured run."""

    name: str
    rows: int
    triples: int
    seconds: float
    peak_mb: float

    def line(self) -> str:
        """A row of the results table."""
        return (
            f"{self.name:<28}{self.rows:>8,}{self.triples:>12,}{self.seconds:>9.2f}"
            f"{self.rows / self.seconds:>11,.0f}{self.triples / self.seconds:>12,.0f}"
            f"{self.peak_mb:>9.0f}"
        )


def measure(name: str, command: list[str], output: Path, rows: int) -> Run:
    """Run a command, sampling the memory of its process tree; count the triples it wrote."""
    measured = run_measured(command, cwd=ROOT)
    with output.open("rb") as handle:
        triples = sum(1 for _ in handle)
    return Run(name, rows, triples, measured.seconds, measured.peak_mb)


def ensure_morph_kgc() -> Path:
    """The python of a virtual environment holding morph-kgc 2.10 (made on first use)."""
    python = MORPH_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(MORPH_VENV)], check=True)
        pip = [str(python), "-m", "pip", "install", "--quiet", "morph-kgc==2.10.*"]
        subprocess.run(pip, check=True)
    return python


def truncated_copy(folder: Path, rows: int) -> Path:
    """The first ``rows`` rows of the source (BOM and CRLF kept), with metadata pointing at it."""
    head = folder / "head.csv"
    with SOURCE.open("rb") as source, head.open("wb") as target:
        for index, line in enumerate(source):
            if index > rows:
                break
            target.write(line)
    metadata = json.loads(CSVW.read_text(encoding="utf-8"))
    metadata["url"] = head.as_uri()
    path = folder / "head.json"
    path.write_text(json.dumps(metadata), encoding="utf-8")
    return path


def hand_written(source: Path, target: Path) -> None:
    """The same observations with nothing but csv and f-strings: no checks at all."""
    integer = "<http://www.w3.org/2001/XMLSchema#integer>"
    qb = "http://purl.org/linked-data/cube#"
    typ = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    area = "<http://purl.org/linked-data/sdmx/2009/dimension#refArea>"
    with source.open(encoding="utf-8-sig", newline="") as handle, target.open("w") as out:
        reader = csv.reader(handle)
        next(reader)
        for row in reader:
            lines = []
            for position, domain in enumerate(DOMAINS):
                for offset, measure in enumerate(("rank", "decile")):
                    obs = f"<{BASE}/data/iod2019-domains/observation/{row[0]}/{domain}/{measure}>"
                    value = row[4 + 2 * position + offset]
                    lines.append(
                        f"{obs} {typ} <{qb}Observation> .\n"
                        f"{obs} <{qb}dataSet> <{BASE}/data/iod2019-domains> .\n"
                        f"{obs} {area} <{BASE}/id/statistical-geography/{row[0]}> .\n"
                        f"{obs} <{BASE}/def/iod/domain> <{BASE}/def/iod/domain/{domain}> .\n"
                        f"{obs} <{qb}measureType> <{BASE}/def/iod/{measure}> .\n"
                        f'{obs} <{BASE}/def/iod/{measure}> "{value}"^^{integer} .\n'
                    )
            out.write("".join(lines))


def hand_written_terms(source: Path, target: Path) -> None:
    """The same loop building pyoxigraph terms and letting pyoxigraph serialise them."""
    import pyoxigraph as ox

    qb = "http://purl.org/linked-data/cube#"
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    fixed = {
        "type": ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        "observation": ox.NamedNode(qb + "Observation"),
        "dataSet": ox.NamedNode(qb + "dataSet"),
        "dataset": ox.NamedNode(f"{BASE}/data/iod2019-domains"),
        "refArea": ox.NamedNode("http://purl.org/linked-data/sdmx/2009/dimension#refArea"),
        "domain": ox.NamedNode(f"{BASE}/def/iod/domain"),
        "measureType": ox.NamedNode(qb + "measureType"),
    }

    def triples() -> object:
        with source.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            for row in reader:
                area = ox.NamedNode(f"{BASE}/id/statistical-geography/{row[0]}")
                for position, domain in enumerate(DOMAINS):
                    for offset, measure in enumerate(("rank", "decile")):
                        obs = ox.NamedNode(
                            f"{BASE}/data/iod2019-domains/observation/{row[0]}/{domain}/{measure}"
                        )
                        prop = ox.NamedNode(f"{BASE}/def/iod/{measure}")
                        value = row[4 + 2 * position + offset]
                        yield ox.Triple(obs, fixed["type"], fixed["observation"])
                        yield ox.Triple(obs, fixed["dataSet"], fixed["dataset"])
                        yield ox.Triple(obs, fixed["refArea"], area)
                        concept = ox.NamedNode(f"{BASE}/def/iod/domain/{domain}")
                        yield ox.Triple(obs, fixed["domain"], concept)
                        yield ox.Triple(obs, fixed["measureType"], prop)
                        yield ox.Triple(obs, prop, ox.Literal(value, datatype=integer))

    with target.open("wb") as out:
        ox.serialize(triples(), out, format=ox.RdfFormat.N_TRIPLES)  # type: ignore[arg-type]


def same_triples(a: Path, b: Path) -> bool:
    """True if two N-Triples files hold the same set of lines (no blank nodes here)."""
    with a.open("rb") as first, b.open("rb") as second:
        return set(first) == set(second)


def main() -> None:
    """Run the benchmark and print the table."""
    rows = sum(1 for _ in SOURCE.open("rb")) - 1
    morph_python = ensure_morph_kgc()
    odc = [sys.executable, "-m", "opendatacommunities.cli", "map", "--strict", "--minimal"]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        config = work / "morph.ini"
        config.write_text(
            "[CONFIGURATION]\n"
            f"output_file={work / 'morph.nt'}\noutput_format=N-TRIPLES\n"
            "number_of_processes=2\nlogging_level=WARNING\n\n"
            f"[IoD]\nmappings={RML}\n",
            encoding="utf-8",
        )
        runs = [
            measure(
                "odc map", [*odc, str(CSVW), "-o", str(work / "odc.nt")], work / "odc.nt", rows
            ),
            measure(
                "odc map, first 10,000 rows",
                [*odc, str(truncated_copy(work, 10_000)), "-o", str(work / "head.nt")],
                work / "head.nt",
                10_000,
            ),
            measure(
                "morph-kgc 2.10 (2 processes)",
                [str(morph_python), "-m", "morph_kgc", str(config)],
                work / "morph.nt",
                rows,
            ),
            measure(
                "hand-written, pyoxigraph",
                [sys.executable, __file__, "--hand-written-terms", str(work / "terms.nt")],
                work / "terms.nt",
                rows,
            ),
            measure(
                "hand-written, f-strings",
                [sys.executable, __file__, "--hand-written", str(work / "hand.nt")],
                work / "hand.nt",
                rows,
            ),
        ]
        identical = same_triples(work / "odc.nt", work / "morph.nt")
    print("bench-map: IoD 2019 File 2 -> RDF Data Cube observations")
    heading = ("rows", 8), ("triples", 12), ("seconds", 9), ("rows/s", 11), ("triples/s", 12)
    print(" " * 28 + "".join(f"{name:>{width}}" for name, width in heading) + f"{'peak MB':>9}")
    for run in runs:
        print(run.line())
    ours, morph = runs[0], runs[2]
    speed = (ours.triples / ours.seconds) / (morph.triples / morph.seconds)
    print(f"odc map / morph-kgc, triples/s: {speed:.2f}x")
    small, full = runs[1].peak_mb, ours.peak_mb
    print(f"odc map peak memory, 10,000 rows vs all {rows:,}: {small:.0f} MB vs {full:.0f} MB")
    print(f"same triples from odc map and morph-kgc: {'yes' if identical else 'NO'}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--hand-written":
        hand_written(SOURCE, Path(sys.argv[2]))
    elif len(sys.argv) == 3 and sys.argv[1] == "--hand-written-terms":
        hand_written_terms(SOURCE, Path(sys.argv[2]))
    else:
        main()
