"""Hypothesis on CI: random examples on a developer's machine, the same examples on CI.

A developer's run explores new inputs each time (a failure is kept in ``.hypothesis/`` and
replayed first); a CI run (``CI`` set, as ``.ci/run`` does) derandomises, so a change is judged
on the same inputs every time and never fails on an input nobody has seen.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)

if os.environ.get("CI"):
    settings.load_profile("ci")
