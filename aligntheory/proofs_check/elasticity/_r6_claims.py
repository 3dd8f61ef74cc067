"""Elasticity claims of issue #11, round 6 (survivors of the third fresh mutation sample, docs/mutation-report/fresh-r5).

``elasticity.mass_curve_and_short_fits`` -- two small pins in one table:

* :func:`~aligntheory.theory.elasticity.alignment_mass_curve` against the mass on ``S_a`` of the exact mixture
  ``(k P_p + P_a + l P_t) / (k + 1 + l)`` summed here over the outcomes of an opposite configuration, at
  ``l = 0``, at the return point ``l* = (1 - pi) / pi`` and at large ``l`` (so a wrong sign of ``l`` in the
  denominator cannot hide at ``l = 0``, the only value the contract rows used);
* :func:`~aligntheory.kernels.elasticity.two_segment_fit` and
  :func:`~aligntheory.kernels.elasticity.two_segment_fit_batched` at their DEFAULT ``b_min = 5`` on the shortest
  documented curve (``2 b_min + 2 = 12`` points) with an exact break at ``s = 5`` and at ``s = 6`` (both ends of
  the default range ``[b_min, T - b_min]``): both must accept it and recover the break and both slopes (a default
  moved to 6, or the length test made strict, refuses the curve; a default ``b_max`` one short misses s = 6).
"""

from __future__ import annotations

import numpy as np

from aligntheory.proofs_check._helpers import rel_err
from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim

__all__: list[str] = []


def _mixture_mass(pi: float, k: float, l: float, rng: np.random.Generator) -> float:
    """Mass on S_a = {0, 1} of (k P_p + P_a + l P_t) / (k + 1 + l), P_a on {0, 1}, P_t on {2, 3}, P_p(S_a) = pi."""
    Pp = np.concatenate([pi * rng.dirichlet([1.0, 1.0]), (1.0 - pi) * rng.dirichlet([1.0, 1.0])])
    Pa = np.concatenate([rng.dirichlet([1.0, 1.0]), [0.0, 0.0]])
    Pt = np.concatenate([[0.0, 0.0], rng.dirichlet([1.0, 1.0])])
    q = (k * Pp + Pa + l * Pt) / (k + 1.0 + l)
    return float(q[:2].sum() / q.sum())


@claim(
    id="elasticity.mass_curve_and_short_fits",
    statement="alignment_mass_curve(pi, k, ls) equals the mass on S_a of the exact mixture (k P_p + P_a + l P_t)/"
    "(k + 1 + l) of an opposite configuration at l = 0, l* = (1 - pi)/pi and l = 10 (k + 1); two_segment_fit and "
    "two_segment_fit_batched with their default b_min = 5 accept a curve of 2 b_min + 2 = 12 points and recover an "
    "exact break at s = 5 and at s = 6 (both ends of the default range [b_min, T - b_min]) with both slopes.",
    source=[Source(key="ji2024language", where="our Proposition E10 (mixture); spec elasticity.md §4.2 metric 1")],
    provenance="M",
    kind="theorem",
    tolerance="mass relative 1e-13 (a few roundings of sums of four doubles); break exactly; slopes relative 1e-9 "
    "with an absolute floor 1e-12 (a 3 x 3 least-squares solve on 12 points of size O(10), condition < 1e3)",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_mass_curve_and_short_fits(ctx: Context) -> Evidence:
    """Predicted: the mixture mass summed over outcomes here (no call into the library), and the break b = 5 and
    slopes (s1, s2) each curve is built with (breaks 5 and 6). Measured: ``alignment_mass_curve`` on the three l values, and both
    two-segment fits at their default arguments.
    """
    from aligntheory.kernels.elasticity import two_segment_fit, two_segment_fit_batched
    from aligntheory.theory.elasticity import alignment_mass_curve

    rng = ctx.rng(601)
    bad: list[str] = []
    worst = 0.0
    for _ in range(4):
        pi, k = float(rng.uniform(0.05, 0.95)), float(10.0 ** rng.uniform(-1, 3))
        ls = np.array([0.0, (1.0 - pi) / pi, 10.0 * (k + 1.0)])
        got = alignment_mass_curve(pi, k, ls)
        pred = np.array([_mixture_mass(pi, k, float(l), rng) for l in ls])
        e = rel_err(got, pred, floor=1e-300)
        worst = max(worst, e)
        if not e <= 1e-13:
            bad.append(f"alignment_mass_curve(pi={pi}, k={k}, ls={ls.tolist()}) = {got.tolist()}, "
                       f"mixture {pred.tolist()}")
    s = np.arange(12.0)
    fits: dict[str, object] = {}
    for bk in (5, 6):  # both ends of the default breakpoint range [b_min, T - b_min] = [5, 6]
        s1, s2 = float(rng.uniform(0.5, 2.0)), float(rng.uniform(-2.0, -0.5))
        y = float(rng.uniform(-1, 1)) + s1 * s + (s2 - s1) * np.maximum(s - bk, 0.0)
        for name, call in (("two_segment_fit", lambda y=y: two_segment_fit(y)),
                           ("two_segment_fit_batched", lambda y=y: two_segment_fit_batched(y[None, :]))):
            try:
                f = call()
            except Exception as exc:  # noqa: BLE001 -- a refusal of a documented length is the failure
                bad.append(f"{name}: 12 points at the default b_min refused: {exc!r}")
                continue
            b, g1, g2 = int(np.ravel(f.b)[0]), float(np.ravel(f.s1)[0]), float(np.ravel(f.s2)[0])
            fits[f"{name} (break {bk})"] = {"b": b, "s1": g1, "s2": g2}
            if b != bk or not (rel_err(g1, s1, floor=1e-12) <= 1e-9 and rel_err(g2, s2, floor=1e-12) <= 1e-9):
                bad.append(f"{name}: b = {b}, s1 = {g1}, s2 = {g2}; built with b = {bk}, s1 = {s1}, s2 = {s2}")
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"mixture mass": "summed over outcomes", "fit breaks": [5, 6]},
        measured={"worst mass rel_err": worst, "fits": fits},
        tolerance="mass 1e-13 relative; b exact; slopes 1e-9 relative (floor 1e-12)",
        why="the mass is a ratio of sums of four doubles; the fit is an exact-data least-squares solve",
        sizes={"mass configurations": 4, "points": 12, "curves": 2},
        counterexample=None if ok else {"failures": bad},
    )
