"""Every registered claim runs at the quick tier and does not fail (STYLE.md: one test over the registry).

Theorem claims must PASS; empirical and report-only claims may be INCONCLUSIVE (an honest verdict),
never FAIL. This is the same run as ``aligntheory verify``, one test per claim so that a failure
names its claim.
"""

import pytest

from aligntheory.proofs_check import Context, Verdict, load_all

CLAIMS = list(load_all())


@pytest.mark.slow
@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_claim_quick_tier(claim):
    ev = claim.run(Context(seed=0, tier="quick", device="cpu"))
    msg = f"{claim.id}: {ev.verdict.value}: {ev.details}\n{ev.traceback or ''}"
    assert ev.verdict is not Verdict.FAIL, msg
    if claim.kind in ("theorem", "reconstruction"):
        assert ev.verdict is Verdict.PASS, msg
    assert ev.why or ev.verdict is Verdict.INCONCLUSIVE, f"{claim.id}: evidence lacks a tolerance justification"
