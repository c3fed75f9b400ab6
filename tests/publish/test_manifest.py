"""A release's manifest: written and read back, refused when unusable, and the key a
dataset's checks hold for."""

from __future__ import annotations

import hashlib
from pathlib import Path

from opendatacommunities.publish.manifest import (
    FORMAT,
    MANIFEST,
    Entry,
    Manifest,
    Shared,
    hashes,
)
from opendatacommunities.publish.targets import Targets

ROAD = "http://example.org/Road"
LENGTH = "http://example.org/length"


def _entry(name: str = "roads") -> Entry:
    return Entry(
        name=name,
        mapping=f"mappings/{name}.json",
        cube=False,
        content="c" * 64,
        key="k" * 64,
        sources=[f"data/{name}.csv"],
        triples=12,
        output_bytes=345,
        started="2026-12-05T09:00:00Z",
        ended="2026-12-05T09:00:01Z",
        omitted={"blank": 2},
        classes=[ROAD],
        predicates=[LENGTH],
        links=["places"],
    )


def test_a_manifest_reads_back_as_written(tmp_path: Path) -> None:
    """Every field of every entry survives the trip through ``manifest.json``."""
    manifest = Manifest("https://data.example.org", {"shapes/a.ttl": "s"}, {}, {"roads": _entry()})
    (tmp_path / MANIFEST).write_bytes(manifest.to_bytes())
    assert Manifest.read(tmp_path) == manifest


def test_no_release_or_no_manifest_reads_as_none(tmp_path: Path) -> None:
    """A first publish, or a release made before manifests, reuses nothing."""
    assert Manifest.read(None) is None
    assert Manifest.read(tmp_path) is None


def test_a_manifest_of_another_format_is_not_used(tmp_path: Path) -> None:
    """What a release of another format records may mean something else."""
    manifest = Manifest("https://data.example.org", {}, {}, {"roads": _entry()})
    text = manifest.to_bytes().decode().replace(f'"format": {FORMAT}', '"format": 0')
    (tmp_path / MANIFEST).write_text(text, encoding="utf-8")
    assert Manifest.read(tmp_path) is None


def test_a_damaged_manifest_is_not_used(tmp_path: Path) -> None:
    """Truncated JSON or an entry with unknown fields makes the release unusable, not fatal."""
    (tmp_path / MANIFEST).write_text('{"format": 1, "base": ', encoding="utf-8")
    assert Manifest.read(tmp_path) is None
    bad = {"format": FORMAT, "base": "b", "shapes": {}, "ontologies": {}}
    (tmp_path / MANIFEST).write_text(
        str(bad | {"datasets": {"x": {"name": "x"}}}).replace("'", '"'), encoding="utf-8"
    )
    assert Manifest.read(tmp_path) is None


def test_hashes_name_files_by_project_path(tmp_path: Path) -> None:
    """Files are named relative to the project root, with their SHA-256."""
    (tmp_path / "data").mkdir()
    csv = tmp_path / "data" / "roads.csv"
    csv.write_text("id\n1\n", encoding="utf-8")
    found = hashes([csv], tmp_path)
    assert list(found) == ["data/roads.csv"]
    assert found["data/roads.csv"] == hashlib.sha256(b"id\n1\n").hexdigest()


def _shared(**shapes: tuple[str, Targets]) -> Shared:
    return Shared("https://data.example.org", {"ontologies/a.ttl": "o1"}, dict(shapes))


ROADS = Targets(frozenset({ROAD}), frozenset())
RIVERS = Targets(frozenset({"http://example.org/River"}), frozenset())


def test_the_key_ignores_shapes_that_cannot_target_the_dataset() -> None:
    """Changing a rivers shapes file does not make a roads dataset be checked again."""
    before = _shared(roads=("r1", ROADS), rivers=("v1", RIVERS))
    after = _shared(roads=("r1", ROADS), rivers=("v2", RIVERS))
    assert before.key("c", [ROAD], [], {}) == after.key("c", [ROAD], [], {})


def test_the_key_changes_with_what_the_checks_depend_on() -> None:
    """Content, targeting shapes, vocabularies, base and linked datasets all count."""
    shared = _shared(roads=("r1", ROADS))
    key = shared.key("c", [ROAD], [], {"places": "p1"})
    assert shared.key("d", [ROAD], [], {"places": "p1"}) != key
    assert _shared(roads=("r2", ROADS)).key("c", [ROAD], [], {"places": "p1"}) != key
    assert shared.key("c", [ROAD], [], {"places": "p2"}) != key
    other_base = Shared("https://other.example", shared.ontologies, shared.shapes)
    assert other_base.key("c", [ROAD], [], {"places": "p1"}) != key
    other_vocab = Shared(shared.base, {"ontologies/a.ttl": "o2"}, shared.shapes)
    assert other_vocab.key("c", [ROAD], [], {"places": "p1"}) != key
    assert shared.key("c", [ROAD], [], {"places": "p1"}) == key
