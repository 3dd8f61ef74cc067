"""Round-8 claims (issue 11): pins found by the fifth fresh mutation sample (docs/mutation-report/fresh-r7).

``progress.error_bound_correctly_rounded`` -- :func:`~aligntheory.theory.progress.extrapolation_error_bound` is the
exact product C(m + k, k + 1) M h^(k + 1) rounded once (60-digit mpmath), at the numerically hard places (h^(k + 1)
alone underflowing, log(bound) near -700, subnormal and zero results, MAX_ORDER, the float64 maximum and past it),
and its closed form. Before round 8 the value was 0.0 wherever h^(k + 1) alone underflowed (fixed).

``progress.optimal_order_tables`` -- :func:`~aligntheory.theory.progress.optimal_order`'s whole objective and
exact-MSE tables and their argmins against mpmath with exact weights, and its documented defaults by behaviour. The
earlier claim compared only the exact argmin with a Monte Carlo argmin.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim

__all__: list[str] = []

_TINY = 2.0**-1022  # smallest normal: below it float64 spacing is absolute (2^-1074)
_ULP = 2.0**-52


def _bound_rows(ctx: Context) -> list[tuple[int, int, float, float]]:
    """(order, steps_ahead, h, deriv_bound): fixed rows at the numerically hard places, then random ordinary ones."""
    rows = [
        (1, 1, 0.5, 2.0),  # the docstring's 0.5
        (1, 1, 1e-200, 1e300),  # h^2 alone underflows to 0; the bound is 1e-100
        (2, 1, 10.0**-201.3, 1e300),  # log(bound) about -700 (the old log-space branch point), h^3 underflows
        (0, 1, 2.0**-1000, 2.0**-9),  # log(bound) = -700.1 in log space: 2^-1009 exactly
        (0, 1, 1e-310, 1.0),  # a subnormal bound
        (3, 2, 1e-80, 7.0),  # 35 * 7 * 1e-320: subnormal, rounded once
        (1, 1, 1e-200, 1e-10),  # 1e-410: below the smallest subnormal, rounds to 0
        (0, 1, 1.0, 0.0),  # deriv_bound 0
        (200, 1, 0.5, 1.0),  # MAX_ORDER: C(201, 201) 2^-201
        (200, 3, 1.5, 1e-20),  # C(203, 201) 1.5^201 1e-20
        (10, 1000, 1e-3, 1e10),
        (0, 1, 1.0, float(np.finfo(np.float64).max)),  # exactly the float64 maximum: accepted
        (5, 7, 0.1, 4.0),
    ]
    rng = ctx.rng(801)
    for _ in range(6):
        rows.append((int(rng.integers(0, 13)), int(rng.integers(1, 21)), float(10 ** rng.uniform(-3, 0.3)),
                     float(10 ** rng.uniform(-5, 5))))
    return rows


@claim(
    id="progress.error_bound_correctly_rounded",
    statement="Our A-T3: extrapolation_error_bound(k, m, h, M) equals C(m + k, k + 1) M h^(k + 1) rounded once to "
    "float64 (to one ulp, subnormal results to one subnormal step), also where h^(k + 1) alone underflows, at "
    "log(bound) near -700, for subnormal bounds, below the smallest subnormal (0) and at order MAX_ORDER = 200; "
    "bounds past the float64 maximum raise PrecisionError and the maximum itself is accepted; its .sympy() is "
    "binomial(m + k, k + 1) M h^(k + 1) in positive symbols and evaluates at its substitutions to the same number.",
    source=[Source(key="qiu2024progressgym", where="extrapolative DPO/RLHF; our A-T3 (interpolation remainder)")],
    provenance="M",
    kind="theorem",
    tolerance="relative 2^-52 (one ulp) with the floor 2^-1022 (below it one subnormal step, 2^-1074, absolute), "
    "against 60-digit mpmath; the expression compared structurally",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_error_bound_correctly_rounded(ctx: Context) -> Evidence:
    """Predicted: C(m + k, k + 1) M h^(k + 1) in 60-digit mpmath (binomial and power there), rounded to float64;
    the closed form built here in sympy. Measured: ``extrapolation_error_bound``'s value, its refusal past the float64
    maximum and its ``.sympy()`` at its own ``subs``. Tolerance: the library documents a once-rounded value, so one
    ulp relative (2^-52), and one subnormal step absolute below 2^-1022 (floor = 2^-1022: 2^-52 * 2^-1022 =
    2^-1074).
    """
    import mpmath
    import sympy as sp

    from aligntheory.errors import PrecisionError
    from aligntheory.proofs_check._helpers import rel_err
    from aligntheory.theory.progress import extrapolation_error_bound

    kk, mm, hh, MM = sp.symbols("k m h M", positive=True)
    documented = sp.binomial(mm + kk, kk + 1) * MM * hh ** (kk + 1)
    rows = _bound_rows(ctx)
    bad: list[dict] = []
    worst = 0.0
    with mpmath.workdps(60):
        for i, (k, m, h, M) in enumerate(rows):
            exact = mpmath.binomial(m + k, k + 1) * mpmath.mpf(M) * mpmath.mpf(h) ** (k + 1)
            pred = float(exact)
            b = extrapolation_error_bound(k, m, h, M)
            e = rel_err(float(b), pred, floor=_TINY)
            if i < 3:  # the closed form, evaluated at its own substitutions (30 digits)
                expr = b.sympy()
                at = float(expr.evalf(30, subs={s: b.subs[s.name] for s in expr.free_symbols}))
                e = max(e, rel_err(at, pred, floor=_TINY))
                if expr != documented:
                    bad.append({"row": (k, m, h, M), "closed form": str(expr)})
            worst = max(worst, e)
            if not e <= _ULP or b.kind != "upper":
                bad.append({"row": (k, m, h, M), "value": float(b), "predicted": pred, "kind": b.kind})
    past = [(0, 1, 1.0 + 2.0**-52, float(np.finfo(np.float64).max)), (1, 1, 2.0**600, 2.0**-100),
            (200, 1, 1.5, 1e300)]
    for row in past:
        try:
            got = float(extrapolation_error_bound(*row))
        except PrecisionError:
            continue
        bad.append({"row": row, "expected": "PrecisionError (past the float64 maximum)", "value": got})
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"form": str(documented), "rows": len(rows), "refused past float64": len(past)},
        measured={"worst relative error (floor 2^-1022)": worst},
        tolerance="relative 2^-52, floor 2^-1022",
        why="the documented value is the exact product rounded once",
        sizes={"rows": len(rows)},
        counterexample=None if ok else {"mismatches": bad[:8]},
    )


def _gain(k: int, m: int) -> Fraction:
    """sum_j w_j^2 of the exact Lagrange weights (nodes 0..k, evaluated at k + m)."""
    return sum((w * w for w in _weights(k, m)), Fraction(0))


def _weights(k: int, m: int) -> list[Fraction]:
    t, out = k + m, []
    for j in range(k + 1):
        num, den = 1, 1
        for i in range(k + 1):
            if i != j:
                num, den = num * (t - i), den * (j - i)
        out.append(Fraction(num, den))
    return out


@claim(
    id="progress.optimal_order_tables",
    statement="Our A-T4: optimal_order's objective table is bound[k] = (C(m + k, k + 1) M_{k+1} h^(k+1))^2 + sigma^2 "
    "||w_k||^2 and its exact-MSE table (f = exp) is (f(t_n + m h) - w_k . f(t_n - (k..0) h))^2 + sigma^2 ||w_k||^2 "
    "for every order k = 0..max_order, with deriv_bounds given as a callable or as a sequence; order and exact_order "
    "are their argmins (ties to the smaller order: all-zero objectives give order 0); and the documented defaults "
    "steps_ahead = 1, max_order = 10, t_last = 0.0 give the same tables as the explicit values.",
    source=[Source(key="qiu2024progressgym", where="extrapolative DPO/RLHF; our A-T4 (optimal order)")],
    provenance="M",
    kind="theorem",
    tolerance="bound: relative 1e-13 (at most 2k + 6 float64 roundings); exact MSE: relative 1e-12 with the floor "
    "2 r d + d^2, d = 4 (k + 2) eps (|f(t_n + m h)| + sum_j |w_j f_j|), r the predicted residual (the residual is a "
    "cancelling float64 sum); defaults bit-identical",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_optimal_order_tables(ctx: Context) -> Evidence:
    """Predicted: both tables in 40-digit mpmath with exact Fraction weights written here, and their argmins.
    Measured: ``optimal_order``'s ``bound``, ``exact_mse``, ``order``, ``exact_order``; the default call against the
    explicit one."""
    import math

    import mpmath

    from aligntheory.proofs_check._helpers import rel_err
    from aligntheory.theory.progress import optimal_order

    eps = float(np.finfo(np.float64).eps)
    rng = ctx.rng(802)
    t_last = float(rng.uniform(-0.5, 0.5))
    kmax = 6
    bad: list[dict] = []
    worst_b = worst_e = 0.0
    cases = [(h, s, m, seq) for h in (0.25, 0.5) for s in (0.01, 0.0) for m in (1, 2) for seq in (False, True)]
    with mpmath.workdps(40):
        for h, sigma, m, seq in cases:
            Ms = [math.exp(m * h + 0.1 * j) for j in range(kmax + 2)]
            db = Ms if seq else (lambda j, Ms=Ms: Ms[j])
            oc = optimal_order(h, sigma, db, steps_ahead=m, max_order=kmax, f=np.exp, t_last=t_last)
            pb, pe = [], []
            for k in range(kmax + 1):
                g = _gain(k, m)
                b = mpmath.binomial(m + k, k + 1) * mpmath.mpf(Ms[k + 1]) * mpmath.mpf(h) ** (k + 1)
                noise = mpmath.mpf(sigma) ** 2 * mpmath.mpf(g.numerator) / g.denominator
                pb.append(float(b * b + noise))
                t = [t_last - h * float(k - j) for j in range(k + 1)]
                fv = [mpmath.mpf(float(np.exp(x))) for x in t]
                target = mpmath.mpf(float(np.exp(np.array([t_last + m * h]))[0]))
                w = _weights(k, m)
                r = target - mpmath.fsum(mpmath.mpf(x.numerator) / x.denominator * y for x, y in zip(w, fv))
                pe.append(float(r * r + noise))
                d = 4 * (k + 2) * eps * (abs(float(target)) + float(sum(abs(float(x)) * float(y) for x, y in zip(w, fv))))
                e_e = rel_err(float(oc.exact_mse[k]), pe[k], floor=(2 * abs(float(r)) * d + d * d) / 1e-12)
                e_b = rel_err(float(oc.bound[k]), pb[k])
                worst_b, worst_e = max(worst_b, e_b), max(worst_e, e_e)
                if not (e_b <= 1e-13 and e_e <= 1e-12):
                    bad.append({"case": (h, sigma, m, seq), "k": k, "bound": float(oc.bound[k]), "predicted": pb[k],
                                "exact": float(oc.exact_mse[k]), "predicted exact": pe[k]})
            if oc.bound.shape != (kmax + 1,) or oc.order != int(np.argmin(pb)) or oc.exact_order != int(np.argmin(pe)):
                bad.append({"case": (h, sigma, m, seq), "order": oc.order, "predicted": int(np.argmin(pb)),
                            "exact_order": oc.exact_order, "predicted exact": int(np.argmin(pe))})
    zero = optimal_order(0.5, 0.0, [0.0] * 5, 1, 3)  # every objective 0: the tie goes to order 0
    if zero.order != 0 or zero.bound.tolist() != [0.0] * 4:
        bad.append({"all-zero objective": zero.bound.tolist(), "order": zero.order})
    Ms12 = [1.5**j for j in range(12)]
    dflt = optimal_order(0.3, 0.02, Ms12, f=np.exp)
    expl = optimal_order(0.3, 0.02, Ms12, steps_ahead=1, max_order=10, f=np.exp, t_last=0.0)
    same = (np.array_equal(dflt.bound, expl.bound) and np.array_equal(dflt.exact_mse, expl.exact_mse)
            and (dflt.order, dflt.exact_order) == (expl.order, expl.exact_order))
    if not same:
        bad.append({"defaults": "differ from steps_ahead = 1, max_order = 10, t_last = 0.0"})
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"cases": len(cases), "orders per case": kmax + 1},
        measured={"worst bound relative error": worst_b, "worst exact-MSE relative error": worst_e,
                  "defaults identical": same},
        tolerance="bound 1e-13; exact 1e-12 with the cancellation floor; defaults bit-identical",
        why="a few float64 operations against 40-digit mpmath and exact weights",
        sizes={"cases": len(cases), "max_order": kmax},
        counterexample=None if ok else {"mismatches": bad[:8]},
    )
