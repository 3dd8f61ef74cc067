"""Elasticity claims of issue #11, round 11: closed forms whose sympy expressions no claim evaluated.

``elasticity.closed_forms_value_and_expression`` -- :func:`~aligntheory.theory.elasticity.zipf_entropy_limit` against
the entropy summed as a series here (mpmath ``nsum`` by Euler--Maclaurin summation of :math:`p_i\\ln(1/p_i)`, :math:`p_i=i^{-s}/\\zeta(s)` with
:math:`\\zeta(s)=\\sum_i i^{-s}` summed as well), and its ``.sympy()`` expression against
:math:`\\log\\zeta(s)-s\\zeta'(s)/\\zeta(s)` written here (symbolic difference 0);
:func:`~aligntheory.theory.elasticity.paper_block_code_length` against :math:`\\lceil|x|/d\\rceil\\lceil H\\rceil` in
integers, and its expression evaluated at its ``subs``. A trace of the claims run at session 15's code showed that
no claim evaluated the two expressions (seven mutation sites).
"""

from __future__ import annotations

import math

import mpmath
import sympy as sp

from aligntheory.proofs_check._helpers import rel_err
from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim

__all__: list[str] = []


def _zipf_entropy_series(s: float) -> float:
    """Entropy (nats) of Zipf(s), M -> infinity, by summing the series (mpmath.nsum, Euler-Maclaurin, 30 digits)."""
    with mpmath.workdps(30):
        S = mpmath.mpf(s)
        # Euler-Maclaurin summation (the default Richardson/Shanks extrapolation misjudges the slowly decaying
        # i^-s ln i tail: 6e-4 off at s = 2)
        Z = mpmath.nsum(lambda i: i ** (-S), [1, mpmath.inf], method="euler-maclaurin")
        L = mpmath.nsum(lambda i: i ** (-S) * mpmath.log(i), [1, mpmath.inf], method="euler-maclaurin")  # -zeta'(s)
        return float(mpmath.log(Z) + S * L / Z)


@claim(
    id="elasticity.closed_forms_value_and_expression",
    statement="zipf_entropy_limit(s) is the entropy sum_i p_i ln(1/p_i) of Zipf(s) (p_i = i^-s / zeta(s), M -> "
    "infinity) and its .sympy() is log(zeta(s)) - s zeta'(s) / zeta(s); paper_block_code_length(H, |x|, d) is "
    "ceil(|x| / d) ceil(H) and its .sympy() evaluates at its subs to that value.",
    source=[Source(key="ji2024language", where="Thm 3.4 as transcribed (spec elasticity.md §2.2 items 7-8)")],
    provenance="M",
    kind="theorem",
    tolerance="Zipf entropy: relative 1e-12 (nsum at 30 digits against scipy/mpmath zeta values, ~1e-15); the "
    "expressions: exact (symbolic difference 0; integers)",
    rice={"R"},
    stage="backward:assurance",
)
def check_closed_forms_value_and_expression(ctx: Context) -> Evidence:
    """Predicted: the series and the formulas written here; measured: the two public functions' values and
    ``.sympy()`` expressions. Exponents and sizes are drawn per seed."""
    from aligntheory.theory.elasticity import paper_block_code_length, zipf_entropy_limit

    rng = ctx.rng(1111)
    rows, bad = {}, []
    s_sym = sp.Symbol("s", positive=True)
    for s in (2.0, float(rng.uniform(1.5, 4.0))):
        b = zipf_entropy_limit(s)
        want = _zipf_entropy_series(s)
        e = rel_err(float(b), want, floor=1e-300)
        rows[f"zipf_entropy_limit({s:.6g})"] = e
        if not e <= 1e-12:
            bad.append(f"zipf_entropy_limit({s}): {float(b)!r} vs the series {want!r}")
        ex = b.sympy()
        (sym,) = ex.free_symbols
        form = sp.log(sp.zeta(s_sym)) - s_sym * sp.diff(sp.zeta(s_sym), s_sym) / sp.zeta(s_sym)
        if sp.simplify(ex.subs(sym, s_sym) - form) != 0 or b.subs != {"s": s}:
            bad.append(f"zipf_entropy_limit({s}).sympy() = {ex} (subs {b.subs}), not {form}")
    for H, n_tok, d in ((3.2, 10, 3), (0.0, 0, 1), (7.0, 12, 4), (float(rng.uniform(0.1, 9.0)),
                                                                 int(rng.integers(1, 200)), int(rng.integers(1, 9)))):
        b = paper_block_code_length(H, n_tok, d)
        want = -(-n_tok // d) * math.ceil(H)
        ex = b.sympy()
        at = ex.subs({x: b.subs[x.name] for x in ex.free_symbols})
        rows[f"paper_block_code_length{(H, n_tok, d)}"] = [float(b), int(at), want]
        if not (float(b) == want and at == want):
            bad.append(f"paper_block_code_length{(H, n_tok, d)}: value {float(b)}, expression at subs {at}, want {want}")
    return Evidence(
        verdict=Verdict.of(not bad),
        predicted="the entropy series (mpmath nsum) and the formulas written here",
        measured=rows,
        tolerance={"zipf_relative": 1e-12, "expressions": "exact"},
        why="nsum at 30 digits is far more accurate than float64; the code lengths are integers",
        sizes={"rows": len(rows)},
        details="; ".join(bad) if bad else f"{len(rows)} rows agree",
        counterexample={"seed": ctx.seed, "failures": bad} if bad else None,
    )
