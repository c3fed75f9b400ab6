"""Datasets as publishers describe them: a mapping file each, named by its file, described
in the catalogue by its Dublin Core properties; a mapping that is not JSON is named."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from opendatacommunities.errors import MetadataError
from opendatacommunities.publish.datasets import discover, read_dataset, sha256
from tests.plugins.project import BASE


def _mapping(folder: Path, name: str, document: object) -> Path:
    path = folder / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_a_table_mapping_is_described_by_its_dublin_core_properties(tmp_path: Path) -> None:
    path = _mapping(
        tmp_path,
        "glasgow-wards.json",
        {
            "@context": "http://www.w3.org/ns/csvw",
            "url": "wards.csv",
            "dc:title": {"@value": "Glasgow wards", "@language": "en"},
            "dcterms:license": {
                "@id": "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
            },
            "dc:publisher": ["Glasgow City Council", "Scottish Government"],
            "rdfs:comment": "not a describing property",
        },
    )
    dataset = read_dataset(path)
    assert (dataset.name, dataset.mapping, dataset.is_cube) == ("glasgow-wards", path, False)
    assert dataset.title == "Glasgow wards"
    assert set(dataset.about) == {"title", "license", "publisher"}
    assert dataset.about["publisher"] == ["Glasgow City Council", "Scottish Government"]


def test_a_cube_description_is_a_cube_named_without_its_suffix(tmp_path: Path) -> None:
    dataset = read_dataset(_mapping(tmp_path, "simd2020.cube.json", {"csv": "simd.csv"}))
    assert (dataset.name, dataset.is_cube) == ("simd2020", True)
    assert dataset.title == "simd2020"  # no title given: the name stands in


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"url": "a.csv",}', "cannot read mapping: "),
        ('["a.csv"]', "a mapping must be a JSON object"),
        (b"\xff\xfe{}", "cannot read mapping: "),
    ],
)
def test_a_mapping_that_is_not_a_json_object_is_named(
    tmp_path: Path, text: str | bytes, message: str
) -> None:
    path = tmp_path / "broken.json"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(MetadataError) as refused:
        read_dataset(path)
    assert str(refused.value).startswith(f"{path}: {message}")


def test_discover_finds_the_included_mappings_in_name_order(tmp_path: Path) -> None:
    for name in ("b.json", "a.cube.json", "c.cube.json", "notes.txt"):
        _mapping(tmp_path, name, {})
    assert [d.name for d in discover(tmp_path)] == ["a", "b", "c"]
    assert [d.name for d in discover(tmp_path, "*.cube.json")] == ["a", "c"]
    assert discover(tmp_path / "b.json", "*.json") == []


def test_sha256_reads_a_large_file_in_blocks(tmp_path: Path) -> None:
    data = bytes(range(256)) * 10_000  # more than one block
    path = tmp_path / "data.csv"
    path.write_bytes(data)
    assert sha256(path) == hashlib.sha256(data).hexdigest()


def test_a_derived_dataset_names_what_it_was_derived_from(tmp_path: Path) -> None:
    """``prov:wasDerivedFrom`` takes one IRI or a list; anything else is named as an error."""
    sources = [{"@id": BASE + "/data/simd2020"}, BASE + "/data/x"]
    document = {"url": "a.csv", "prov:wasDerivedFrom": sources}
    dataset = read_dataset(_mapping(tmp_path, "derived.json", document))
    assert dataset.derived_from == (BASE + "/data/simd2020", sources[1])
    document["prov:wasDerivedFrom"] = "simd2020"
    with pytest.raises(MetadataError, match="expected an IRI, not 'simd2020'"):
        read_dataset(_mapping(tmp_path, "bad.json", document))
