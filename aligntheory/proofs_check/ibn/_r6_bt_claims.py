"""IBN claims of issue #11, round 6, on the shared host numerics and the IBN analysis (fresh-r5 survivors).

* ``ibn.bt_existence_one_sided_searches`` -- :func:`~aligntheory.numerics.fit_bradley_terry` (compiled route)
  refuses exactly the datasets networkx finds not strongly connected, on the rarely decided families: one
  item that wins (or loses) every comparison, so that exactly one of the two searches from item 0 completes,
  and chains stored against the pair order (the sweeps cannot decide, the BFS does), with one one-sided pair or
  split into two blocks one of which beats the other (a BFS that follows a wrong list reaches the other block);
* ``ibn.laplacian_pcg_unit_rhs`` -- :class:`~aligntheory.numerics.LaplacianSolver` (``"pcg"``, ``"dense"``, ``"splu"``) solves
  right-hand sides of norm exactly 0, 1 and 2 to its tolerance, against numpy's pseudo-inverse;
* ``ibn.laplacian_edges_contract`` (contract) -- :class:`~aligntheory.numerics.LaplacianSolver` refuses a repeated
  pair (either orientation) and a self-loop, documented "distinct undirected pairs without self-loops" (round 6:
  they raised an IndexError in ``solve``), and accepts distinct pairs;
* ``ibn.implicit_prompt_prefix_records`` -- :func:`~aligntheory.analysis.ibn.analyse_preferences` on TRL records
  whose chosen text is a prefix of the rejected one ending in a space: no split move (documented), so such a
  record opens its own prompt.

Tolerances are fixed here, before any run.
"""

from __future__ import annotations

import numpy as np

from aligntheory.proofs_check._helpers import ContractCase, contract_evidence, rel_err
from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim


def _datasets(rng, count):
    """``(kind, n, pairs (u < v), wins of u, K)`` of the two families (see the module docstring)."""
    out = []
    for t in range(count):
        kind = ("reverse chain, two blocks", "wins all", "loses all", "reverse chain", "reverse chain, one-sided")[t % 5]
        if kind == "reverse chain, two blocks":
            # chain 0 - (n-1) - ... - 1 plus random pairs; a cut splits the chain into two blocks and the later
            # (or earlier) block beats the other in every comparison across: not strongly connected, and the
            # sweeps (one item per sweep along the chain) leave the decision to the BFS
            n = int(rng.integers(8, 20))
            order = np.array([0, *range(n - 1, 0, -1)])
            blk = np.zeros(n, np.int64)
            cut = int(rng.integers(2, n - 1))
            blk[order[:cut] if t % 2 else order[cut:]] = 1
            extra = rng.integers(0, n, (int(rng.integers(0, n)), 2))
            e = np.concatenate([np.stack([order[:-1], order[1:]], 1), extra[extra[:, 0] != extra[:, 1]]])
            e = np.unique(np.sort(e, axis=1), axis=0)
            K = rng.integers(2, 5, len(e)).astype(float)
            w = rng.integers(1, K).astype(float)
            cross = blk[e[:, 0]] != blk[e[:, 1]]
            w = np.where(cross, np.where(blk[e[:, 0]] == 1, K, 0.0), w)
        elif kind.startswith("reverse"):
            n = int(rng.integers(8, 20))
            order = [0, *range(n - 1, 0, -1)]  # 0 - (n-1) - (n-2) - ... - 1: the sweeps advance one item each
            e = np.sort(np.array([order[:-1], order[1:]]).T, axis=1)
            K = rng.integers(2, 5, len(e)).astype(float)
            w = rng.integers(1, K).astype(float)
            if kind.endswith("one-sided"):
                k = int(rng.integers(0, len(e)))
                w[k] = (0.0, K[k])[int(rng.integers(0, 2))]
        else:
            n = int(rng.integers(4, 12))
            iu, ju = np.triu_indices(n, 1)
            keep = rng.random(len(iu)) < 0.6
            keep[iu == 0] = True  # item 0 meets everyone (the sweeps see it first)
            e = np.stack([iu[keep], ju[keep]], 1)
            K = rng.integers(2, 5, len(e)).astype(float)
            w = rng.integers(1, K).astype(float)
            s = 0 if t % 8 < 4 else int(rng.integers(1, n))
            # item s wins (or loses) every comparison it takes part in
            su, sv = e[:, 0] == s, e[:, 1] == s
            top = kind == "wins all"
            w[su] = K[su] if top else 0.0
            w[sv] = 0.0 if top else K[sv]
        out.append((kind, n, e, w, K))
    return out


