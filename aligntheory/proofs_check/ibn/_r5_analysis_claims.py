"""IBN analysis claims of issue #11, round 5 (survivors of the second fresh mutation sample, analysis layer).

* ``ibn.analysis_resistance_tables_match_networkx`` -- every distance that
  :func:`aligntheory.analysis.ibn.analyse_preferences` reports (the quantiles of the compared pairs'
  resistances, and the same-component pair resistances ``reff_values``) equals networkx's
  ``resistance_distance`` on the IBN written out here from the records: one record alone (one
  pair: the single-element branch), and several prompts with repeated comparisons, latent prompt
  nodes and fixed or plug-in comparison variances; ``max_pairs`` exactly at the number of
  same-component pairs returns every pair once, one below it a sample of that many.

Tolerances are fixed here, before any run.
"""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np

from aligntheory.proofs_check._helpers import rel_err
from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim

_Q = (0.0, 0.1, 0.5, 0.9, 1.0)
_KEYS = ("min", "q10", "median", "q90", "max")


def _ibn_graph(recs, hp_var, ib_var, beta, scores_of):
    """The IBN of ``recs`` as a networkx graph with ``weight`` = resistance (1 / summed conductance)."""
    cond: dict = {}
    for r in recs:
        u, v = (r["prompt"], r["chosen"]), (r["prompt"], r["rejected"])
        key = tuple(sorted((u, v)))
        if hp_var is None:  # plug-in binary Fisher variance 1 / (beta^2 p (1 - p)), p = sigma(beta (s_u - s_v))
            x = beta * (scores_of(u) - scores_of(v))
            c = beta**2 / (2.0 + np.exp(x) + np.exp(-x))  # beta^2 sigma(x) sigma(-x)
        else:
            c = 1.0 / hp_var
        cond[key] = cond.get(key, 0.0) + c
    hp_pairs = list(cond)
    if ib_var is not None:
        for r in recs:
            for y in (r["chosen"], r["rejected"]):
                cond[((r["prompt"], y), ("prompt node", r["prompt"]))] = 1.0 / ib_var
    G = nx.Graph()
    for (u, v), c in cond.items():
        G.add_edge(u, v, weight=1.0 / c)
    return G, hp_pairs


def _reff(G, u, v) -> float:
    """Resistance between ``u`` and ``v`` (networkx needs a connected graph: their component)."""
    H = G.subgraph(nx.node_connected_component(G, u))
    return float(nx.resistance_distance(H, u, v, weight="weight", invert_weight=True))


