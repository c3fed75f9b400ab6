"""Reading stories: title, summary, prose and blocks in order, and sanitising: no story can
run script or fetch from another site, whatever its Markdown holds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from opendatacommunities.errors import DocumentError
from opendatacommunities.places.blocks import Block
from opendatacommunities.places.stories import (
    Prose,
    read_document,
    read_folder,
)

HOSTILE = """# Title

<script>alert(1)</script>

<div onerror="alert(2)"><img src=x onerror=alert(3)></div>

Inline <b onclick="alert(4)">bold</b> and <span>raw</span>.

[a link](javascript:alert(5)) [b](JAVASCRIPT:alert(6)) [c](vbscript:x) [d](data:text/html,x)
<javascript:alert(7)> [e](java&#09;script:alert(8))

![picture](https://tracker.example/pixel.png) ![own](/static/logo.png)

[fine](/data/simd2020) [also](https://www.gov.scot/simd)
"""


def _html(text: str) -> str:
    document = read_document("x", text, "stories/x.md")
    return "".join(part.html for part in document.parts if isinstance(part, Prose))


def test_raw_html_is_text() -> None:
    html = _html(HOSTILE)
    for tag in ("<script", "<div", "<img src=x", "<b ", "<span"):
        assert tag not in html
    assert "&lt;script&gt;" in html
    # Event handlers appear only as escaped text, never inside a tag.
    assert not re.search(r"<[a-z][^>]*\son[a-z]+=", html)
    assert "&lt;div onerror=" in html


def test_links_are_http_or_this_site() -> None:
    html = _html(HOSTILE)
    hrefs = [chunk.split('"', 1)[0] for chunk in html.split('href="')[1:]]
    assert hrefs == ["/data/simd2020", "https://www.gov.scot/simd"]
    assert "javascript:" not in html.lower().replace("(javascript:", "").replace(
        "&lt;javascript:", ""
    )


def test_images_only_from_this_site() -> None:
    html = _html(HOSTILE)
    assert "tracker.example" not in html
    assert '<img src="/static/logo.png" alt="own"' in html


def test_parts_keep_their_order_and_lines() -> None:
    text = (
        "# T\n\nFirst words.\n\n```table query=q\nCaption\n```\n\nAfter.\n\n```python\nx = 1\n```\n"
    )
    document = read_document("t", text, "stories/t.md")
    assert (document.title, document.summary) == ("T", "First words.")
    kinds = [type(part) for part in document.parts]
    assert kinds == [Prose, Block, Prose]
    assert document.blocks[0].line == 5
    assert '<code class="language-python">' in document.parts[2].html  # type: ignore[union-attr]


def test_unreadable_documents_are_named(tmp_path: Path) -> None:
    (tmp_path / "no-title.md").write_text("Just words.\n")
    (tmp_path / "Bad Name.md").write_text("# T\n")
    (tmp_path / "ok.md").write_text("# Fine\n\n```table\n```\n")
    (tmp_path / "latin.md").write_bytes("# Caf\xe9\n".encode("latin-1"))
    found, errors = read_folder(tmp_path, "stories")
    assert list(found) == ["ok"]
    assert found["ok"].problems == ((3, "a block names one source: query=NAME or slice=/data/..."),)
    assert sorted(errors) == [
        "stories/Bad Name.md:1: 'Bad Name' is not a name for a page: use a-z, 0-9 and '-'",
        "stories/latin.md:1: not UTF-8 text (invalid continuation byte)",
        "stories/no-title.md:1: a document starts with a '# Title' heading",
    ]


def test_a_name_must_be_a_url_segment() -> None:
    with pytest.raises(DocumentError):
        read_document("../x", "# T\n", "stories/x.md")
