"""Decision rules of the empirical elasticity claims (spec ``elasticity.md`` §4.2, issue 11).

Two rules, both fixed before any run:

* :func:`decide_rate` -- the spec's per-seed criterion: ``n_met`` of ``n`` seeds meet it; PASS when
  ``n_met >= 0.8 n`` with ``n >= 5``, CONTRADICTED when the 95 % Clopper--Pearson interval of the
  rate lies below 0.8, INCONCLUSIVE otherwise (used by ``rebound_two_phase`` and
  ``rebound_dose_response``);
* :func:`decide_effect` -- a directional hypothesis about a per-seed effect (a paired difference or
  a per-seed rank correlation), decided from its mean and standard error over the seeds of one
  vmapped batch through :func:`~aligntheory.proofs_check._helpers.decide_hypothesis` (used by
  ``rebound_resistance`` and ``rebound_size_and_volume``). The per-seed counts of the spec's
  criterion are reported alongside.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from aligntheory.proofs_check._helpers import decide_hypothesis, exceedance_band
from aligntheory.proofs_check._registry import Verdict

__all__ = ["FRACTION", "MIN_SEEDS", "Z_DECISIVE", "Z_BAND", "combine", "combine_every", "decide_effect", "decide_rate",
           "power_figures"]

MIN_SEEDS, FRACTION = 5, 0.8
Z_DECISIVE = 4.0
"""Standard errors by which the no-effect model must be missed for the effect to count as shown."""
Z_BAND = 2.0
"""Standard errors of the one-sided bound that excludes an effect of the stated size."""



def _binom_cdf(k: int, n: int, p: float) -> float:
    return float(stats.binom.cdf(k, n, p))


def power_figures(n: int) -> dict:
    """Probability of each decisive verdict under assumed true reproduction rates (binomial)."""
    need = math.ceil(FRACTION * n)
    k_contra = max((k for k in range(n + 1) if exceedance_band(k, n)[1] < FRACTION), default=-1)
    return {"seeds": n, "PASS needs >= seeds": need,
            "CONTRADICTED when <= seeds": k_contra,
            "P(CONTRADICTED | true rate 0.2)": round(_binom_cdf(k_contra, n, 0.2), 3) if k_contra >= 0 else 0.0,
            "P(PASS | true rate 0.95)": round(1 - _binom_cdf(need - 1, n, 0.95), 3)}


def decide_rate(n_met: int, n: int) -> tuple[Verdict, str]:
    """Verdict of a per-seed criterion met in ``n_met`` of ``n`` seeds (module docstring rule).

    Examples
    --------
    >>> decide_rate(5, 5)[0].value, decide_rate(1, 5)[0].value, decide_rate(3, 5)[0].value
    ('PASS', 'CONTRADICTED', 'INCONCLUSIVE')
    """
    lo, hi = exceedance_band(n_met, n)
    band = f"{n_met}/{n} seeds meet the criterion (95% Clopper-Pearson interval [{lo:.3f}, {hi:.3f}])"
    if n >= MIN_SEEDS and n_met >= FRACTION * n:
        return Verdict.PASS, band + f"; reproduced (>= {FRACTION:.0%} of >= {MIN_SEEDS} seeds)"
    if hi < FRACTION:
        return Verdict.CONTRADICTED, band + f": the interval excludes the required rate {FRACTION}"
    rate = n_met / n
    more = None
    if rate < FRACTION:
        for m in range(n + 1, 200):
            if exceedance_band(round(rate * m), m)[1] < FRACTION:
                more = m
                break
    tail = (f"; at the observed rate about {more} seeds would contradict it" if more else
            f"; {MIN_SEEDS} or more seeds would decide")
    return Verdict.INCONCLUSIVE, band + ": contains the required rate 0.8 but does not reach it" + tail


def combine(verdicts: dict[str, Verdict]) -> Verdict:
    """PASS or CONTRADICTED only if every family agrees; otherwise INCONCLUSIVE (family-dependent).

    Examples
    --------
    >>> combine({"a": Verdict.PASS, "b": Verdict.CONTRADICTED}).value
    'INCONCLUSIVE'
    """
    vals = set(verdicts.values())
    if vals == {Verdict.PASS}:
        return Verdict.PASS
    if vals == {Verdict.CONTRADICTED}:
        return Verdict.CONTRADICTED
    return Verdict.INCONCLUSIVE


def combine_every(verdicts: dict[str, Verdict]) -> Verdict:
    """Verdict of a statement that must hold in every part: CONTRADICTED if any part is, PASS if
    all are, INCONCLUSIVE otherwise.

    Examples
    --------
    >>> combine_every({"a": Verdict.PASS, "b": Verdict.CONTRADICTED}).value
    'CONTRADICTED'
    >>> combine_every({"a": Verdict.PASS, "b": Verdict.INCONCLUSIVE}).value
    'INCONCLUSIVE'
    """
    vals = set(verdicts.values())
    if Verdict.CONTRADICTED in vals:
        return Verdict.CONTRADICTED
    if vals == {Verdict.PASS}:
        return Verdict.PASS
    return Verdict.INCONCLUSIVE


def decide_effect(effects, *, min_effect: float, what: str) -> tuple[Verdict, dict, str]:
    """Verdict of the directional hypothesis "the per-seed effect is positive, of at least
    ``min_effect``" from the per-seed ``effects`` of one batch.

    The estimate is the mean over seeds, its standard error ``sd / sqrt(n)``. The no-effect model
    (predicted effect 0) is judged by :func:`decide_hypothesis` with ``z_pass = 2``,
    ``z_contradict = Z_DECISIVE`` and ``min_effect``:

    * the no-effect model is CONTRADICTED and the mean is positive: **PASS** (the effect is shown:
      at least ``Z_DECISIVE`` standard errors above zero and larger than ``min_effect``);
    * the no-effect model is CONTRADICTED and the mean is negative: **CONTRADICTED** (the opposite
      direction is shown);
    * ``mean + Z_BAND se < min_effect``: **CONTRADICTED** (an effect of the stated size is excluded
      by the one-sided 97.7 % bound);
    * otherwise **INCONCLUSIVE**; the evidence says how many seeds at the observed mean and spread
      would decide.

    Returns
    -------
    (Verdict, dict, str)
        The verdict, the numbers (mean, se, n, z against no effect, bound, seeds that would decide)
        and a sentence.

    Examples
    --------
    >>> decide_effect([0.30, 0.32, 0.29, 0.31, 0.30], min_effect=0.05, what="excess")[0].value
    'PASS'
    >>> decide_effect([0.01, -0.01, 0.0, 0.02, -0.02, 0.01], min_effect=0.05, what="excess")[0].value
    'CONTRADICTED'
    >>> decide_effect([0.1, -0.05, 0.2, 0.0, 0.05], min_effect=0.05, what="excess")[0].value
    'INCONCLUSIVE'
    """
    v = np.asarray([x for x in effects if x is not None and np.isfinite(x)], dtype=float)
    n = int(v.size)
    if n < 2:
        return Verdict.INCONCLUSIVE, {"n": n}, f"{what}: fewer than two finite per-seed values"
    mean, sd = float(v.mean()), float(v.std(ddof=1))
    se = sd / math.sqrt(n)
    null, text = decide_hypothesis(mean, 0.0, se, kind="empirical", z_pass=2.0, z_contradict=Z_DECISIVE,
                                   min_effect=min_effect)
    z = math.inf if se == 0 and mean != 0 else (0.0 if mean == 0 else mean / se)
    bound = mean + Z_BAND * se
    nums = {"mean": round(mean, 6), "se": round(se, 6), "n": n, "z against no effect": round(z, 3),
            "upper bound (mean + 2 se)": round(bound, 6), "min_effect": min_effect}
    head = f"{what}: mean {mean:.4g}, se {se:.3g} over {n} seeds"
    if null is Verdict.CONTRADICTED and mean > 0:
        return Verdict.PASS, nums, head + f"; shown: {z:.3g} se above no effect and above {min_effect:g}"
    if null is Verdict.CONTRADICTED:
        return Verdict.CONTRADICTED, nums, head + f"; the opposite direction is shown ({z:.3g} se)"
    if bound < min_effect:
        return Verdict.CONTRADICTED, nums, head + f"; an effect of {min_effect:g} is excluded (mean + 2 se = {bound:.4g})"
    need = []
    if mean > min_effect and sd > 0:
        need.append(math.ceil((Z_DECISIVE * sd / mean) ** 2))
    if mean < min_effect and sd > 0:
        need.append(math.ceil((Z_BAND * sd / (min_effect - mean)) ** 2) + 1)
    nums["seeds that would decide at this mean and spread"] = min(need) if need else None
    more = f"; about {min(need)} seeds at this mean and spread would decide" if need else ""
    return Verdict.INCONCLUSIVE, nums, head + f"; neither shown nor excluded ({text}){more}"
