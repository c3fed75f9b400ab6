"""opendatacommunities: a five-star linked-data publishing platform for councils."""

__version__ = "0.1.0"
