"""Round-8 claims (issue 11): pins found by the fifth fresh mutation sample (docs/mutation-report/fresh-r7)."""

from __future__ import annotations

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
