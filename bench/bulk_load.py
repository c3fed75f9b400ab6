"""The peer of bench-publish and bench-cubes: pyoxigraph's own ``Store.bulk_load``, bare.

``python bench/bulk_load.py STORE FILE.nt...`` loads each N-Triples file into a named graph
of its own (``<base>/graph/{file stem}``, as the publisher does) of a new on-disk store at
STORE, and nothing else: no mapping, no checks, no compaction.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Store

BASE = "http://localhost:8000"


def main() -> None:
    """Load the files given on the command line."""
    target = Path(sys.argv[1])
    shutil.rmtree(target, ignore_errors=True)
    store = Store(str(target))
    for name in sys.argv[2:]:
        path = Path(name)
        graph = NamedNode(f"{BASE}/graph/{path.stem}")
        store.bulk_load(path=path, format=RdfFormat.N_TRIPLES, to_graph=graph)
    store.flush()


if __name__ == "__main__":
    main()
