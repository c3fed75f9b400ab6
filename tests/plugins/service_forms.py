"""Every syntactic form of a SPARQL 1.1 ``SERVICE`` clause, as hypothesis strategies: the
keyword in any case, partly written as ``\\u``/``\\U`` escapes, with or without ``SILENT``;
the endpoint as an IRI (escapes in it too), a prefixed name, an empty-prefix name glued to
the keyword, an IRI relative to ``BASE``, or a variable; comments and white space (or
nothing) between tokens; the clause nested in groups, OPTIONAL, UNION, MINUS, GRAPH,
sub-SELECT, EXISTS and NOT EXISTS, in every query form."""

from __future__ import annotations

from hypothesis import strategies as st

GAPS = st.sampled_from(["", " ", "\n", "\t", "\r\n", " # c\n", "#c\r", "\n#SELECT\n "])
SPACES = st.sampled_from([" ", "\n", "\t", "\r", " # x\n", "#x\r", "\n# }\n"])


@st.composite
def keyword(draw: st.DrawFn, word: str, escapes: bool = True) -> str:
    """``word`` with each letter in either case, some written as codepoint escapes (which
    Oxigraph reads as a syntax error) if ``escapes``."""
    letters = []
    for letter in word:
        letter = draw(st.sampled_from([letter.upper(), letter.lower()]))
        style = draw(st.sampled_from(["plain", "plain", "u", "U"])) if escapes else "plain"
        if style == "u":
            letter = "\\u" + format(ord(letter), draw(st.sampled_from(["04X", "04x"])))
        elif style == "U":
            letter = "\\U" + format(ord(letter), "08X")
        letters.append(letter)
    return "".join(letters)


@st.composite
def endpoint(draw: st.DrawFn, base: str) -> tuple[str, str, str]:
    """(prologue, text before the endpoint, endpoint): ``base`` is the listener's address,
    ending in ``/``; the text before is "" when the endpoint may glue to the keyword."""
    forms = ["iri", "escaped", "pname", "empty", "base", "var", "dollar", "values"]
    form = draw(st.sampled_from(forms))
    if form == "iri":
        return "", draw(GAPS), f"<{base}sparql>"
    if form == "escaped":  # Oxigraph decodes escapes inside an IRI
        return "", draw(GAPS), f"<\\u{ord(base[0]):04x}{base[1:]}sparql>"
    if form == "pname":
        return f"PREFIX ex: <{base}>\n", draw(SPACES), "ex:sparql"
    if form == "empty":
        return f"PREFIX : <{base}>\n", draw(GAPS), ":internal-api"
    if form == "base":
        return f"BASE <{base}>\n", draw(GAPS), "<sparql>"
    if form == "values":
        return "", draw(GAPS), "?where"
    sigil = "?" if form == "var" else "$"
    return "", draw(GAPS), f"{sigil}where"


WRAPPERS = [
    "{{ {} }}",
    "OPTIONAL {{ {} }}",
    "{{ {} }} UNION {{ ?s ?p ?o }}",
    "{{ ?s ?p ?o }} UNION {{ {} }}",
    "?s ?p ?o MINUS {{ {} }}",
    "GRAPH ?g {{ {} }}",
    "{{ SELECT * WHERE {{ {} }} }}",
    "FILTER EXISTS {{ {} }}",
    "FILTER NOT EXISTS {{ {} }}",
    "BIND(1 AS ?one) {}",
]
FORMS = [
    "SELECT * WHERE {{ {} }}",
    "SELECT ?o WHERE {{ {} }}",
    "ASK {{ {} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {} }}",
    "DESCRIBE ?s WHERE {{ {} }}",
]


@st.composite
def service_queries(draw: st.DrawFn, base: str, escapes: bool = True) -> str:
    """A query calling the endpoint at ``base`` (ending in ``/``) by some form of SERVICE;
    with no escaped keywords unless ``escapes``."""
    prologue, gap, target = draw(endpoint(base))
    clause = draw(keyword("SERVICE", escapes))
    if draw(st.booleans()):
        clause += draw(SPACES) + draw(keyword("SILENT", escapes))
        gap = gap or " "  # SILENT then a name needs a gap to stay two words
    clause += gap + target + draw(GAPS) + "{ ?s ?p ?o }"
    if target == "?where" and draw(st.booleans()):
        clause = f"VALUES ?where {{ <{base}sparql> }} " + clause
    elif target.endswith("where"):
        clause = f"BIND(<{base}sparql> AS {target}) " + clause
    for _ in range(draw(st.integers(0, 3))):
        clause = draw(st.sampled_from(WRAPPERS)).format(clause)
    return prologue + draw(st.sampled_from(FORMS)).format(clause)
