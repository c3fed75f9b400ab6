"""The first few results of a search are those of the whole search, whether they were found
among the entries beginning with the text alone (``begun``) or by looking at every match."""

from __future__ import annotations

from opendatacommunities.store.search import Entry, SearchIndex
from opendatacommunities.store.search.begun import Begun

NAMES = [
    "Ton Pentre",
    "Tonbridge",
    "Tonbridge 001A",
    "Tonbridge 001B",
    "Tonbridge and Malling",
    "Tonbridge and Malling 002C",
    "Tong",
    "Tongwynlais",
    "Anderston",
    "Newton",
    "Stanton",
    "Tonyrefail East",
    "Tonyrefail West",
    "Taunton",
]
ENTRIES = [
    Entry(f"http://example.org/id/{i}", (name,), f"S13{i:06d}", ()) for i, name in enumerate(NAMES)
] + [Entry("http://example.org/id/cy", ("Cardiff", "Caerdydd"), "W06000015", ())]
INDEX = SearchIndex(ENTRIES)
TYPED = ["t", "to", "ton", "tonb", "tonbridge", "tonbridge 0", "tong", "s13", "s1300001", "cae"]


def test_a_limited_search_is_the_head_of_the_whole_search() -> None:
    for text in TYPED:
        for limit in (1, 3, 8):
            assert INDEX.search(text, limit=limit) == INDEX.search(text)[:limit], (text, limit)


def test_the_best_are_chosen_among_the_entries_beginning_with_the_text() -> None:
    begun = Begun(INDEX.parts)
    found = begun.best("ton", 3)
    assert found is not None
    # Places before the areas named after them; the exact name first.
    labels = [hit.entry.label for hit in INDEX.search("ton", limit=3)]
    assert labels == ["Ton Pentre", "Tonbridge", "Tonbridge and Malling"]
    assert {INDEX.entries[p].label for p in found} >= set(labels)
    # Too few entries begin so: the whole search decides, words held inside included.
    assert begun.best("tonbridge 0", 3) is None
    assert begun.best("ston", 1) is None
    assert INDEX.search("ston", limit=1)[0].entry.label == "Anderston"


def test_a_long_run_of_codes_gives_the_head_of_the_whole_search() -> None:
    # Over a thousand codes begin with "s1": their best are found by blocks.
    entries = [
        Entry(
            f"http://example.org/id/z{i}", (f"Zone {i:04d}" if i % 3 else f"Place {i}",), code, ()
        )
        for i, code in enumerate(f"S{1 + i % 2}{i * 7919 % 10_000:07d}" for i in range(1_500))
    ]
    index = SearchIndex(entries)
    for text in ("s", "s1", "s10", "s2000", "place", "zone 0"):
        for limit in (1, 8, 20):
            assert index.search(text, limit=limit) == index.search(text)[:limit], (text, limit)


def test_a_search_is_quick_when_names_begin_with_it_or_a_word_is_rare() -> None:
    index = SearchIndex(
        Entry(f"http://example.org/id/z{i}", (f"Zone {i:04d}",), None, ()) for i in range(2_400)
    )
    assert index.quick("zone", 8)  # two thousand names begin so: the first eight are the answer
    assert index.quick("zone 0012", 8)  # "0012" is a word of one entry
    assert index.quick("zoen 0012", 8)
    # Every entry holds "zone", and no name begins "zone zone": all would be gathered.
    assert not index.quick("zone zone", 8)
    assert not index.quick("z z z", 8)
    assert index.search("zone zone", limit=2) == index.search("zone zone")[:2]
