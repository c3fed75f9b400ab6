"""Publishing: map every dataset, validate the lot, build a new release, swap it in.

``publish`` is all or nothing. Mapping (CSVW, strict), validation (SHACL, and the Data Cube
integrity constraints for statistics) and loading happen beside the live release; only when
everything has passed does one rename make the new release current. A failure anywhere (a
bad cell, a violation, a crash, ``kill -9``) leaves the live release serving as before.
Only what changed since the live release is mapped and checked again. ``check`` maps and
checks one dataset against the live release and publishes nothing.
"""

from .pipeline import Layout, Outcome, check, publish

__all__ = ["Layout", "Outcome", "check", "publish"]
