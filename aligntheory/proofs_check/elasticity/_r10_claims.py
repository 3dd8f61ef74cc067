"""Elasticity claims of issue #11, round 10 (random planting in theory/elasticity and kernels/elasticity).

``elasticity.refusal_details_table`` -- the computed details that the refusals of the elasticity functions state
(the admissible range ``l < 1/chi^2`` of :func:`~aligntheory.theory.elasticity.opposite_model_bounds`, the first
shared leaf of an overlapping configuration, the minimum length ``2 b_min + 2`` of the two-segment fits, the leaf
count of a token tree, the expected logit shape of :func:`~aligntheory.kernels.elasticity.train_softmax`, the first
leaf where ``q_l = 0`` on the support of a rate or derivative) against values worked by hand. Every row fails
before any JAX program runs. The lines computing these details are not raising guards: before round 10 a
mutant of them (``1/chi^2`` computed as ``chi^2``, ``bad[0]`` read as ``bad[1]``) changed only the message.
"""

from __future__ import annotations

import numpy as np

from aligntheory.proofs_check._helpers import ContractCase, contract_evidence
from aligntheory.proofs_check._registry import Context, Evidence, Source, claim

__all__: list[str] = []


def _shape(x, shape):
    """``x`` as an array when it has ``shape`` (an accepted row with a wrong shape raises, landing off its side)."""
    a = np.asarray(x)
    if a.shape != shape:
        raise AssertionError(f"shape {a.shape} != {shape}")
    return a


