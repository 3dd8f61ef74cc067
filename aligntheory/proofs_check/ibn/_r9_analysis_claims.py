"""IBN analysis claims of issue #11, round 9: the rarely taken branches of the analysis layer, pinned.

* ``ibn.analysis_branch_table`` -- :func:`aligntheory.analysis.ibn.analyse_preferences` on small datasets written
  to sit exactly on each documented threshold or in each rarely taken branch, every expected value computed here
  from the documented definitions: the structure label (a fraction > 1/2 decides, so exactly 1/2 each is
  "mixed"), chain-like (2 responses, 1 distinct compared pair, repeats included) and tree-like (>= 3 responses in
  one comparison component) prompts; labels of exactly 120 characters (kept) and 121 (119 kept + "…"); the
  progress callback called first at record 50,000; arena battles (winner aliases, ties as one comparison with
  half a win each, a model against itself dropped, no IB edges, one context); and the sample-size bisection near
  both ends of its search range (t* = 2e-6 and 5e8 found; 2e9 beyond it: None).

Tolerances are fixed here, before any run.
"""

from __future__ import annotations

import numpy as np

from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim


class _Stop(Exception):
    """Raised by the progress callback of the progress row (ends the analysis early)."""


def _prompt(q: str, pairs) -> list[dict]:
    return [{"prompt": q, "chosen": a, "rejected": b} for a, b in pairs]