@claim(
    id="ibn.analysis_resistance_tables_match_networkx",
    statement="analyse_preferences' distances are effective resistances of the IBN built from the records: the "
    "quantiles (min, q10, median, q90, max, mean) of the compared pairs' resistances and the same-component pair "
    "resistances reff_values equal networkx resistance_distance on the graph written out here (comparison "
    "conductances 1/hp_var or the plug-in beta^2 p(1-p) at the reported scores, summed over repeats; IB edges of "
    "variance ib_var to a latent node per prompt), for one record alone and for several prompts; with max_pairs equal "
    "to the number T of same-component response pairs every pair appears once, with max_pairs = T - 1 that many "
    "sampled pairs, each one of them.",
    source=[Source(key="qiu2024reward", where="§2.5-§2.6 IBN, inference distance = effective resistance")],
    provenance="M",
    kind="theorem",
    tolerance="rel_err <= 1e-9 (floor 1e-12): dense solves of graphs of <= 20 nodes with conductances within a "
    "factor 1e3 of each other are exact to ~1e-13 relative, in both routes; a distance that is 0, or a pair missing "
    "or repeated, is off by O(1)",
    rice={"R"},
    stage="forward:feedback",
)
def check_analysis_resistance_tables(ctx: Context) -> Evidence:
    """Predicted: networkx ``resistance_distance`` on the IBN written out here; measured: ``analyse_preferences``.

    Tolerance: 1e-9 relative (see the decorator).
    """
    from aligntheory.analysis.ibn import analyse_preferences

    rng = ctx.rng(121)
    bad: list[str] = []
    worst = 0.0

    def compare(tag, an, recs, hp_var, ib_var, beta, max_pairs=None):
        nonlocal worst
        lab = [t.split("] ", 1)[-1] for t in an.labels]  # labels are "[prompt id] response" (texts unique here)

        def scores_of(node):
            return float(an.scores[lab.index(node[1])])

        G, hp_pairs = _ibn_graph(recs, hp_var, ib_var, beta, scores_of)
        edges = np.array([_reff(G, u, v) for u, v in hp_pairs])
        pred = dict(zip(_KEYS, np.quantile(edges, _Q).tolist()), mean=float(edges.mean()))
        got = an.reff_edges
        e1 = rel_err([got.get(k, np.nan) for k in pred], list(pred.values()), floor=1e-12)
        resp = sorted({(r["prompt"], y) for r in recs for y in (r["chosen"], r["rejected"])})
        comp = {v: k for k, cc in enumerate(nx.connected_components(G)) for v in cc}
        allp = np.sort([_reff(G, u, v) for u, v in itertools.combinations(resp, 2) if comp[u] == comp[v]])
        vals = np.sort(np.asarray(an.reff_values, float))
        if max_pairs is None or max_pairs >= len(allp):
            e2 = rel_err(vals, allp, floor=1e-12) if len(vals) == len(allp) else np.inf
        elif len(vals) != max_pairs:
            e2 = np.inf
        else:  # each sampled value is one of the pair resistances
            near = allp[np.abs(vals[:, None] - allp[None]).argmin(1)]
            e2 = rel_err(vals, near, floor=1e-12)
        worst = max(worst, e1, e2)
        if not e1 <= 1e-9:
            bad.append(f"{tag}: reff_edges {got} != {pred}")
        if not e2 <= 1e-9:
            bad.append(f"{tag}: reff_values {vals.tolist()} != pair resistances {allp.tolist()} (max_pairs {max_pairs})")
        return len(allp)

    # one record alone: one compared pair, one same-component pair
    hv, iv = float(rng.uniform(0.5, 5.0)), float(rng.uniform(0.5, 5.0))
    one = [{"prompt": "p", "chosen": "yes", "rejected": "no"}]
    for ib in (None, iv):
        compare(f"one record, ib_var={ib}", analyse_preferences(one, hp_var=hv, ib_var=ib), one, hv, ib, 1.0)
    # several prompts: random connected comparisons among 2-5 responses, repeats allowed
    recs = []
    for q in range(4):
        k = int(rng.integers(2, 6))
        names = [f"r{q}_{i}" for i in range(k)]
        for i in range(1, k):  # a random tree, then a few extra comparisons
            j = int(rng.integers(0, i))
            recs.append((q, names[i], names[j]))
        for _ in range(int(rng.integers(0, 4))):
            i, j = rng.choice(k, 2, replace=False)
            recs.append((q, names[i], names[j]))
    recs = [{"prompt": f"prompt {q}", "chosen": a, "rejected": b} if rng.random() < 0.5 else
            {"prompt": f"prompt {q}", "chosen": b, "rejected": a} for q, a, b in recs]
    beta = float(rng.uniform(0.5, 2.0))
    gn = int(rng.choice([2, 5, 96]))
    an = analyse_preferences(recs, hp_var=hv, ib_var=iv, group_nodes=gn, beta=beta)
    T = compare("fixed variance", an, recs, hv, iv, beta)
    an = analyse_preferences(recs, hp_var=hv, ib_var=iv, group_nodes=gn, beta=beta, max_pairs=T)
    compare("max_pairs = T", an, recs, hv, iv, beta, max_pairs=T)
    an = analyse_preferences(recs, hp_var=hv, ib_var=iv, group_nodes=gn, beta=beta, max_pairs=T - 1,
                             seed=int(rng.integers(2**31)))
    compare("max_pairs = T - 1", an, recs, hv, iv, beta, max_pairs=T - 1)
    an = analyse_preferences(recs, hp_var="plugin", ib_var=None, group_nodes=gn, beta=beta)
    compare("plug-in variance, no IB edges", an, recs, None, None, beta)
    ok = not bad
    return Evidence(
        Verdict.of(ok),
        predicted="networkx resistance_distance on the IBN of the records",
        measured={"worst rel_err": worst},
        tolerance=1e-9,
        why="dense solves of small graphs are exact to ~1e-13 relative",
        sizes={"records": len(recs), "same-component pairs": T, "group_nodes": gn},
        details="; ".join(bad) if bad else f"every distance matches networkx (worst {worst:.1e})",
        counterexample=None if ok else {"seed": ctx.seed, "failures": bad},
    )


