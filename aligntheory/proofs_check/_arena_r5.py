"""Round-5 claims (issue 11): pins found by the second fresh mutation sample (docs/mutation-report/fresh-r4)."""

from __future__ import annotations
