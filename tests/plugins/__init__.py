"""Pytest plugins shared by every test package, registered in ``tests/conftest.py``.

Each module holds one concept's fixtures and the plain helpers that go with them; test
modules import helpers and constants from here, never from one another or from a conftest.
"""
