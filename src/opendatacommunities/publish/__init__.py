"""Publishing: map every dataset, validate the lot, build a new release, swap it in.

``publish`` is all or nothing. Mapping (CSVW, strict), validation (SHACL, and the Data Cube
integrity constraints for statistics) and loading happen beside the live release; only when
everything has passed does one rename make the new release current. A failure anywhere (a
bad cell, a violation, a crash, ``kill -9``) leaves the live release serving as before.
"""

from .pipeline import Layout, Outcome, publish

__all__ = ["Layout", "Outcome", "publish"]
