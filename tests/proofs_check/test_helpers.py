"""The shared decision helpers of the claims: verdict bands, bounded quotients, relative errors.

Expected values are worked out by hand in each test (z-scores, OLS slopes of explicit logs).
"""
from __future__ import annotations

import numpy as np
import pytest

from aligntheory.proofs_check._helpers import bounded_quotient, decide_hypothesis, decide_within, rel_err, within
from aligntheory.proofs_check._registry import Verdict


@pytest.mark.parametrize("estimate, verdict", [
    (1.0, Verdict.PASS),            # z = 0 (se 0.5, exact binary fractions: z is exact)
    (2.0, Verdict.PASS),            # z = 2: the PASS band is closed
    (2.5, Verdict.INCONCLUSIVE),    # z = 3: between the bands
    (3.5, Verdict.CONTRADICTED),    # z = 5 and |diff| = 2.5 > min_effect 0
    (-1.5, Verdict.CONTRADICTED),   # z = -5: the sign does not matter
])
def test_decide_hypothesis_bands_for_empirical_claims(estimate, verdict):
    v, text = decide_hypothesis(estimate, 1.0, 0.5, kind="empirical")
    assert v is verdict, text


def test_decide_hypothesis_theorem_never_contradicted_but_fails():
    assert decide_hypothesis(1.03, 1.0, 0.01, kind="theorem")[0] is Verdict.FAIL
    assert decide_hypothesis(1.5, 1.0, 0.01, kind="theorem")[0] is Verdict.FAIL
    assert decide_hypothesis(1.01, 1.0, 0.01, kind="theorem")[0] is Verdict.PASS


def test_decide_hypothesis_small_significant_effect_is_inconclusive_and_says_why():
    # z = 10 but |diff| = 0.1 <= min_effect 0.5: significant, too small to contradict
    v, text = decide_hypothesis(1.1, 1.0, 0.01, kind="reconstruction", min_effect=0.5)
    assert v is Verdict.INCONCLUSIVE
    assert "min_effect" in text and "between" not in text


@pytest.mark.parametrize("estimate, kind, verdict", [
    # margin 1, se 0.125 (binary fractions: every sum below is exact); PASS needs |d| + 0.25 <= 1,
    # CONTRADICTED needs |d| - 0.5 > 1
    (0.75, "empirical", Verdict.PASS),            # 0.75 + 0.25 = 1: the PASS band is closed
    (-0.75, "empirical", Verdict.PASS),           # the sign does not matter
    (0.875, "empirical", Verdict.INCONCLUSIVE),   # inside the margin, but not by 2 se
    (1.5, "empirical", Verdict.INCONCLUSIVE),     # outside by exactly 4 se: the CONTRADICTED band is open
    (1.625, "reconstruction", Verdict.CONTRADICTED),
    (-1.625, "empirical", Verdict.CONTRADICTED),
    (1.625, "theorem", Verdict.FAIL),
    (0.875, "theorem", Verdict.FAIL),
    (0.5, "theorem", Verdict.PASS),
])
def test_decide_within_bands(estimate, kind, verdict):
    v, text = decide_within(estimate, 0.0, 0.125, margin=1.0, kind=kind)
    assert v is verdict, text


@pytest.mark.parametrize("d, se, factor, printed", [
    (0.875, 0.125, 4.0, "4"),        # inside: se must reach (1 - 0.875) / 2 = 0.0625, half of 0.125: 4x
    (1.75, 0.25, 16 / 9, "1.8"),     # outside: se must reach (1.75 - 1) / 4 = 0.1875: (0.25 / 0.1875)^2
])
def test_decide_within_says_how_many_replicates_decide(d, se, factor, printed):
    v, text = decide_within(d, 0.0, se, margin=1.0, kind="empirical")
    assert v is Verdict.INCONCLUSIVE and f"about {printed}x the replicates" in text, text
    # a little more than that many replicates decides, a little fewer does not
    assert decide_within(d, 0.0, se / np.sqrt(factor * 1.01), margin=1.0, kind="empirical")[0] is not \
        Verdict.INCONCLUSIVE
    assert decide_within(d, 0.0, se / np.sqrt(factor * 0.99), margin=1.0, kind="empirical")[0] is Verdict.INCONCLUSIVE


def test_decide_within_edges():
    assert decide_within(1.0, 0.0, 0.1, margin=1.0, kind="empirical")[1].endswith("no number of replicates decides")
    assert decide_within(0.0, 0.0, 0.0, margin=0.0, kind="empirical")[0] is Verdict.PASS
    assert decide_within(float("nan"), 0.0, 0.1, margin=1.0, kind="empirical")[0] is Verdict.FAIL
    assert decide_within(0.0, 0.0, 0.1, margin=float("inf"), kind="empirical")[0] is Verdict.FAIL
    assert decide_within(0.0, 0.0, -0.1, margin=1.0, kind="empirical")[0] is Verdict.FAIL


def test_decide_hypothesis_non_finite_is_fail():
    assert decide_hypothesis(float("nan"), 1.0, 0.1, kind="empirical")[0] is Verdict.FAIL
    assert decide_hypothesis(1.0, 1.0, float("inf"), kind="empirical")[0] is Verdict.FAIL


def test_bounded_quotient_bounds_and_drift_by_hand():
    n = np.array([10.0, 100.0, 1000.0])
    # measured = 2 n^0.1 against rate 1: quotient 2 n^0.1, drift exactly 0.1
    chk = bounded_quotient(n, 2 * n**0.1, np.ones(3), lower=1, upper=10, max_drift=0.2)
    assert chk.passed and chk.drift == pytest.approx(0.1, abs=1e-12)
    assert not bounded_quotient(n, 2 * n**0.1, np.ones(3), lower=1, upper=10, max_drift=0.05).passed
    assert not bounded_quotient(n, 2 * n**0.1, np.ones(3), lower=3, upper=10, max_drift=0.2).passed  # 2*10^0.1 < 3
    assert not bounded_quotient(n, np.array([1.0, np.nan, 1.0]), np.ones(3), lower=0.5, upper=2, max_drift=1).passed


def test_rel_err_and_within_by_hand():
    assert rel_err(1.1, 1.0) == pytest.approx(0.1, rel=1e-6, abs=0.0)
    assert rel_err(1e-12, 0.0, floor=1e-10) == pytest.approx(1e-2, rel=1e-6, abs=0.0)
    assert within(1.0 + 1e-9, 1.0, rtol=1e-8) and not within(1.0 + 1e-7, 1.0, rtol=1e-8)
