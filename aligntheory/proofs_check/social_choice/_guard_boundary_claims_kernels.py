"""Guard-condition claims (issue 11, round 10): every atomic condition of every hand-written raising guard of
:mod:`aligntheory.kernels.social_choice` decides one row of a contract table (MC/DC).

* ``social_choice.guard_conditions_kernels`` -- for a compound guard ``A or B or C`` one refused row where
  ONLY ``A`` holds, one where only ``B`` holds, ... and an accepted row where none holds; for comparisons
  (``ndim != 2``, ``min < 0``, ``max >= n``, ``diff > 0``, ``shape[0] < 1``) a row exactly AT the edge
  (accepted) and one step past it (refused); for ``validate and not traced(...)`` switches a row pinning the
  documented ``validate=False`` behaviour on a concrete input the check refuses; for ``x.size and (...)``
  an empty input. Accepted rows are checked against a value computed here by a one-line independent route
  (numpy indexing, a hand count, a closed form), not only for finiteness. Refused rows fail before any
  work; accepted rows reuse the docstring-example shapes (a handful of new JAX compilations).
"""

from __future__ import annotations

import numpy as np

from aligntheory.errors import InvalidInputError
from aligntheory.proofs_check._helpers import ContractCase, contract_evidence
from aligntheory.proofs_check._registry import Context, Evidence, Source, claim

_SRC = Source(key="qiu2024representative", where="failure contract, docs/DESIGN.md §7 (guard conditions)")
_IIE = InvalidInputError


def _same(got, want, *, tol: float = 0.0):
    """Assert ``got`` equals ``want`` (exactly, or within ``tol`` absolute) and return ``got``."""
    g, w = np.asarray(got), np.asarray(want)
    assert g.shape == w.shape, f"shape {g.shape} != {w.shape}"
    if tol:
        assert np.allclose(g.astype(float), w.astype(float), rtol=0.0, atol=tol), f"{g.tolist()} != {w.tolist()}"
    else:
        assert np.array_equal(g, w), f"{g.tolist()} != {w.tolist()}"
    return g


def _shape_only(x, shape):
    """Assert the result has ``shape`` (the value is documented as unspecified) and return ``shape``."""
    assert tuple(np.shape(x)) == tuple(shape), f"shape {np.shape(x)} != {shape}"
    return tuple(shape)


