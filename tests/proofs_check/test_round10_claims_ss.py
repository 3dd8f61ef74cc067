"""The round-10 social choice and safety claims (issue 11) pass, and they CAN fail.

Each test plants a single-token mutant of the seventh fresh sample (docs/mutation-report/fresh-r9) or of the
round's random planting (docs/mutation-report/round10/nS.md) with ``tests/proofs_check/_plant.py`` and asserts
the claim's verdict FAIL.
"""

from __future__ import annotations

import pytest

from aligntheory.config import configure
from aligntheory.proofs_check import Context, load_all
from aligntheory.proofs_check._registry import Verdict
from tests.proofs_check._plant import plant

configure()
REG = load_all()

IDS = {
    "social_choice.sample_size_inverses_both_regimes": "theorem",
    "safety.dual_ascent_default_caps_at_edge": "contract",
    "social_choice.profile_kernel_working_set_caps": "contract",
    "social_choice.two_alternative_model_counts": "theorem",
    "social_choice.bound_closed_forms_generic_point": "theorem",
    "social_choice.scoring_fit_infeasible_branch": "theorem",
    "social_choice.threshold_welfare_at_ties": "theorem",
    "social_choice.named_ballot_candidates_contract": "contract",
}
SSI = "social_choice.sample_size_inverses_both_regimes"
CAPS = "safety.dual_ascent_default_caps_at_edge"
KCAPS = "social_choice.profile_kernel_working_set_caps"
_BOUNDS = "aligntheory.theory.social_choice._bounds"
_ASCENT = "aligntheory.theory.safety._ascent"


def _verdict(cid: str, seed: int = 0) -> Verdict:
    return REG.get(cid).run(Context(seed=seed)).verdict


def test_round10_claims_registered_with_kinds():
    for cid, kind in IDS.items():
        assert REG.get(cid).kind == kind
        assert REG.get(cid).pillar == cid.split(".")[0]


@pytest.mark.parametrize("cid", sorted(IDS))
def test_round10_claims_pass(cid):
    assert _verdict(cid) == Verdict.PASS


@pytest.mark.parametrize("fname, old, new", [
    # 52fd4c0939: the float search kept at hi = 2^50, where the bound may still fail
    ("vc_sample_size", "if hi < _FLOAT_SEARCH_MAX:", "if hi <= _FLOAT_SEARCH_MAX:"),
    # 5e842467d3: the mpmath G3 tail with 2 / N instead of 2 N
    ("_mp_vc", "/ (2 * n))", "/ (2 / n))"),
    # 1dde55b109: Sauer's exponent d (1 + ln(N/d)) divided instead of multiplied
    ("_vc_value", "d * (1.0 + math.log(n)", "d / (1.0 + math.log(n)"),
    # 2cf01afad5: the G2 inverse's factor 2 (matters in the mpmath route)
    ("erm_regret_sample_size", "_log2_over_delta(d), 2.0,", "_log2_over_delta(d), 3.0,"),
])
def test_sample_size_claim_kills(monkeypatch, fname, old, new):
    plant(monkeypatch, _BOUNDS, fname, old, new, packages=("aligntheory.theory.social_choice",) * (fname[0] != "_"))
    assert _verdict(SSI) == Verdict.FAIL


@pytest.mark.parametrize("old, new", [
    # 4fd20f6296: MAX_TRACE_ENTRIES = 11**8 (the default cap of the trace moved)
    ("max_entries: int = MAX_TRACE_ENTRIES", "max_entries: int = 11**8"),
    # the default iteration cap moved by one
    ("max_steps: int = MAX_STEPS", "max_steps: int = 100_001"),
    # the trace size counted without the B runs
    ("(n_steps + 1) * eta.shape[0]", "(n_steps + 1)"),
])
def test_default_caps_claim_kills(monkeypatch, old, new):
    plant(monkeypatch, _ASCENT, "dual_ascent", old, new, packages=("aligntheory.theory.safety",))
    assert _verdict(CAPS) == Verdict.FAIL


