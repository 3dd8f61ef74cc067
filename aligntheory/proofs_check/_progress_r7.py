"""Round-7 claims (issue 11): pins found by the fourth fresh mutation sample (docs/mutation-report/fresh-r6).

``progress.noise_gain_closed_form`` -- :func:`~aligntheory.theory.progress.noise_gain` at horizon ``m = 1`` carries
the closed form it documents, ``binomial(2k + 2, k + 1) - 1`` in a nonnegative integer symbol ``k`` (compared
structurally with the expression written here), and that form evaluated at each order equals both the gain's
integer value and the sum of the squared exact Lagrange weights (Python fractions, written here). No claim called
``.sympy()`` on this bound before: a changed binomial argument in the closed form was invisible.
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