def _plain_scores(p: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Positional scores by a loop: voter ranking ``r`` (best first) gives ``s[j]`` to alternative ``r[j]``."""
    tot = np.zeros(p.shape[-1])
    for r in p[0]:
        for j, a in enumerate(r):
            tot[a] += s[j]
    return tot


def _su_plain(r, s):
    """u[x, r[x, j]] = s[j]: the outcome ranked j-th (best first) gets the j-th score, by a loop."""
    u = np.zeros(np.shape(r), float)
    for x, row in enumerate(r):
        for j, o in enumerate(row):
            u[x, o] = s[j]
    return u


def _su(s, **kw):
    import aligntheory.kernels.social_choice as K

    r = np.array([[2, 0, 1]])
    return _same(K.scoring_utilities(r, np.array(s), **kw), _su_plain(r, s))


def _scoring_rule_case(s):
    import aligntheory.kernels.social_choice as K

    p = np.array([[[0, 1, 2], [1, 2, 0]]])
    tot = _plain_scores(p, np.asarray(s, float))
    return _same(K.scoring_rule(p, np.asarray(s, float)), (tot == tot.max())[None, :])


def _rows_voting() -> list[ContractCase]:
    import aligntheory.kernels.social_choice as K

    good = np.array([[[0, 1], [1, 0]]])
    return [
        # _profiles: ndim != 3 (2 refused, 3 accepted, 4 refused); min(shape) < 1 (1 accepted, 0 refused)
        ContractCase("validate_profiles: 2-D profiles refused", lambda: K.validate_profiles(np.array([[0, 1], [1, 0]])),
                     (_IIE, "profiles"), match="n_profiles, n_voters, n_alternatives"),
        ContractCase("validate_profiles: 4-D profiles refused", lambda: K.validate_profiles(good[None]),
                     (_IIE, "profiles"), match="n_profiles, n_voters, n_alternatives"),
        ContractCase("validate_profiles: 3-D (1, 2, 2) accepted", lambda: _same(K.validate_profiles(good) is None, True)),
        ContractCase("validate_profiles: shape (1, 1, 1) accepted (every dimension at 1)",
                     lambda: _same(K.validate_profiles(np.array([[[0]]])) is None, True)),
        ContractCase("validate_profiles: shape (1, 0, 2) refused", lambda: K.validate_profiles(np.zeros((1, 0, 2), int)),
                     (_IIE, "profiles"), match="every dimension must be >= 1"),
        ContractCase("validate_profiles: shape (0, 1, 1) refused", lambda: K.validate_profiles(np.zeros((0, 1, 1), int)),
                     (_IIE, "profiles"), match="every dimension must be >= 1"),
        ContractCase("validate_profiles: voter 1 of profile 0 not a permutation, named",
                     lambda: K.validate_profiles(np.array([[[0, 1], [1, 1]]])), (_IIE, "profiles"),
                     match="profile 0, voter 1 = [1, 1]"),
        # _counts: shape mismatch alone, dtype alone; counts < 0 (0 accepted, -1 refused)
        ContractCase("validate_profiles: int counts of shape (1, 3) refused (shape alone)",
                     lambda: K.validate_profiles(good, np.ones((1, 3), int)), (_IIE, "counts"), match="(1, 2)"),
        ContractCase("validate_profiles: float counts of shape (1, 2) refused (dtype alone)",
                     lambda: K.validate_profiles(good, np.ones((1, 2))), (_IIE, "counts")),
        ContractCase("validate_profiles: int counts [[0, 1]] accepted (0 at the >= 0 edge)",
                     lambda: _same(K.validate_profiles(good, np.array([[0, 1]])) is None, True)),
        ContractCase("validate_profiles: int counts [[1, -1]] refused", lambda: K.validate_profiles(good, np.array([[1, -1]])),
                     (_IIE, "counts"), match="min -1"),
        # scoring_rule: len(s) != m (2 and 4 refused, 3 accepted); diff(s) > 0 (equal step accepted, rise refused)
        ContractCase("scoring_rule: score_vector of length 2 for m 3 refused",
                     lambda: K.scoring_rule(np.array([[[0, 1, 2]]]), np.array([1.0, 0.0])), (_IIE, "score_vector"),
                     match="n_alternatives = 3"),
        ContractCase("scoring_rule: score_vector of length 4 for m 3 refused",
                     lambda: K.scoring_rule(np.array([[[0, 1, 2]]]), np.array([3.0, 2.0, 1.0, 0.0])), (_IIE, "score_vector")),
        ContractCase("scoring_rule: s (2, 1, 0) accepted, winner by a hand count", lambda: _scoring_rule_case([2.0, 1.0, 0.0])),
        ContractCase("scoring_rule: s (1, 1, 0) accepted (an equal step is non-increasing)",
                     lambda: _scoring_rule_case([1.0, 1.0, 0.0])),
        ContractCase("scoring_rule: s (1, 0, 0) accepted", lambda: _scoring_rule_case([1.0, 0.0, 0.0])),
        ContractCase("scoring_rule: s (1, 2, 0) refused (one rise)",
                     lambda: K.scoring_rule(np.array([[[0, 1, 2]]]), np.array([1.0, 2.0, 0.0])), (_IIE, "score_vector"),
                     match="non-increasing"),
        ContractCase("scoring_rule: s (0, 0, 1e-300) refused (the last step rises)",
                     lambda: K.scoring_rule(np.array([[[0, 1, 2]]]), np.array([0.0, 0.0, 1e-300])), (_IIE, "score_vector")),
        ContractCase("scoring_rule: s (1, nan, 0) refused", lambda: K.scoring_rule(np.array([[[0, 1, 2]]]),
                     np.array([1.0, np.nan, 0.0])), (_IIE, "score_vector"), match="finite"),
    ]


def _ew(s, util, iss, pol, **kw):
    import aligntheory.kernels.social_choice as K

    return K.empirical_welfare_batched(np.array(s), np.array(util, float), np.array(iss), np.array(pol), **kw)


def _ew_plain(s, util, iss, pol):
    s, util, iss, pol = (np.asarray(a) for a in (s, util, iss, pol))
    return np.array([[np.mean([util[x, pol[f, iss[x]]] for x in row]) for f in range(pol.shape[0])] for row in s])


_U = [[1.0, 0.0], [0.0, 1.0], [0.25, 0.75]]  # n_pairs 3 != k 2: the two bounds differ


def _rows_learning() -> list[ContractCase]:
    import jax

    import aligntheory.kernels.social_choice as K

    key = jax.random.PRNGKey(0)
    ok = ([[0, 2, 1]], _U, [0, 0, 0], [[0], [1]])  # indices at their edges (0 and max)
    return [
        # sample_pairs: |sum(w) - 1| > 1e-12, both sides of 1; validate=False skips the host check
        ContractCase("sample_pairs: weights (0, 1) accepted, every draw pair 1",
                     lambda: _same(K.sample_pairs(key, np.array([0.0, 1.0]), 4, 2), np.ones((2, 4), int))),
        ContractCase("sample_pairs: weights summing to 1 - 4e-12 refused",
                     lambda: K.sample_pairs(key, np.array([0.5, 0.5 - 4e-12]), 4, 2), (_IIE, "weights"), match="sum to 1"),
        ContractCase("sample_pairs: weights summing to 1 + 4e-12 refused",
                     lambda: K.sample_pairs(key, np.array([0.5, 0.5 + 4e-12]), 4, 2), (_IIE, "weights")),
        ContractCase("sample_pairs: weights (0.25, 0.25) with validate=False not checked",
                     lambda: _shape_only(K.sample_pairs(key, np.array([0.25, 0.25]), 4, 2, validate=False), (2, 4))),
        # empirical_welfare_batched: each shape condition alone
        ContractCase("empirical_welfare_batched: pairs 0..2, outcomes 0..1, issue 0 accepted, by a plain loop",
                     lambda: _same(_ew(*ok), _ew_plain(*ok), tol=1e-15)),
        ContractCase("empirical_welfare_batched: 1-D sample_idx refused (alone)", lambda: _ew([0, 2, 1], _U, [0, 0, 0], [[0], [1]]),
                     (_IIE, "sample_idx, issue_of_pair, policy_outcomes")),
        ContractCase("empirical_welfare_batched: 1-D policy_outcomes refused (alone)", lambda: _ew([[0, 2, 1]], _U, [0, 0, 0], [0, 1]),
                     (_IIE, "sample_idx, issue_of_pair, policy_outcomes")),
        ContractCase("empirical_welfare_batched: 2-D issue_of_pair refused (alone)",
                     lambda: _ew([[0, 2, 1]], _U, [[0], [0], [0]], [[0], [1]]), (_IIE, "sample_idx, issue_of_pair, policy_outcomes")),
        ContractCase("empirical_welfare_batched: 4 issues for 3 pairs refused (alone)",
                     lambda: _ew([[0, 2, 1]], _U, [0, 0, 0, 0], [[0], [1]]), (_IIE, "sample_idx, issue_of_pair, policy_outcomes")),
        # value ranges: min < 0 alone, max at the edge + 1 alone
        ContractCase("empirical_welfare_batched: issue -1 refused", lambda: _ew([[0, 2, 1]], _U, [-1, 0, 0], [[0], [1]]),
                     (_IIE, "issue_of_pair"), match="[0, 0]"),
        ContractCase("empirical_welfare_batched: issue 1 = Q refused", lambda: _ew([[0, 2, 1]], _U, [0, 1, 0], [[0], [1]]),
                     (_IIE, "issue_of_pair")),
        ContractCase("empirical_welfare_batched: outcome -1 refused", lambda: _ew([[0, 2, 1]], _U, [0, 0, 0], [[0], [-1]]),
                     (_IIE, "policy_outcomes"), match="[0, 1]"),
        ContractCase("empirical_welfare_batched: outcome 2 = k refused (< n_pairs 3)", lambda: _ew([[0, 2, 1]], _U, [0, 0, 0], [[0], [2]]),
                     (_IIE, "policy_outcomes")),
        ContractCase("empirical_welfare_batched: pair -1 refused", lambda: _ew([[0, -1, 1]], _U, [0, 0, 0], [[0], [1]]),
                     (_IIE, "sample_idx"), match="[0, 2]"),
        ContractCase("empirical_welfare_batched: pair 3 = n_pairs refused", lambda: _ew([[0, 3, 1]], _U, [0, 0, 0], [[0], [1]]),
                     (_IIE, "sample_idx")),
        ContractCase("empirical_welfare_batched: non-finite utility refused",
                     lambda: _ew([[0, 2, 1]], [[1.0, np.inf], [0.0, 1.0], [0.25, 0.75]], [0, 0, 0], [[0], [1]]), (_IIE, "util_table")),
        # N = 0 made 0/0 = NaN welfare before session 14; refused as the theory's empirical_welfare refuses it
        ContractCase("empirical_welfare_batched: N 0 (empty samples) refused",
                     lambda: K.empirical_welfare_batched(np.zeros((1, 0), int), np.zeros((0, 2)),
                                                         np.zeros(0, int), np.zeros((0, 1), int)),
                     (_IIE, "sample_idx"), match="N >= 1"),
        ContractCase("empirical_welfare_batched: N 1 with no policies accepted (shape (1, 0))",
                     lambda: _shape_only(_ew([[2]], _U, [0, 0, 0], np.zeros((0, 1), int)), (1, 0))),
        ContractCase("empirical_welfare_batched: N 1 accepted (u of pair 2 per policy)",
                     lambda: _same(_ew([[2]], _U, [0, 0, 0], [[0], [1]]), [[0.25, 0.75]])),
        ContractCase("scoring_erm: N 0 refused", lambda: K.scoring_erm(np.zeros((1, 0), int), np.array([[0, 1]]),
                     np.array([1.0, 0.0]), np.zeros(1, int), np.array([[0], [1]])), (_IIE, "sample_idx"),
                     match="N >= 1"),
        ContractCase("empirical_welfare_batched: issue 1 = Q with validate=False not checked",
                     lambda: _shape_only(_ew([[0, 2, 1]], _U, [0, 1, 0], [[0], [1]], validate=False), (1, 2))),
        # erm_argmax: |F| < 1 (1 accepted, 0 refused)
        ContractCase("erm_argmax: |F| 1 accepted (index 0)", lambda: _same(K.erm_argmax(np.array([[0.3], [0.7]])), [0, 0])),
        ContractCase("erm_argmax: |F| 0 refused", lambda: K.erm_argmax(np.zeros((2, 0))), (_IIE, "welfare"), match="|F| >= 1"),
        # scoring_utilities: ndim and width alone; permutation; each scoring condition alone
        ContractCase("scoring_utilities: 1-D rankings refused (alone)",
                     lambda: K.scoring_utilities(np.array([2, 0, 1]), np.array([1.0, 0.5, 0.0])), (_IIE, "rankings")),
        ContractCase("scoring_utilities: width 2 for k 3 refused (alone)",
                     lambda: K.scoring_utilities(np.array([[1, 0]]), np.array([1.0, 0.5, 0.0])), (_IIE, "rankings"),
                     match="(n_pairs, 3)"),
        ContractCase("scoring_utilities: row (2, 0, 0) refused", lambda: K.scoring_utilities(np.array([[2, 0, 0]]),
                     np.array([1.0, 0.5, 0.0])), (_IIE, "rankings"), match="permutation"),
        ContractCase("scoring_utilities: (1, 0.5, 0) accepted, u[r_j] = s_j",
                     lambda: _su([1.0, 0.5, 0.0])),
        ContractCase("scoring_utilities: (1, 0, 0) accepted (equal step), u[r_j] = s_j",
                     lambda: _su([1.0, 0.0, 0.0])),
        ContractCase("scoring_utilities: (1, 1, 0) accepted (equal step), u[r_j] = s_j",
                     lambda: _su([1.0, 1.0, 0.0])),
        ContractCase("scoring_utilities: (1, nan, 0) refused (non-finite alone)",
                     lambda: K.scoring_utilities(np.array([[2, 0, 1]]), np.array([1.0, np.nan, 0.0])), (_IIE, "scoring")),
        ContractCase("scoring_utilities: (1, 0, 0.5, 0) refused (a rise alone)",
                     lambda: K.scoring_utilities(np.array([[3, 2, 0, 1]]), np.array([1.0, 0.0, 0.5, 0.0])), (_IIE, "scoring")),
        ContractCase("scoring_utilities: (0.9, 0.5, 0) refused (s_1 != 1 alone)",
                     lambda: K.scoring_utilities(np.array([[2, 0, 1]]), np.array([0.9, 0.5, 0.0])), (_IIE, "scoring"),
                     match="s_1 = 1"),
        ContractCase("scoring_utilities: (1, 0.5, 0.1) refused (s_k != 0 alone)",
                     lambda: K.scoring_utilities(np.array([[2, 0, 1]]), np.array([1.0, 0.5, 0.1])), (_IIE, "scoring")),
        ContractCase("scoring_utilities: (1, 0.5, 0.1) with validate=False not checked, u[r_j] = s_j",
                     lambda: _su([1.0, 0.5, 0.1], validate=False)),
        # uniform_deviation / regret: |F| mismatch alone, |F| < 1 alone (1 accepted)
        ContractCase("uniform_deviation: |F| 2 vs pop 3 refused", lambda: K.uniform_deviation(np.zeros((1, 2)), np.zeros(3)),
                     (_IIE, "pop_welfare"), match="|F| = 2"),
        ContractCase("uniform_deviation: |F| 0 refused (lengths agree)",
                     lambda: K.uniform_deviation(np.zeros((1, 0)), np.zeros(0)), (_IIE, "pop_welfare")),
        ContractCase("uniform_deviation: |F| 1 accepted, |0.5 - 0.25|",
                     lambda: _same(K.uniform_deviation(np.array([[0.5]]), np.array([0.25])), [0.25])),
        ContractCase("uniform_deviation: docstring example, max |0.5-0.4|, |0.2-0.4|",
                     lambda: _same(K.uniform_deviation(np.array([[0.5, 0.2]]), np.array([0.4, 0.4])), [0.2], tol=1e-15)),
        ContractCase("regret: |F| 2 vs pop 3 refused", lambda: K.regret(np.zeros((1, 2)), np.zeros(3)),
                     (_IIE, "pop_welfare"), match="|F| = 2"),
        ContractCase("regret: |F| 0 refused (lengths agree)", lambda: K.regret(np.zeros((1, 0)), np.zeros(0)),
                     (_IIE, "pop_welfare")),
        ContractCase("regret: |F| 1 accepted, regret 0", lambda: _same(K.regret(np.array([[0.5]]), np.array([0.25])), [0.0])),
        ContractCase("regret: docstring example, 0.4 - 0.3",
                     lambda: _same(K.regret(np.array([[0.5, 0.2]]), np.array([0.3, 0.4])), [0.1], tol=1e-15)),
        # issuewise_majority_batched: ndim alone, shape alone, index ranges at their edges
        ContractCase("issuewise_majority_batched: 1-D issues and prefs of one shape refused (ndim alone)",
                     lambda: K.issuewise_majority_batched(np.array([0, 0]), np.array([1, 1]), 3),
                     (_IIE, "sample_issues, sample_prefs")),
        ContractCase("issuewise_majority_batched: shapes (1, 4) and (1, 3) refused (shape alone)",
                     lambda: K.issuewise_majority_batched(np.array([[0, 0, 0, 2]]), np.array([[1, 1, 0]]), 3),
                     (_IIE, "sample_issues, sample_prefs")),
        ContractCase("issuewise_majority_batched: docstring example accepted (issues 0..Q-1, prefs 0/1)",
                     lambda: _same(K.issuewise_majority_batched(np.array([[0, 0, 0, 2]]), np.array([[1, 1, 0, 0]]), 3),
                                   [[1, 0, 0]])),
        ContractCase("issuewise_majority_batched: issue -1 refused",
                     lambda: K.issuewise_majority_batched(np.array([[0, -1, 0, 2]]), np.array([[1, 1, 0, 0]]), 3),
                     (_IIE, "sample_issues"), match="[0, 2]"),
        ContractCase("issuewise_majority_batched: issue 3 = Q refused",
                     lambda: K.issuewise_majority_batched(np.array([[0, 3, 0, 2]]), np.array([[1, 1, 0, 0]]), 3),
                     (_IIE, "sample_issues")),
        ContractCase("issuewise_majority_batched: preference -1 refused",
                     lambda: K.issuewise_majority_batched(np.array([[0, 0, 0, 2]]), np.array([[1, -1, 0, 0]]), 3),
                     (_IIE, "sample_prefs"), match="0 or 1"),
        ContractCase("issuewise_majority_batched: preference 2 refused",
                     lambda: K.issuewise_majority_batched(np.array([[0, 0, 0, 2]]), np.array([[1, 2, 0, 0]]), 3),
                     (_IIE, "sample_prefs")),
        ContractCase("issuewise_majority_batched: issue 3 = Q with validate=False not checked",
                     lambda: _shape_only(K.issuewise_majority_batched(np.array([[0, 0, 0, 2]]), np.array([[1, 1, 0, 2]]), 3,
                                                                      validate=False), (1, 3))),
    ]


def _tg(q, y, g, **kw):
    import aligntheory.kernels.social_choice as K

    return K.threshold_grid_welfare(np.array(q, float), np.array(y), np.array(g, float), **kw)


def _tg_plain(q, y, g):
    """W_S(t) = mean of [y = 0 and q <= t] or [y = 1 and q > t] (the threshold policy prefers 0 up to t)."""
    q, y = np.asarray(q, float)[0], np.asarray(y)[0]
    return [[float(np.mean((q <= t) == (y == 0))) for t in g]]


def _tc(q, y, **kw):
    import aligntheory.kernels.social_choice as K

    return K.threshold_continuum_deviation(np.array(q, float), np.array(y), **kw)


def _rows_threshold() -> list[ContractCase]:
    q, y = [[0.2, 0.7]], [[0, 1]]
    g = [0.0, 0.5, 1.0]
    return [
        ContractCase("threshold_grid_welfare: y (1, 3) for q (1, 2) refused", lambda: _tg(q, [[0, 1, 1]], g), (_IIE, "y"),
                     match="(1, 2)"),
        ContractCase("threshold_grid_welfare: docstring example accepted, by a plain count",
                     lambda: _same(_tg(q, y, g), _tg_plain(q, y, g))),
        ContractCase("threshold_grid_welfare: grid (0, 0.5, 0.5) accepted (an equal step is sorted)",
                     lambda: _same(_tg(q, y, [0.0, 0.5, 0.5]), _tg_plain(q, y, [0.0, 0.5, 0.5]))),
        ContractCase("threshold_grid_welfare: grid (0.5, 0, 1) refused", lambda: _tg(q, y, [0.5, 0.0, 1.0]), (_IIE, "grid"),
                     match="non-decreasing"),
        ContractCase("threshold_grid_welfare: grid (0, 1, 0.5) refused (last step falls)",
                     lambda: _tg(q, y, [0.0, 1.0, 0.5]), (_IIE, "grid")),
        ContractCase("threshold_grid_welfare: q nan alone refused", lambda: _tg([[np.nan, 0.7]], y, g), (_IIE, "q, grid")),
        ContractCase("threshold_grid_welfare: grid inf alone refused", lambda: _tg(q, y, [0.0, 0.5, np.inf]), (_IIE, "q, grid")),
        ContractCase("threshold_grid_welfare: y -1 refused", lambda: _tg(q, [[-1, 1]], g), (_IIE, "y"), match="0 or 1"),
        ContractCase("threshold_grid_welfare: y 2 refused", lambda: _tg(q, [[0, 2]], g), (_IIE, "y")),
        ContractCase("threshold_grid_welfare: y 2 with validate=False not checked (output unspecified)",
                     lambda: _shape_only(_tg(q, [[0, 2]], g, validate=False), (1, 3))),
        ContractCase("threshold_grid_welfare: grid (0.5, 0, 1) with validate=False not checked",
                     lambda: _shape_only(_tg(q, y, [0.5, 0.0, 1.0], validate=False), (1, 3))),
        # threshold_continuum_deviation: q in the CLOSED [0, 1]; y 0/1; shapes
        ContractCase("threshold_continuum_deviation: y (1, 2) for q (1, 1) refused", lambda: _tc([[0.5]], [[1, 0]]),
                     (_IIE, "y"), match="(1, 1)"),
        # q = 0, y = 1: W_S = 0 on [0, 1], sup W = W(1/2) = 3/4; q = 1, y = 1: W_S = 1 on [0, 1), sup |1 - W| = 1/2
        ContractCase("threshold_continuum_deviation: q 0 accepted, sup = W(1/2) = 3/4", lambda: _same(_tc([[0.0]], [[1]]), [0.75])),
        ContractCase("threshold_continuum_deviation: q 1 accepted, sup = 1 - W(0) = 1/2", lambda: _same(_tc([[1.0]], [[1]]), [0.5])),
        ContractCase("threshold_continuum_deviation: q -5e-324 refused", lambda: _tc([[-5e-324]], [[1]]), (_IIE, "q"),
                     match="[0, 1]"),
        ContractCase("threshold_continuum_deviation: q 1 + 2^-52 refused", lambda: _tc([[1.0 + 2.0**-52]], [[1]]), (_IIE, "q")),
        ContractCase("threshold_continuum_deviation: q nan refused", lambda: _tc([[np.nan]], [[1]]), (_IIE, "q")),
        ContractCase("threshold_continuum_deviation: y -1 refused", lambda: _tc([[0.5]], [[-1]]), (_IIE, "y"), match="0 or 1"),
        ContractCase("threshold_continuum_deviation: y 2 refused", lambda: _tc([[0.5]], [[2]]), (_IIE, "y")),
        ContractCase("threshold_continuum_deviation: y 0 accepted, sup = W(1/2) = 3/4 (W_S = 0 left of 1/2, 1 right of it)",
                     lambda: _same(_tc([[0.5]], [[0]]), [0.75])),
        ContractCase("threshold_continuum_deviation: q 1.5 with validate=False not checked",
                     lambda: _shape_only(_tc([[1.5]], [[1]], validate=False), (1,))),
    ]


@claim(
    id="social_choice.guard_conditions_kernels",
    statement="Each atomic condition of each hand-written raising guard of aligntheory.kernels.social_choice "
    "(validate_profiles' shape, dimension, count and multiplicity checks; scoring_rule's length and monotonicity; "
    "sample_pairs' weight sum; empirical_welfare_batched's shape and index ranges; erm_argmax, scoring_utilities, "
    "uniform_deviation, regret, issuewise_majority_batched; threshold_grid_welfare and threshold_continuum_deviation) "
    "decides a row alone: a refused row where only it holds (InvalidInputError naming the documented argument, with "
    "the documented message detail), accepted rows exactly at each comparison's edge with their values checked by an "
    "independent hand count or closed form, and validate=False rows where the docstring documents the checks skipped.",
    source=[_SRC],
    provenance="M",
    kind="contract",
    tolerance="exact: each row on its documented side (values exact or within 1e-15 absolute)",
    rice={"R"},
    stage="backward:governance",
)
def check_guard_conditions_kernels(ctx: Context) -> Evidence:
    """Predicted: each row's documented side, from the docstrings' Parameters / Raises sections, and the
    accepted rows' values from a plain loop or closed form written here.

    Measured: the call. Tolerance: exact (a boundary is on one side or the other).
    """
    return contract_evidence(_rows_voting() + _rows_learning() + _rows_threshold())
