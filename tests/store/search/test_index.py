"""Finding resources by name or code: every word must match, accents and case aside, and
the best match comes first (an exact code, then an exact name, then names starting with the
text, then names with words starting so, then names holding the words anywhere)."""

from __future__ import annotations

from opendatacommunities.store.search import Entry, SearchIndex

GEO = "http://example.org/def/geography/"
WARD, AUTHORITY, ZONE = GEO + "Ward", GEO + "LocalAuthority", GEO + "DataZone"


def _entry(code: str, *labels: str, kind: str = WARD) -> Entry:
    return Entry(f"http://example.org/id/{code}", labels, code, (kind,))


ENTRIES = [
    _entry("W06000001", "Ynys Môn", "Isle of Anglesey", kind=AUTHORITY),
    _entry("S12000049", "Glasgow City", kind=AUTHORITY),
    _entry("S13002967", "Calton"),
    _entry("S13003133", "Glasgow Calton"),
    _entry("S01010206", "Calton - 01", kind=ZONE),
    _entry("S13002968", "Anderston/City/Yorkhill"),
    _entry("S13002969", "North East", kind=WARD),
]
INDEX = SearchIndex(ENTRIES)


def _found(text: str, kind: str | None = None) -> list[tuple[str, int]]:
    return [(hit.entry.label, hit.rank) for hit in INDEX.search(text, kind=kind)]


def test_an_exact_code_comes_first_and_a_code_prefix_matches() -> None:
    assert _found("S13002967") == [("Calton", 0)]
    assert _found("s1300296") == [
        ("Anderston/City/Yorkhill", 2),
        ("Calton", 2),
        ("North East", 2),
    ]


def test_names_rank_exact_then_prefix_then_word_start_then_anywhere() -> None:
    assert _found("calton") == [("Calton", 1), ("Calton - 01", 2), ("Glasgow Calton", 3)]
    assert _found("city") == [("Anderston/City/Yorkhill", 3), ("Glasgow City", 3)]
    assert _found("alton") == [("Calton", 4), ("Calton - 01", 4), ("Glasgow Calton", 4)]


def test_every_word_must_match_in_one_name() -> None:
    assert _found("glasgow calton") == [("Glasgow Calton", 1)]
    assert _found("calton glasgow") == [("Glasgow Calton", 3)]
    assert _found("glasgow anglesey") == []


def test_accents_case_and_punctuation_do_not_matter() -> None:
    assert _found("YNYS MON") == [("Ynys Môn", 1)]
    assert _found("isle of anglesey") == [("Ynys Môn", 1)]  # any of its names
    assert _found("anderston-city") == [("Anderston/City/Yorkhill", 2)]


def test_a_kind_narrows_and_no_text_lists_all_in_name_order() -> None:
    assert _found("calton", kind=ZONE) == [("Calton - 01", 2)]
    assert [label for label, _ in _found("")] == sorted(
        (entry.label for entry in ENTRIES), key=lambda label: label.lower()
    )
    assert [label for label, _ in _found("", kind=AUTHORITY)] == ["Glasgow City", "Ynys Môn"]


def test_entries_are_found_by_iri_and_counted_by_type() -> None:
    assert INDEX.get("http://example.org/id/S12000049") == ENTRIES[1]
    assert INDEX.get("http://example.org/id/S99999999") is None
    assert INDEX.type_counts == {WARD: 4, AUTHORITY: 2, ZONE: 1}


NEAR_ENTRIES = [
    Entry("http://example.org/a", ("Anderston/City/Yorkhill",), "S13002976", (WARD,)),
    Entry("http://example.org/b", ("Anderston - 01",), "S01010276", ()),
    Entry("http://example.org/c", ("Anderston",), "S02001935", ()),
    Entry("http://example.org/d", ("Sanderstead",), "E05000152", (WARD,)),
    Entry("http://example.org/e", ("Glasgow City",), "S12000049", ()),
    Entry("http://example.org/f", ("Port Glasgow",), "S13002999", (WARD,)),
]


def _near(index: SearchIndex, text: str, **options: object) -> list[tuple[str, int]]:
    return [(hit.entry.label, hit.rank) for hit in index.search(text, **options)]  # type: ignore[arg-type]


def test_begun_codes_and_names_and_words_held() -> None:
    index = SearchIndex(NEAR_ENTRIES)
    assert _near(index, "s12000049") == [("Glasgow City", 0)]
    assert _near(index, "anderston") == [
        ("Anderston", 1),
        ("Anderston/City/Yorkhill", 2),  # a place before an area named after one
        ("Anderston - 01", 2),
    ]
    assert _near(index, "glasg") == [("Glasgow City", 2), ("Port Glasgow", 3)]
    assert _near(index, "ndersto")[0] == ("Anderston", 4)


def test_a_near_spelling_ranks_places_before_areas_named_after_them() -> None:
    index = SearchIndex(NEAR_ENTRIES)
    found = _near(index, "andersten")
    assert found == [
        ("Anderston", 5),
        ("Anderston/City/Yorkhill", 5),
        ("Anderston - 01", 5),
    ]


def test_a_limit_gives_the_head_and_kinds_narrow() -> None:
    index = SearchIndex(NEAR_ENTRIES)
    assert index.search("anderston", limit=2) == index.search("anderston")[:2]
    assert _near(index, "anderston", kinds={WARD}) == [("Anderston/City/Yorkhill", 2)]
    assert _near(index, "", kind=WARD) == [
        ("Anderston/City/Yorkhill", 4),
        ("Port Glasgow", 4),
        ("Sanderstead", 4),
    ]