@claim(
    id="ibn.bt_existence_one_sided_searches",
    statement="fit_bradley_terry (no prior; compiled route when numba is installed) returns result 'disconnected' "
    "exactly on the datasets whose beats graph networkx finds not strongly connected, on the families where one "
    "search from item 0 completes and the other does not (an item winning or losing every comparison) and on chains "
    "stored against the pair order (decided by the BFS) with and without one one-sided pair or a split into two "
    "blocks, one beating the other in every comparison across.",
    source=[Source(key="ford1957solution"), Source(key="newman2023efficient")],
    provenance="M",
    kind="theorem",
    tolerance="outcomes exactly (yes/no per dataset)",
    rice={"R"},
    stage="backward:assurance",
)
def check_bt_existence_one_sided_searches(ctx: Context) -> Evidence:
    """Predicted: ``networkx.is_strongly_connected`` of the beats graph built here; measured: the outcome of
    ``fit_bradley_terry(accelerator="numba")`` (``"numpy"`` without numba, stated in the evidence).

    Tolerance: exact (existence of the MLE is a yes/no fact, Ford 1957). Half the datasets have an item that wins
    (loses) every comparison: the backward (forward) search from item 0 completes and the other must not be
    counted complete; the chains ``0 - (n-1) - ... - 1`` stored as ``(min, max)`` pairs advance one item per sweep,
    so the decision falls to the BFS and its transposed (``v``-side) lists. A false "not connected" from the compiled
    check is caught by the fit's second (scipy) component count, so only a false "connected" shows here: the two-block
    chains are where a wrong adjacency list gives one.
    """
    from aligntheory.proofs_check.ibn._r5_bt_solver_claims import bt_route, existence_outcome

    route = bt_route()
    rng = ctx.rng(606)
    bad: list[str] = []
    counts: dict[str, list[int]] = {}
    for kind, n, e, w, K in _datasets(rng, ctx.pick(quick=40, full=400)):
        pred, got, wrong = existence_outcome(n, e, w, K, route)
        c = counts.setdefault(kind, [0, 0])
        c[int(pred)] += 1
        if wrong:
            bad.append(f"{kind} (n={n}): networkx {pred}, fit {got}")
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"fitted iff strongly connected": True},
        measured={"datasets [not SC, SC] per family": counts, "mismatches": bad[:5], "route": route},
        tolerance="exact",
        why="existence of the MLE is a yes/no fact (Ford 1957)",
        sizes={"datasets": sum(sum(c) for c in counts.values()), "n_items": "4..19"},
        details="; ".join(bad) if bad else f"outcome matches networkx on every dataset ({counts}; route {route})",
        counterexample=None if ok else {"seed": ctx.seed, "failures": bad},
    )


