"""The words a typed word may mean: exact, begun, held inside, or nearly spelt."""

from __future__ import annotations

from opendatacommunities.store.search.spelling import EXACT, INSIDE, NEAR, PREFIX, Spelling

WORDS = ["anderston", "glasgow", "glasgows", "yorkhill", "s12000049", "s12000046", "castle"]


def _meant(spelling: Spelling, typed: str) -> dict[str, int]:
    return {spelling.words[i]: q for i, q in spelling.matches(typed).items()}


def test_exact_prefix_and_inside() -> None:
    spelling = Spelling.of(WORDS)
    assert _meant(spelling, "glasgow") == {"glasgow": EXACT, "glasgows": PREFIX}
    assert _meant(spelling, "hill") == {"yorkhill": INSIDE}
    assert _meant(spelling, "s1200004") == {"s12000049": PREFIX, "s12000046": PREFIX}


def test_near_spellings_within_the_allowed_slips() -> None:
    spelling = Spelling.of(WORDS)
    assert _meant(spelling, "andersten") == {"anderston": NEAR + 1}
    assert _meant(spelling, "glasgwo") == {"glasgow": NEAR + 1}  # two letters swapped
    assert _meant(spelling, "castel") == {"castle": NEAR + 1}
    assert _meant(spelling, "cstle") == {"castle": NEAR + 1}
    assert _meant(spelling, "cstel") == {}  # two slips in five letters: too far


def test_codes_and_short_words_are_never_guessed() -> None:
    """A code a digit off is another area; a three-letter word is too short to correct."""
    spelling = Spelling.of(WORDS)
    assert _meant(spelling, "s12000048") == {}
    assert _meant(spelling, "cas") == {"castle": PREFIX}
    assert _meant(spelling, "caz") == {}


def test_quality_of_one_word_agrees_with_matches() -> None:
    spelling = Spelling.of(WORDS)
    for typed in ("glasg", "hill", "andersten", "cstle", "zzz"):
        found = _meant(spelling, typed)
        for word in WORDS:
            assert spelling.quality(typed, word) == found.get(word)
