"""W3C CSV on the Web: tabular data and its metadata to RDF.

Implements "Model for Tabular Data and Metadata on the Web", "Metadata Vocabulary for Tabular
Data" and "Generating RDF from Tabular Data on the Web" (W3C Recommendations, 17 December
2015). :func:`map_to_rdf` is the whole pipeline: find and normalise the metadata, read each
table and yield N-Triples lines as the rows go by.
"""

from __future__ import annotations

from .process import Job, map_to_rdf, source_files
from .reporting import Reporter

__all__ = ["Job", "Reporter", "map_to_rdf", "source_files"]
