"""The store is the only door to the triple store: what import-linter cannot say.

import-linter forbids modules, not names: csvw, cube and validation rightly use pyoxigraph's
terms and parser, yet none of them may hold a pyoxigraph ``Store`` or call what only a store
does (``quads_for_pattern``, ``bulk_load``...). This walks the source with ``ast`` and names
each place that does.
"""

from __future__ import annotations

import ast
from pathlib import Path

import opendatacommunities

SRC = Path(opendatacommunities.__file__).parent
STORE = SRC / "store"
#: Methods only a pyoxigraph Store has (a MemoryGraph or a Reader offers what is needed).
STORE_METHODS = {"quads_for_pattern", "bulk_load", "bulk_extend", "named_graphs", "read_only"}


def offences(tree: ast.AST, *, web: bool = False) -> list[str]:
    """Each use of a pyoxigraph ``Store`` in ``tree``, as ``line: what``; with ``web``, each
    read of an attribute named ``store`` too (a release's store, handed to pages)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "pyoxigraph":
            found += [f"{node.lineno}: imports Store" for a in node.names if a.name == "Store"]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in STORE_METHODS:
                found.append(f"{node.lineno}: calls {node.func.attr}")
        elif isinstance(node, ast.Attribute):
            if node.attr == "Store" and isinstance(node.value, ast.Name):
                found.append(f"{node.lineno}: {node.value.id}.Store")
            elif web and node.attr == "store":
                found.append(f"{node.lineno}: reads .store")
    return sorted(found, key=lambda offence: int(offence.split(":")[0]))


def test_the_check_finds_each_kind_of_use() -> None:
    """The walker flags every form it looks for (so an empty result means something)."""
    source = """
from pyoxigraph import NamedNode, Store
import pyoxigraph
store = pyoxigraph.Store()
store.quads_for_pattern(None, None, None)
release.store.bulk_load(b"", None)
job = Job(named_graphs=asked.named_graphs)
"""
    found = offences(ast.parse(source), web=True)
    assert found == [
        "2: imports Store",
        "4: pyoxigraph.Store",
        "5: calls quads_for_pattern",
        "6: calls bulk_load",
        "6: reads .store",
    ]
    assert offences(ast.parse("from pyoxigraph import NamedNode\nx.store = 1")) == []


def test_only_store_holds_a_pyoxigraph_store() -> None:
    """Outside ``store/`` no module imports ``Store`` or calls a store's own methods, and
    no web module reads a release's ``store``."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path.is_relative_to(STORE):
            continue
        web = path.is_relative_to(SRC / "web")
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found += [f"{path.relative_to(SRC)}:{where}" for where in offences(tree, web=web)]
    assert found == []


def test_the_store_package_is_where_they_are() -> None:
    """The walk covers the package: ``store/`` itself is full of them."""
    tree = ast.parse((STORE / "memory.py").read_text(encoding="utf-8"))
    assert any("imports Store" in offence for offence in offences(tree))
