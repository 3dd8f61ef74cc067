"""IBN claims of issue #11, round 8: pin what the survivors of the fifth fresh mutation sample changed.

* ``ibn.hp_edge_var_exact_table`` -- :func:`aligntheory.theory.ibn.hp_edge_var`, the whole table (continuous
  ``"ls"`` / ``"mle"``, binary by ``p`` and by ``delta_r``, the default estimators), at ``beta`` from ``2^-511`` to
  ``2^512``, against the exact rational value of the documented formula (Python fractions; ``pi^2/3`` and the
  logistic ``sigma(x) sigma(-x)`` with mpmath at 50 digits), including the value exactly at the smallest normal
  number (``beta = 2^512``, ``p = 1/2``: ``4 / 2^1024 = 2^-1022``, documented as representable, so returned);
* ``ibn.reff_float64_edges`` -- :func:`aligntheory.theory.ibn.effective_resistance` (every route),
  :func:`~aligntheory.theory.ibn.shortest_path_variance`, :func:`~aligntheory.theory.ibn.kirchhoff_index` and
  :func:`~aligntheory.theory.ibn.foster_sum` on two nodes joined by two parallel edges whose variances sit at the
  top binade of float64 (``[2^1023, 2^1024)``) and in the subnormal range, against the series/parallel closed form
  ``v1 v2 / (v1 + v2)`` computed exactly with fractions;
* ``ibn.documented_edges_contract`` -- documented boundaries of the same functions at the boundary: the allocation
  cap ``S (3 N + 2 E)`` of :func:`aligntheory.kernels.ibn.hops_bfs` with ``E > 0`` (at the cap accepted, one below
  refused), the float64 range of ``hp_edge_var`` on both ends (at ``2^-1022`` accepted, one ulp of ``beta`` past
  it refused; ``3 * 2^1022`` accepted, ``2^1024`` refused), and the graph-input rule that ``edges`` / weights must
  be omitted when a networkx graph or a matrix is passed;
* ``ibn.regime_A_limit_table`` -- :func:`aligntheory.theory.ibn.n_regime_A_limit` against ``m0 ln m0 / 2`` with
  the closed-form inverse of each regime of ``F`` written here (mpmath), and its edges ``s2 = 0``, ``I``, ``2 I``.

Tolerances are fixed here, before any run.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from aligntheory.proofs_check._helpers import ContractCase, contract_evidence
from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim

_TINY = float(np.finfo(np.float64).tiny)


def _pi2_over_3() -> Fraction:
    import mpmath

    with mpmath.workdps(50):
        return Fraction(str(mpmath.pi ** 2 / 3))


def _logistic_info(beta: float, d: float) -> Fraction:
    """sigma(x) sigma(-x) at x = beta * d (the exact product of the two floats), to 50 digits."""
    import mpmath

    with mpmath.workdps(50):
        x = mpmath.mpf(beta) * mpmath.mpf(d)
        t = mpmath.exp(-abs(x))
        return Fraction(str(t / (1 + t) ** 2))


@claim(
    id="ibn.hp_edge_var_exact_table",
    statement="hp_edge_var equals its documented formula to rounding over the whole table and the whole float64 "
    "range of its value: pi^2/(3 beta^2) (continuous, 'ls', the default), 3/beta^2 (continuous, 'mle'), "
    "1/(beta^2 p(1-p)) (binary, 'fisher', the default) and, by delta_r, 1/(beta^2 sigma(x) sigma(-x)), "
    "x = beta delta_r, for beta from 2^-511 to 2^512, including the value 2^-1022 (the smallest normal number) "
    "exactly; the default estimators give bit-identical results to the explicit ones.",
    source=[Source(key="hendrickx2019graph", where="§2 (Fisher information of one BT label); spec ibn.md §2.3")],
    provenance="M",
    kind="theorem",
    tolerance="2e-15 relative (a handful of roundings); 4e-14 relative for the delta_r rows (|x| <= 40)",
    rice={"R"},
    stage="forward:feedback",
)
def check_hp_edge_var_exact_table(ctx: Context) -> Evidence:
    """Predicted: the documented formula evaluated exactly (fractions of the float arguments; pi^2/3 and the
    logistic information by mpmath at 50 digits), rounded once. Measured: ``hp_edge_var``. The library splits the
    exponents off (frexp) and makes at most three roundings on the mantissas, so its relative error is below
    4 ulp (9e-16); 2e-15 leaves a margin of 2 and catches any changed constant, exponent or factor. The delta_r rows
    round ``x = beta delta_r`` first (relative error of the information ~|x| eps, 9e-15 at |x| = 40), hence 4e-14.
    The random betas and p come from ``ctx.rng``; the fixed rows are the range edges."""
    from aligntheory.errors import PrecisionError
    from aligntheory.theory.ibn import hp_edge_var

    rng = ctx.rng(81)
    k_ls = _pi2_over_3()
    betas = [2.0**-511, 2.0**-300, 1e-3, 0.37, 1.0, 2.0, 7.5, 1e40, 2.0**300, 2.0**511,
             *rng.uniform(0.05, 20.0, 3).tolist()]
    rows: list[tuple[str, float, Fraction, float]] = []  # label, measured, predicted, tolerance
    for b in betas:
        fb = Fraction(b) ** 2
        for est, k in (("ls", k_ls), ("mle", Fraction(3))):
            if k / fb > Fraction(np.finfo(float).max) or k / fb < Fraction(_TINY):
                continue
            rows.append((f"continuous {est} beta={b:.6g}", hp_edge_var(b, feedback="continuous", estimator=est),
                         k / fb, 2e-15))
        for p in (0.5, 0.1, 1e-200, float(rng.uniform(0.01, 0.99))):
            pred = 1 / (fb * Fraction(p) * (1 - Fraction(p)))
            if Fraction(_TINY) <= pred <= Fraction(np.finfo(float).max):
                rows.append((f"binary p={p:.6g} beta={b:.6g}", hp_edge_var(b, feedback="binary", p=p), pred, 2e-15))
    for b, d in ((1.0, 0.0), (0.5, 3.0), (2.0, -7.25), (1e3, 0.04), (3.0, 13.0), (float(rng.uniform(0.5, 2.0)), 1.7)):
        rows.append((f"binary delta_r={d} beta={b:.6g}", hp_edge_var(b, feedback="binary", delta_r=d),
                     1 / (Fraction(b) ** 2 * _logistic_info(b, d)), 4e-14))
    # exactly at the smallest normal number: 4 / (2^512)^2 = 2^-1022 is representable, so it is returned
    try:
        at_tiny = hp_edge_var(2.0**512, feedback="binary", p=0.5)
    except PrecisionError as exc:  # the documented range says it is representable
        at_tiny = f"PrecisionError: {exc}"
    bad = []
    for label, got, pred, tol in rows:
        err = abs(Fraction(got) - pred) / pred if np.isfinite(got) else float("inf")
        if not float(err) <= tol:
            bad.append(f"{label}: got {got!r}, predicted {float(pred)!r} (rel err {float(err):.2e} > {tol})")
    if at_tiny != _TINY:
        bad.append(f"beta=2^512 p=0.5: got {at_tiny!r}, predicted exactly 2^-1022 = {_TINY!r}")
    defaults = {
        "continuous": (hp_edge_var(0.37, feedback="continuous"), hp_edge_var(0.37, feedback="continuous",
                                                                              estimator="ls")),
        "binary": (hp_edge_var(0.37, feedback="binary", p=0.3), hp_edge_var(0.37, feedback="binary", p=0.3,
                                                                            estimator="fisher")),
    }
    bad += [f"default estimator ({f}) {a!r} != explicit {b!r}" for f, (a, b) in defaults.items() if a != b]
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"rows": len(rows) + 3, "value at beta=2^512, p=1/2": _TINY},
        measured={"rows off": len(bad), "value at beta=2^512, p=1/2": at_tiny},
        tolerance={"formula rows": 2e-15, "delta_r rows": 4e-14, "range edge and defaults": "exact"},
        why="the variance is computed with the exponents split off, so it is exact to rounding wherever representable",
        sizes={"rows": len(rows) + 3},
        details="; ".join(bad[:6]) if bad else f"{len(rows)} formula rows within tolerance; 2^-1022 exact",
        counterexample=None if ok else {"seed": ctx.seed, "first": bad[:3]},
    )


def _parallel(v1: float, v2: float) -> Fraction:
    a, b = Fraction(v1), Fraction(v2)
    return a * b / (a + b)


@claim(
    id="ibn.reff_float64_edges",
    statement="effective_resistance (methods 'cholesky', 'pinv', 'grounded', 'sparse'), kirchhoff_index, "
    "shortest_path_variance and foster_sum are right at the edges of float64: two nodes joined by two parallel "
    "edges of variances v1, v2 both in the top binade [2^1023, 2^1024), or both subnormal, have effective "
    "resistance v1 v2/(v1 + v2) (exact rational value, rounded), path variance min(v1, v2) exactly, Kirchhoff "
    "index R (one pair) and Foster sum 1 (n - 1); and a single edge of subnormal variance v has R = v (routes "
    "'pinv', 'grounded', 'sparse'); without edges the path variance is inf between distinct nodes.",
    source=[Source(key="hendrickx2019graph", where="effective resistance of the Fisher graph; spec ibn.md §4.2")],
    provenance="M",
    kind="theorem",
    tolerance="4e-15 relative (normal values); absolute 4 * 2^-1074 for the subnormal rows; path variance exact",
    rice={"R"},
    stage="forward:feedback",
)
def check_reff_float64_edges(ctx: Context) -> Evidence:
    """Predicted: the parallel-edge closed form ``v1 v2 / (v1 + v2)`` from fractions of the float inputs (a second
    route sharing nothing with the library), ``min(v1, v2)``, ``R`` and 1. Measured: the public functions. The
    library rescales by a power of two (exact) and solves a 2x2 system: a few roundings, below 4e-15 relative for
    normal results; subnormal results are on a grid of 2^-1074, whence the absolute floor 4 * 2^-1074. The
    mantissas are drawn from ``ctx.rng``."""
    from aligntheory.theory.ibn import effective_resistance, foster_sum, kirchhoff_index, shortest_path_variance

    rng = ctx.rng(82)
    m1, m2 = rng.uniform(1.0, 1.999, 2)
    e = np.array([[0, 1], [0, 1]])
    vs = float(np.ldexp(np.round(m1 * 2**6), -1068))  # one subnormal variance (a single edge)
    cases = {"top binade": (float(np.ldexp(m1, 1023)), float(np.ldexp(m2, 1023)), 4e-15, 0.0),
             "subnormal": (float(np.ldexp(np.round(m1 * 2**20), -1060)), float(np.ldexp(np.round(m2 * 2**20), -1060)),
                           4e-15, 4 * 2.0**-1074),
             "one subnormal edge": (vs, np.inf, 4e-15, 4 * 2.0**-1074)}
    bad, errs = [], {}
    for name, (v1, v2, tol, floor) in cases.items():
        # 'cholesky' refuses the single subnormal edge (documented: L + J/N is ill-conditioned there)
        ee, v, methods = (e, np.array([v1, v2]), ("cholesky", "pinv", "grounded")) if np.isfinite(v2) else \
            (e[:1], np.array([v1]), ("pinv", "grounded"))
        pred = float(_parallel(v1, v2)) if np.isfinite(v2) else v1
        got = {}
        for m in methods:
            got[m] = float(np.asarray(effective_resistance(2, ee, variances=v, method=m))[0, 1])
        got["sparse"] = float(np.asarray(effective_resistance(2, ee, variances=v, method="sparse",
                                                              pairs=[[0, 1]]))[0])
        got["kirchhoff_index"] = float(kirchhoff_index(2, ee, variances=v))
        for k, g in got.items():
            err = abs(g - pred) / max(pred, floor / tol) if np.isfinite(g) else float("inf")
            errs[f"{name} {k}"] = err  # <= tol  <=>  |g - pred| <= max(tol pred, floor)
            if not err <= tol:
                bad.append(f"{name} {k}: got {g!r}, predicted {pred!r}")
        spv = float(np.asarray(shortest_path_variance(2, ee, variances=v))[0, 1])
        if spv != min(v1, v2):
            bad.append(f"{name} shortest_path_variance: got {spv!r}, predicted {min(v1, v2)!r} exactly")
        fs = float(foster_sum(2, ee, variances=v))
        if not abs(fs - 1.0) <= 4e-15:
            bad.append(f"{name} foster_sum: got {fs!r}, predicted 1")
    # no edges at all: every path variance between distinct nodes is infinite (no path), 0 on the diagonal
    D = np.asarray(shortest_path_variance(3, np.zeros((0, 2), dtype=np.int64), variances=np.zeros(0)))
    if not (np.all(np.diag(D) == 0.0) and np.all(D[~np.eye(3, dtype=bool)] == np.inf)):
        bad.append(f"shortest_path_variance without edges: got {D.tolist()}, predicted inf off the diagonal")
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={k: float(_parallel(a, b)) if np.isfinite(b) else a for k, (a, b, _, _) in cases.items()},
        measured={"max rel err (floored)": max(errs.values()), "rows off": len(bad)},
        tolerance={"resistance": 4e-15, "subnormal floor": 4 * 2.0**-1074, "path variance": "exact",
                   "foster": 4e-15},
        why="a power-of-two rescaling is exact, so the float64 edges must give the closed form to rounding",
        sizes={"nodes": 2, "edges": 2},
        details="; ".join(bad[:6]) if bad else f"all routes within tolerance (max {max(errs.values()):.1e})",
        counterexample=None if ok else {"seed": ctx.seed, "variances": {k: c[:2] for k, c in cases.items()}},
    )


@claim(
    id="ibn.documented_edges_contract",
    statement="Documented boundaries hold at the boundary: hops_bfs accepts max_entries = S (3 N + 2 E) with E > 0 "
    "and refuses one less (SizeCapError naming 'n_nodes'); hp_edge_var returns 2^-1022 (beta = 2^512, p = 1/2) "
    "and refuses (PrecisionError) the next beta up, returns 3 * 2^1022 (beta = 2^-511, 'mle') and refuses 2^1024 "
    "(beta = 2^-511, p = 1/2); effective_resistance refuses edges or variances next to a networkx graph, and next "
    "to matrix= with an integer n_nodes (InvalidInputError naming 'edges, variances'), weight= / invert_weight= "
    "with arrays ('weight, invert_weight'), a matrix without matrix= ('matrix'), matrix= with an integer n_nodes "
    "and no edges ('n_nodes'), and accepts a graph with weight='w', invert_weight=False and a matrix with "
    "matrix='adjacency'; n_regime_A_limit accepts "
    "s2 = 0 and refuses s2 = -1e-300 (InvalidInputError naming 's2').",
    source=[Source(key="qiu2024reward", where="failure contract, docs/DESIGN.md §7")],
    provenance="M",
    kind="contract",
    tolerance="exact: each documented boundary on its documented side",
    rice={"R"},
    stage="forward:feedback",
)
def check_documented_edges_contract(ctx: Context) -> Evidence:
    """Predicted: each row's documented outcome (the cap computed here from the docstring formula); measured: the
    call's outcome. No tolerance: a boundary is on one side or the other."""
    import networkx as nx

    from aligntheory.errors import InvalidInputError as IIE
    from aligntheory.errors import PrecisionError, SizeCapError
    from aligntheory.kernels.ibn import hops_bfs
    from aligntheory.theory.ibn import StructuralFunction, effective_resistance, hp_edge_var, n_regime_A_limit

    F = StructuralFunction("poly", 1.0, 1.0)
    N, E = 4, np.array([[0, 1], [1, 2], [2, 3]])
    src = np.array([0, 3])
    cap = len(src) * (3 * N + 2 * len(E))  # documented S (3 N + 2 E) = 36
    g = nx.path_graph(3)
    nx.set_edge_attributes(g, 1.0, "var")
    nx.set_edge_attributes(g, 2.0, "w")
    beta_past = float(np.nextafter(2.0**512, np.inf))
    rows = [
        ContractCase(f"hops_bfs max_entries = S(3N + 2E) = {cap} accepted",
                     lambda: np.asarray(hops_bfs(N, E, None, src, max_entries=cap))),
        ContractCase(f"hops_bfs max_entries = {cap - 1} refused",
                     lambda: hops_bfs(N, E, None, src, max_entries=cap - 1), (SizeCapError, "n_nodes")),
        ContractCase("hp_edge_var = 2^-1022 (smallest normal) accepted",
                     lambda: hp_edge_var(2.0**512, feedback="binary", p=0.5)),
        ContractCase("hp_edge_var below 2^-1022 (beta one ulp past 2^512) refused",
                     lambda: hp_edge_var(beta_past, feedback="binary", p=0.5), (PrecisionError, None)),
        ContractCase("hp_edge_var = 3 * 2^1022 (beta = 2^-511, 'mle') accepted",
                     lambda: hp_edge_var(2.0**-511, feedback="continuous", estimator="mle")),
        ContractCase("hp_edge_var = 2^1024 (beta = 2^-511, p = 1/2) refused",
                     lambda: hp_edge_var(2.0**-511, feedback="binary", p=0.5), (PrecisionError, None)),
        ContractCase("effective_resistance(networkx graph, variances=...) refused",
                     lambda: effective_resistance(g, variances=[1.0, 1.0]), (IIE, "edges, variances")),
        ContractCase("effective_resistance(networkx graph, edges=...) refused",
                     lambda: effective_resistance(g, [[0, 1], [1, 2]]), (IIE, "edges, variances")),
        ContractCase("effective_resistance(3, edges, variances, matrix='adjacency') refused",
                     lambda: effective_resistance(3, [[0, 1], [1, 2]], variances=[1.0, 1.0], matrix="adjacency"),
                     (IIE, "edges, variances")),
        ContractCase("effective_resistance(networkx graph) accepted",
                     lambda: np.asarray(effective_resistance(g))),
        ContractCase("effective_resistance(arrays, weight='w') refused (weight applies to networkx graphs only)",
                     lambda: effective_resistance(3, [[0, 1], [1, 2]], variances=[1.0, 1.0], weight="w"),
                     (IIE, "weight, invert_weight")),
        ContractCase("effective_resistance(arrays, invert_weight=False) refused",
                     lambda: effective_resistance(3, [[0, 1], [1, 2]], variances=[1.0, 1.0], invert_weight=False),
                     (IIE, "weight, invert_weight")),
        ContractCase("effective_resistance(networkx graph, weight='w', invert_weight=False) accepted",
                     lambda: np.asarray(effective_resistance(g, weight="w", invert_weight=False))),
        ContractCase("effective_resistance(numpy matrix) without matrix= refused",
                     lambda: effective_resistance(np.array([[0.0, 1.0], [1.0, 0.0]])), (IIE, "matrix")),
        ContractCase("effective_resistance(3, matrix='adjacency') refused: n_nodes is not a matrix",
                     lambda: effective_resistance(3, matrix="adjacency"), (IIE, "n_nodes")),
        ContractCase("effective_resistance(numpy matrix, matrix='adjacency') accepted",
                     lambda: np.asarray(effective_resistance(np.array([[0.0, 1.0], [1.0, 0.0]]), matrix="adjacency"))),
        ContractCase("n_regime_A_limit s2 = 0 accepted (inf: never leaves regime A)",
                     lambda: n_regime_A_limit(F, 0.0) == np.inf),
        ContractCase("n_regime_A_limit s2 = -1e-300 refused", lambda: n_regime_A_limit(F, -1e-300), (IIE, "s2")),
    ]
    return contract_evidence(rows)


