"""A broken reference in a story or dashboard stops `odc publish` and `odc check` before
anything is mapped, naming ``file:LINE`` and what is wrong; every kind of broken reference,
in small projects made here (the shipped queries, a small cube)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from opendatacommunities.cli import main
from opendatacommunities.config import Settings
from opendatacommunities.errors import BrokenReferenceError
from opendatacommunities.places.references import check_project
from opendatacommunities.publish.pipeline import Layout, publish
from opendatacommunities.store import ReleaseRoot
from tests.plugins.cubes import cube_rows, write_cube
from tests.plugins.project import BASE, ROOT


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project: the shipped queries, one small cube ``people``, empty stories/."""
    shutil.copytree(ROOT / "queries", tmp_path / "queries")
    (tmp_path / "mappings").mkdir()
    write_cube(tmp_path / "mappings", "people", cube_rows(range(2019, 2021)))
    (tmp_path / "stories").mkdir()
    return tmp_path


def _story(project: Path, *blocks: str) -> None:
    captions = {True: "{authorities} authorities", False: "A caption {with} braces"}
    text = "# A story\n\nWords.\n" + "".join(
        f"\n```{block}\n{captions[block.startswith('figure')]}\n```\n" for block in blocks
    )
    (project / "stories" / "x.md").write_text(text, encoding="utf-8")


def _problems(project: Path) -> list[str]:
    return check_project(project, project / "mappings", BASE, BASE)


GOOD = [
    "table query=wards-of-area area=/id/statistical-geography/S12000049 columns=ward,code",
    "chart query=tenure-by-authority x=authority y=ownedShare limit=5",
    "figure query=tenure-england",
    "table slice=/data/people/slice?rows=refArea&columns=refPeriod&measure=people",
    "map slice=/data/people/map?refPeriod=2020",
]


def test_good_references_pass(project: Path) -> None:
    _story(project, *GOOD)
    assert _problems(project) == []


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("table query=no-such-query", "unknown query 'no-such-query' (queries/ has: "),
        (
            "chart query=tenure-by-authority x=authority y=ownedshare",
            "'ownedshare' is not a variable of query 'tenure-by-authority' (its results have: ",
        ),
        (
            "table query=wards-of-area",
            "parameter 'area' of query 'wards-of-area' is missing: give a value",
        ),
        (
            "table query=wards-of-area area=/id/x colour=red",
            "parameter 'colour' of query 'wards-of-area' is not a parameter of this query",
        ),
        ("table slice=/data/nothing/slice", "unknown dataset 'nothing': no cube of that name"),
        (
            "table slice=/data/people/slice?rows=tenure",
            "rows=tenure: 'tenure' is not a dimension of 'people' (its dimensions: ",
        ),
        ("map slice=/data/people/map?colour=red", "'colour' is not a dimension of 'people'"),
        (
            "map slice=/data/people/map?measure=households",
            "measure=households: 'households' is not a measure of 'people' (its measures: people)",
        ),
        ("chart query=tenure-england", "a chart of a query names its labels or areas (x=)"),
        ("pie query=tenure-england", None),  # not a live block: shown as code
    ],
)
def test_each_broken_reference_is_named(project: Path, block: str, message: str | None) -> None:
    """The line named is the block's opening fence (the file's 5th line)."""
    _story(project, block)
    problems = _problems(project)
    if message is None:
        assert problems == []
        return
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"stories/x.md:5: {message}"), problems


def test_every_problem_at_once_with_dashboards(project: Path) -> None:
    _story(project, GOOD[0], "table query=nope", "figure query=tenure-england")
    (project / "dashboards").mkdir()
    (project / "dashboards" / "theme.md").write_text("No title\n")
    problems = _problems(project)
    assert [p.split(": ")[0] for p in problems] == ["stories/x.md:9", "dashboards/theme.md:1"]


def test_publish_stops_before_anything(project: Path) -> None:
    """No release, nothing mapped: the broken reference is found first."""
    _story(project, *GOOD, "table query=nope")
    layout = Layout(project / "mappings", ROOT / "shapes", ROOT / "ontologies", project / "build")
    settings = Settings(store_dir=project / "store")
    with pytest.raises(BrokenReferenceError) as caught:
        publish(settings, layout)
    assert caught.value.lines == [
        "stories/x.md:25: unknown query 'nope' (queries/ has: " + _names()
    ]
    assert str(caught.value).startswith("1 broken reference in stories and dashboards; nothing")
    assert ReleaseRoot(project / "store").current_path() is None
    assert not (project / "build" / "people.nt").exists()


def _names() -> str:
    return ", ".join(sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))) + ")"


def test_odc_publish_and_check_exit_1(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """From the command line: one message naming file and line, exit status 1."""
    _story(project, "table slice=/data/people/slice?rows=nothing")
    for name in ("shapes", "ontologies"):
        shutil.copytree(ROOT / name, project / name)
    monkeypatch.chdir(project)
    monkeypatch.setenv("ODC_STORE_DIR", str(project / "store"))
    for argv in (["publish"], ["check", "mappings/people.cube.json"]):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert err.startswith("error: 1 broken reference in stories and dashboards")
        assert "\nstories/x.md:5: rows=nothing: 'nothing' is not a dimension of 'people'" in err
        assert "Traceback" not in err


def test_the_shipped_stories_and_dashboards_are_sound() -> None:
    """What ships refers to what ships."""
    assert check_project(ROOT, ROOT / "mappings", BASE, BASE) == []
    assert {p.stem for p in (ROOT / "dashboards").glob("*.md")} == {
        "deprivation",
        "housing",
        "labour-market",
    }
