"""Round-7 claims (issue 11): pins found by the fourth fresh mutation sample (docs/mutation-report/fresh-r6)."""

from __future__ import annotations