def _rows() -> list[ContractCase]:
    import jax

    from aligntheory.errors import InvalidInputError as IIE
    from aligntheory.kernels import elasticity as K
    from aligntheory.theory import elasticity as E

    # opposite configuration broken at leaves 2 and 3 (first shared leaf 2)
    pa_ov, pt_ov = [0.5, 0.0, 0.25, 0.25], [0.0, 0.5, 0.25, 0.25]
    # q_l = 0 at leaves 3 and 4 where P_t > 0 when l = 0 (first offending leaf 3)
    pp, pa, pt = [0.5, 0.5, 0.0, 0.0, 0.0], [0.5, 0.5, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.5, 0.5]
    two = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])  # m = 2 targets on M = 3 leaves
    return [
        ContractCase("opposite_model_bounds: l = 2, chi^2 = 0.5 (l chi^2 = 1) refused, range l < 1/chi^2 = 2.0",
                     lambda: E.opposite_model_bounds(1.0, 2.0, 0.5), (IIE, "l"), "admissible range l < 1/chi^2 = 2.0"),
        ContractCase("opposite_model_bounds: l = 5, chi^2 = 0.25 refused, range l < 1/chi^2 = 4.0",
                     lambda: E.opposite_model_bounds(1.0, 5.0, 0.25), (IIE, "l"), "l < 1/chi^2 = 4.0"),
        ContractCase("opposite_model_bounds: supports of P_a and P_t shared at leaves 2 and 3, first shared leaf 2",
                     lambda: E.opposite_model_bounds(1.0, 0.5, 0.5, P_a=pa_ov, P_t=pt_ov), (IIE, "P_t"),
                     "first shared leaf 2)"),
        ContractCase("two_segment_fit: 11 points at the default b_min = 5 refused, needs 2 b_min + 2 = 12",
                     lambda: K.two_segment_fit(np.zeros(11)), (IIE, "y"), "needs at least 12 points"),
        ContractCase("two_segment_fit: 7 points at b_min = 3 refused, needs 8",
                     lambda: K.two_segment_fit(np.zeros(7), b_min=3), (IIE, "y"), "needs at least 8 points"),
        ContractCase("two_segment_fit_batched: rows of 11 points at the default b_min refused, needs 12 per row",
                     lambda: K.two_segment_fit_batched(np.zeros((2, 11))), (IIE, "Y"), "needs at least 12 points per row"),
        ContractCase("two_segment_fit_batched: rows of 9 points at b_min = 4 refused, needs 10 per row",
                     lambda: K.two_segment_fit_batched(np.zeros((2, 9)), b_min=4), (IIE, "Y"),
                     "needs at least 10 points per row"),
        # a token tree of branching V and depth D has one EOS leaf at each inner node plus V^D leaves at depth D:
        # sum_{j<D} V^j + V^D = (V^(D+1) - 1)/(V - 1); V = 2, depth 2: 1 + 2 + 4 = 7; V = 3, depth 2: 1 + 3 + 9 = 13
        ContractCase("prune: 6 log-probabilities for V = 2, depth 2 refused, a tree of 1 + 2 + 4 = 7 leaves",
                     lambda: K.prune(np.log(np.full(6, 1 / 6)), 2, 2, 1), (IIE, "leaf_logp"),
                     "must have 7 entries for V=2, depth=2"),
        ContractCase("prune: 12 log-probabilities for V = 3, depth 2 refused, 1 + 3 + 9 = 13 leaves",
                     lambda: K.prune(np.log(np.full(12, 1 / 12)), 3, 2, 1), (IIE, "leaf_logp"),
                     "must have 13 entries for V=3, depth=2"),
        ContractCase("prune_leaf_probs: 6 leaves for V = 2, depth 2 refused, tree_n_leaves = 7",
                     lambda: E.prune_leaf_probs(np.full(6, 1 / 6), 2, 2, 1), (IIE, "leaf_p"), "= 7 entries"),
        ContractCase("train_softmax: logits0 of 2 entries for 2 targets on 3 leaves refused, shape (M,) = (3,)",
                     lambda: K.train_softmax(None, np.zeros(2), two, np.array([1.0, 1.0]), 10, 1.0), (IIE, "logits0"),
                     "must have shape (3,)"),
        # the default branch logits0 = None draws M initial logits (one per leaf, not one per target): accepted with
        # m = 2 targets on M = 3 leaves, one GD step, q of shape (3,)
        ContractCase("train_softmax: logits0 = None (drawn from key) with m = 2 targets on M = 3 leaves accepted",
                     lambda: _shape(K.train_softmax(jax.random.PRNGKey(0), None, two, np.array([1.0, 1.0]), 1, 1.0,
                                                    throw=False).q, (3,))),
        ContractCase("gamma: l = 0, P_t on leaves 3, 4 outside supp P_p + P_a refused, first offending leaf 3",
                     lambda: K.gamma(pp, pa, pt, 1.0, 0.0), (IIE, "P_t"), "first offending leaf index 3)"),
        ContractCase("stable_derivatives: the same triple at l = 0 refused, first offending leaf 3",
                     lambda: K.stable_derivatives(pp, pa, pt, 1.0, 0.0), (IIE, "P_t"), "first offending leaf index 3)"),
        ContractCase("stable_derivatives_batched: l in (0, 1) on the same triple refused, first offending leaf 3",
                     lambda: K.stable_derivatives_batched(pp, pa, pt, [1.0], [0.0, 1.0]), (IIE, "P_t"),
                     "first offending leaf index 3)"),
    ]


