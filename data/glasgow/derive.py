"""Make the harvest tables of Glasgow City Council's open data catalogue from the catalogue
export beside this file (one row per distribution), for the CSVW mapping to publish:

* ``datasets.csv``: one row per dataset (a distinct ``PageURL``): an identifier made from
  the page's address, the title (twice: as the title and as the label pages show), the
  description as plain text, the tags, the licence,
  the dates, the landing page, and whether the entry is a test or an unfilled template;
* ``distributions.csv``: one row per distribution: its dataset, an identifier made from its
  file type, its name, type and address.

Three transformations a CSVW mapping cannot express are made here; no value is invented:

* descriptions hold raw HTML (with ``&quot;`` entities): they are converted to plain text
  with the standard library's ``html.parser`` (text kept, tags dropped, the content of
  ``script`` and ``style`` elements dropped, entities decoded, spaces collapsed); an
  unfilled ``{{description}}`` template is no description;
* ``OGL3`` becomes the Open Government Licence v3.0 IRI; an empty licence stays empty and
  the entry is noted as "licence not stated";
* entries whose title says UAT or TEST, or is an unfilled ``{{name}}`` template, are flagged
  with the reason.

Run ``python data/glasgow/derive.py`` after changing the source; the outputs are committed.
"""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "gcc_open_data_catalogue_dcat.csv"
OGL = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
LICENCES = {"OGL3": OGL}
# Elements whose content is code, not text: dropped whole.
SKIPPED = {"script", "style", "template", "noscript", "iframe", "object"}
TEST_TITLE = re.compile(r"\b(UAT|TEST(ING)?)\b", re.IGNORECASE)


class _Text(HTMLParser):
    """Collects the text of an HTML fragment, leaving out code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skipping += tag in SKIPPED
        self.parts.append(" ")  # block or not, a tag never glues two words together

    def handle_endtag(self, tag: str) -> None:
        self.skipping -= tag in SKIPPED and self.skipping > 0
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """The text of an HTML fragment, in one line.

    >>> html_to_text("<p style='x'>Roads &amp; <b>safety</b></p><script>alert(1)</script>")
    'Roads & safety'
    """
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return " ".join("".join(parser.parts).split())


def identifier(page: str) -> str:
    """A dataset's identifier from its landing page's address.

    >>> identifier("https://x.hub.arcgis.com/datasets/GlasgowGIS::road-safety-accidents")
    'road-safety-accidents'
    >>> identifier("https://x.hub.arcgis.com/maps/097c84bc28b64315")
    '097c84bc28b64315'
    """
    last = page.rstrip("/").rsplit("/", 1)[-1].rsplit("::", 1)[-1]
    return re.sub(r"[^a-z0-9]+", "-", last.lower()).strip("-")


def test_reason(title: str) -> str:
    """Why an entry is not a real dataset ("" when it is one)."""
    if "{{" in title:
        return "an unfilled template left in the council's catalogue"
    if TEST_TITLE.search(title):
        return "a test entry left in the council's catalogue (its title says so)"
    return ""


def _text(fragment: str) -> str:
    """A description as text; an unfilled ``{{description}}`` template is no description."""
    text = html_to_text(fragment)
    return "" if re.fullmatch(r"\{\{\w+\}\}", text) else text


def _dataset_row(row: dict[str, str]) -> list[str]:
    licence = LICENCES.get(row["License"], "")
    if row["License"] and not licence:
        raise ValueError(f"{SOURCE.name}: unknown licence {row['License']!r} ({row['Title']})")
    tags = [t.strip() for t in f"{row['OriginalTags']};{row['ManualTags']}".split(";")]
    return [
        identifier(row["PageURL"]),
        row["Title"],
        row["Title"],
        _text(row["Description"]),
        ";".join(dict.fromkeys(t for t in tags if t)),
        licence,
        "" if licence else "licence not stated",
        row["DateCreated"],
        row["DateUpdated"],
        row["PageURL"],
        test_reason(row["Title"]),
    ]


DATASET_COLUMNS = ["id", "title", "label", "description", "keywords", "licence", "licence_note"]
DATASET_COLUMNS += ["created", "updated", "page", "test_reason"]
DISTRIBUTION_COLUMNS = ["dataset", "id", "name", "type", "url"]


def derive() -> None:
    """Write ``datasets.csv`` and ``distributions.csv``."""
    with SOURCE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    datasets: dict[str, list[str]] = {}
    distributions: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        entry = _dataset_row(row)
        datasets.setdefault(row["PageURL"], entry)
        key = (entry[0], identifier(row["FileType"]))
        if key in distributions:
            raise ValueError(f"{SOURCE.name}: two {row['FileType']} files for {row['PageURL']}")
        distributions[key] = [*key, row["FileName"], row["FileType"], row["AssetURL"]]
    if len({d[0] for d in datasets.values()}) != len(datasets):
        raise ValueError(f"{SOURCE.name}: two landing pages give the same identifier")
    _write(HERE / "datasets.csv", DATASET_COLUMNS, datasets.values())
    _write(HERE / "distributions.csv", DISTRIBUTION_COLUMNS, distributions.values())


def _write(path: Path, header: list[str], rows: object) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(sorted(rows))  # type: ignore[call-overload]


if __name__ == "__main__":
    derive()
