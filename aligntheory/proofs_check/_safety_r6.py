"""Round-6 claims (issue 11): pins found by the third fresh mutation sample (docs/mutation-report/fresh-r5)."""

from __future__ import annotations
