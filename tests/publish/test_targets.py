"""Which datasets a shapes file can apply to, read from real shapes files."""

from __future__ import annotations

from pathlib import Path

import pytest

from opendatacommunities.errors import OdcError
from opendatacommunities.iris import AUTHORED_BASE
from opendatacommunities.publish.targets import Targets, shape_targets

PREFIXES = f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/> .
@prefix geo: <{AUTHORED_BASE}/def/geography/> .
"""
PUBLISHED = "https://data.example.org"


def _shapes(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "shapes.ttl"
    path.write_text(PREFIXES + body, encoding="utf-8")
    return path


def test_target_classes_and_predicates_are_read(tmp_path: Path) -> None:
    """``sh:targetClass``, ``sh:targetSubjectsOf`` and ``sh:targetObjectsOf`` are collected."""
    path = _shapes(
        tmp_path,
        """ex:A a sh:NodeShape ; sh:targetClass ex:Road .
ex:B a sh:NodeShape ; sh:targetSubjectsOf ex:length .
ex:C a sh:NodeShape ; sh:targetObjectsOf ex:joins .
""",
    )
    targets = shape_targets(path, PUBLISHED)
    assert targets.classes == {"http://example.org/Road"}
    assert targets.predicates == {"http://example.org/length", "http://example.org/joins"}
    assert not targets.everything


def test_authored_iris_are_counted_under_the_published_base(tmp_path: Path) -> None:
    """Shapes are written against the authored base; datasets are published under another."""
    path = _shapes(tmp_path, "ex:A a sh:NodeShape ; sh:targetClass geo:Area .\n")
    targets = shape_targets(path, PUBLISHED)
    assert targets.classes == {PUBLISHED + "/def/geography/Area"}


def test_implicit_class_targets_count(tmp_path: Path) -> None:
    """A shape that is also an ``rdfs:Class`` targets its own instances."""
    path = _shapes(tmp_path, "ex:Ward a sh:NodeShape, rdfs:Class .\n")
    assert shape_targets(path, PUBLISHED).classes == {"http://example.org/Ward"}


def test_node_targets_hit_every_dataset(tmp_path: Path) -> None:
    """``sh:targetNode`` cannot be judged from a dataset's classes, so it hits all."""
    path = _shapes(tmp_path, "ex:A a sh:NodeShape ; sh:targetNode ex:thing .\n")
    targets = shape_targets(path, PUBLISHED)
    assert targets.everything
    assert targets.hit([], [])


def test_an_unparsable_shapes_file_is_a_clear_error(tmp_path: Path) -> None:
    """A broken file names itself rather than being taken to target nothing."""
    path = _shapes(tmp_path, "ex:A a sh:NodeShape ; sh:targetClass .\n")
    with pytest.raises(OdcError, match=r"shapes\.ttl"):
        shape_targets(path, PUBLISHED)


@pytest.mark.parametrize(
    ("classes", "predicates", "hit"),
    [
        (["http://example.org/Road"], [], True),
        ([], ["http://example.org/length"], True),
        (["http://example.org/River"], ["http://example.org/width"], False),
        ([], [], False),
    ],
)
def test_a_dataset_is_hit_by_a_shared_class_or_predicate(
    classes: list[str], predicates: list[str], hit: bool
) -> None:
    """A dataset using none of the targeted terms cannot be a focus node."""
    targets = Targets(
        frozenset({"http://example.org/Road"}), frozenset({"http://example.org/length"})
    )
    assert targets.hit(classes, predicates) is hit