def _n_A_exact(regime: str, I: float, alpha: float, s: float) -> float:
    """n_A = m0 ln m0 / 2 with m0 = F^-1(s) from the closed-form inverse of each regime, mpmath at 50 digits."""
    import mpmath

    with mpmath.workdps(50):
        u = (mpmath.mpf(I) / mpmath.mpf(s)) ** (1 / mpmath.mpf(alpha))  # poly: M^alpha; log: 1 + ln M; ...
        m0 = {"poly": u, "log": mpmath.exp(u - 1), "sublog": mpmath.exp(mpmath.exp(u - 1) - 1)}[regime]
        return float(m0 * mpmath.log(m0) / 2)


@claim(
    id="ibn.regime_A_limit_table",
    statement="n_regime_A_limit(F, s2) = m0 ln(m0) / 2 with m0 = F^-1(s2) for the three regimes (poly: "
    "(I/s2)^(1/alpha); log: exp((I/s2)^(1/alpha) - 1); sublog: exp(exp((I/s2)^(1/alpha) - 1) - 1)), is inf at "
    "s2 = 0, 0 exactly for s2 >= I (s2 = I and 2 I), and within 1e-15 of 0 one ulp below I (alpha = 1e6).",
    source=[Source(key="qiu2024reward", where="regime A boundary (ours), spec ibn.md §2.8")],
    provenance="R",
    kind="theorem",
    tolerance="1e-12 relative for m0 >= 1.5; 1e-8 relative one step (2^-20) below s2 = I; 1e-15 absolute one ulp "
    "below I; 0 / inf exact",
    rice={"R"},
    stage="forward:feedback",
)
def check_regime_A_limit_table(ctx: Context) -> Evidence:
    """Predicted: the closed-form inverse of each regime written here, evaluated with mpmath at 50 digits from the
    float arguments. Measured: ``n_regime_A_limit``. The library's m0 carries a few roundings amplified by at most
    ``u e^(u-1)`` (sublog, u <= 4: ~1e-14 relative), and ``m0 ln m0`` adds ``1/ln m0`` (<= 2.5 for m0 >= 1.5):
    1e-12 leaves a margin of ~30. Just below s2 = I, m0 - 1 ~ 2^-20/alpha cancels: relative error up to
    eps 2^20 ~ 2.3e-10, so 1e-8 there. I, alpha and u come from ``ctx.rng``."""
    from aligntheory.theory.ibn import StructuralFunction, n_regime_A_limit

    rng = ctx.rng(83)
    bad, n_rows, worst = [], 0, 0.0
    for regime in ("poly", "log", "sublog"):
        for alpha in (0.5, 1.0, 2.0, float(rng.uniform(0.3, 3.0))):
            I = float(rng.uniform(0.5, 3.0))
            F = StructuralFunction(regime, I, alpha)
            rows = [(I * float(u) ** -alpha, 1e-12) for u in (1.5, 2.0, *rng.uniform(1.5, 4.0, 2))]
            rows.append((I * (1.0 - 2.0**-20), 1e-8))
            for s, tol in rows:
                got, pred = n_regime_A_limit(F, s), _n_A_exact(regime, I, alpha, s)
                err = abs(got - pred) / pred
                worst = max(worst, err / tol)
                n_rows += 1
                if not err <= tol:
                    bad.append(f"{regime} I={I:.4g} alpha={alpha:.4g} s2={s:.6g}: got {got!r}, predicted {pred!r}")
            # one ulp below I with alpha = 1e6: n_A ~ 1e-22, and m0 rounds to 1 (documented 0.0): absolute 1e-15
            # (m0 carries an absolute error <= eps near 1, so n_A ~ (m0 - 1)/2 one of <= eps)
            s1 = float(np.nextafter(I, 0.0))
            got1 = n_regime_A_limit(StructuralFunction(regime, I, 1e6), s1)
            n_rows += 1
            if not abs(got1 - _n_A_exact(regime, I, 1e6, s1)) <= 1e-15:
                bad.append(f"{regime} alpha=1e6 s2=nextafter(I, 0): got {got1!r}, predicted ~0 (abs 1e-15)")
            for s, want in ((I, 0.0), (2.0 * I, 0.0), (0.0, float("inf"))):
                got = n_regime_A_limit(F, s)
                n_rows += 1
                if got != want:
                    bad.append(f"{regime} s2={s!r}: got {got!r}, predicted {want!r} exactly")
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"rows": n_rows},
        measured={"rows off": len(bad), "worst err / tolerance": worst},
        tolerance={"m0 >= 1.5": 1e-12, "s2 = I (1 - 2^-20)": 1e-8, "edges": "exact"},
        why="n_A is an explicit function of the closed-form inverse of F",
        sizes={"rows": n_rows},
        details="; ".join(bad[:6]) if bad else f"{n_rows} rows; worst err/tol {worst:.2g}",
        counterexample=None if ok else {"seed": ctx.seed, "first": bad[:3]},
    )
