"""Round-8 claims (issue 11): pins found by the fifth fresh mutation sample (docs/mutation-report/fresh-r7)."""

from __future__ import annotations

import numpy as np

from aligntheory.proofs_check._helpers import rel_err
from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim

__all__: list[str] = []


@claim(
    id="safety.smoothness_constant_bound_object",
    statement="smoothness_constant(c, beta) (our B-T2) returns an upper Bound whose value and whose closed form "
    "expr = (c_max - c_min)^2 / (4 beta), evaluated at its own subs {c_max, c_min, beta}, both equal "
    "(max c - min c)^2 / (4 beta); a single cost gives exactly 0; the range is halved before squaring, so "
    "c = +-1.2e154 with beta = 1 gives 1.44e308 (the square of the range itself would overflow) while c = +-1.4e154 "
    "(1.96e308) raises PrecisionError.",
    source=[Source(key="boyd2004convex", where="Popoviciu's inequality; our B-T2")],
    provenance="M",
    kind="theorem",
    tolerance="relative 1e-13 (value: two products of O(1) numbers, a few ulp; expr: sympy Floats at 53-bit "
    "precision); the single-cost value 0 and the PrecisionError exactly",
    rice={"C"},
    stage="backward:assurance",
)
def check_smoothness_constant_bound_object(ctx: Context) -> Evidence:
    """Predicted: (max c - min c)^2 / (4 beta) written here, in numpy (halving first where it would overflow).

    Measured: :func:`smoothness_constant` -- its ``value`` and its ``sympy()`` expression substituted at
    its ``subs``, on random costs of both signs (range and beta kept away from 1 and min c from 0, so a
    wrong power, sign or factor of the closed form shows), a single cost and the two overflow rows.
    """
    from aligntheory.errors import PrecisionError
    from aligntheory.theory.safety import smoothness_constant

    rng = ctx.rng(808)
    bad: list[str] = []
    rows = []
    for _ in range(ctx.pick(quick=4, full=16)):
        n = int(rng.integers(2, 7))
        c = rng.uniform(-3.0, 3.0, size=n)
        c[0], c[1] = -rng.uniform(0.5, 3.0), rng.uniform(0.5, 3.0)  # min c < -0.5, max c > 0.5: range > 1
        c = c * rng.choice([1.0, 3.0])                           # ranges in (1, 6) and (3, 18), never 1
        beta = float(rng.choice([0.3, 2.5]) * rng.uniform(1.0, 1.5))  # beta^2 != 1
        rows.append((c, beta, float((c.max() - c.min()) ** 2 / (4.0 * beta))))
    rows.append((np.array([3.0]), 0.7, 0.0))
    rows.append((np.array([-1.2e154, 1.2e154]), 1.0, 1.44e308))
    worst = 0.0
    for c, beta, want in rows:
        B = smoothness_constant(c, beta)
        expr = B.sympy()
        expr_val = float(expr.subs({sym: B.subs[sym.name] for sym in expr.free_symbols}))
        if B.kind != "upper" or set(B.subs) != {"c_max", "c_min", "beta"}:
            bad.append(f"c={c.tolist()}: kind {B.kind!r}, subs {B.subs!r}")
        if (B.subs["c_max"], B.subs["c_min"], B.subs["beta"]) != (float(c.max()), float(c.min()), beta):
            bad.append(f"c={c.tolist()}: subs {B.subs!r}")
        e = max(rel_err(B.value, want, floor=1e-300), rel_err(expr_val, want, floor=1e-300))
        if want == 0.0:
            e = 0.0 if (B.value == 0.0 and expr_val == 0.0) else float("inf")
        worst = max(worst, e)
        if not e <= 1e-13:
            bad.append(f"c={c.tolist()}, beta={beta}: value {B.value!r}, expr at subs {expr_val!r}, predicted {want!r}")
    try:
        got = smoothness_constant([-1.4e154, 1.4e154], 1.0)
        bad.append(f"c = +-1.4e154: returned {got!r}, expected PrecisionError ((2.8e154)^2 / 4 > float max)")
    except PrecisionError:
        pass
    return Evidence(
        verdict=Verdict.PASS if not bad else Verdict.FAIL,
        predicted={"(max c - min c)^2 / (4 beta)": [w for _, _, w in rows], "c = +-1.4e154": "PrecisionError"},
        measured={"worst relative error (value, expr at subs)": worst, "mismatches": bad[:6]},
        tolerance="relative 1e-13; exact for the single cost and the overflow row",
        why="both the value and the closed form are products of a handful of O(1) floats (a few ulp)",
        sizes={"rows": len(rows)},
        details="; ".join(bad[:6]) or f"{len(rows)} rows: value and closed form match (worst {worst:.1e})",
    )
