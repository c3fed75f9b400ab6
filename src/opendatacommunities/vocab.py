"""Every vocabulary namespace the code uses, the terms it names, and the site's common prefixes.

``PREFIXES`` is the one prefix table: Turtle output, page views, SHACL messages, cube
descriptions and SPARQL queries all read it, so ``qb:`` means the same everywhere.
``site_prefixes`` adds this site's own namespaces, which depend on the base IRI.

>>> PREFIXES["qb"] == QB and PREFIXES["sdmx-dimension"] == SDMX_DIMENSION
True
>>> site_prefixes("http://h")["geography"]
'http://h/def/geography/'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
FOAF = "http://xmlns.com/foaf/0.1/"
PROV = "http://www.w3.org/ns/prov#"
VOID = "http://rdfs.org/ns/void#"
QB = "http://purl.org/linked-data/cube#"
SDMX = "http://purl.org/linked-data/sdmx/2009/"
SDMX_DIMENSION = SDMX + "dimension#"
SDMX_ATTRIBUTE = SDMX + "attribute#"
SDMX_MEASURE = SDMX + "measure#"
SDMX_CONCEPT = SDMX + "concept#"
SDMX_CODE = SDMX + "code#"
GEO = "http://www.opengis.net/ont/geosparql#"
SH = "http://www.w3.org/ns/shacl#"
SD = "http://www.w3.org/ns/sparql-service-description#"
CSVW = "http://www.w3.org/ns/csvw#"
SPDX = "http://spdx.org/rdf/terms#"
UI = "http://www.w3.org/ns/ui#"
ORG = "http://www.w3.org/ns/org#"
TIME = "http://www.w3.org/2006/time#"
SCHEMA = "http://schema.org/"
FORMATS = "http://www.w3.org/ns/formats/"
PMDQB = "http://publishmydata.com/def/qb/"
INTERVALS = "http://reference.data.gov.uk/def/intervals/"
REFERENCE_ID = "http://reference.data.gov.uk/id/"
"""Where reference.data.gov.uk names time periods (``/id/quarter/2017-Q2``)."""

CSVW_CONTEXT = "http://www.w3.org/ns/csvw"
"""The JSON-LD context every CSVW metadata document names."""

RDF_TYPE = RDF + "type"
RDF_LANG_STRING = RDF + "langString"
RDFS_LABEL = RDFS + "label"
RDFS_COMMENT = RDFS + "comment"
RDFS_RANGE = RDFS + "range"
XSD_STRING = XSD + "string"
SKOS_PREF_LABEL = SKOS + "prefLabel"
SKOS_NOTATION = SKOS + "notation"
OWL_INVERSE_OF = OWL + "inverseOf"
OWL_SAME_AS = OWL + "sameAs"
DCT_REPLACES = DCT + "replaces"
DCT_IS_REPLACED_BY = DCT + "isReplacedBy"
GEO_HAS_GEOMETRY = GEO + "hasGeometry"
GEO_HAS_DEFAULT_GEOMETRY = GEO + "hasDefaultGeometry"
GEO_AS_WKT = GEO + "asWKT"
QB_DATASET_CLASS = QB + "DataSet"
QB_DATASET_PROPERTY = QB + "dataSet"
UI_SORT_PRIORITY = UI + "sortPriority"
PMDQB_CODES_USED = PMDQB + "codesUsed"
INTERVAL = INTERVALS + "Interval"
SDMX_REF_AREA = SDMX_DIMENSION + "refArea"
SDMX_REF_PERIOD = SDMX_DIMENSION + "refPeriod"
SDMX_UNIT_MEASURE = SDMX_ATTRIBUTE + "unitMeasure"
SDMX_OBS_STATUS = SDMX_ATTRIBUTE + "obsStatus"

# Label properties in order of preference: a SKOS preferred label is chosen on purpose by
# the publisher, rdfs:label is the generic fallback.
LABEL_PROPERTIES = (SKOS_PREF_LABEL, RDFS_LABEL)
# XML Schema's numeric datatypes, by local name: the integer types with the bounds of their
# value spaces (None: unbounded), the floating-point types, and all of them with decimal.
XSD_INTEGER_RANGES: Mapping[str, tuple[int | None, int | None]] = MappingProxyType(
    {
        "integer": (None, None),
        "long": (-(2**63), 2**63 - 1),
        "int": (-(2**31), 2**31 - 1),
        "short": (-(2**15), 2**15 - 1),
        "byte": (-(2**7), 2**7 - 1),
        "nonNegativeInteger": (0, None),
        "positiveInteger": (1, None),
        "unsignedLong": (0, 2**64 - 1),
        "unsignedInt": (0, 2**32 - 1),
        "unsignedShort": (0, 2**16 - 1),
        "unsignedByte": (0, 2**8 - 1),
        "nonPositiveInteger": (None, 0),
        "negativeInteger": (None, -1),
    }
)
XSD_FLOATS = frozenset({"double", "float"})
XSD_NUMERIC = frozenset(XSD_INTEGER_RANGES) | XSD_FLOATS | {"decimal"}

# What names a catalogue's things, labelled or not (a publisher's foaf:name, a dataset's title),
# as a SPARQL property path.
NAME_PATH = f"<{RDFS_LABEL}>|<{SKOS_PREF_LABEL}>|<{FOAF}name>|<{DCT}title>"

#: The official URI spaces of UK statistical geography that areas link to: each space, the
#: site that serves it, and what it holds.
OFFICIAL_GEOGRAPHY: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "http://statistics.data.gov.uk/": ("statistics.data.gov.uk", "ONS statistical geography"),
        "http://statistics.gov.scot/": ("statistics.gov.scot", "Scottish Government statistics"),
    }
)

PREFIXES: Mapping[str, str] = MappingProxyType(
    {
        "rdf": RDF,
        "rdfs": RDFS,
        "xsd": XSD,
        "owl": OWL,
        "skos": SKOS,
        "dcterms": DCT,
        "dcat": DCAT,
        "foaf": FOAF,
        "prov": PROV,
        "void": VOID,
        "qb": QB,
        "sdmx-dimension": SDMX_DIMENSION,
        "sdmx-attribute": SDMX_ATTRIBUTE,
        "sdmx-measure": SDMX_MEASURE,
        "sdmx-concept": SDMX_CONCEPT,
        "sdmx-code": SDMX_CODE,
        "geo": GEO,
        "sh": SH,
        "sd": SD,
        "csvw": CSVW,
        "org": ORG,
        "time": TIME,
        "schema": SCHEMA,
        "ui": UI,
        "pmdqb": PMDQB,
        "interval": INTERVALS,
    }
)
"""The site's common prefixes, one per namespace: what a SPARQL user expects predeclared."""

SITE_NAMESPACES: Mapping[str, str] = MappingProxyType(
    {
        "geography": "/def/geography/",
        "statistical-entity": "/def/statistical-entity/",
        "statistical-geography": "/id/statistical-geography/",
        "dimension": "/def/dimension/",
        "measure": "/def/measure/",
        "concept": "/def/concept/",
        "concept-scheme": "/def/concept-scheme/",
        "data": "/data/",
        "graph": "/graph/",
    }
)
"""This site's own namespaces, by prefix, as paths under the base IRI."""


def site_prefixes(base: str) -> dict[str, str]:
    """``SITE_NAMESPACES`` under ``base`` (a base IRI, with or without its final slash)."""
    root = base.rstrip("/")
    return {prefix: root + path for prefix, path in SITE_NAMESPACES.items()}


def common_prefixes(base: str) -> dict[str, str]:
    """``PREFIXES`` and this site's own namespaces under ``base``: every prefix a query on
    this site may use without declaring it."""
    return {**PREFIXES, **site_prefixes(base)}
