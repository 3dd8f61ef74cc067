"""Social-choice claims of issue #11, round 11: the multiclass bounds' arbitrary-precision routes.

``social_choice.multiclass_bounds_beyond_float_range`` -- :func:`~aligntheory.theory.social_choice.natarajan_deviation`
(G4) and :func:`~aligntheory.theory.social_choice.product_class_deviation` (G6) at sizes where
:math:`d_N\\ln(Nk^2)` or :math:`Q\\ln 2` leaves the float64 range (``nat_dim``, ``n_issues`` Python integers
beyond :math:`2^{1000}`), against their formulas evaluated here with :mod:`decimal` at 50 digits. The library takes
an mpmath route there, which a trace of the claims at session 15's code showed no claim running.
"""

from __future__ import annotations

import math
from decimal import Decimal, localcontext

import numpy as np

from aligntheory.proofs_check._helpers import rel_err
from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim

__all__: list[str] = []

_SSBD = Source(key="shalevshwartz2014understanding", where="Lemma 29.4 (Natarajan), Thm 26.5, Cor. 4.6")


def _natarajan(n: int, dn: int, k: int, delta: float) -> float:
    """2 sqrt(2 (d_N ln N + 2 d_N ln k) / N) + sqrt(ln(2 / delta) / (2 N)), in decimal at 50 digits."""
    with localcontext() as c:
        c.prec = 50
        N, D, K = Decimal(n), Decimal(dn), Decimal(k)
        a = 2 * (2 * D * (N.ln() + 2 * K.ln()) / N).sqrt()
        b = ((Decimal(2) / Decimal(delta)).ln() / (2 * N)).sqrt()
        return float(a + b)


def _product(n: int, q: int, delta: float) -> float:
    """sqrt((Q ln 2 + ln(2 / delta)) / (2 N)), in decimal at 50 digits."""
    with localcontext() as c:
        c.prec = 50
        N, Q = Decimal(n), Decimal(q)
        return float(((Q * Decimal(2).ln() + (Decimal(2) / Decimal(delta)).ln()) / (2 * N)).sqrt())


