"""IBN analysis claims of issue #11, round 9: the rarely taken branches of the analysis layer, pinned.

* ``ibn.analysis_branch_table`` -- :func:`aligntheory.analysis.ibn.analyse_preferences` on small datasets written
  to sit exactly on each documented threshold or in each rarely taken branch, every expected value computed here
  from the documented definitions: the structure label (a fraction > 1/2 decides, so exactly 1/2 each is
  "mixed"), chain-like (2 responses, 1 distinct compared pair, repeats included) and tree-like (>= 3 responses in
  one comparison component) prompts; labels of exactly 120 characters (kept) and 121 (119 kept + "…"); the
  progress callback called first at record 50,000; arena battles (winner aliases, ties as one comparison with
  half a win each, a model against itself dropped, no IB edges, one context); and the sample-size bisection near
  both ends of its search range (t* = 2e-6 and 5e8 found; 2e9 beyond it: None);
* ``ibn.chain_tree_map_derived_fields`` -- every field of the :class:`~aligntheory.analysis.chain_tree.ChainTreeMap`
  that :func:`~aligntheory.analysis.chain_tree.chain_tree_sweep` derives from its measured means, recomputed here
  from its documented definition: the log ratios, the crossover n* (log-linear zero crossing, defined only when the
  largest size's interval excludes 1), the growth quotients and their OLS drift (scipy ``linregress``), the summary
  rows, the tree budget and the solver (sparse LU below 20,000 nodes). It reuses the quick-tier sweep of
  ``ibn.tree_beats_chain_beyond_crossover`` (same call, cached: no new compilation).

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
    "is None for t* = 2e9 (beyond the search range); TRL records without a prompt count as implicit and share the "
    "prompt (and nodes) of an explicit record with the same prefix text; to_dict reports the component sizes "
    "(largest first), their number and the number of prior-only items, and leaves the per-node arrays out.",
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
        if tag == "2 tree + 1 other":  # to_dict: 3 prompts with IB edges -> IBN components of 4, 3, 3 responses;
            # the beats graph is acyclic (no strongly connected part): every one of the 10 nodes is prior-only
            d = an.to_dict()
            want("to_dict: (n_components, component_sizes, n_prior_only)",
                 (d["n_components"], d["component_sizes"], d["n_prior_only"]), (3, [4, 3, 3], 10))
            want("to_dict: scores", d["scores"], [float(x) for x in an.scores])
            want("to_dict: per-node arrays left out", sorted({"labels", "components", "component", "degrees",
                                                             "reff_values", "prior_only"} & set(d)), [])
    # labels: 120 characters kept, 121 cut to 119 + "…"
    s120, s121 = "x" * 119 + "a", "y" * 119 + "bc"
    an = ap([{"prompt": "p", "chosen": s120, "rejected": s121}], hp_var=1.0, ib_var=None)
    want("labels at 120 / 121 characters", list(an.labels), ["[0] " + s120, "[0] " + "y" * 119 + "\u2026"])
    # implicit prompts (TRL): a string pair split before the space, a chat pair at its shared first message; the
    # string pair's prompt "Q: hi A:" is the explicit prompt of the third record, whose " yes" is the same node
    chat = [{"role": "user", "content": "hi"}]
    trl = [{"chosen": "Q: hi A: yes", "rejected": "Q: hi A: no"},
           {"chosen": chat + [{"role": "assistant", "content": "yes"}],
            "rejected": chat + [{"role": "assistant", "content": "no"}]},
           {"prompt": "Q: hi A:", "chosen": " yes", "rejected": " maybe"}]
    an = ap(trl, hp_var=1.0, ib_var=1.0)
    want("implicit prompts: (n_records, n_implicit_prompts, n_prompts, n_nodes)",
         (an.n_records, an.n_implicit_prompts, an.n_prompts, an.n_nodes), (3, 2, 2, 5))
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


def _crossover_of(ns, lr, ci_lo_last):
    """n* from the docstring: the budget from which the tree wins at every larger size (log-linear interpolation of
    the zero crossing); None unless the tree wins at the largest size with an interval excluding 1; n[0] when it wins
    throughout."""
    if not (lr[-1] > 0 and ci_lo_last > 0):
        return None
    j = max((k for k in range(len(lr)) if lr[k] <= 0), default=None)
    if j is None:
        return float(ns[0])
    u = (0.0 - lr[j]) / (lr[j + 1] - lr[j])  # zero of the line through (ln n_j, lr_j), (ln n_j+1, lr_j+1)
    return float(np.exp(np.log(ns[j]) * (1 - u) + np.log(ns[j + 1]) * u))


@claim(
    id="ibn.chain_tree_map_derived_fields",
    statement="chain_tree_sweep's derived fields equal their documented definitions recomputed from its measured "
    "means: log_ratio = ln(mean chain / mean tree) (exact and path), crossover n* = the log-linear zero crossing of "
    "the log ratio after the last size where the chain wins (None unless the tree wins at the largest size with a "
    "95% interval excluding 1; n[0] when it wins throughout), growth_quotient q(n) = ratio / (ln n / ln ln n) at the "
    "sizes n >= n* where the tree wins, growth_drift = the OLS slope of ln q on ln n (None below 2 points), the "
    "summary rows (ratios and intervals exponentiated, n_tree = n for equal comparisons), stderr finite and > 0, and "
    "the solver 'splu' (sparse LU below 20,000 nodes).",
    source=[Source(key="qiu2024reward", where="§4 chain vs tree; map and its fields ours (issue 16) [R]")],
    provenance="R",
    kind="theorem",
    tolerance="rel_err <= 1e-12 (floor 1e-15) for log ratios and summary values (the same float64 means, other "
    "operation order); 1e-10 for n*, quotients and drift (log/exp of values exact to ~1e-15, an OLS slope of <= 3 "
    "points); exact for None, n_tree and the solver",
    rice={"R"},
    stage="forward:feedback",
)
def check_chain_tree_map_derived_fields(ctx: Context) -> Evidence:
    """Predicted: the documented definitions, recomputed here from ``mean_exact`` / ``mean_path`` / ``ci_exact``;
    measured: the fields of ``chain_tree_sweep``'s map (the quick-tier sweep of ``ibn.tree_beats_chain_beyond_crossover``,
    cached). Tolerance: see the decorator."""
    from scipy.stats import linregress

    from aligntheory.proofs_check._helpers import rel_err
    from aligntheory.proofs_check.ibn._chain_tree_claims import _sweep

    m = _sweep(ctx)
    bad: list[str] = []
    ns = np.asarray(m.n_comparisons, float)
    worst = 0.0

    def close(tag, got, pred, tol, floor=1e-15):
        nonlocal worst
        e = rel_err(np.asarray(got, float), np.asarray(pred, float), floor=floor)
        worst = max(worst, float(e))
        if not e <= tol:
            bad.append(f"{tag}: {np.asarray(got).tolist()} != {np.asarray(pred).tolist()}"[:300])

    close("log_ratio_exact", m.log_ratio_exact, np.log(m.mean_exact[..., 0] / m.mean_exact[..., 1]), 1e-12)
    close("log_ratio_path", m.log_ratio_path, np.log(m.mean_path[..., 0] / m.mean_path[..., 1]), 1e-12)
    if not (np.all(np.isfinite(m.stderr_exact)) and np.all(m.stderr_exact > 0)):
        bad.append(f"stderr_exact not finite and > 0: {m.stderr_exact.tolist()}")
    if not np.all(m.ci_exact[..., 0] <= m.ci_exact[..., 1]):
        bad.append("ci_exact: lower end above upper end")
    if not np.array_equal(m.n_tree, np.tile(m.n_comparisons, (len(m.configs), 1))):
        bad.append(f"n_tree {m.n_tree.tolist()} != n (budget 'comparisons')")
    if tuple(m.methods) != ("splu",):
        bad.append(f"methods {m.methods} != ('splu',) (all IBNs below 20,000 nodes)")
    rows = m.summary()
    for i in range(len(m.configs)):
        lr = m.log_ratio_exact[i]
        nstar = _crossover_of(ns, lr, m.ci_exact[i, -1, 0])
        got = m.crossover[i]
        if (got is None) != (nstar is None):
            bad.append(f"crossover {got} != {nstar}")
            continue
        if nstar is not None:
            close("crossover", got, nstar, 1e-10)
        sel = [k for k in range(len(ns)) if nstar is not None and ns[k] >= nstar and lr[k] > 0]
        q = [float(np.exp(lr[k]) / (np.log(ns[k]) / np.log(np.log(ns[k])))) for k in sel]
        if len(m.growth_quotient[i]) != len(q):
            bad.append(f"growth_quotient {m.growth_quotient[i]} != {q}")
        elif q:
            close("growth_quotient", m.growth_quotient[i], q, 1e-10)
        drift = None if len(q) < 2 else float(linregress(np.log(ns[sel]), np.log(q)).slope)
        if (m.growth_drift[i] is None) != (drift is None):
            bad.append(f"growth_drift {m.growth_drift[i]} != {drift}")
        elif drift is not None:
            close("growth_drift", m.growth_drift[i], drift, 1e-10, floor=1e-12)
        for j in range(len(ns)):
            r = rows[i * len(ns) + j]
            if (r["n"], r["n_tree"], r["crossover"]) != (int(ns[j]), int(ns[j]), got):
                bad.append(f"summary row {i},{j}: n / n_tree / crossover {r['n'], r['n_tree'], r['crossover']}")
            close(f"summary row {i},{j}", [r["ratio_exact"], *r["ci_exact"], r["ratio_path"], *r["ci_path"],
                                           r["mean_exact_chain"], r["mean_exact_tree"]],
                  [np.exp(lr[j]), *np.exp(m.ci_exact[i, j]), np.exp(m.log_ratio_path[i, j]),
                   *np.exp(m.ci_path[i, j]), m.mean_exact[i, j, 0], m.mean_exact[i, j, 1]], 1e-12)
    ok = not bad
    return Evidence(
        Verdict.of(ok),
        predicted="documented definitions recomputed from the map's means and intervals",
        measured={"crossover": list(m.crossover), "growth_drift": list(m.growth_drift), "worst rel_err": worst},
        tolerance={"log ratios, summary": 1e-12, "n*, quotients, drift": 1e-10},
        why="the same float64 numbers through other operation orders",
        sizes={"n": ns.astype(int).tolist(), "seeds": m.seeds, "eval_pairs": m.eval_pairs},
        details="; ".join(bad) if bad else f"every derived field matches its definition (worst {worst:.1e})",
        counterexample=None if ok else {"seed": ctx.seed, "failures": bad},
    )
