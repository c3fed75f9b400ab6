"""Live blocks: the fenced blocks of a story or dashboard that show data.

A live block is a fenced block whose info string starts with a kind::

    ```chart query=tenure-owned-share x=authority y=ownedShare limit=15
    The fifteen authorities where most households own their home
    ```

* The kind: ``chart`` (bars, or a line with ``type=line``), ``map``, ``table`` or ``figure``
  (a single number in words).
* Its source: ``query=NAME`` (a named query of ``queries/``) or ``slice=PATH`` (a cube's
  slice, ``/data/{dataset}/slice?...``, or map, ``/data/{dataset}/map?...``, with the
  slicer's parameters).
* Options: ``x=`` and ``y=`` (the variables or columns a chart or map draws: labels and
  values), ``type=bar|line``, ``unit=``, ``limit=N`` (rows shown), ``columns=a,b`` (a
  table's columns). Values with spaces are quoted: ``unit="% of households"``.
* Every other ``name=value`` is a parameter of the named query.

The block's body is its caption; a figure's body is a sentence with ``{variable}``
placeholders, filled from the query's first row.

>>> block = parse_block("chart query=q x=area y=share limit=5", "Shares", 3)
>>> block.kind, block.source, block.x, block.y, block.limit, block.caption
('chart', QuerySource(name='q', parameters=()), 'area', 'share', 5, 'Shares')
>>> parse_block("table slice=/data/simd2020/slice?rows=refArea", "", 1).source
CubeSource(dataset='simd2020', view='slice', parameters=(('rows', 'refArea'),))
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from opendatacommunities.errors import BlockSyntaxError
from opendatacommunities.store.named_queries import NamedQuery

KINDS = ("chart", "map", "table", "figure")
CHART_TYPES = ("bar", "line")
OPTIONS = ("x", "y", "type", "unit", "limit", "columns")
_CUBE_PATH = re.compile(r"^/data/(?P<dataset>[A-Za-z0-9][A-Za-z0-9._-]*)/(?P<view>slice|map)$")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
#: The most rows a block shows (a chart of every English authority is still readable).
MAX_LIMIT = 500


@dataclass(frozen=True)
class QuerySource:
    """A named query and the values of its parameters."""

    name: str
    parameters: tuple[tuple[str, str], ...] = ()

    @property
    def path(self) -> str:
        """The query's page on the site."""
        return f"/queries/{self.name}"


@dataclass(frozen=True)
class CubeSource:
    """A slice or map of a cube, with the slicer's parameters."""

    dataset: str
    view: str
    parameters: tuple[tuple[str, str], ...] = ()

    @property
    def path(self) -> str:
        """The slice's or map's page on the site."""
        return f"/data/{self.dataset}/{self.view}"


Source = QuerySource | CubeSource


@dataclass(frozen=True)
class Block:
    """One live block, read."""

    kind: str
    source: Source
    line: int
    caption: str = ""
    x: str | None = None
    y: str | None = None
    type: str = "bar"
    unit: str = ""
    limit: int | None = None
    columns: tuple[str, ...] = ()

    @property
    def placeholders(self) -> tuple[str, ...]:
        """The ``{variable}`` names of a figure's sentence, in order.

        >>> Block("figure", QuerySource("q"), 1, "{n} of {total}").placeholders
        ('n', 'total')
        """
        return tuple(_PLACEHOLDER.findall(self.caption))


def is_live(info: str) -> bool:
    """Whether a fence's info string opens a live block (its first word is a kind)."""
    words = info.split()
    return bool(words) and words[0] in KINDS


def _pairs(info: str, line: int) -> tuple[str, list[tuple[str, str]]]:
    try:
        words = shlex.split(info)
    except ValueError as exc:
        raise BlockSyntaxError(f"cannot read the block's options ({exc})", line) from None
    pairs = []
    for word in words[1:]:
        name, equals, value = word.partition("=")
        if not equals or not name:
            raise BlockSyntaxError(f"{word!r} is not name=value", line)
        pairs.append((name, value))
    return words[0], pairs