def _same(tag: str, x, y) -> bool:
    """``True`` when two analyses agree bit for bit (a default equals its documented value), else AssertionError."""
    fx, fy = (np.concatenate([np.ravel(np.asarray(v, float)) for v in
                              (r.scores, r.reff_values, list(r.reff_edges.values()), [r.n_pairs_sampled])])
              for r in (x, y))
    if fx.shape != fy.shape or not np.array_equal(fx, fy):
        raise AssertionError(f"{tag}: the default call differs from the call with the documented value")
    return True


def _expect(ok: bool, msg: str) -> bool:
    if not ok:
        raise AssertionError(msg)
    return True


@claim(
    id="ibn.analysis_failure_contract",
    statement="analyse_preferences and chain_tree_sweep behave as their docstrings and signatures say at each "
    "documented boundary: beta, ib_var, hp_var, target_variance > 0, prior_strength >= 0, max_pairs >= 1, "
    "group_nodes >= 2, seed >= 0, hp_var 'plugin' or a number, at least one comparison of two different responses "
    "(InvalidInputError naming the argument one step outside, a result on the boundary); chain_tree_sweep refuses "
    "a budget one past max_comparisons (SizeCapError) and sizes below 16, seeds or eval_pairs below 2, n_boot below "
    "100; the documented defaults (beta=1, hp_var='plugin', ib_var=4, max_pairs=2000, prior_strength=1, seed=0) "
    "give bit for bit the result of passing those values, and with 2016 same-component pairs the default samples "
    "exactly 2000.",
    source=[Source(key="qiu2024reward", where="§2.5-§2.6 IBN, inference distance")],
    provenance="M",
    kind="contract",
    tolerance="exact: each row on its documented side (defaults: equal bit for bit)",
    rice={"R"},
    stage="forward:feedback",
)
def check_analysis_failure_contract(ctx: Context) -> Evidence:
    """Rows written from the docstrings of ``analyse_preferences`` and ``chain_tree_sweep`` (tiny inputs)."""
    from aligntheory.analysis.chain_tree import chain_tree_sweep
    from aligntheory.analysis.ibn import analyse_preferences as ap
    from aligntheory.errors import InvalidInputError as IIE
    from aligntheory.errors import SizeCapError
    from aligntheory.proofs_check._helpers import ContractCase, contract_evidence

    rng = ctx.rng(122)
    recs = [{"prompt": "p", "chosen": f"r{i}", "rejected": f"r{j}"}
            for i, j in [(0, 1), (1, 2), (2, 0), (0, 1), (3, 1)]]
    big = [{"prompt": "q", "chosen": f"s{i}", "rejected": f"s{j}"}  # 64 responses of one prompt: 2016 pairs
           for i, j in zip(range(1, 64), rng.integers(0, 64, 63) % np.arange(1, 64))]
    rows = [
        ContractCase("beta tiny > 0 accepted", lambda: ap(recs, beta=1e-3, hp_var=1.0).scores),
        ContractCase("beta = 0 refused", lambda: ap(recs, beta=0.0), (IIE, "beta")),
        ContractCase("ib_var = 0 refused", lambda: ap(recs, ib_var=0.0), (IIE, "ib_var")),
        ContractCase("ib_var = None accepted", lambda: ap(recs, ib_var=None).scores),
        ContractCase("hp_var = 0 refused", lambda: ap(recs, hp_var=0.0), (IIE, "hp_var")),
        ContractCase("hp_var = 'fisher' refused", lambda: ap(recs, hp_var="fisher"), (IIE, "hp_var")),
        ContractCase("target_variance = 0 refused", lambda: ap(recs, target_variance=0.0), (IIE, "target_variance")),
        ContractCase("prior_strength = 0 accepted when an MLE exists (a 3-cycle)",
                     lambda: ap(recs[:3], prior_strength=0.0, hp_var=1.0).scores),
        ContractCase("prior_strength = 0 refused when no MLE exists (r3 never loses)",
                     lambda: ap(recs, prior_strength=0.0, hp_var=1.0), (IIE, "prior_strength")),
        ContractCase("prior_strength = -1e-300 refused", lambda: ap(recs, prior_strength=-1e-300),
                     (IIE, "prior_strength")),
        ContractCase("prior_strength = -1e-300 refused when an MLE exists (prior unused)",
                     lambda: ap(recs[:3], prior_strength=-1e-300), (IIE, "prior_strength")),
        ContractCase("max_pairs = 1 accepted", lambda: ap(recs, max_pairs=1).reff_values),
        ContractCase("max_pairs = 0 refused", lambda: ap(recs, max_pairs=0), (IIE, "max_pairs")),
        ContractCase("group_nodes = 2 accepted", lambda: ap(recs, group_nodes=2).reff_values),
        ContractCase("group_nodes = 1 refused", lambda: ap(recs, group_nodes=1), (IIE, "group_nodes")),
        ContractCase("seed = -1 refused", lambda: ap(recs, seed=-1), (IIE, "seed")),
        ContractCase("TRL record with a string and a chat list refused", lambda: ap(
            [{"chosen": "Q: a", "rejected": [{"role": "user", "content": "Q: a"}]}]), (IIE, "records[0].rejected")),
        ContractCase("only a self-comparison refused", lambda: ap([{"prompt": "p", "chosen": "x", "rejected": "x"}]),
                     (IIE, "records")),
        ContractCase("defaults = documented values", lambda: _same(
            "analyse_preferences", ap(recs), ap(recs, beta=1.0, hp_var="plugin", ib_var=4.0, max_pairs=2000,
                                              prior_strength=1.0, seed=0))),
        ContractCase("default max_pairs = 2000 with 2016 pairs: 2000 sampled", lambda: _same(
            "max_pairs", ap(big, hp_var=1.0, ib_var=None), ap(big, hp_var=1.0, ib_var=None, max_pairs=2000))
            and _expect(ap(big, hp_var=1.0, ib_var=None).n_pairs_sampled == 2000, "default max_pairs: not 2000")),
        ContractCase("chain_tree_sweep budget = max_comparisons + 1 refused",
                     lambda: chain_tree_sweep([65], max_comparisons=64), (SizeCapError, "n_comparisons")),
        ContractCase("chain_tree_sweep size 15 refused", lambda: chain_tree_sweep([15]), (IIE, "n_comparisons")),
        ContractCase("chain_tree_sweep decreasing sizes refused", lambda: chain_tree_sweep([128, 64]),
                     (IIE, "n_comparisons")),
        ContractCase("chain_tree_sweep seeds = 1 refused", lambda: chain_tree_sweep([64], seeds=1), (IIE, "seeds")),
        ContractCase("chain_tree_sweep eval_pairs = 1 refused", lambda: chain_tree_sweep([64], eval_pairs=1),
                     (IIE, "eval_pairs")),
        ContractCase("chain_tree_sweep n_boot = 99 refused", lambda: chain_tree_sweep([64], n_boot=99),
                     (IIE, "n_boot")),
    ]
    return contract_evidence(rows)


