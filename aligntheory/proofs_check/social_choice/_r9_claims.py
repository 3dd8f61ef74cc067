"""Social choice claims of issue #11, round 9 (the sixth fresh mutation sample, docs/mutation-report/fresh-r8).

* ``social_choice.drup_checker_top_level_units`` --
  :func:`~aligntheory.theory.social_choice._rup.check_drup_refutation` on formulas whose unit clauses
  propagate at the top level while the formula is read (a clause added when all but one of its
  literals are already false becomes a unit), against the naive forward checker of round 7 (repeated
  scans, no watched literals) and the satisfiability of each formula by brute force.
* ``social_choice.lp_optima_tables`` -- the two LPs of ``theory/social_choice/_lp.py`` pinned as
  whole tables: :func:`~aligntheory.theory.social_choice.max_min_subset_mass` gives :math:`h/k_X`
  for every :math:`1 \\le h \\le k_X \\le 4` (and the default :math:`h = \\lfloor k_X/2\\rfloor + 1`
  up to :math:`k_X = 5`) with a maximiser whose smallest :math:`h`-subset mass is that value, and
  :func:`~aligntheory.theory.social_choice.fit_scoring_vector` matches scipy's ``linprog`` (HiGHS
  through scipy, a separate route) on the margin-1 LP written here from the docstring's formulas:
  feasibility, the optimum :math:`s_1`, the documented normalisation and rounding of every field.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np

from aligntheory.proofs_check._helpers import rel_err
from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim
from aligntheory.proofs_check.social_choice._r7_claims import _naive_check

__all__: list[str] = []

_DRUP = Source(key="qiu2024representative", where="UNSAT certificates (spec social_choice.md §4.4); DRUP format")


def _satisfiable(cnf: list[list[int]]) -> bool:
    """Brute force over every assignment of the variables that occur."""
    vs = sorted({abs(x) for c in cnf for x in c})
    for bits in itertools.product((False, True), repeat=len(vs)):
        a = dict(zip(vs, bits))
        if all(any(a[abs(x)] == (x > 0) for x in c) for c in cnf):
            return True
    return False


# formulas whose clauses become units when added (literals already false at the top level)
_UNIT_CASES = (
    ("unit chain 1, 1 -> 2, -2 (refuted at top level, no proof)", [[1], [-1, 2], [-2]], []),
    ("unit chain 1, 1 -> 2, 2 -> 3, -3 with the empty clause", [[1], [-1, 2], [-2, 3], [-3]], ["0"]),
    ("unit chain ending satisfiable", [[1], [-1, 2], [-2, 3]], ["0"]),
    ("units read after the binary clauses", [[-1, 2], [-2, 3], [1], [-3]], []),
    ("a three-literal clause with two literals false when added", [[1], [2], [-1, -2, 3], [-3, 4], [-4]], []),
    ("a three-literal clause with two false literals, then a lemma", [[1], [2], [-1, -2, 3], [-3, 4], [-4, 5]],
     ["5 0", "0"]),
    ("a unit makes a lemma RUP", [[1], [-1, 2, 3], [-2, 3], [2, -3], [-2, -3]], ["2 0", "0"]),
    ("units not refuting, lemma not RUP", [[1], [-1, 2, 3]], ["2 0"]),
)


@claim(
    id="social_choice.drup_checker_top_level_units",
    statement="check_drup_refutation propagates the units that arise while the formula is read (unit clauses, and "
    "clauses added when all but one literal is already false at the top level): on formulas built so, with and "
    "without proof lines, its verdict, lemma count and failed lemma equal those of a naive forward checker (repeated "
    "scans), and it never validates a refutation of a satisfiable formula.",
    source=[_DRUP],
    provenance="M",
    kind="theorem",
    tolerance="exact (booleans and counts on 8 hand-built formulas)",
    rice={"R"},
    stage="backward:governance",
)
def check_drup_checker_top_level_units(ctx: Context) -> Evidence:
    """Predicted: the naive checker of round 7 (no deletions here, so it is exact) and brute-force satisfiability.

    Measured: the library's watched-literal checker. A unit assigned to the wrong literal when a clause is
    added turns a refuted formula into an unrefuted one (or the converse).
    """
    from aligntheory.theory.social_choice._rup import check_drup_refutation

    bad = []
    for label, cnf, proof in _UNIT_CASES:
        r = check_drup_refutation(cnf, proof)
        got = (r.valid, r.lemmas_checked, r.deletions, r.failed_lemma)
        want = _naive_check(cnf, proof)
        if got != want:
            bad.append(f"{label}: got {got}, naive {want}")
        if r.valid and _satisfiable(cnf):
            bad.append(f"{label}: a satisfiable formula declared refuted")
    return Evidence(
        verdict=Verdict.of(not bad),
        predicted={"cases": len(_UNIT_CASES)},
        measured={"mismatches": bad},
        tolerance="exact",
        why="booleans and counts",
        details="; ".join(bad) if bad else f"{len(_UNIT_CASES)} formulas agree with the naive checker",
    )


def _scoring_lp(profiles: list[np.ndarray], winners: list[int]) -> tuple[bool, float | None]:
    """The margin-1 LP of fit_scoring_vector's docstring, solved by scipy's linprog: (feasible, min s_1)."""
    from scipy.optimize import linprog

    m = profiles[0].shape[1]
    a_ub, b_ub = [], []
    for p, w in zip(profiles, winners):
        pc = np.zeros((m, m))
        for ballot in p:  # position counts by a loop: pc[c, r] = voters ranking c at position r
            for r, c in enumerate(ballot):
                pc[c, r] += 1
        for c in range(m):
            if c != w:  # <s, pc[w] - pc[c]> >= 1 if c < w (a tie would go to c) else >= 0
                a_ub.append(-(pc[w] - pc[c]))
                b_ub.append(-1.0 if c < w else 0.0)
    for r in range(m - 1):  # s_r - s_{r+1} >= 0
        row = np.zeros(m)
        row[r], row[r + 1] = -1.0, 1.0
        a_ub.append(row)
        b_ub.append(0.0)
    a_eq = np.zeros((1, m))
    a_eq[0, m - 1] = 1.0
    cost = np.zeros(m)
    cost[0] = 1.0
    res = linprog(cost, A_ub=np.array(a_ub), b_ub=np.array(b_ub), A_eq=a_eq, b_eq=[0.0], bounds=[(None, None)] * m,
                  method="highs")
    if res.status == 2:
        return False, None
    if res.status != 0:
        raise AssertionError(f"scipy linprog: status {res.status} ({res.message})")
    return True, float(res.fun)


def _borda_winner(p: np.ndarray) -> int:
    m = p.shape[1]
    sc = np.zeros(m)
    for ballot in p:
        for r, c in enumerate(ballot):
            sc[c] += m - 1 - r
    return int(np.flatnonzero(sc == sc.max())[0])  # lowest index among the tied


@claim(
    id="social_choice.lp_optima_tables",
    statement="max_min_subset_mass(k, h) = h/k for every 1 <= h <= k <= 4, with the default h = floor(k/2) + 1 for "
    "k <= 5, and returns a distribution nu whose smallest h-subset mass is that value; fit_scoring_vector agrees with "
    "scipy's linprog on the docstring's margin-1 LP (feasibility and the optimum s_1), returns s_m = 0, a "
    "non-increasing raw vector, vector = raw / s_1 when s_1 > 0, exact = raw rounded with limit_denominator(10**6), "
    "and on examples labelled by Borda (lowest index among ties) it is feasible and consistent.",
    source=[Source(key="qiu2024representative", where="R4 averaging step (spec social_choice.md §3.3)"),
            Source(key="procaccia2009learnability", where="scoring rules; LP of spec §3.4 S3")],
    provenance="M",
    kind="theorem",
    tolerance="relative 1e-7 with absolute floor 1 (optima are O(1) rationals; HiGHS's primal/dual feasibility tolerance 1e-7); "
    "booleans and rationals exact",
    rice={"R"},
    stage="backward:governance",
)
def check_lp_optima_tables(ctx: Context) -> Evidence:
    """Predicted: h/k (the uniform nu is optimal: any nu has an h-subset of mass <= h/k by averaging over subsets);
    scipy's linprog on the LP written here for the scoring rule.

    Measured: the two library LPs (cvxpy + HiGHS). Tolerance: the LP solver's own feasibility tolerance 1e-7.
    """
    import aligntheory.theory.social_choice as T

    tol = 1e-7
    bad, worst = [], 0.0
    table = [(k, h) for k in range(1, 5) for h in range(1, k + 1)] + [(k, None) for k in range(1, 6)]
    for k, h in table:
        r = T.max_min_subset_mass(k, h)
        hh = k // 2 + 1 if h is None else h
        nu = np.asarray(r.nu, dtype=np.float64)
        e = max(rel_err(r.value, hh / k, floor=1.0), rel_err(float(np.sort(nu)[:hh].sum()), hh / k, floor=1.0),
                rel_err(float(nu.sum()), 1.0, floor=1.0))
        worst = max(worst, e)
        if not (e <= tol and r.h == hh and r.n_pairs == k and nu.shape == (k,) and nu.min() >= -tol
                and r.result.succeeded):
            bad.append(f"max_min_subset_mass({k}, {h}): value {r.value!r}, h {r.h}, nu {nu.tolist()}; want {hh}/{k}")
    rng = ctx.rng(91)
    m = 4
    rand = [rng.permutation(m)[None, :] if j % 2 else np.array([rng.permutation(m) for _ in range(3)])
            for j in range(5)]
    cases = [
        ("documented example", [np.array([[0, 1, 2]]), np.array([[1, 2, 0], [2, 1, 0]])], [0, 1]),
        ("one profile, two winners (infeasible)", [np.array([[0, 1, 2]]), np.array([[0, 1, 2]])], [0, 1]),
        ("a later candidate wins a tie-free profile", [np.array([[2, 1, 0], [2, 0, 1]])], [2]),
        ("Borda-labelled random profiles", rand, [_borda_winner(p) for p in rand]),
        ("randomly labelled random profiles", rand, [int(x) for x in rng.integers(0, m, size=len(rand))]),
    ]
    for label, ps, ws in cases:
        fit = T.fit_scoring_vector(ps, ws)
        feas, opt = _scoring_lp(ps, ws)
        if fit.feasible != feas:
            bad.append(f"{label}: feasible {fit.feasible}, linprog {feas}")
            continue
        if not feas:
            if fit.vector is not None or fit.raw is not None or not fit.result.succeeded:
                bad.append(f"{label}: infeasible fit carries a vector or a failure ({fit.result!r})")
            continue
        raw = np.asarray(fit.raw)
        e = rel_err(float(raw[0]), opt, floor=1.0)
        worst = max(worst, e)
        want_vec = raw / raw[0] if raw[0] > 0 else raw
        want_exact = tuple(Fraction(float(x)).limit_denominator(10**6) for x in raw)
        if not (e <= tol and abs(raw[-1]) <= tol and np.all(np.diff(raw) <= tol)
                and np.array_equal(np.asarray(fit.vector), want_vec) and fit.exact == want_exact):
            bad.append(f"{label}: raw {raw.tolist()}, vector {np.asarray(fit.vector).tolist()}, linprog s_1 {opt!r}")
        if label.startswith("Borda") and not fit.consistent:
            bad.append(f"{label}: the Borda labels are not reproduced (consistent {fit.consistent})")
    return Evidence(
        verdict=Verdict.of(not bad),
        predicted={"max_min_subset_mass": "h/k", "fit_scoring_vector": "scipy linprog optimum"},
        measured={"worst relative error": worst, "mismatches": bad[:6]},
        tolerance="rel 1e-7, floor 1",
        why="HiGHS stops at primal/dual feasibility 1e-7; the optima are O(1) rationals",
        sizes={"subset table": len(table), "scoring cases": len(cases)},
        details="; ".join(bad[:6]) or f"{len(table)} subset LPs and {len(cases)} scoring LPs agree",
    )