def _source(pairs: list[tuple[str, str]], line: int) -> Source:
    sources = [(name, value) for name, value in pairs if name in ("query", "slice")]
    if len(sources) != 1:
        raise BlockSyntaxError("a block names one source: query=NAME or slice=/data/...", line)
    name, value = sources[0]
    rest = tuple((k, v) for k, v in pairs if k not in (*OPTIONS, "query", "slice"))
    if name == "query":
        if not value:
            raise BlockSyntaxError("query= needs the name of a query in queries/", line)
        return QuerySource(value, rest)
    if rest:
        raise BlockSyntaxError(
            f"{rest[0][0]!r} is not an option of a block (options: {', '.join(OPTIONS)}); "
            "a slice's parameters go in its path",
            line,
        )
    parts = urlsplit(value)
    match = _CUBE_PATH.match(parts.path)
    if match is None or parts.scheme or parts.netloc:
        raise BlockSyntaxError(
            f"slice= takes /data/DATASET/slice?... or /data/DATASET/map?..., not {value!r}", line
        )
    parameters = tuple(parse_qsl(parts.query, keep_blank_values=True))
    return CubeSource(match["dataset"], match["view"], parameters)


def _limit(text: str | None, line: int) -> int | None:
    if text is None:
        return None
    if not text.isdigit() or not 0 < int(text) <= MAX_LIMIT:
        raise BlockSyntaxError(f"limit= takes a whole number from 1 to {MAX_LIMIT}", line)
    return int(text)


def parse_block(info: str, body: str, line: int) -> Block:
    """The live block a fence's info string and body describe; ``line`` is the fence's.

    :raises BlockSyntaxError: an unknown kind or option, no source or two, a bad value.
    """
    kind, pairs = _pairs(info, line)
    if kind not in KINDS:
        raise BlockSyntaxError(f"{kind!r} is not a kind of block ({', '.join(KINDS)})", line)
    source = _source(pairs, line)
    options = {name: value for name, value in pairs if name in OPTIONS}
    chart_type = options.get("type", "bar")
    if chart_type not in CHART_TYPES:
        raise BlockSyntaxError(f"type= takes {' or '.join(CHART_TYPES)}", line)
    block = Block(
        kind,
        source,
        line,
        body.strip(),
        options.get("x") or None,
        options.get("y") or None,
        chart_type,
        options.get("unit", ""),
        _limit(options.get("limit"), line),
        tuple(c for c in options.get("columns", "").split(",") if c),
    )
    _check_shape(block)
    return block


def _check_shape(block: Block) -> None:
    """What each kind needs of its options and source."""
    if block.kind == "figure":
        if not isinstance(block.source, QuerySource):
            raise BlockSyntaxError(
                "a figure reads its number from a query (query=NAME)", block.line
            )
        if not block.placeholders:
            raise BlockSyntaxError(
                "a figure's body is a sentence naming its numbers as {variable}", block.line
            )
    drawn = block.kind in ("chart", "map") and isinstance(block.source, QuerySource)
    if drawn and (block.x is None or block.y is None):
        raise BlockSyntaxError(
            f"a {block.kind} of a query names its labels or areas (x=) and values (y=)",
            block.line,
        )


def variables_used(block: Block) -> tuple[str, ...]:
    """The query variables a block reads (each must be a result column of its query).

    >>> variables_used(parse_block("table query=q columns=a,b", "", 1))
    ('a', 'b')
    """
    sentence = block.placeholders if block.kind == "figure" else ()
    named = (block.x, block.y, *block.columns, *sentence)
    return tuple(dict.fromkeys(v for v in named if v))


def with_base(
    query: NamedQuery, parameters: tuple[tuple[str, str], ...], base: str
) -> dict[str, list[str]]:
    """A block's parameters as the query binds them: an IRI parameter given as a path of this
    site (``/id/statistical-geography/S12000049``) is an IRI under the base.

    >>> from opendatacommunities.store.named_queries import Parameter
    >>> q = NamedQuery("q", "Q", "", "", (Parameter("area", "iri", ""),))
    >>> with_base(q, (("area", "/id/x"),), "http://h")
    {'area': ['http://h/id/x']}
    """
    kinds = {p.name: p.type for p in query.parameters}
    given: dict[str, list[str]] = {}
    for name, value in parameters:
        if kinds.get(name) == "iri" and value.startswith("/"):
            value = base.rstrip("/") + value
        given.setdefault(name, []).append(value)
    return given
