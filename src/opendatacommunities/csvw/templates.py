"""URI templates (RFC 6570) compiled for speed, and the URLs they produce (Metadata §5.1.3).

A template is parsed once by ``uritemplate``. The expressions CSVW metadata almost always uses
(``{var}``, ``{+var}``, ``{#var}`` with one variable) are turned into small closures so that a
row costs a dictionary look-up and a quote per variable; any other expression is expanded by
``uritemplate`` itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from uritemplate import URITemplate

from .prefixes import INITIAL_CONTEXT
from .urls import resolve

Variables = Mapping[str, object]
_Part = Callable[[Variables], str]

_UNRESERVED_ONLY = re.compile(r"[A-Za-z0-9\-._~]*")
_RESERVED_SAFE = ":/?#[]@!$&'()*+,;=-._~%"
_EXPRESSION = re.compile(r"\{([^}]*)\}")
_SIMPLE = re.compile(r"([+#]?)([A-Za-z0-9_.%]+)")
_PREFIXED = re.compile(r"([A-Za-z][\w.-]*):")


def _encode(value: object, *, reserved: bool) -> str:
    if isinstance(value, list):
        return ",".join(_encode(v, reserved=reserved) for v in value)
    text = str(value)
    if _UNRESERVED_ONLY.fullmatch(text):
        return text
    return quote(text, safe=_RESERVED_SAFE if reserved else "-._~")


def _literal_part(text: str) -> _Part:
    return lambda variables: text


def _variable_part(operator: str, name: str) -> _Part:
    reserved = operator in ("+", "#")
    lead = "#" if operator == "#" else ""

    def expand(variables: Variables) -> str:
        value = variables.get(name)
        if value is None or value == []:
            return ""
        return lead + _encode(value, reserved=reserved)

    return expand


def _general_part(expression: str) -> _Part:
    template = URITemplate("{" + expression + "}")

    def expand(variables: Variables) -> str:
        defined: dict[str, Any] = {k: v for k, v in variables.items() if v is not None}
        return str(template.expand(defined))

    return expand


class Template:
    """A compiled URI template.

    >>> template = Template("http://example.org/{+kind}/{code}#{_row}")
    >>> template.expand({"kind": "a/b", "code": "x y", "_row": 1})
    'http://example.org/a/b/x%20y#1'
    """

    __slots__ = ("_single", "names", "parts", "per_column", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self.parts: list[_Part] = []
        self.names: set[str] = set()
        position = 0
        for match in _EXPRESSION.finditer(source):
            if match.start() > position:
                self.parts.append(_literal_part(source[position : match.start()]))
            self.parts.append(self._compile(match.group(1)))
            position = match.end()
        if position < len(source):
            self.parts.append(_literal_part(source[position:]))
        self._single = self.parts[0] if len(self.parts) == 1 else None
        # True if the expansion depends on the column being processed, not only the row.
        self.per_column = bool(self.names & {"_column", "_sourceColumn", "_name"})

    def _compile(self, expression: str) -> _Part:
        simple = _SIMPLE.fullmatch(expression)
        if simple:
            self.names.add(simple.group(2))
            return _variable_part(simple.group(1), simple.group(2))
        for variable in URITemplate("{" + expression + "}").variable_names:
            self.names.add(variable)
        return _general_part(expression)

    def expand(self, variables: Variables) -> str:
        """Expand with the row's variables (None and missing variables are undefined)."""
        if self._single is not None:
            return self._single(variables)
        return "".join([part(variables) for part in self.parts])


@lru_cache(maxsize=4096)
def compile_template(source: str) -> Template:
    """Compile (and cache) a template; metadata reuses the same few templates everywhere."""
    return Template(source)


def to_url(expanded: str, base: str) -> str:
    """Make an expanded template an absolute URL: expand a known prefix, else resolve it.

    >>> to_url("foaf:Person", "http://example.org/t.csv")
    'http://xmlns.com/foaf/0.1/Person'
    >>> to_url("#row.1", "http://example.org/t.csv")
    'http://example.org/t.csv#row.1'
    """
    if expanded.startswith(("http://", "https://")):
        return expanded
    prefixed = _PREFIXED.match(expanded)
    if (
        prefixed
        and prefixed.group(1) in INITIAL_CONTEXT
        and not expanded.startswith("//", prefixed.end())
    ):
        return INITIAL_CONTEXT[prefixed.group(1)] + expanded[prefixed.end() :]
    return resolve(base, expanded)
