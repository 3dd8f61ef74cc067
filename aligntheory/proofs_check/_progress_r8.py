"""Round-8 claims (issue 11): pins found by the fifth fresh mutation sample (docs/mutation-report/fresh-r7)."""

from __future__ import annotations
