"""Claims that the JAX kernels compute exactly what the exact theory layer computes (issue #11, item 2).

The measurement is the public kernel; the prediction is the exact theory-layer function on an
independent route (voter counts: the profile with each row repeated ``counts`` times; welfare:
correctly rounded sums). Profiles are exhaustive for small sizes, so a wrong tie, a dropped count or
a swapped margin sign is found whatever the seed.
"""

from __future__ import annotations

import itertools

import numpy as np

from aligntheory.proofs_check._helpers import rel_err
from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim
from aligntheory.theory import social_choice as T

_SPEC = Source(key="qiu2024representative", where="voting rules of spec §2.5 [M]; model §2.2 [R]")
_ARROW = Source(key="arrow1951social", where="profiles L(C)^n")


def _all_profiles(n: int, m: int) -> np.ndarray:
    orders = np.array(list(itertools.permutations(range(m))), dtype=np.int64)
    idx = np.array(list(itertools.product(range(len(orders)), repeat=n)), dtype=np.int64)
    return orders[idx]  # (m!^n, n, m), lexicographic


def _winners(mask_row) -> tuple[int, ...]:
    return tuple(int(c) for c in np.flatnonzero(np.asarray(mask_row)))


@claim(
    id="social_choice.voting_kernels_match_exact_rules",
    statement="The JAX voting kernels (plurality, borda, scoring_rule with a non-Borda vector, copeland, "
              "condorcet_winner_mask, margins_batched, position_counts_batched, all_rules) return exactly the "
              "winning sets, margins and position counts of the exact theory-layer rules on every profile of n "
              "voters over m alternatives, with voter counts respected (by the kernels and by the theory "
              "layer's counts argument alike).",
    source=[_SPEC, _ARROW],
    provenance="M",
    kind="theorem",
    tolerance="exact equality of every winning set and integer matrix; sizes (n, m) in {(2,3),(3,3),(4,3),(2,4)} "
              "exhaustively (quick), plus (5,3) and (3,4) (full); counts in {0..3} per row drawn from the context",
    rice={"E"},
    stage="forward:feedback",
)
def check_voting_kernels(ctx: Context) -> Evidence:
    from aligntheory.kernels import social_choice as K

    rng = ctx.rng(41)
    sizes = ctx.pick(quick=[(2, 3), (3, 3), (4, 3), (2, 4)], full=[(2, 3), (3, 3), (4, 3), (2, 4), (5, 3), (3, 4)])
    mismatches: dict[str, int] = {}
    checked = 0
    first = None
    for m in sorted({mm for _, mm in sizes}):
        # every size with this m in one batch (one compile per kernel): pad voters with count-0 rows
        vmax = max(n for n, mm in sizes if mm == m)
        blocks, counts = [], []
        for n, mm in sizes:
            if mm != m:
                continue
            P = _all_profiles(n, m)
            c = rng.integers(0, 4, P.shape[:2])
            c[:, 0] = np.maximum(c[:, 0], 1)  # at least one counted voter per profile
            pad = vmax - n
            blocks.append(np.concatenate([P, np.broadcast_to(np.arange(m), (P.shape[0], pad, m))], axis=1))
            counts.append(np.concatenate([c, np.zeros((P.shape[0], pad), np.int64)], axis=1))
        P, c = np.concatenate(blocks), np.concatenate(counts)
        s = np.array([float((m - 1 - r) ** 2 + (r == 0)) for r in range(m)])  # non-Borda, non-plurality
        out = {
            "plurality": np.asarray(K.plurality(P, c)), "borda": np.asarray(K.borda(P, c)),
            "scoring_rule": np.asarray(K.scoring_rule(P, s, c)), "copeland": np.asarray(K.copeland(P, c)),
            "condorcet_winner_mask": np.asarray(K.condorcet_winner_mask(P, c)),
            "margins_batched": np.asarray(K.margins_batched(P, c)),
            "position_counts_batched": np.asarray(K.position_counts_batched(P, c)),
        }
        fused = K.all_rules(P, c)
        fused = {k: np.asarray(v) for k, v in fused._asdict().items()}
        for b in range(P.shape[0]):
            keep = c[b] > 0
            E = np.repeat(P[b][keep], c[b][keep], axis=0)  # independent route for the counts
            cw = T.condorcet_winner(E)
            pred = {
                "plurality": T.plurality_winners(E), "borda": T.borda_winners(E),
                "scoring_rule": T.scoring_winners(E, s), "copeland": T.copeland_winners(E),
                "condorcet_winner_mask": () if cw is None else (cw,),
            }
            got = {k: _winners(out[k][b]) for k in pred}
            got_fused = {"plurality": _winners(fused["plurality"][b]), "borda": _winners(fused["borda"][b]),
                         "copeland": _winners(fused["copeland"][b]),
                         "condorcet_winner_mask": _winners(fused["condorcet"][b])}
            bad = [k for k in pred if got[k] != pred[k]] + [f"all_rules.{k}" for k in got_fused
                                                             if got_fused[k] != pred[k]]
            if not np.array_equal(out["margins_batched"][b], T.margins(E)):
                bad.append("margins_batched")
            if not np.array_equal(out["position_counts_batched"][b], T.position_counts(E)):
                bad.append("position_counts_batched")
            # the theory layer's own counts path against the same repeated rows
            if not (np.array_equal(T.margins(P[b][keep], c[b][keep]), T.margins(E))
                    and T.borda_winners(P[b][keep], c[b][keep]) == pred["borda"]):
                bad.append("theory counts path")
            for k in bad:
                mismatches[k] = mismatches.get(k, 0) + 1
            if bad and first is None:
                first = {"m": m, "profile": P[b].tolist(), "counts": c[b].tolist(), "rules": bad}
            checked += 1
    ok = not mismatches
    return Evidence(
        verdict=Verdict.of(ok), predicted={"mismatching profiles": 0}, measured={"mismatches": mismatches,
                                                                                  "profiles checked": checked},
        tolerance="exact", why="winning sets and margins are integers: any difference is a bug",
        sizes={"(n, m)": [list(x) for x in sizes]}, counterexample=first,
        details="score vector s_r = (m-1-r)^2 + [r = 0]; every profile of each size; counts per row drawn "
                "from ctx.rng(41); prediction = theory rule on rows repeated by their counts")