@claim(
    id="ibn.analysis_branch_table",
    statement="analyse_preferences on datasets placed exactly on its documented thresholds: with one chain-like "
    "and one tree-like prompt the fractions are 1/2, 1/2, 0 and the structure is 'mixed' (> 1/2 decides); two of "
    "three prompts chain-like (one compared twice in both directions) -> 'chain-like' 2/3; two of three tree-like "
    "(3 responses, 2 comparisons; 4 responses, 3) with an 'other' prompt (3 responses, 1 comparison) -> "
    "'tree-like' 2/3; a 120-character response is its label, a 121-character one keeps 119 and ends with '…'; "
    "progress is called first with 50000 at record 50,000; arena battles count a tie as one comparison (half a "
    "win each way), accept the winner aliases, drop a model against itself, have no latent nodes and no ib_var; "
    "the sample-size multiplier on a path of fixed variance is found in [t*, 1.001 t*] for t* = 2e-6 and 5e8 and "
    "is None for t* = 2e9 (beyond the search range).",
    source=[Source(key="qiu2024reward", where="§2.5-§2.6 IBN of a preference dataset, inference distance")],
    provenance="M",
    kind="theorem",
    tolerance="exact for counts, labels, fractions (k/2, k/3 in float64, same expression) and degrees; the "
    "multiplier within the documented bisection width [t*, 1.001 t*] with 1e-9 relative for rounding of resistances "
    "exact to ~1e-15",
    rice={"R"},
    stage="forward:feedback",
)
def check_analysis_branch_table(ctx: Context) -> Evidence:
    """Predicted: values from the documented definitions, written here; measured: ``PreferenceAnalysis`` fields.

    The datasets are fixed (the thresholds are exact points, a random dataset would miss them); ``ctx.rng``
    only permutes the record order, which must not change any of these values. Tolerance: exact, except the
    sample-size rows (documented bisection width).
    """
    from aligntheory.analysis.ibn import analyse_preferences as ap

    rng = ctx.rng(191)
    bad: list[str] = []

    def want(tag, got, pred):
        if got != pred:
            bad.append(f"{tag}: {got!r} != {pred!r}"[:300])

    def shuffled(recs):
        return [recs[i] for i in rng.permutation(len(recs))]

    chain = _prompt("c", [("c1", "c2")])
    chain2 = _prompt("d", [("d1", "d2"), ("d2", "d1")])  # one distinct pair, compared twice
    tree3 = _prompt("t", [("t1", "t2"), ("t2", "t3")])
    tree4 = _prompt("u", [("u1", "u2"), ("u1", "u3"), ("u4", "u1")])
    other = _prompt("o", [("o1", "o2")]) + [{"prompt": "o", "chosen": "o3", "rejected": "o3"}]  # o3: a node alone
    for tag, recs, fr, label in (
            ("1 chain + 1 tree", chain + tree3, (1 / 2, 1 / 2), "mixed"),
            ("2 chain + 1 tree", chain + chain2 + tree3, (2 / 3, 1 / 3), "chain-like"),
            ("2 tree + 1 other", tree3 + tree4 + other, (0 / 3, 2 / 3), "tree-like"),
            ("1 chain + 1 other", chain + other, (1 / 2, 0 / 2), "mixed")):
        an = ap(shuffled(recs), hp_var=1.0, ib_var=2.0)
        pred = {"chain-like prompts": fr[0], "tree-like prompts": fr[1], "other prompts": 1.0 - fr[0] - fr[1]}
        want(f"{tag}: structure_fractions", an.structure_fractions, pred)
        want(f"{tag}: structure", an.structure, label)
    # labels: 120 characters kept, 121 cut to 119 + "…"
    s120, s121 = "x" * 119 + "a", "y" * 119 + "bc"
    an = ap([{"prompt": "p", "chosen": s120, "rejected": s121}], hp_var=1.0, ib_var=None)
    want("labels at 120 / 121 characters", list(an.labels), ["[0] " + s120, "[0] " + "y" * 119 + "\u2026"])
    # progress: called with 50000 at record 50,000, not before
    calls: list[int] = []

    def progress(k):
        calls.append(k)
        raise _Stop

    recs = ({"prompt": "p", "chosen": "a", "rejected": "b"} for _ in range(50001))
    try:
        ap(recs, hp_var=1.0, progress=progress)
        bad.append("progress: the analysis ran to the end without calling progress")
    except _Stop:
        want("progress calls", calls, [50000])
    # arena battles
    battles = [("A", "B", "model_a"), ("A", "B", " b "), ("B", "C", "tie"), ("C", "C", "model_a"),
               ("A", "C", "Tie (bothbad)"), ("C", "A", "draw")]
    perm = rng.permutation(len(battles))
    battles = [battles[i] for i in perm]
    an = ap([{"model_a": a, "model_b": b, "winner": w} for a, b, w in battles], hp_var=1.0, ib_var=4.0)
    names = list(dict.fromkeys(x for a, b, _ in battles for x in (a, b)))
    deg = {x: 0.0 for x in names}
    n_cmp = 0.0
    for a, b, _ in battles:
        if a != b:
            deg[a] += 1.0
            deg[b] += 1.0
            n_cmp += 1.0
    want("arena: kind", an.kind, "arena")
    want("arena: labels", list(an.labels), names)
    want("arena: n_records / n_dropped_self", (an.n_records, an.n_dropped_self), (6, 1))
    want("arena: n_comparisons", float(an.n_comparisons), n_cmp)
    want("arena: degrees", np.asarray(an.degrees, float).tolist(), [deg[x] for x in names])
    want("arena: n_latent / ib_var / n_prompts", (an.n_latent, an.ib_var, an.n_prompts), (0, None, 1))
    want("arena: structure", an.structure.split(" ")[0], "arena")
    want("arena: cyclomatic number (3 pairs, 3 nodes, 1 component)", an.cyclomatic_number, 1)
    want("arena: prior_only (beats graph strongly connected)", np.asarray(an.prior_only).tolist(), [False] * 3)
    # sample size near both ends of the bisection range: path of K = 3 comparisons, variance v, no IB edges
    v = 2.0
    path = shuffled(_prompt("p", [("n0", "n1"), ("n2", "n1"), ("n2", "n3")]))
    Q = float(np.quantile([1, 1, 1, 2, 2, 3], 0.9))  # |i - j| over the 6 pairs of 4 nodes on a path
    found = {}
    for tstar in (2e-6, 5e8, 2e9):
        an = ap(path, hp_var=v, ib_var=None, target_variance=Q * v / tstar)
        t = an.recommended_multiplier
        found[tstar] = t
        if tstar > 1e9:
            want(f"t* = {tstar:g} beyond the search range", t, None)
        elif t is None or not tstar * (1 - 1e-9) <= t <= 1.001 * tstar * (1 + 1e-9):
            bad.append(f"t* = {tstar:g}: recommended {t}")
    ok = not bad
    return Evidence(
        Verdict.of(ok),
        predicted="documented definitions written here (fractions, labels, arena counts, t*)",
        measured={"multipliers": {str(k): v for k, v in found.items()}},
        tolerance="exact; multiplier within [t*, 1.001 t*]",
        why="thresholds are exact points; the bisection stops at hi / lo < 1.001",
        sizes={"progress records": 50001},
        details="; ".join(bad) if bad else "every branch row as documented",
        counterexample=None if ok else {"seed": ctx.seed, "failures": bad},
    )