@claim(
    id="ibn.laplacian_pcg_unit_rhs",
    statement="LaplacianSolver(method='pcg', 'dense' and 'splu').solve returns, for right-hand sides of norm exactly "
    "0, 1 and 2 (sums zero), the centred solution of numpy's pseudo-inverse to relative 1e-8, successful, with a "
    "relative residual <= rtol.",
    source=[Source(key="hendrickx2019graph")],
    provenance="M",
    kind="theorem",
    tolerance="solution relative 1e-8 (floor 1e-12); reported residual <= rtol = 1e-12 when b != 0",
    rice={"R"},
    stage="backward:assurance",
)
def check_laplacian_pcg_unit_rhs(ctx: Context) -> Evidence:
    """Predicted: ``pinv(L) b`` (numpy) on a random connected graph of 8..16 nodes; measured:
    ``LaplacianSolver(n, edges, method=m).solve(c, b)`` (``m`` in pcg, dense, splu) with ``b`` of exact norms 0, 1
    (entries +-1/2 on four nodes) and 2.

    Tolerance: relative 1e-8 with floor 1e-12: the solve stops at relative residual 1e-12 and the condition number
    of these Laplacians (conductances in [0.5, 2]) is < 1e3, so the error is < 1e-9; special cases of the norm
    (``b = 0`` returns zero at once) must not catch other norms.
    """
    from aligntheory.numerics import LaplacianSolver

    rng = ctx.rng(607)
    n = int(rng.integers(8, 17))
    p = rng.permutation(n)
    e = np.stack([p[:-1], p[1:]], 1)
    extra = rng.integers(0, n, (n, 2))
    e = np.concatenate([e, extra[extra[:, 0] != extra[:, 1]]])
    e = np.unique(np.sort(e, axis=1), axis=0)  # distinct pairs (one conductance each)
    c = rng.uniform(0.5, 2.0, len(e))
    L = np.zeros((n, n))
    np.add.at(L, (e[:, 0], e[:, 1]), -c)
    np.add.at(L, (e[:, 1], e[:, 0]), -c)
    L[np.diag_indices(n)] = -L.sum(1)
    Lp = np.linalg.pinv(L)
    out = {}
    ok = True
    for method in ("pcg", "dense", "splu"):
        S = LaplacianSolver(n, e, method=method)
        for scale in (0.0, 1.0, 2.0):
            b = np.zeros(n)
            b[rng.choice(n, 4, replace=False)] = [0.5, -0.5, 0.5, -0.5]
            b *= scale
            if float(np.linalg.norm(b)) != scale:
                raise AssertionError(f"the right-hand side has norm {np.linalg.norm(b)!r}, not {scale}")
            sol = S.solve(c, b)
            err = rel_err(sol.x, Lp @ b, floor=1e-12)
            good = err <= 1e-8 and sol.converged and (scale == 0.0 or sol.residual <= 1e-12)
            out[f"{method}, |b| = {scale:g}"] = {"relative error": err, "residual": float(sol.residual),
                                                 "result": sol.result.name}
            ok = ok and good
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"x": "pinv(L) b", "relative error": "<= 1e-8", "residual": "<= 1e-12"},
        measured=out,
        tolerance={"solution relative": 1e-8, "floor": 1e-12, "residual": 1e-12},
        why="rtol 1e-12 times condition number < 1e3 bounds the error well below 1e-8",
        sizes={"nodes": n, "edges": len(e)},
        details=f"{out}",
        counterexample=None if ok else {"seed": ctx.seed, "n": n},
    )