@pytest.mark.parametrize("old, new", [
    # c18ea9613d: the scan regime's P m^2 term as P / m * m (a float cost)
    ("b * m * m if", "b / m * m if"),
    # the regime edge moved: m = 7 counted with the scan formula
    ("if m > _HIST_MAX_M", "if m >= _HIST_MAX_M"),
    # the histogram regime's (m! + 1) term as m!
    ("b * (math.factorial(m) + 1)", "b * (math.factorial(m) + 0)"),
])
def test_kernel_caps_claim_kills(monkeypatch, old, new):
    plant(monkeypatch, "aligntheory.kernels.social_choice._voting", "_cap", old, new)
    assert _verdict(KCAPS) == Verdict.FAIL


@pytest.mark.parametrize("fname, old, new", [
    # 25e4301a9d: the quotient encoding's position swap reads bit i - 1 instead of i + 1
    ("_pa_clauses", "(keys >> (i + 1)) & 1", "(keys >> (i - 1)) & 1"),
    # weak Pareto in the quotient encoding: the unanimous b-over-a key read as key 1
    ("_pareto_clauses", "np.int64(0))]]", "np.int64(1))]]"),
])
def test_model_counts_claim_kills(monkeypatch, fname, old, new):
    plant(monkeypatch, "aligntheory.theory.social_choice._encoding", fname, old, new)
    assert _verdict("social_choice.two_alternative_model_counts") == Verdict.FAIL


@pytest.mark.parametrize("old, new", [
    # 51278d05c0: G3's e N / d as e N d (equal at d = 1, the only d of the earlier reference values)
    ("sp.E * s.N / s.d", "sp.E * s.N * s.d"),
    # cdd9b1b0ec: G3's leading constant 2 -> 3
    ('"G3": 2 * sp.sqrt', '"G3": 3 * sp.sqrt'),
])
def test_closed_forms_claim_kills(monkeypatch, old, new):
    plant(monkeypatch, "aligntheory.theory.social_choice._closed_forms", "closed_form_bound", old, new,
          packages=("aligntheory.theory.social_choice", "aligntheory.theory.social_choice._bounds"))
    assert _verdict("social_choice.bound_closed_forms_generic_point") == Verdict.FAIL


@pytest.mark.parametrize("fname, old, new", [
    # the growth route's 2 sqrt(2) factor as sqrt(2) (G3, G4 and growth share _growth_value)
    ("_growth_value", "2.0 * _SQRT2 *", "1.0 * _SQRT2 *"),
    # 76c995fb30: sqrt(0 / N) sent to the log route above 2^1000 (log 0 raises)
    ("_sqrt_ratio", "if a <= 0.0:", "if a < 0.0:"),
])
def test_bound_routes_kill(monkeypatch, fname, old, new):
    plant(monkeypatch, _BOUNDS, fname, old, new)
    assert _verdict("social_choice.bound_closed_forms_generic_point") == Verdict.FAIL


def test_scoring_fit_infeasible_kill(monkeypatch):
    # ddf84a9c9c: the infeasible branch reports feasible = True
    plant(monkeypatch, "aligntheory.theory.social_choice._lp", "fit_scoring_vector",
          "return ScoringFit(False, None, None, None, None, status)",
          "return ScoringFit(True, None, None, None, None, status)", packages=("aligntheory.theory.social_choice",))
    assert _verdict("social_choice.scoring_fit_infeasible_branch") == Verdict.FAIL


def test_threshold_ties_kill(monkeypatch):
    # 416074cf98: the threshold rule q >= t as q > t
    plant(monkeypatch, "aligntheory.theory.social_choice._welfare", "threshold_empirical_welfare",
          "(qq[None, :] >= tt[:, None])", "(qq[None, :] > tt[:, None])", packages=("aligntheory.theory.social_choice",))
    assert _verdict("social_choice.threshold_welfare_at_ties") == Verdict.FAIL


def test_named_ballot_kill(monkeypatch):
    # df43f2fee2: an unhashable candidate taken as found (ok = True), so the lookup raises TypeError
    plant(monkeypatch, "aligntheory.theory.social_choice._profiles", "_from_indifference_lists",
          "except TypeError:\n                        ok = False", "except TypeError:\n                        ok = True")
    assert _verdict("social_choice.named_ballot_candidates_contract") == Verdict.FAIL
