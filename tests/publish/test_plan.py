"""What a publish redoes and what it reuses, decided from real mappings and a manifest."""

from __future__ import annotations

import json
from pathlib import Path

from opendatacommunities.publish.datasets import Dataset
from opendatacommunities.publish.manifest import Entry, Manifest, Shared, content_of
from opendatacommunities.publish.plan import Inputs, Plan, make_plan

SHARED = Shared("https://data.example.org", {"ontologies/roads.ttl": "o1"}, {})


def _dataset(root: Path, name: str, rows: str = "id\n1\n") -> Dataset:
    """A CSVW mapping and its one source file under ``root/mappings``."""
    (root / "mappings").mkdir(exist_ok=True)
    (root / "mappings" / f"{name}.csv").write_text(rows, encoding="utf-8")
    mapping = root / "mappings" / f"{name}.json"
    metadata = {"@context": "http://www.w3.org/ns/csvw", "url": f"{name}.csv"}
    mapping.write_text(json.dumps(metadata), encoding="utf-8")
    return Dataset(name, mapping)


def _entry(dataset: Dataset, root: Path, triples: int = 10, links: tuple[str, ...] = ()) -> Entry:
    """The entry a publish of ``dataset`` as it is now would have left."""
    content = content_of(dataset, root)
    assert content is not None
    linked = {n: content_of(Dataset(n, root / "mappings" / f"{n}.json"), root) or "" for n in links}
    return Entry(
        name=dataset.name,
        mapping=f"mappings/{dataset.name}.json",
        cube=False,
        content=content,
        key=SHARED.key(content, [], [], linked),
        sources=[f"mappings/{dataset.name}.csv"],
        triples=triples,
        output_bytes=triples * 80,
        started="2026-12-05T09:00:00+00:00",
        ended="2026-12-05T09:00:01+00:00",
        links=list(links),
    )


def _plan(
    root: Path,
    datasets: list[Dataset],
    previous: Manifest | None,
    only: set[Path] | None = None,
    same_shared: bool = True,
) -> Plan:
    inputs = Inputs(datasets, only or set(), root / "build", root, [], SHARED)
    return make_plan(inputs, previous, same_shared)


def _manifest(*entries: Entry) -> Manifest:
    return Manifest(SHARED.base, {}, SHARED.ontologies, {e.name: e for e in entries})


def test_a_first_publish_maps_and_checks_everything(tmp_path: Path) -> None:
    """Without a live release nothing is reused and nothing is copied."""
    roads, places = _dataset(tmp_path, "roads"), _dataset(tmp_path, "places", "id\n1\n2\n3\n")
    plan = _plan(tmp_path, [roads, places], None)
    assert [task.dataset.name for task in plan.tasks] == ["places", "roads"]  # biggest first
    assert plan.tasks[0].output == tmp_path / "build" / "places.nt"
    assert (plan.reused, plan.copy, plan.recheck_references) == ([], False, True)
    assert not plan.unchanged


def test_an_unchanged_project_reuses_the_live_release(tmp_path: Path) -> None:
    """Same mappings, sources and shared inputs: nothing to do."""
    roads, places = _dataset(tmp_path, "roads"), _dataset(tmp_path, "places")
    manifest = _manifest(_entry(roads, tmp_path, links=("places",)), _entry(places, tmp_path))
    plan = _plan(tmp_path, [roads, places], manifest)
    assert plan.tasks == [] and plan.drop == []
    assert [p.dataset.name for p in plan.reused] == ["roads", "places"]
    assert plan.reused[0].triples == 10
    assert plan.unchanged
    assert not _plan(tmp_path, [roads, places], manifest, same_shared=False).unchanged


def test_a_changed_source_redoes_it_and_what_links_to_it(tmp_path: Path) -> None:
    """Roads link to places: new places make the roads' checks stale too."""
    roads, places = _dataset(tmp_path, "roads"), _dataset(tmp_path, "places")
    rivers = _dataset(tmp_path, "rivers")
    manifest = _manifest(
        _entry(roads, tmp_path, links=("places",)),
        _entry(places, tmp_path),
        _entry(rivers, tmp_path),
    )
    _dataset(tmp_path, "places", "id\n1\n2\n")
    plan = _plan(tmp_path, [roads, places, rivers], manifest)
    assert sorted(task.dataset.name for task in plan.tasks) == ["places", "roads"]
    assert [p.dataset.name for p in plan.reused] == ["rivers"]
    assert plan.drop == ["places", "roads"]
    assert plan.recheck_references and plan.copy


def test_a_mapping_given_by_name_redoes_its_dependants_only(tmp_path: Path) -> None:
    """Publishing places alone still redoes roads, which link to it; rivers are kept."""
    roads, places = _dataset(tmp_path, "roads"), _dataset(tmp_path, "places")
    rivers = _dataset(tmp_path, "rivers")
    manifest = _manifest(
        _entry(roads, tmp_path, links=("places",)),
        _entry(places, tmp_path),
        _entry(rivers, tmp_path),
    )
    _dataset(tmp_path, "places", "id\n9\n")
    _dataset(tmp_path, "rivers", "id\n9\n")
    plan = _plan(tmp_path, [roads, places, rivers], manifest, only={places.mapping.resolve()})
    assert sorted(task.dataset.name for task in plan.tasks) == ["places", "roads"]
    assert [p.dataset.name for p in plan.reused] == ["rivers"]


def test_a_dataset_gone_is_dropped_from_the_copy(tmp_path: Path) -> None:
    """Its graph leaves the copy, and the remaining references are checked again."""
    roads, places = _dataset(tmp_path, "roads"), _dataset(tmp_path, "places")
    manifest = _manifest(_entry(roads, tmp_path), _entry(places, tmp_path))
    plan = _plan(tmp_path, [roads], manifest)
    assert plan.tasks == [] and plan.drop == ["places"]
    assert plan.recheck_references and plan.copy and not plan.unchanged


def test_losing_much_of_the_release_loads_a_fresh_one(tmp_path: Path) -> None:
    """Removing triples one by one is slower than loading anew beyond the limits."""
    roads, places = _dataset(tmp_path, "roads"), _dataset(tmp_path, "places")
    big = _manifest(_entry(roads, tmp_path, 60_000), _entry(places, tmp_path, 60_000))
    small = _manifest(_entry(roads, tmp_path, 40_000), _entry(places, tmp_path, 60_000))
    _dataset(tmp_path, "roads", "id\n2\n")
    assert not _plan(tmp_path, [roads, places], big).copy
    assert _plan(tmp_path, [roads, places], small).copy