@claim(
    id="elasticity.refusal_details_table",
    statement="The refusals of the elasticity functions state the details they compute: opposite_model_bounds the "
    "admissible range l < 1/chi^2 (2.0 at chi^2 = 0.5, 4.0 at 0.25) and the first leaf shared by P_a and P_t; "
    "two_segment_fit and two_segment_fit_batched the minimum 2 b_min + 2 points (12 at the default b_min = 5, 8 at 3, "
    "10 at 4); prune and prune_leaf_probs the leaf count 1 + V + ... + V^depth of the token tree (7 for V = 2, "
    "13 for V = 3 at depth 2); train_softmax the logit shape (M,) (and with logits0 = None it draws M logits: "
    "accepted for m = 2 targets on M = 3 leaves); gamma, stable_derivatives and "
    "stable_derivatives_batched the first leaf where q_l = 0 on supp P_t.",
    source=[Source(key="ji2024language", where="our Propositions E1-E9 and spec elasticity.md §4.2 (failure contract)")],
    provenance="R",
    kind="contract",
    tolerance="exact: each row raises the documented class naming the argument, its message containing the value "
    "worked by hand",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_refusal_details_table(ctx: Context) -> Evidence:
    """Predicted: the values in the statement (worked by hand in the comments). Measured: the refusals' messages."""
    return contract_evidence(_rows())


@claim(
    id="elasticity.mc_delta_disjoint_closed_form",
    statement="When P_t is supported outside supp P_p + supp P_a (the branch where q_0 vanishes on leaves the "
    "datasets never see), every seed of mc_delta_gamma -- on the host and under jax.jit over the key -- has "
    "d_p = d_a = log(1 + l1 / (k + 1)) exactly (the counts n_t are zero wherever n_p or n_a are not, so q_l1 = "
    "q_0 (k + 1)/(k + 1 + l1) there), ratio = -1, ratio_se = 0, n_seeds = S and d_t is S zeros (documented).",
    source=[Source(key="ji2024language", where="our Propositions E1-E4, sample version; spec elasticity.md §4.3")],
    provenance="M",
    kind="theorem",
    tolerance="d_p, d_a relative 1e-12 (a sum of 8 terms Ph (log q0 - log q1), each log accurate to about 1e-16 "
    "absolute, against a value of 0.095); ratio relative 1e-12; ratio_se <= 1e-12 (the residuals d_a - d_p are "
    "rounding); n_seeds and d_t exact (d_t was NaN on this branch, 0 * log 0, until round 10 fixed it)",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_mc_delta_disjoint_closed_form(ctx: Context) -> Evidence:
    """Predicted: log1p(l1 / (k + 1)) in Python floats, and R = -1 with a zero standard error. Measured:
    ``mc_delta_gamma`` on the host and traced (the shapes and sizes of ``elasticity.mc_delta_traced_estimate``, so
    both compiled programs are shared with it)."""
    import math

    import jax.numpy as jnp

    from aligntheory.kernels.elasticity import mc_delta_gamma
    from aligntheory.proofs_check._helpers import rel_err
    from aligntheory.proofs_check._registry import Verdict
    from aligntheory.proofs_check.elasticity._r8_claims import _mc_traced

    rng = ctx.rng(100)
    M, k, l1, Na, S = 16, 4.0, 0.5, 1e5, 200
    Pp, Pa, Pt = np.zeros(M), np.zeros(M), np.zeros(M)
    Pp[:8] = rng.dirichlet(np.full(8, 2.0))
    Pa[int(rng.integers(0, 4)):8] = 1.0
    Pa /= Pa.sum()
    Pt[8:] = rng.dirichlet(np.full(8, 2.0))
    pred = math.log1p(l1 / (k + 1.0))
    key = ctx.key(100)
    host = mc_delta_gamma(key, Pp, Pa, Pt, Na, k, l1, S)
    tr = _mc_traced(Pp, Pa, Pt, Na, k, l1, S)(key, jnp.asarray(Pp), jnp.asarray(Pa), jnp.asarray(Pt))
    rows, bad = {}, []
    for name, (dp, da, dt, R, se) in (("host", tuple(host)[:5]), ("traced", tr)):
        dp, da, dt = (np.asarray(x, dtype=np.float64) for x in (dp, da, dt))
        e_d = max(rel_err(dp, np.full(S, pred), floor=0.0), rel_err(da, np.full(S, pred), floor=0.0)) \
            if dp.shape == da.shape == (S,) else math.inf
        e_R = rel_err(float(R), -1.0, floor=0.0)
        se = float(se)
        shape_t = dt.shape == (S,) and not np.any(dt)  # documented zeros (NaN here before round 10's fix)
        rows[name] = {"d relative error": e_d, "ratio": float(R), "ratio_se": se}
        if not (e_d <= 1e-12 and e_R <= 1e-12 and abs(se) <= 1e-12 and shape_t):
            bad.append(name)
    if host.n_seeds != S:
        bad.append(f"n_seeds {host.n_seeds} != {S}")
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"d_p = d_a": pred, "ratio": -1.0, "ratio_se": 0.0, "n_seeds": S},
        measured=rows | {"n_seeds": host.n_seeds},
        tolerance={"relative": 1e-12, "ratio_se": 1e-12},
        why="every seed's difference is one logarithm of a ratio of exact integer totals; the rest is rounding",
        sizes={"leaves": M, "seeds": S},
        counterexample=None if ok else {"failed": bad},
    )