@claim(
    id="ibn.implicit_prompt_prefix_records",
    statement="analyse_preferences on TRL records without a prompt field: a record whose chosen text is a prefix of "
    "the rejected one (ending in a space) keeps the whole chosen text as its prompt (no split move: the strings do "
    "not differ there), so it opens a prompt of its own beside the records split at a real difference; a chat "
    "record whose chosen messages are a prefix of the rejected ones has that prefix as its prompt and an empty "
    "chosen response; string records with no common prefix (one chosen text ending in a space) share the empty "
    "prompt.",
    source=[Source(key="qiu2024reward", where="§2.3 (preference datasets; implicit prompts: our convention)")],
    provenance="M",
    kind="theorem",
    tolerance="counts exactly",
    rice={"R", "I"},
    stage="forward:feedback",
)
def check_implicit_prompt_prefix_records(ctx: Context) -> Evidence:
    """Predicted: prompts and response nodes of the split written here (``"Q? yes"``/``"Q? no"`` split at
    ``"Q?"``; ``"Q? "``/``"Q? no"`` keep ``"Q? "`` whole); measured: ``analyse_preferences`` counts.

    Tolerance: exact (string operations). A split moved one character left on the prefix record would merge it
    into the prompt ``"Q?"`` (one prompt fewer); chat records ``[user, a]`` / ``[user, b]`` share the prompt
    ``[user]`` with the prefix record ``[user]`` / ``[user, b]``, whose chosen response ``[]`` is one node more.
    Two string records with no common prefix (``"yes "``/``"no"``, ``"sure "``/``"maybe"``) share the empty
    prompt: a split move at ``k = 0`` (which would read the last character, ``chosen[-1]``) would give them the
    prompts ``"yes"`` and ``"sure"``, one prompt more.
    """
    from aligntheory.analysis.ibn import analyse_preferences

    rng = ctx.rng(608)
    words = ["yes", "no", "maybe", "sure", "never"]
    n_q = int(rng.integers(2, 5))
    records, prompts, nodes = [], set(), set()
    for q in range(n_q):
        head = f"Q{q}?"
        a, b = rng.choice(len(words), 2, replace=False)
        records.append({"chosen": f"{head} {words[a]}", "rejected": f"{head} {words[b]}"})
        prompts.add(head)
        nodes |= {(head, f" {words[a]}"), (head, f" {words[b]}")}
        if rng.random() < 0.5 or q == 0:  # the prefix record: chosen = head + " ", a prefix of rejected
            records.append({"chosen": f"{head} ", "rejected": f"{head} {words[b]}"})
            prompts.add(f"{head} ")
            nodes |= {(f"{head} ", ""), (f"{head} ", words[b])}
        # chat records: the prompt is the common prefix of messages; the prefix record ([user] vs [user, answer])
        # keeps [user] as the prompt and an empty chosen list as its response
        user = {"role": "user", "content": f"question {q}"}
        ans = [{"role": "assistant", "content": words[x]} for x in (a, b)]
        records.append({"chosen": [user, ans[0]], "rejected": [user, ans[1]]})
        prompts.add(f"chat {q}")
        nodes |= {(f"chat {q}", words[a]), (f"chat {q}", words[b])}
        if rng.random() < 0.5 or q == 0:
            records.append({"chosen": [user], "rejected": [user, ans[1]]})
            nodes.add((f"chat {q}", ""))
    # no common prefix (the chosen text ends in a space): the empty prompt, no split move
    records += [{"chosen": "yes ", "rejected": "no"}, {"chosen": "sure ", "rejected": "maybe"}]
    prompts.add("")
    nodes |= {("", "yes "), ("", "no"), ("", "sure "), ("", "maybe")}
    a = analyse_preferences(records, hp_var=1.0, ib_var=4.0)
    pred = {"records": len(records), "implicit prompts": len(records), "prompts": len(prompts), "nodes": len(nodes)}
    got = {"records": len(records), "implicit prompts": int(a.n_implicit_prompts), "prompts": int(a.n_prompts),
           "nodes": int(a.n_nodes)}
    ok = got == pred
    return Evidence(
        verdict=Verdict.of(ok),
        predicted=pred,
        measured=got,
        tolerance="exact",
        why="the split is a string operation",
        sizes={"records": len(records)},
        details=f"predicted {pred}, measured {got}",
        counterexample=None if ok else {"seed": ctx.seed, "records": records},
    )


@claim(
    id="ibn.laplacian_edges_contract",
    statement="LaplacianSolver (every method) refuses edges with a repeated pair, in either orientation, or a "
    "self-loop with InvalidInputError naming 'edges' (documented: distinct undirected pairs without self-loops), "
    "and accepts distinct pairs.",
    source=[Source(key="hendrickx2019graph", where="failure contract, DESIGN.md §7")],
    provenance="M",
    kind="contract",
    tolerance="exact: each documented boundary on its documented side",
    rice={"R"},
    stage="forward:feedback",
)
def check_laplacian_edges_contract(ctx: Context) -> Evidence:
    """Predicted: each row's documented outcome (docstring Parameters/Raises); measured: the call's outcome.

    No tolerance: a boundary is on one side or the other.
    """
    from aligntheory.errors import InvalidInputError as IIE
    from aligntheory.numerics import LaplacianSolver

    b = np.array([1.0, 0.0, -1.0])
    rows = []
    for m in ("auto", "dense", "splu", "pcg"):
        rows += [
            ContractCase(f"{m}: repeated pair (reversed) refused",
                         lambda m=m: LaplacianSolver(3, [[0, 1], [1, 2], [1, 0]], method=m), (IIE, "edges")),
            ContractCase(f"{m}: repeated pair (same orientation) refused",
                         lambda m=m: LaplacianSolver(3, [[0, 1], [0, 1], [1, 2]], method=m), (IIE, "edges")),
            ContractCase(f"{m}: self-loop refused",
                         lambda m=m: LaplacianSolver(3, [[0, 1], [1, 1], [1, 2]], method=m), (IIE, "edges")),
            ContractCase(f"{m}: distinct pairs accepted",
                         lambda m=m: LaplacianSolver(3, [[0, 1], [1, 2], [2, 0]], method=m).solve(np.ones(3), b).x),
        ]
    return contract_evidence(rows)