@claim(
    id="social_choice.multiclass_bounds_beyond_float_range",
    statement="natarajan_deviation(N, d_N, k, delta) = 2 sqrt(2 (d_N ln N + 2 d_N ln k) / N) + sqrt(ln(2/delta) / "
    "(2N)) and product_class_deviation(N, Q, delta) = sqrt((Q ln 2 + ln(2/delta)) / (2N)) also for d_N and Q "
    "beyond 2^1000 (Python integers), where d_N ln(N k^2) and Q ln 2 leave the float64 range but the bounds do not.",
    source=[_SSBD],
    provenance="M",
    kind="theorem",
    tolerance="relative 1e-14 (the library evaluates in mpmath at 30 digits and rounds once to float64; decimal at "
    "50 digits here)",
    rice={"R"},
    stage="backward:governance",
)
def check_multiclass_bounds_beyond_float_range(ctx: Context) -> Evidence:
    """Predicted: the two formulas in :mod:`decimal`; measured: the two public bounds. Sizes drawn per seed
    (exponents 302 to 600, ratios N : d_N and N : Q between 1 and 1000)."""
    from aligntheory.theory.social_choice import natarajan_deviation, product_class_deviation

    rng = ctx.rng(1112)
    rows, bad = {}, []
    cases = [(10**398, 10**400, 3, 0.05), (2**1000, 2**1000, 2, 0.01)]
    e = int(rng.integers(302, 600))
    dn = 10**e + int(rng.integers(0, 10**6))
    cases.append((dn // int(rng.integers(1, 1000)), dn, int(rng.integers(2, 50)), float(rng.uniform(1e-6, 0.5))))
    for n, d_n, k, delta in cases:
        got = float(natarajan_deviation(n, d_n, k, delta))
        want = _natarajan(n, d_n, k, delta)
        err = rel_err(got, want, floor=1e-300)
        rows[f"natarajan_deviation(N ~ 2^{n.bit_length()}, d_N ~ 2^{d_n.bit_length()}, k={k})"] = err
        if not err <= 1e-14:
            bad.append(f"natarajan_deviation(N={n:.3e}, d_N={d_n:.3e}, k={k}, delta={delta}): {got!r} vs {want!r}")
    pcases = [(10**399, 10**400, 0.05), (2**1000, 2**1000, 0.1)]
    q = 10**e + int(rng.integers(0, 10**6))
    pcases.append((q // int(rng.integers(1, 1000)), q, float(rng.uniform(1e-6, 0.5))))
    for n, q_, delta in pcases:
        got = float(product_class_deviation(n, q_, delta))
        want = _product(n, q_, delta)
        err = rel_err(got, want, floor=1e-300)
        rows[f"product_class_deviation(N ~ 2^{n.bit_length()}, Q ~ 2^{q_.bit_length()})"] = err
        if not err <= 1e-14:
            bad.append(f"product_class_deviation(N={n:.3e}, Q={q_:.3e}, delta={delta}): {got!r} vs {want!r}")
    return Evidence(
        verdict=Verdict.of(not bad),
        predicted="the G4 and G6 formulas in decimal (50 digits)",
        measured={"rel_err": rows},
        tolerance=1e-14,
        why="both sides carry far more digits than float64 before one final rounding",
        sizes={"rows": len(rows)},
        details="; ".join(bad) if bad else f"worst relative error {max(rows.values()):.1e}",
        counterexample={"seed": ctx.seed, "failures": bad} if bad else None,
    )


@claim(
    id="social_choice.population_welfare_correctly_rounded",
    statement="population_welfare(D, u, q, F) is, for every policy f, the correctly rounded value of the exact "
    "sum sum_x D(x) u_x(f(q_x)) of the float inputs: bit-identical to that sum formed in exact rationals and "
    "rounded once, as documented (also with products below 2^-960, which take the exact-rational route).",
    source=[Source(key="qiu2024representative", where="population welfare; spec social_choice.md §2.2")],
    provenance="R",
    kind="theorem",
    tolerance="exact: every returned float equals float(Fraction sum) (the documented correct rounding)",
    rice={"R"},
    stage="backward:governance",
)
def check_population_welfare_correctly_rounded(ctx: Context) -> Evidence:
    """Predicted: ``float(sum(Fraction(D(x)) * Fraction(u)))`` per policy, written here; measured:
    ``population_welfare`` on random weights and utilities (200 policies, 12 pairs, 3 issues, 3 outcomes),
    and on a table with utilities of 2^-1000 beside ordinary ones."""
    from fractions import Fraction

    from aligntheory.theory.social_choice import population_welfare

    rng = ctx.rng(1115)
    n, Q, k, nf = 12, 3, 3, 200
    bad, rows = [], {}
    for label, scale in (("ordinary", 1.0), ("tiny products", 2.0**-1000)):
        w = rng.dirichlet(np.ones(n))
        w[-1] = 1.0 - math.fsum(w[:-1])  # sums to 1 within an ulp
        util = rng.random((n, k))
        if scale != 1.0:
            util[::3] *= scale
        issue = rng.integers(0, Q, n)
        pol = rng.integers(0, k, (nf, Q))
        got = population_welfare(w, util, issue, pol)
        want = np.array([float(sum((Fraction(float(w[x])) * Fraction(float(util[x, pol[f, issue[x]]]))
                                    for x in range(n)), Fraction(0))) for f in range(nf)])
        diff = int(np.sum(got != want))
        rows[label] = {"policies": nf, "not bit-identical": diff}
        if diff:
            f = int(np.flatnonzero(got != want)[0])
            bad.append(f"{label}: {diff} of {nf} values differ from the correctly rounded sum (policy {f}: "
                       f"{got[f]!r} vs {want[f]!r})")
    return Evidence(
        verdict=Verdict.of(not bad),
        predicted="the exact rational sum, rounded once",
        measured=rows,
        tolerance="bit-identical",
        why="the documented contract is correct rounding; any error in the two-product or the summation shows as "
        "a last-bit difference in some of the 200 policies",
        sizes={"pairs": n, "policies": nf},
        details="; ".join(bad) if bad else "every value is the correctly rounded exact sum",
        counterexample={"seed": ctx.seed, "failures": bad} if bad else None,
    )