def _trl_split(chosen: str, rejected: str) -> tuple[str, str, str]:
    """TRL's implicit prompt, written from the docs: the longest common prefix; a space before the split goes with
    the responses (only while both responses stay non-empty)."""
    k = 0
    while k < min(len(chosen), len(rejected)) and chosen[k] == rejected[k]:
        k += 1
    if k and chosen[k - 1] == " " and k < min(len(chosen), len(rejected)):
        k -= 1
    return chosen[:k], chosen[k:], rejected[k:]


@claim(
    id="ibn.analysis_structure_tables_match_networkx",
    statement="analyse_preferences' structure tables equal their definitions computed independently with networkx: "
    "per-node degrees (comparisons involving the node) and their quantiles, the cyclomatic number (distinct compared "
    "pairs - nodes + components of the comparison graph), the components (IBN, responses only), each node's "
    "comparison component numbered by size (largest first) and its rank by score inside it (1 = best), the numbers "
    "of nodes, prompts and comparisons, the chain-like / tree-like / other prompt fractions and the structure "
    "label (> 1/2 decides), with two self-comparisons (dropped and counted; their responses stay nodes); and TRL records without a prompt split at the longest common prefix, a space before the "
    "split going with the responses, including a one-character shared prefix.",
    source=[Source(key="qiu2024reward", where="§2.5 IBN of a preference dataset")],
    provenance="M",
    kind="theorem",
    tolerance="exact for counts, labels and integer tables; quantiles rel_err <= 1e-12 (numpy quantile of the same "
    "integers)",
    rice={"R"},
    stage="forward:feedback",
)
def check_analysis_structure_tables(ctx: Context) -> Evidence:
    """Predicted: networkx components / counts of the records; measured: the ``PreferenceAnalysis`` fields."""
    from aligntheory.analysis.ibn import analyse_preferences

    rng = ctx.rng(123)
    recs = []
    for q in range(int(rng.integers(3, 7))):
        k = int(rng.integers(2, 6))
        for _ in range(int(rng.integers(1, 2 * k))):
            i, j = rng.choice(k, 2, replace=False)
            recs.append({"prompt": f"prompt {q}", "chosen": f"r{q}_{i}", "rejected": f"r{q}_{j}"})
    # self-comparisons (dropped, counted): one of a compared response, one of a response seen nowhere else (a node)
    selfs = [{"prompt": "prompt 0", "chosen": "r0_0", "rejected": "r0_0"},
             {"prompt": "prompt 1", "chosen": "solo", "rejected": "solo"}]
    at = sorted(rng.choice(len(recs) + 1, 2))
    allrecs = recs[:at[0]] + [selfs[0]] + recs[at[0]:at[1]] + [selfs[1]] + recs[at[1]:]
    an = analyse_preferences(allrecs, hp_var=1.0, ib_var=float(rng.uniform(1, 4)))
    node = {}
    for r in allrecs:
        for y in (r["chosen"], r["rejected"]):
            node.setdefault((r["prompt"], y), len(node))
    prompts = list(dict.fromkeys(r["prompt"] for r in allrecs))
    G = nx.MultiGraph()
    G.add_nodes_from(range(len(node)))
    G.add_edges_from((node[(r["prompt"], r["chosen"])], node[(r["prompt"], r["rejected"])]) for r in recs)
    S = nx.Graph(G)
    deg = np.array([G.degree(v) for v in range(len(node))], float)
    comps = sorted((sorted(c) for c in nx.connected_components(S)), key=lambda c: (-len(c), c[0]))
    comp_of = {v: k for k, c in enumerate(comps) for v in c}
    bad: list[str] = []

    def want(tag, got, pred):
        if got != pred:
            bad.append(f"{tag}: {got!r} != {pred!r}"[:300])

    want("n_nodes", an.n_nodes, len(node))
    want("n_prompts", an.n_prompts, len(prompts))
    want("n_comparisons", float(an.n_comparisons), float(len(recs)))
    want("n_dropped_self", an.n_dropped_self, 2)
    want("labels", list(an.labels), [f"[{prompts.index(p)}] {y}" for (p, y) in node])
    want("degrees", np.asarray(an.degrees, float).tolist(), deg.tolist())
    pq = dict(zip(_KEYS, np.quantile(deg, _Q).tolist()), mean=float(deg.mean()))
    if rel_err([an.degree.get(k, np.nan) for k in pq], list(pq.values()), floor=1e-12) > 1e-12:
        bad.append(f"degree quantiles {an.degree} != {pq}")
    want("cyclomatic_number", an.cyclomatic_number, S.number_of_edges() - len(node) + len(comps))
    want("components (IBN, per prompt)", sorted(map(sorted, an.components)),
         sorted(sorted(node[(p, y)] for (p, y) in node if p == q) for q in prompts))
    want("component", np.asarray(an.component).tolist(), [comp_of[v] for v in range(len(node))])
    s = np.asarray(an.scores)
    rank = [1 + sum(1 for u in comps[comp_of[v]] if (s[u], -u) > (s[v], -v)) for v in range(len(node))]
    want("rank_in_component", np.asarray(an.rank_in_component).tolist(), rank)
    n_resp = [sum(1 for (p, _) in node if p == q) for q in prompts]
    n_pairs = [sum(1 for u, v in S.edges if u in comp_of and any(p == q for (p, y) in node if node[(p, y)] == u))
               for q in prompts]
    n_comp = [len({comp_of[node[(p, y)]] for (p, y) in node if p == q}) for q in prompts]
    ch = np.mean([r == 2 and e == 1 for r, e in zip(n_resp, n_pairs)])
    tr = np.mean([r >= 3 and c == 1 for r, c in zip(n_resp, n_comp)])
    want("structure_fractions", an.structure_fractions,
         {"chain-like prompts": float(ch), "tree-like prompts": float(tr), "other prompts": 1.0 - ch - tr})
    want("structure", an.structure, "chain-like" if ch > 0.5 else "tree-like" if tr > 0.5 else "mixed")
    # TRL records without a prompt: the split of each one, read back from the node labels
    trl = [(" yes", " no"), ("Q: hi? A: hello", "Q: hi? A: go away"), ("ab", "cd"), ("x yes", "x no"),
           ("Q: a b", "Q: a c")]
    for c, r in trl:
        p, cc, rr = _trl_split(c, r)
        got = analyse_preferences([{"chosen": c, "rejected": r}], hp_var=1.0, ib_var=None).labels
        want(f"implicit prompt of {c!r} / {r!r}", got, [f"[0] {cc}", f"[0] {rr}"])
        if not (p + cc == c and p + rr == r):
            bad.append(f"split of {c!r} / {r!r} does not recompose")
    ok = not bad
    return Evidence(
        Verdict.of(ok),
        predicted="networkx components and counts of the records; TRL split written from the docs",
        measured={"n_nodes": an.n_nodes, "cyclomatic_number": an.cyclomatic_number, "structure": an.structure},
        tolerance="exact",
        why="integer tables and labels; quantiles of the same integers",
        sizes={"records": len(recs), "prompts": len(prompts)},
        details="; ".join(bad) if bad else "every structure table matches its definition",
        counterexample=None if ok else {"seed": ctx.seed, "failures": bad},
    )


