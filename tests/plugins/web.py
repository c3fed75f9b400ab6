"""What web tests ask for: a browser's Accept header and the fixtures' well-known pages."""

from __future__ import annotations

#: The Accept header Firefox sends for a page.
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
#: The path under which the fixtures' statistical geographies are identified.
SG = "/id/statistical-geography/"
#: Glasgow City's page in the fixtures.
GLASGOW = "/doc/statistical-geography/S12000049"

#: A two-observation cube, Turtle relative to the base: the smallest cube a page can show.
TINY_CUBE = """
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix pmdqb: <http://publishmydata.com/def/qb/> .

<data/tiny> a qb:DataSet ; rdfs:label "Tiny cube" ; qb:structure <data/tiny/structure> .
<data/tiny/structure> a qb:DataStructureDefinition ;
    qb:component <data/tiny/component/colour>, <data/tiny/component/count> .
<data/tiny/component/colour> qb:dimension <def/tiny/colour> ; qb:order 1 ;
    pmdqb:codesUsed <data/tiny/codes-used/colour> .
<data/tiny/component/count> qb:measure <def/tiny/count> ; qb:order 2 .
<def/tiny/colour> a qb:DimensionProperty ; rdfs:label "Colour" ;
    qb:codeList <def/concept-scheme/tiny/colour> .
<def/tiny/count> a qb:MeasureProperty ; rdfs:label "Count" .
<data/tiny/codes-used/colour> a skos:Collection ; rdfs:label "Colours used" ;
    skos:member <def/concept/tiny/colour/red>, <def/concept/tiny/colour/blue> .
<def/concept/tiny/colour/red> a skos:Concept ; rdfs:label "Red" .
<def/concept/tiny/colour/blue> a skos:Concept ; rdfs:label "Blue" .
<data/tiny/red/count> a qb:Observation ; qb:dataSet <data/tiny> ;
    <def/tiny/colour> <def/concept/tiny/colour/red> ; <def/tiny/count> 3 .
<data/tiny/blue/count> a qb:Observation ; qb:dataSet <data/tiny> ;
    <def/tiny/colour> <def/concept/tiny/colour/blue> ; <def/tiny/count> 5 .
"""