@claim(
    id="social_choice.learning_kernels_match_exact_welfare",
    statement="The JAX learning kernels (empirical_welfare_batched, erm_argmax, scoring_utilities, scoring_erm, "
              "issuewise_majority_batched, uniform_deviation, regret) agree with the exact theory-layer welfare, "
              "ERM and issue-wise majority on random finite instances.",
    source=[_SPEC],
    provenance="R",
    kind="reconstruction",
    tolerance="welfare relative error <= 1e-12 (float64 means of <= 64 terms in [0, 1]: error <= 64 * 2^-53 "
              "~ 7e-15, floor 1e-12); ERM choices, majorities and utilities exact",
    rice={"E"},
    stage="forward:feedback",
)
def check_learning_kernels(ctx: Context) -> Evidence:
    from aligntheory.kernels import social_choice as K

    rng = ctx.rng(42)
    n_pairs, q, k, n, b = 12, 3, 3, ctx.pick(quick=24, full=64), ctx.pick(quick=40, full=200)
    rankings = np.argsort(rng.random((n_pairs, k)), axis=1)
    s = T.scoring_vector("borda", k)
    util = T.utilities_from_rankings(rankings, s)
    issues = rng.integers(0, q, n_pairs)
    pol = np.array(list(itertools.product(range(k), repeat=q)), dtype=np.int64)  # all k^q policies
    w = rng.dirichlet(np.ones(n_pairs))
    w[-1] = 1.0 - w[:-1].sum()
    samples = rng.integers(0, n_pairs, (b, n))
    emp = np.asarray(K.empirical_welfare_batched(samples, util, issues, pol))
    pred = np.stack([T.empirical_welfare(smp, util, issues, pol) for smp in samples])
    err_w = rel_err(emp, pred, floor=1e-12)
    erm_k = np.asarray(K.erm_argmax(emp)).tolist()
    erm_t = [T.erm_choice(smp, util, issues, pol) for smp in samples]
    sc = np.asarray(K.scoring_erm(samples, rankings, s, issues, pol)).tolist()
    util_ok = np.array_equal(np.asarray(K.scoring_utilities(rankings, s)), util)
    pop = T.population_welfare(w, util, issues, pol)
    dev_k = np.asarray(K.uniform_deviation(pred, pop))
    dev_t = np.abs(pred - pop[None, :]).max(axis=1)
    reg_k = np.asarray(K.regret(pred, pop))
    reg_t = pop.max() - pop[[int(np.flatnonzero(r == r.max())[0]) for r in pred]]
    iss = rng.integers(0, 7, (b, n))
    y = rng.integers(0, 2, (b, n))
    maj_k = np.asarray(K.issuewise_majority_batched(iss, y, 7))
    maj_t = np.stack([T.issuewise_majority(i, yy, 7) for i, yy in zip(iss, y)])
    checks = {
        "welfare rel err <= 1e-12": err_w <= 1e-12,
        "erm_argmax == theory erm_choice": erm_k == erm_t,
        "scoring_erm == theory erm_choice": sc == erm_t,
        "scoring_utilities exact": util_ok,
        "uniform_deviation": rel_err(dev_k, dev_t, floor=1e-12) <= 1e-12,
        "regret": rel_err(reg_k, reg_t, floor=1e-12) <= 1e-12,
        "issuewise majority exact": np.array_equal(maj_k, maj_t),
    }
    ok = all(checks.values())
    return Evidence(verdict=Verdict.of(ok), predicted={k: True for k in checks}, measured=checks,
                    tolerance="1e-12 relative (floor 1e-12) for welfare; exact otherwise",
                    why="float64 means of at most 64 terms in [0, 1] differ from correctly rounded sums by < 1e-14",
                    sizes={"pairs": n_pairs, "issues": q, "outcomes": k, "N": n, "B": b},
                    details=f"max welfare relative error {err_w:.3g}")
