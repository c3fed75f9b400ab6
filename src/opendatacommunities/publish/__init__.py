"""Publishing: map every dataset, validate the lot, build a new release, swap it in.

``publish`` is all or nothing. Mapping (CSVW, strict), SHACL validation and loading happen
in a new release directory beside the live one; only when everything has passed does one
rename make it current. A failure anywhere (a bad cell, a violation, a crash, ``kill -9``)
leaves the live release serving as before.
"""

from .pipeline import Layout, Outcome, PublishError, ValidationFailedError, publish

__all__ = ["Layout", "Outcome", "PublishError", "ValidationFailedError", "publish"]
