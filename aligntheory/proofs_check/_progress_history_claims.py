"""Claims on ProgressGym preference histories (issue 15 item 3); imported by :mod:`aligntheory.proofs_check.progress`.

Measurement: :func:`~aligntheory.theory.progress._history.extrapolate_preference_history`. Predictions:
the Lagrange formula evaluated in :class:`fractions.Fraction` here, and our closed form of the copies
distribution under a sign-flip random walk (derived below).
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np

from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim
from aligntheory.theory.progress._history import extrapolate_preference_history

_PG = Source(key="qiu2024progressgym", where="extrapolative DPO/RLHF (vote extrapolation, copies capped at 5)")
_SPEC = Source(key="qiu2024progressgym", where="spec progress_and_safety.md A-T1, A-T2; issue 15 item 3 (ours)")


def _lagrange(window: tuple[int, ...], m: int) -> Fraction:
    k = len(window) - 1
    x = k + m
    total = Fraction(0)
    for j, v in enumerate(window):
        w = Fraction(1)
        for i in range(k + 1):
            if i != j:
                w *= Fraction(x - i, j - i)
        total += w * v
    return total


@claim(
    id="progress.history_is_lagrange",
    statement="For every preference history of length T <= 6 with votes in {-1, 0, +1}, every order <= 6 and "
    "horizon m <= 5, the vectorised history extrapolation returns the Lagrange extrapolation (degree "
    "p = min(order, T-1) through the last p+1 votes, evaluated m steps ahead) and copies = min(|y|, 5); zero "
    "results occur only with a missing vote (A-T2) and give 0 copies.",
    source=[_SPEC, _PG],
    provenance="M",
    kind="theorem",
    tolerance="exact (int64 against fractions.Fraction, exhaustive)",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_history_is_lagrange(ctx: Context) -> Evidence:
    T_max = ctx.pick(quick=5, full=6)
    bad, n_checked, zeros = [], 0, 0
    for T in range(1, T_max + 1):
        hist = np.array(list(itertools.product((-1, 0, 1), repeat=T)), dtype=np.int64).T
        for order in range(0, 7):
            for m in range(1, 6):
                h = extrapolate_preference_history(hist, order, m)
                p = min(order, T - 1)
                for col in range(hist.shape[1]):
                    window = tuple(int(v) for v in hist[T - 1 - p:, col])
                    y = _lagrange(window, m)
                    n_checked += 1
                    got = int(h.votes[col])
                    if y != got or int(h.copies[col]) != min(abs(got), 5) or (got == 0 and 0 not in window):
                        bad.append({"history": hist[:, col].tolist(), "order": order, "m": m, "lagrange": str(y),
                                    "got": got, "copies": int(h.copies[col])})
                    zeros += got == 0
    return Evidence(
        verdict=Verdict.of(not bad),
        predicted="Lagrange extrapolation in fractions.Fraction; copies = min(|y|, 5)",
        measured={"histories x orders x horizons": n_checked, "mismatches": len(bad), "zero results": zeros},
        tolerance="exact",
        why="integer arithmetic on both sides",
        sizes={"T": f"1..{T_max}", "order": "0..6", "m": "1..5"},
        counterexample=bad[0] if bad else None,
    )


def _closed_form(p: int, m: int, q: Fraction) -> dict[tuple[int, int], Fraction]:
    """Our closed form: P(copies = c, preferred = s) for the sign-flip walk, orders p = 0, 1, 2.

    Votes relative to the latest annotation: x_T = +1, and going back each vote flips with probability q.
    Since the weights sum to 1, y = 1 - 2 * (sum of the weights on the -1 votes).
    p = 0: y = 1.  p = 1 (weights (-m, m+1)): y = 1 w.p. 1-q, y = 2m+1 w.p. q.
    p = 2 (weights (m(m+1)/2, -m(m+2), (m+1)(m+2)/2)): no flip y = 1 w.p. (1-q)^2; flip next to the latest
    vote only, y = 1 + m^2 + 3m w.p. q(1-q); flip at the oldest only, y = 1 - m(m+1) w.p. (1-q)q; both,
    y = 1 + 2m(m+2) w.p. q^2.
    """
    cases: list[tuple[int, Fraction]]
    if p == 0:
        cases = [(1, Fraction(1))]
    elif p == 1:
        cases = [(1, 1 - q), (2 * m + 1, q)]
    else:
        cases = [(1, (1 - q) ** 2), (1 + m * m + 3 * m, q * (1 - q)), (1 - m * (m + 1), (1 - q) * q),
                 (1 + 2 * m * (m + 2), q * q)]
    out: dict[tuple[int, int], Fraction] = {}
    for y, pr in cases:
        key = (min(abs(y), 5), (y > 0) - (y < 0))
        out[key] = out.get(key, Fraction(0)) + pr
    return {k: v for k, v in out.items() if v != 0}


def _enumerate(p: int, m: int, q: Fraction) -> dict[tuple[int, int], Fraction]:
    """Exact enumeration of the 2^p flip patterns, each history extrapolated by the library."""
    patterns = list(itertools.product((0, 1), repeat=p))
    hist = np.empty((p + 1, len(patterns)), dtype=np.int64)
    probs = []
    for col, flips in enumerate(patterns):  # flips[i]: flip between vote T-i and T-i-1
        v, votes = 1, [1]
        for f in flips:
            v = -v if f else v
            votes.append(v)
        hist[:, col] = votes[::-1]
        probs.append(q ** sum(flips) * (1 - q) ** (p - sum(flips)))
    h = extrapolate_preference_history(hist, p, m)
    out: dict[tuple[int, int], Fraction] = {}
    for col, pr in enumerate(probs):
        key = (int(h.copies[col]), int(h.preferred[col]))
        out[key] = out.get(key, Fraction(0)) + pr
    return {k: v for k, v in out.items() if v != 0}


@claim(
    id="progress.history_copies_random_walk",
    statement="Under a sign-flip random walk of a pair's preference (votes relative to the latest annotation; "
    "each earlier vote flips with probability q), the joint law of (copies, preferred response) of the "
    "extrapolated history equals our closed form for orders 0, 1, 2 (e.g. order 2: one copy with probability "
    "(1-q)^2 for m >= 2, the order reversed with probability q(1-q)).",
    source=[_SPEC, _PG],
    provenance="M",
    kind="theorem",
    tolerance="exact (fractions.Fraction; exhaustive enumeration of the 2^p flip patterns)",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_history_copies_random_walk(ctx: Context) -> Evidence:
    rng = ctx.rng(0)
    qs = [Fraction(1, 10), Fraction(1, 3), Fraction(1, 2), Fraction(3, 4)]
    qs.append(Fraction(int(rng.integers(1, 100)), 100))
    bad, rows = [], 0
    for p in (0, 1, 2):
        for m in range(1, 7):
            for q in qs:
                pred, meas = _closed_form(p, m, q), _enumerate(p, m, q)
                rows += 1
                if pred != meas or sum(meas.values()) != 1:
                    bad.append({"order": p, "m": m, "q": str(q), "closed_form": {str(k): str(v) for k, v in pred.items()},
                                "enumerated": {str(k): str(v) for k, v in meas.items()}})
    ex_pred = _closed_form(2, 3, Fraction(1, 3))
    return Evidence(
        verdict=Verdict.of(not bad),
        predicted={"order 2, m 3, q 1/3": {str(k): str(v) for k, v in ex_pred.items()}},
        measured={"cases": rows, "mismatches": len(bad)},
        tolerance="exact",
        why="rational arithmetic on both sides",
        sizes={"order": "0..2", "m": "1..6", "q": [str(q) for q in qs]},
        counterexample=bad[0] if bad else None,
    )
