"""BCP 47 language tags: which are well formed, and when two titles' languages match."""

from __future__ import annotations

import pytest

from opendatacommunities.csvw.language import is_language_tag, languages_match


@pytest.mark.parametrize(
    "tag", ["en", "cy", "en-GB", "zh-Hant-TW", "sr-Latn-RS", "de-CH-1996", "x-private", "i-klingon"]
)
def test_well_formed_tags_are_accepted(tag: str) -> None:
    """Languages, scripts, regions, variants and private-use tags are all tags."""
    assert is_language_tag(tag)


@pytest.mark.parametrize("tag", ["", "e", "english language", "en_GB", "en-", "-GB", "en-GB-"])
def test_malformed_tags_are_refused(tag: str) -> None:
    """Underscores, spaces, empty parts and one-letter languages are not tags."""
    assert not is_language_tag(tag)


@pytest.mark.parametrize(
    ("a", "b", "match"),
    [
        ("en", "en-GB", True),
        ("en-GB", "en", True),
        ("EN-gb", "en-GB", True),
        ("en-GB", "en-US", False),
        ("en", "fr", False),
        ("und", "cy", True),
        ("cy", "und", True),
    ],
)
def test_languages_match_on_their_shared_prefix(a: str, b: str, match: bool) -> None:
    """Tags match when equal up to the shorter one, in any case; ``und`` matches any."""
    assert languages_match(a, b) is match
