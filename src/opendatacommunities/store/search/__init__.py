"""Finding resources by name or code: an index of every labelled resource of a release.

A release holds some tens of thousands of labelled resources (areas, codes, datasets,
vocabulary terms) beside millions of unlabelled observations. The index holds their names
and codes, types, parents and status (``entries``), and answers a search in memory
(``index``): matching words against folded names ("Ynys Mon" finds "Ynys Môn") and codes,
forgiving slips of the finger (``spelling``), ranked so that an exact code or name comes
first. A publish writes it into the release as a file (``file``), which a server reads when
it opens the release (``release``).
"""

from opendatacommunities.store.search.file import SEARCH_FILE, Built
from opendatacommunities.store.search.index import EVERYTHING, Hit, SearchIndex
from opendatacommunities.store.search.parts import Entry, fold
from opendatacommunities.store.search.release import (
    SEARCH_INDEX,
    along,
    build_index,
    index_file,
    search_index,
)

__all__ = [
    "EVERYTHING",
    "SEARCH_FILE",
    "SEARCH_INDEX",
    "Built",
    "Entry",
    "Hit",
    "SearchIndex",
    "along",
    "build_index",
    "fold",
    "index_file",
    "search_index",
]
