"""Words for IRIs: names, kinds, links and the headings of incoming links."""

from __future__ import annotations

import pytest

from opendatacommunities.iris import IriSpace
from opendatacommunities.store import Summary
from opendatacommunities.vocab import OWL_SAME_AS, RDF_TYPE, SKOS, XSD
from opendatacommunities.web.words import Words, literal_words

SITE = "https://data.example.org"
WARD = SITE + "/id/geography/S13002605"
WARD_CLASS = SITE + "/def/geography/ElectoralWard"
WITHIN = SITE + "/def/geography/within"
ELSEWHERE = "http://other.example/thing/parentCode"


def _words(*summaries: Summary) -> Words:
    return Words(IriSpace(SITE), {s.iri: s for s in summaries})


@pytest.mark.parametrize(
    ("value", "datatype", "words"),
    [
        ("2026-12-04T14:36:46.930253Z", "dateTime", "4 December 2026, 14:36 UTC"),
        ("2026-12-04T14:36:00", "dateTime", "4 December 2026, 14:36"),
        ("2026-12-04T14:36:00+01:00", "dateTime", "4 December 2026, 14:36"),
        ("2026-01-09", "date", "9 January 2026"),
        ("24000", "integer", "24,000"),
        ("-7", "integer", "-7"),
        ("not a date", "date", None),
        ("12.5", "integer", None),
        ("24000", "string", None),
    ],
)
def test_literals_as_people_write_them(value: str, datatype: str, words: str | None) -> None:
    """Dates, times and whole numbers read naturally; anything else is shown as it is."""
    assert literal_words(value, XSD + datatype) == words


def test_a_name_is_a_label_else_a_code_else_words_from_the_iri() -> None:
    """What a resource is called, from the best source there is."""
    words = _words(Summary(WARD, label="Anderston"), Summary(WARD_CLASS, notation="EW"))
    assert words.name(WARD) == "Anderston"
    assert words.name(WARD_CLASS) == "EW"
    assert words.name(RDF_TYPE) == "type"
    assert words.name(ELSEWHERE) == "parent code"


def test_kinds_come_from_type_labels_or_the_other_site_s_host() -> None:
    """A ward reads as its type; an unknown foreign resource says whose it is."""
    words = _words(
        Summary(WARD, label="Anderston", types=[WARD_CLASS, SITE + "/def/geography/Area"]),
        Summary(WARD_CLASS, label="electoral ward"),
    )
    assert words.kinds(WARD) == "electoral ward, area"
    assert words.kinds(ELSEWHERE) == "other.example"
    assert words.kinds(SITE + "/id/unknown") == ""


def test_links_go_to_our_pages_or_out_to_the_web() -> None:
    """Local things open their page; foreign web IRIs are followed; others are not links."""
    words = _words()
    assert words.href(WARD) == "/doc/geography/S13002605"
    assert words.href(ELSEWHERE) == ELSEWHERE
    assert words.href("urn:isbn:0451450523") is None
    known = _words(Summary("urn:x:y", label="Known"))
    assert known.href("urn:x:y") == "/resource?uri=urn%3Ax%3Ay"


def test_a_link_carries_name_kinds_and_code() -> None:
    """Everything a page shows of a linked resource, in one view."""
    words = _words(Summary(WARD, label="Anderston", notation="S13002605", types=[WARD_CLASS]))
    view = words.link(WARD)
    assert (view.href, view.text, view.kinds, view.notation) == (
        "/doc/geography/S13002605",
        "Anderston",
        "electoral ward",
        "S13002605",
    )
    assert words.link(WARD) is view


@pytest.mark.parametrize(
    ("summary", "prop", "heading"),
    [
        (Summary(WITHIN, inverse_label="contains"), WITHIN, "Contains"),
        (None, RDF_TYPE, "Every Ward"),
        (None, OWL_SAME_AS, "Same as Ward"),
        (None, SKOS + "broader", "Narrower"),
        (Summary(WITHIN, label="within"), WITHIN, "Within Ward"),
        (Summary(WITHIN, label="part of"), WITHIN, "Part of Ward"),
        (Summary(WITHIN, label="has council"), WITHIN, "Has Ward as council"),
        (None, ELSEWHERE, "Has Ward as parent code"),
    ],
)
def test_incoming_links_read_from_the_target_s_side(
    summary: Summary | None, prop: str, heading: str
) -> None:
    """The inverse's label, else standard words, else the label read backwards."""
    words = _words(summary) if summary else _words()
    assert words.incoming_heading(prop, "Ward") == heading
