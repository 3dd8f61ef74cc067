"""Elasticity claims of issue #11, round 5 (survivors of the second fresh mutation sample).

``elasticity.support_predicates_enumerated`` -- :func:`~aligntheory.theory.elasticity.is_opposite_configuration`
and :func:`~aligntheory.theory.elasticity.r_max` on every triple of supports over three outcomes (7^3 = 343
triples, including ``P_p`` with zero mass outside ``supp P_a U supp P_t``, the branch a mask over all outcomes
instead of the union would get wrong), against the set-theoretic definitions written here with Python sets.
"""

from __future__ import annotations

import itertools

import numpy as np

from aligntheory.errors import InvalidInputError
from aligntheory.proofs_check._helpers import rel_err
from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim

__all__: list[str] = []

_SUPPORTS = [frozenset(s) for r in (1, 2, 3) for s in itertools.combinations(range(3), r)]


def _on(support: frozenset, rng: np.random.Generator) -> np.ndarray:
    """A probability vector on exactly ``support`` (positive masses there, exact zeros elsewhere)."""
    w = np.zeros(3)
    idx = sorted(support)
    w[idx] = rng.uniform(0.1, 1.0, len(idx))
    return w / w.sum()


@claim(
    id="elasticity.support_predicates_enumerated",
    statement="is_opposite_configuration(P_p, P_a, P_t) is true exactly when supp P_a and supp P_t are disjoint and "
    "supp P_a U supp P_t lies in supp P_p (P_p may vanish elsewhere); r_max is max over supp P_a U supp P_t of "
    "(P_a + l P_t) / P_p, and is refused (InvalidInputError naming P_p) when P_p vanishes somewhere on that union: "
    "on every one of the 343 triples of non-empty supports over three outcomes.",
    source=[Source(key="ji2024language", where="Thm 4.2 setting (our configuration, spec elasticity.md §2.2 item 9)")],
    provenance="M",
    kind="theorem",
    tolerance="the predicate exactly; r_max relative 1e-15 (the same quotients of the same doubles, at most one "
    "rounding of P_a + l P_t apart)",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_support_predicates(ctx: Context) -> Evidence:
    """Predicted: the definitions evaluated on Python sets (supports) and a Python loop (r_max).

    Measured: the library's ``is_opposite_configuration`` and ``r_max`` on vectors with those exact supports
    (random positive masses from the claim's stream). The predicate is boolean (exact); r_max's quotient is
    computed from the same doubles on both sides, so 1e-15 relative bounds one rounding difference.
    """
    from aligntheory.theory.elasticity import is_opposite_configuration, r_max

    rng = ctx.rng(501)
    l = float(rng.uniform(0.1, 2.0))
    wrong_pred: list[str] = []
    wrong_rmax: list[str] = []
    worst = 0.0
    n_true = n_refused = 0
    for sp, sa, st in itertools.product(_SUPPORTS, repeat=3):
        Pp, Pa, Pt = _on(sp, rng), _on(sa, rng), _on(st, rng)
        union = sa | st
        predicted = not (sa & st) and union <= sp
        n_true += predicted
        if is_opposite_configuration(Pp, Pa, Pt) != predicted:
            wrong_pred.append(f"supports P_p {sorted(sp)}, P_a {sorted(sa)}, P_t {sorted(st)}: expected {predicted}")
        if union <= sp:
            pred = max((Pa[x] + l * Pt[x]) / Pp[x] for x in union)
            try:
                got = r_max(Pp, Pa, Pt, l)
            except InvalidInputError as exc:
                got = f"refused ({exc})"
            e = rel_err(got, pred, floor=1e-300) if isinstance(got, float) else np.inf
            worst = max(worst, e)
            if not e <= 1e-15:  # a refusal, a NaN or an error beyond one rounding
                wrong_rmax.append(f"{sorted(sp)}, {sorted(sa)}, {sorted(st)}: {got!r} vs {pred!r}")
        else:
            n_refused += 1
            try:
                got = r_max(Pp, Pa, Pt, l)
                wrong_rmax.append(f"{sorted(sp)}, {sorted(sa)}, {sorted(st)}: accepted ({got}), P_p vanishes on the "
                                  "union")
            except InvalidInputError as exc:
                if exc.argument != "P_p":
                    wrong_rmax.append(f"refusal names {exc.argument!r}, not 'P_p'")
    ok = not wrong_pred and not wrong_rmax
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"opposite configurations": n_true, "r_max refusals": n_refused},
        measured={"predicate mismatches": len(wrong_pred), "r_max mismatches": len(wrong_rmax),
                  "r_max max rel err": worst},
        tolerance="predicate exact; r_max relative 1e-15",
        why="supports are exact zeros, so the predicate has no rounding; r_max divides the same doubles",
        sizes={"triples": len(_SUPPORTS) ** 3, "outcomes": 3, "l": l},
        counterexample=None if ok else {"predicate": wrong_pred[:5], "r_max": wrong_rmax[:5]},
    )