@claim(
    id="ibn.analysis_sample_size_is_bisection_root",
    statement="analyse_preferences' recommended multiplier t for target_variance is the smallest repetition factor "
    "at which the 90th percentile of the sampled pair resistances falls to the target, to the bisection's relative "
    "width 1e-3: on a path of K comparisons of fixed variance v (no IB edges) every resistance is |i - j| v / t, so "
    "t* = Q v / target with Q the 0.9-quantile of |i - j| over the pairs, and t* <= t <= 1.001 t*, for targets "
    "above and below the current q90; a target below the IB-only floor is unreachable (None), a target met with a "
    "millionth of the data returns 1e-6; recommended_comparisons = t x n_comparisons.",
    source=[Source(key="qiu2024reward", where="§2.6 inference distance; sample size by repetition")],
    provenance="M",
    kind="theorem",
    tolerance="t* (1 - 1e-9) <= t <= 1.001 t* (1 + 1e-9): the documented stopping rule hi / lo < 1.001 of a bisection "
    "that keeps q90(hi) <= target; 1e-9 covers the rounding of resistances exact to ~1e-15",
    rice={"R"},
    stage="forward:feedback",
)
def check_analysis_sample_size(ctx: Context) -> Evidence:
    """Predicted: ``t* = Q v / target`` (series resistances); measured: ``recommended_multiplier``."""
    from aligntheory.analysis.ibn import analyse_preferences

    rng = ctx.rng(124)
    K = int(rng.integers(3, 8))
    v = float(rng.uniform(0.5, 3.0))
    recs = [{"prompt": "p", "chosen": f"n{i}", "rejected": f"n{i + 1}"} if rng.random() < 0.5 else
            {"prompt": "p", "chosen": f"n{i + 1}", "rejected": f"n{i}"} for i in range(K)]
    Q = float(np.quantile([j - i for i in range(K + 1) for j in range(i + 1, K + 1)], 0.9))
    bad: list[str] = []
    rows = {}
    for factor in (float(rng.uniform(1.5, 50.0)), float(rng.uniform(0.02, 0.7))):  # t* above and below 1
        target = Q * v / factor
        an = analyse_preferences(recs, hp_var=v, ib_var=None, target_variance=target)
        t = an.recommended_multiplier
        rows[round(factor, 4)] = t
        if t is None or not factor * (1 - 1e-9) <= t <= 1.001 * factor * (1 + 1e-9):
            bad.append(f"t* = {factor:.6g}: recommended {t}")
        elif rel_err(an.recommended_comparisons, t * K) > 1e-12:
            bad.append(f"recommended_comparisons {an.recommended_comparisons} != t x {K}")
    # unreachable: a second compared pair (x, y) of the same prompt joined to the path only through the IB edges
    # (variance 1) keeps every path-to-{x, y} resistance >= 1/2 + 1/(K + 1) for any t; these 2(K + 1) pairs are
    # >= 40 % of all pairs (K <= 8), so the q90 stays above 1/2 and a target of 1e-9 is unreachable
    an = analyse_preferences(recs + [{"prompt": "p", "chosen": "x", "rejected": "y"}], hp_var=v, ib_var=1.0,
                             target_variance=1e-9)
    if an.recommended_multiplier is not None:
        bad.append(f"target 1e-9 below the IB floor: recommended {an.recommended_multiplier}, expected None")
    an = analyse_preferences(recs, hp_var=v, ib_var=None, target_variance=Q * v * 1e7)
    if an.recommended_multiplier != 1e-6:
        bad.append(f"target met with a millionth of the data: recommended {an.recommended_multiplier}, expected 1e-6")
    ok = not bad
    return Evidence(
        Verdict.of(ok),
        predicted={"t*": list(rows)},
        measured={"recommended": list(rows.values())},
        tolerance="[t*, 1.001 t*]",
        why="documented bisection stopping rule",
        sizes={"path comparisons": K},
        details="; ".join(bad) if bad else "recommended multipliers within the bisection width of t*",
        counterexample=None if ok else {"seed": ctx.seed, "failures": bad},
    )
