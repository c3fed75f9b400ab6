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
