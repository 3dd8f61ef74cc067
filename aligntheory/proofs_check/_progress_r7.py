"""Round-7 claims (issue 11): pins found by the fourth fresh mutation sample (docs/mutation-report/fresh-r6).

``progress.noise_gain_closed_form`` -- :func:`~aligntheory.theory.progress.noise_gain` at horizon ``m = 1`` carries
the closed form it documents, ``binomial(2k + 2, k + 1) - 1`` in a nonnegative integer symbol ``k`` (compared
structurally with the expression written here), and that form evaluated at each order equals both the gain's
integer value and the sum of the squared exact Lagrange weights (Python fractions, written here). No claim called
``.sympy()`` on this bound before: a changed binomial argument in the closed form was invisible.

``progress.spectral_radius_closed_form`` -- :func:`~aligntheory.theory.progress.first_order_spectral_radius`'s value
and its closed form ``1 - alpha / (1 + kappa)`` (structurally, and evaluated at its substitutions) against exact
fractions, on kappa in (-1, 1].
"""

from __future__ import annotations

from fractions import Fraction

from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim

__all__: list[str] = []


def _sum_squared_weights(k: int, m: int) -> Fraction:
    """sum_j w_j^2 of the exact Lagrange weights of nodes 0..k evaluated at k + m (exact fractions)."""
    t, s = k + m, Fraction(0)
    for j in range(k + 1):
        num, den = 1, 1
        for i in range(k + 1):
            if i != j:
                num, den = num * (t - i), den * (j - i)
        s += Fraction(num, den) ** 2
    return s


@claim(
    id="progress.noise_gain_closed_form",
    statement="Our A-T4: noise_gain(k, 1).sympy() is the closed form binomial(2k + 2, k + 1) - 1 in a nonnegative "
    "integer symbol k, and it evaluates at k = 0..9 to int(noise_gain(k, 1)) = sum_j w_j^2 of the exact Lagrange "
    "extrapolation weights one step ahead.",
    source=[Source(key="qiu2024progressgym", where="extrapolative DPO/RLHF; our A-T4 (noise amplification)")],
    provenance="M",
    kind="theorem",
    tolerance="exact (sympy integers and Python fractions; the expression compared structurally)",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_noise_gain_closed_form(ctx: Context) -> Evidence:
    """Predicted: the expression ``binomial(2k + 2, k + 1) - 1`` built here, and the sum of squared weights in exact
    fractions. Measured: ``noise_gain(k, 1)``'s value and its ``.sympy()`` evaluated with ``subs`` at its own order.
    """
    import sympy as sp

    from aligntheory.theory.progress import noise_gain

    kk = sp.Symbol("k", integer=True, nonnegative=True)
    documented = sp.binomial(2 * kk + 2, kk + 1) - 1
    bad: list[dict] = []
    table = {}
    for k in range(10):
        b = noise_gain(k, 1)
        expr = b.sympy()
        at_k = expr.subs({s: b.subs[s.name] for s in expr.free_symbols})
        exact = _sum_squared_weights(k, 1)
        table[k] = {"value": int(b), "closed form at k": int(at_k) if at_k.is_Integer else str(at_k),
                    "weights": str(exact)}
        if expr != documented or not at_k.is_Integer or int(at_k) != exact or int(b) != exact:
            bad.append({"k": k, "expr": str(expr), **table[k]})
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"closed form": str(documented), "sum of squared weights": {k: v["weights"] for k, v in table.items()}},
        measured=table,
        tolerance="exact",
        why="integers: exact arithmetic on both sides",
        sizes={"orders": 10},
        counterexample=None if ok else {"mismatches": bad},
    )


@claim(
    id="progress.spectral_radius_closed_form",
    statement="Our A-T5(i): first_order_spectral_radius(alpha, kappa) is 1 - alpha / (1 + kappa), and its closed "
    "form .sympy() is that expression in real symbols alpha, kappa and evaluates at its own substitutions to the "
    "same number, on kappa in (-1, 1] (kappa = 1 included) and alpha in (0, 1).",
    source=[Source(key="qiu2024progressgym", where="copying-AI dynamics; our A-T5(i)")],
    provenance="M",
    kind="theorem",
    tolerance="relative 1e-14 with the floor 1 + alpha / (1 + kappa) (one division and one subtraction in float64, "
    "against exact fractions and 30-digit sympy: a few ulp of the terms, which can cancel); the expression compared "
    "structurally",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_spectral_radius_closed_form(ctx: Context) -> Evidence:
    """Predicted: 1 - alpha / (1 + kappa) in exact fractions of the drawn doubles, and the expression built here.
    Measured: the Bound's value and its ``.sympy()`` evaluated with its ``subs``."""
    import sympy as sp

    from aligntheory.proofs_check._helpers import rel_err
    from aligntheory.theory.progress import first_order_spectral_radius

    al, ka = sp.symbols("alpha kappa", real=True)
    documented = 1 - al / (1 + ka)
    rng = ctx.rng(705)
    pairs = [(float(rng.uniform(0.01, 0.99)), float(rng.uniform(-0.95, 1.0))) for _ in range(6)] + \
        [(float(rng.uniform(0.01, 0.99)), 1.0)]
    worst, bad = 0.0, []
    for a, kap in pairs:
        b = first_order_spectral_radius(a, kap)
        expr = b.sympy()
        pred = float(1 - Fraction(a) / (1 + Fraction(kap)))
        at = float(expr.evalf(30, subs={s: b.subs[s.name] for s in expr.free_symbols}))
        scale = 1.0 + a / (1.0 + kap)  # the size of the two terms: the difference can cancel to near 0
        e = max(rel_err(float(b), pred, floor=scale), rel_err(at, pred, floor=scale))
        worst = max(worst, e)
        if expr != documented or not e <= 1e-14:
            bad.append({"alpha": a, "kappa": kap, "value": float(b), "closed form": str(expr), "at subs": at,
                        "predicted": pred})
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"closed form": str(documented)},
        measured={"worst relative error": worst, "pairs": len(pairs)},
        tolerance="relative 1e-14; expression exact",
        why="two float64 operations against exact fractions",
        sizes={"pairs": len(pairs)},
        counterexample=None if ok else {"mismatches": bad},
    )
