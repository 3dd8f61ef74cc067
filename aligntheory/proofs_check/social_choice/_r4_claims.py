"""Social choice claims of issue #11, round 4 (survivors of the fresh mutation sample).

* ``social_choice.finite_sample_sizes_beyond_float`` --
  :func:`~aligntheory.theory.social_choice.finite_class_sample_size` and
  :func:`~aligntheory.theory.social_choice.erm_regret_sample_size` beyond :math:`2^{50}` samples
  (their arbitrary-precision path) against the ceiling of the closed form evaluated here with
  Python's :mod:`decimal` module (a route that shares no code with the library's mpmath one).
"""

from __future__ import annotations

import decimal
import math

from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim

_SSBD = Source(key="shalevshwartz2014understanding", where="Cor 4.6 solved for N")


def _ceil_closed_form(factor: float, class_size: int, delta: float, eps: float) -> int:
    """ceil(factor (ln|F| + ln 2 - ln delta) / eps^2) in decimal arithmetic with 60 more digits than N has.

    The floats eps and delta are converted exactly (``Decimal(float)`` is exact), so the only error is
    the decimal rounding at ``prec`` digits, 1e-60 relative to N: the ceiling is exact unless the real
    value lies within 1e-60 N of an integer (a transcendental number, never met in practice).
    """
    digits = int(2 * -math.log10(eps)) + 10 + 60
    with decimal.localcontext() as ctx:
        ctx.prec = digits
        D = decimal.Decimal
        log_f = D(class_size).ln()
        val = D(factor) * (log_f + D(2).ln() - D(delta).ln()) / (D(eps) * D(eps))
        return int(val.to_integral_value(rounding=decimal.ROUND_CEILING))


def _short(n: int) -> str:
    """An integer of any size as its first 16 digits and its digit count."""
    t = str(n)
    return t if len(t) <= 20 else f"{t[0]}.{t[1:16]}e{len(t) - 1}"


@claim(
    id="social_choice.finite_sample_sizes_beyond_float",
    statement="Beyond 2^50 samples finite_class_sample_size(eps, F, delta) = ceil((ln F + ln(2/delta)) / (2 eps^2)) "
    "and erm_regret_sample_size(eps, F, delta) = ceil(2 (ln F + ln(2/delta)) / eps^2) exactly (the least N with "
    "eps_fin(N) <= eps, resp. 2 eps_fin(N) <= eps), for eps down to 1e-150.",
    source=[_SSBD],
    provenance="M",
    kind="theorem",
    tolerance="exact (integers; the decimal reference carries 60 guard digits, so its ceiling is exact)",
    rice={"R"},
    stage="backward:governance",
)
def check_finite_sample_sizes_beyond_float(ctx: Context) -> Evidence:
    """Predicted: the ceiling of the closed form in :mod:`decimal` (60 guard digits).

    Measured: ``finite_class_sample_size`` and ``erm_regret_sample_size`` at eps = 10^U(-150, -9)
    (sample sizes 1e18 to 1e300, the library's mpmath path). Tolerance: exact; a wrong sign or
    constant in the library's high-precision numerator moves N by a factor, not by one.
    """
    from aligntheory.theory.social_choice import erm_regret_sample_size, finite_class_sample_size

    rng = ctx.rng(401)
    predicted, measured, bad = {}, {}, []
    for j in range(3):
        eps = float(10 ** rng.uniform(-150.0, -9.0))
        F = int(rng.integers(2, 10**6)) if j < 2 else 10 ** int(rng.integers(30, 400)) + 7  # a huge int class too
        dl = float(rng.uniform(0.01, 0.2))
        for name, fn, factor in (("G1", finite_class_sample_size, 0.5), ("G2", erm_regret_sample_size, 2.0)):
            key = f"{name} eps={eps:.3g} log10F={math.log10(F):.1f} delta={dl:.3f}"
            want = _ceil_closed_form(factor, F, dl, eps)
            got = int(fn(eps, F, dl))
            predicted[key], measured[key] = want, got
            if got != want:
                bad.append((key, _short(got), _short(want)))
    return Evidence(
        verdict=Verdict.of(not bad),
        predicted={k: _short(v) for k, v in predicted.items()},
        measured={k: _short(v) for k, v in measured.items()},
        tolerance="exact",
        why="integers; the reference is evaluated with 60 digits beyond N's own, so its ceiling is exact",
        sizes={"instances": 3, "functions": 2},
        details=f"mismatches (key, measured, predicted): {bad}" if bad else "all 6 sample sizes equal the closed form",
        counterexample=None if not bad else {"seed": ctx.seed, "mismatches": bad},
    )
