"""Round-6 claims (issue 11): pins found by the third fresh mutation sample (docs/mutation-report/fresh-r5)."""

from __future__ import annotations

import math

from aligntheory.proofs_check._helpers import rel_err
from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim


@claim(
    id="arena.win_probability_tie_models",
    statement="Leaderboard.win_probability(a, b) is the expected score P(a beats b) + P(tie)/2 of the fitted tie "
    "model: under 'rao_kupper' with threshold alpha, pi_a/(pi_a + e^alpha pi_b) + (1 - that - its mirror)/2; under "
    "'davidson' with nu, (pi_a + nu sqrt(pi_a pi_b)/2)/(pi_a + pi_b + nu sqrt(pi_a pi_b)); under 'half' "
    "pi_a/(pi_a + pi_b); and win_probability(a, b) + win_probability(b, a) = 1.",
    source=[Source(key="rao1967ties"), Source(key="davidson1970extending")],
    provenance="M",
    kind="theorem",
    tolerance="relative 1e-12 (floor 1e-15): the same number by two float64 routes (strengths vs logistic)",
    rice={"R"},
    stage="backward:assurance",
)
def check_win_probability_tie_models(ctx: Context) -> Evidence:
    """Predicted: the tie models' probabilities written here from the strengths :math:`\\pi = e^{s}` of the fitted
    scores and the fitted tie parameter; measured: ``Leaderboard.win_probability`` on every ordered pair of a
    leaderboard of 4 models with ties (``n_bootstrap=0``).

    Tolerance: relative 1e-12 with floor 1e-15: both routes evaluate the same probabilities in float64 from scores
    of order 1 (a few ulps apart); a sign slip in the tie term moves the value by O(P(tie)) ~ 0.1.
    """
    from aligntheory.analysis.arena import leaderboard

    rng = ctx.rng(609)
    models = ["m0", "m1", "m2", "m3"]
    s_true = rng.normal(0.0, 0.7, 4)
    rows = {"model_a": [], "model_b": [], "winner": []}
    for i in range(4):
        for j in range(4):
            if i == j:
                continue
            for _ in range(int(rng.integers(8, 14))):
                d = s_true[i] - s_true[j]
                pw, pl = 1 / (1 + math.exp(-(d - 0.6))), 1 / (1 + math.exp(d + 0.6))
                u = rng.random()
                win = "model_a" if u < pw else ("model_b" if u < pw + pl else "tie")
                rows["model_a"].append(models[i])
                rows["model_b"].append(models[j])
                rows["winner"].append(win)
    out, worst, sym = {}, 0.0, 0.0
    for ties in ("rao_kupper", "davidson", "half"):
        lb = leaderboard(rows, ties=ties, n_bootstrap=0)
        tau = lb.tie_parameter
        pi = {m: math.exp(float(lb.scores[lb.index(m)])) for m in models}
        err = 0.0
        for a in models:
            for b in models:
                if a == b:
                    continue
                if ties == "rao_kupper":
                    th = math.exp(tau)
                    pw, pl = pi[a] / (pi[a] + th * pi[b]), pi[b] / (pi[b] + th * pi[a])
                    pred = pw + 0.5 * (1.0 - pw - pl)
                elif ties == "davidson":
                    g = tau * math.sqrt(pi[a] * pi[b])
                    pred = (pi[a] + 0.5 * g) / (pi[a] + pi[b] + g)
                else:
                    pred = pi[a] / (pi[a] + pi[b])
                got = lb.win_probability(a, b)
                err = max(err, rel_err(got, pred, floor=1e-15))
                sym = max(sym, abs(got + lb.win_probability(b, a) - 1.0))
        out[ties] = {"tie parameter": tau, "max relative error": err}
        worst = max(worst, err)
    ok = worst <= 1e-12 and sym <= 1e-12 and out["rao_kupper"]["tie parameter"] > 0
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"expected score": "P(win) + P(tie)/2 of the tie model", "a/b + b/a": 1.0},
        measured={**out, "max |p(a,b) + p(b,a) - 1|": sym},
        tolerance={"relative": 1e-12, "floor": 1e-15, "symmetry": 1e-12},
        why="two float64 evaluations of one closed form",
        sizes={"models": 4, "battles": len(rows["winner"])},
        details=f"{out}; symmetry {sym:.1e}",
        counterexample=None if ok else {"seed": ctx.seed},
    )
