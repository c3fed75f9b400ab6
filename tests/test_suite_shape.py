"""The test suite's own rules, so they stay true: fixtures and helpers are shared through
``tests/plugins`` (never by importing a test module or a conftest), the fixtures' base IRI
is one constant, and only the browser plugin starts a browser, so that every browser test
skips, saying why, where Chromium is absent."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.plugins.project import BASE, ROOT

TESTS = ROOT / "tests"
MODULES = sorted(TESTS.rglob("*.py"))


def _imported(path: Path) -> set[str]:
    """Every module ``path`` imports, relative imports resolved against its package."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                names.add(f"{base}.{node.module}" if node.module else base)
            else:
                names.add(node.module or "")
    return names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(TESTS)))
def test_tests_import_only_plugins_from_the_suite(path: Path) -> None:
    """A test module or conftest reaches shared code through ``tests.plugins`` alone."""
    own = {name for name in _imported(path) if name == "tests" or name.startswith("tests.")}
    assert {name for name in own if not name.startswith("tests.plugins")} == set()


def test_plugins_are_all_registered() -> None:
    """A helper module in tests/plugins is a registered plugin, so its asserts are rewritten
    and its fixtures found."""
    conftest = ast.parse((TESTS / "conftest.py").read_text(encoding="utf-8"))
    registered = next(
        ast.literal_eval(node.value)
        for node in conftest.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "pytest_plugins" for t in node.targets)
    )
    present = {f"tests.plugins.{p.stem}" for p in (TESTS / "plugins").glob("[!_]*.py")}
    assert set(registered) == present


def test_the_base_iri_is_written_once() -> None:
    """Every other module says ``BASE``: the fixtures' IRIs change in one place."""
    authority = BASE.removeprefix("http://")
    writing = [
        path.relative_to(TESTS) for path in MODULES if authority in path.read_text(encoding="utf-8")
    ]
    assert writing == [Path("plugins/project.py")]


def test_only_the_browser_plugin_starts_a_browser() -> None:
    """Browser tests take the ``browser`` fixture, which skips where Chromium is absent."""
    starting = [
        path.relative_to(TESTS)
        for path in MODULES
        if any(
            name.startswith("playwright.sync_api") or name == "playwright"
            for name in _imported(path)
        )
        and "sync_playwright" in path.read_text(encoding="utf-8")
    ]
    assert starting == [Path("plugins/browser.py")]
