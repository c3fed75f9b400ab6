"""The root of the test suite: registers the shared plugins in ``tests/plugins/``.

Fixtures live in the plugin for their concept (or in the nearest ``conftest.py`` when only
one test package uses them); test modules never import each other or a conftest.
"""

from __future__ import annotations

pytest_plugins = [
    "tests.plugins.project",
    "tests.plugins.browser",
    "tests.plugins.pages",
    "tests.plugins.bundled",
    "tests.plugins.releases",
    "tests.plugins.servers",
    "tests.plugins.listener",
    "tests.plugins.operations",
    "tests.plugins.web",
    "tests.plugins.areas",
    "tests.plugins.cubes",
    "tests.plugins.catalogue",
    "tests.plugins.geography",
    "tests.plugins.runaway",
    "tests.plugins.service_forms",
    "tests.plugins.examples",
    "tests.plugins.harvest",
    "tests.plugins.maps",
    "tests.plugins.profiles",
    "tests.plugins.engines",
]
