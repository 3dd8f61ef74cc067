"""Round-9 claims (issue 11): pins found by the sixth fresh mutation sample (docs/mutation-report/fresh-r8)."""
