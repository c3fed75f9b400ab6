"""Stories and dashboards: Markdown files written by publishers, with live blocks.

A document (``stories/{name}.md`` or ``dashboards/{theme}.md``) starts with a ``# Title``
heading; its first paragraph is its summary (shown in lists). Its prose is CommonMark with
raw HTML turned off, links limited to http(s) and this site's own paths and images to this
site's own files, so that no story can run script or fetch from elsewhere. Top-level fenced
blocks whose info string starts with a kind of live block (see ``places.blocks``) are data;
other fences are shown as code.

>>> doc = read_document("x", "# Owned homes\\n\\nMost <b>own</b>.\\n\\n"
...     "```table query=q\\nA table\\n```\\n[bad](javascript:alert(1))\\n", "x.md")
>>> doc.title, doc.summary
('Owned homes', 'Most <b>own</b>.')
>>> [type(part).__name__ for part in doc.parts]
['Prose', 'Block', 'Prose']
>>> doc.parts[0].html
'<h1>Owned homes</h1>\\n<p>Most &lt;b&gt;own&lt;/b&gt;.</p>\\n'
>>> doc.parts[2].html
'<p>[bad](javascript:alert(1))</p>\\n'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from opendatacommunities.errors import BlockSyntaxError, DocumentError

from .blocks import Block, is_live, parse_block

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SAFE_SCHEMES = ("http", "https")


@dataclass(frozen=True)
class Prose:
    """A run of the document's text, as sanitised HTML."""

    html: str


Part = Prose | Block


@dataclass(frozen=True)
class Document:
    """A story or dashboard, read: its prose and live blocks in order."""

    name: str
    title: str
    summary: str
    parts: tuple[Part, ...]
    file: str = ""
    """Where it was read from, as errors name it (``stories/x.md``)."""
    problems: tuple[tuple[int, str], ...] = field(default=())
    """(line, what is wrong) for each live block that could not be read."""

    @property
    def blocks(self) -> tuple[Block, ...]:
        """The live blocks, in order."""
        return tuple(part for part in self.parts if isinstance(part, Block))


def _safe_link(url: str) -> bool:
    """Links go to http(s) addresses or this site's paths, never ``javascript:`` or ``data:``.

    >>> [_safe_link(u) for u in ("/data", "https://x.org", "JavaScript:x", "data:x", "//e.vil")]
    [True, True, False, False, True]
    """
    scheme = urlsplit(url.strip()).scheme.lower()
    # urlsplit reads "java\tscript:" as no scheme; markdown-it has normalised such URLs
    # (percent-encoding the tab) before they get here, so a colon is the sign of one.
    return scheme in _SAFE_SCHEMES or (scheme == "" and ":" not in url.split("/")[0])


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = _safe_link  # type: ignore[method-assign]
    return md


_MD = _markdown()


def _own_images(tokens: Sequence[Token]) -> None:
    """An image from another site would be fetched by every reader: it is shown as its
    text instead."""
    for token in tokens:
        for index, child in enumerate(token.children or []):
            if child.type == "image" and urlsplit(str(child.attrGet("src") or "")).netloc:
                text = Token("text", "", 0, content=child.content)
                assert token.children is not None
                token.children[index] = text


def _title(tokens: Sequence[Token]) -> str | None:
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1":
            return tokens[index + 1].content.strip()
    return None


def _summary(tokens: Sequence[Token]) -> str:
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0:
            return tokens[index + 1].content.strip()
    return ""


def _split(tokens: list[Token]) -> Iterator[tuple[list[Token], Token | None]]:
    """Runs of prose tokens, each followed by the live fence that ends it (or None)."""
    run: list[Token] = []
    for token in tokens:
        if token.type == "fence" and token.level == 0 and is_live(token.info):
            yield run, token
            run = []
        else:
            run.append(token)
    yield run, None


def read_document(name: str, text: str, file: str) -> Document:
    """A document from its Markdown; live blocks that cannot be read are noted in
    ``problems`` (and left out), so that every problem is reported at once.

    :raises DocumentError: no ``# Title`` heading, or a name that is not a URL segment.
    """
    if not _NAME.match(name):
        raise DocumentError(f"{name!r} is not a name for a page: use a-z, 0-9 and '-'", 1)
    tokens = _MD.parse(text)
    title = _title(tokens)
    if not title:
        raise DocumentError("a document starts with a '# Title' heading", 1)
    _own_images(tokens)
    parts: list[Part] = []
    problems: list[tuple[int, str]] = []
    for run, fence in _split(tokens):
        if run:
            parts.append(Prose(_MD.renderer.render(run, _MD.options, {})))
        if fence is None:
            continue
        line = (fence.map[0] if fence.map else 0) + 1
        try:
            parts.append(parse_block(fence.info, fence.content, line))
        except BlockSyntaxError as exc:
            problems.append((exc.line, exc.message))
    return Document(name, title, _summary(tokens), tuple(parts), file, tuple(problems))


def read_folder(folder: Path, label: str) -> tuple[dict[str, Document], list[str]]:
    """Every ``*.md`` of ``folder`` by name, and a ``label/x.md:LINE: what`` line for each
    document that cannot be read (left out)."""
    found: dict[str, Document] = {}
    errors: list[str] = []
    if not folder.is_dir():
        return found, errors
    for path in sorted(folder.glob("*.md")):
        file = f"{label}/{path.name}"
        try:
            text = path.read_text(encoding="utf-8")
            found[path.stem] = read_document(path.stem, text, file)
        except UnicodeDecodeError as exc:
            errors.append(f"{file}:1: not UTF-8 text ({exc.reason})")
        except DocumentError as exc:
            errors.append(f"{file}:{exc.line}: {exc.message}")
    return found, errors
