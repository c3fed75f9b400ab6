"""The ``x-utf-8-double-encoded`` encoding undoes UTF-8 that was read as Latin-1 and saved
again as UTF-8, whatever the text and however the file is cut into blocks as it is read."""

from __future__ import annotations

import codecs
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from opendatacommunities.csvw.double_encoding import NAME, repair

#: Any text a CSV cell may hold (no lone surrogates: they are not text).
TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)


def _mangled(text: str) -> str:
    """``text`` as the ONS lookups were mangled: its UTF-8 read as Latin-1."""
    return text.encode("utf-8").decode("latin-1")


@given(TEXT)
def test_mangled_text_is_repaired(text: str) -> None:
    assert repair(_mangled(text)) == text


#: Latin-1 text that no UTF-8 can have been mangled into: continuation bytes alone, and
#: lead bytes (ô, é, Ã...) followed by ASCII rather than by continuation bytes.
UNMANGLED = st.lists(
    st.one_of(
        st.characters(max_codepoint=127),
        st.characters(min_codepoint=0x80, max_codepoint=0xBF),
        st.tuples(
            st.characters(min_codepoint=0xC0, max_codepoint=0xFF),
            st.characters(max_codepoint=127),
        ).map("".join),
    ),
    max_size=30,
).map("".join)


@given(UNMANGLED)
def test_text_that_was_never_mangled_is_kept(text: str) -> None:
    """A lone ô or é (as in a Latin-1 file saved as UTF-8 correctly) reads as written."""
    assert repair(text) == text


@settings(max_examples=200)
@given(TEXT, st.lists(st.integers(0, 200), max_size=8))
def test_reading_in_blocks_gives_what_reading_at_once_gives(text: str, cuts: list[int]) -> None:
    data = _mangled(text).encode("utf-8")
    decoder = codecs.getincrementaldecoder(NAME)()
    parts, start = [], 0
    for cut in sorted(min(c, len(data)) for c in cuts):
        parts.append(decoder.decode(data[start:cut]))
        start = cut
    parts.append(decoder.decode(data[start:], final=True))
    assert "".join(parts) == text == codecs.decode(data, NAME)


def test_a_file_named_with_either_spelling_is_repaired_as_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "lookup.csv"
    path.write_text("code,name\nW06000001,Ynys MÃ´n\nS12000013,Na h-Eileanan Siar\n")
    for name in (NAME, NAME.replace("-", "_")):
        with path.open(encoding=name, newline="") as handle:
            assert handle.read().splitlines()[1] == "W06000001,Ynys Môn"
    assert codecs.encode("Môn", NAME) == "Môn".encode()
