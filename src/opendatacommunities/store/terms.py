"""The RDF terms, formats and serialiser the site works with, as the store's engine
(pyoxigraph) defines them.

The web package takes them from here and never imports the engine itself (an import-linter
contract holds it to that), so that ``store`` stays the one door to the engine: what a page
needs of a store is asked of ``store``, and only the values come back.
"""

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize

__all__ = ["BlankNode", "Literal", "NamedNode", "RdfFormat", "Triple", "serialize"]
