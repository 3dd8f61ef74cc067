"""IBN claims of issue #11 on the shared host numerics (fifth fresh sample, seed 7 at b542e05).

* ``ibn.bt_compiled_loglik_matches_closed_form`` -- :func:`~aligntheory.numerics.fit_bradley_terry` with the
  compiled kernels (``accelerator="numba"``, ``method="newman"``) reports as ``loglik`` the log-likelihood of the
  data at its scores, ``sum w log s(d) + l log s(-d)``, computed here with ``np.logaddexp`` (no series, no shared
  code), on random graphs with split pairs and on nearly separated pairs (``e^{-|d|}`` just below and above
  ``1e-4``, where the kernel switches to its series);
* ``ibn.laplacian_matrix_grounding_rule`` -- :meth:`~aligntheory.numerics.LaplacianSolver.matrix` returns, for every
  method, the weighted Laplacian (networkx) plus the extra diagonal, grounded as documented: when ``extra_diag`` is
  absent or not positive everywhere, the node of largest weighted degree of each component (ties: the largest id)
  gets its weighted degree added to its diagonal (1 for an isolated node); rows and columns in ``perm`` order for
  ``"tree"``.

Tolerances are fixed here, before any run.
"""

from __future__ import annotations

import numpy as np

from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim

_EPS = float(np.finfo(np.float64).eps)


def _loglik_closed_form(scores: np.ndarray, rows: np.ndarray, counts: np.ndarray) -> tuple[float, float]:
    """``(sum_rows count * log s(score_winner - score_loser), sum of |terms|)``: ``log s(d) = -log(1 + e^{-d})``."""
    d = scores[rows[:, 0]] - scores[rows[:, 1]]
    t = -counts * np.logaddexp(0.0, -d)
    return float(t.sum()), float(np.abs(t).sum())


@claim(
    id="ibn.bt_compiled_loglik_matches_closed_form",
    statement="fit_bradley_terry(method='newman', accelerator='numba') reports as loglik the log-likelihood of the "
    "data at its scores, sum over comparisons of log sigmoid(score_winner - score_loser): on a "
    "random graph of 10..16 items with split pairs (every pair's e^-|d| well above 1e-4) and on two-item data "
    "nearly separated, e^-|d| = l / w just below 1e-4 (the kernel's series branch) and just above it, within "
    "1e-13 of sum |terms| plus 8 eps per comparison.",
    source=[Source(key="newman2023efficient")],
    provenance="M",
    kind="theorem",
    tolerance="|measured - predicted| <= 1e-13 sum |count log sigmoid| + 8 eps sum count (log(1 + r) in float64 "
    "loses eps / r relative, i.e. ~eps absolute per comparison; the series' cubic term is 2.3e-9 absolute on the "
    "separated pair, 100 times the bound)",
    rice={"R"},
    stage="backward:assurance",
)
def check_bt_compiled_loglik_matches_closed_form(ctx: Context) -> Evidence:
    """Predicted: ``sum_rows count * log sigmoid(s_winner - s_loser)`` at the fit's own scores (beta = 1, so
    theta = scores), by ``-logaddexp(0, -d)``; measured: ``BTFit.loglik`` of the compiled route (the one-pass kernel
    ``sum w min(d,0) - l max(d,0) - K log(1 + e^{-|d|})`` with its series for ``log(1 + r)`` below ``r = 1e-4``).

    The identity is exact whatever the scores (the fit need not have converged), so the tolerance is rounding only:
    the kernel's ``log(1.0 + r)`` rounds ``1 + r`` (absolute error ``eps/2`` in ``log(1 + r)``, times ``K``: about
    ``eps`` per comparison; measured 5.5e-13 on 9001 comparisons), the other terms ~1e-16 relative in both routes:
    bound ``1e-13 sum |terms| + 8 eps sum K``. The separated datasets have ``w / l = 1.2e4`` and ``0.9e4`` (one
    loss): ``r = 8.3e-5`` (series; its dropped ``r^5/5`` is 1e-21, its cubic term ``K r^3 / 3 = 2.3e-9``) and
    ``1.1e-4`` (logarithm).
    """
    from aligntheory.numerics import fit_bradley_terry

    rng = ctx.rng(801)
    n = int(rng.integers(10, 17))
    p = rng.permutation(n)
    pairs = np.concatenate([np.stack([p[:-1], p[1:]], 1), np.stack([p[1:], p[:-1]], 1),
                            rng.integers(0, n, (2 * n, 2))])
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    strength = rng.normal(0.0, 1.0, n)
    win = rng.random(len(pairs)) < 1.0 / (1.0 + np.exp(strength[pairs[:, 1]] - strength[pairs[:, 0]]))
    rows = np.where(win[:, None], pairs, pairs[:, ::-1])
    rows = np.concatenate([rows, np.stack([p[1:], p[:-1]], 1), np.stack([p[:-1], p[1:]], 1)])  # every path pair split
    cases = {
        "random graph": (n, rows, rng.integers(1, 6, len(rows)).astype(float)),
        "separated w/l = 12000 (series)": (2, np.array([[0, 1], [1, 0]]), np.array([12000.0, 1.0])),
        "separated w/l = 9000 (logarithm)": (2, np.array([[1, 0], [0, 1]]), np.array([9000.0, 1.0])),
    }
    out, bad = {}, []
    for name, (m, r, cnt) in cases.items():
        fit = fit_bradley_terry(r, n_items=m, counts=cnt, method="newman", accelerator="numba", throw=False)
        pred, scale = _loglik_closed_form(np.asarray(fit.scores, float), r, cnt)
        bound = 1e-13 * scale + 8.0 * _EPS * float(cnt.sum())
        err = abs(float(fit.loglik) - pred)
        out[name] = {"predicted": pred, "measured": float(fit.loglik), "abs_err": err, "bound": bound}
        if not err <= bound:  # NaN fails
            bad.append(f"{name}: loglik {fit.loglik!r}, closed form {pred!r} (off by {err:.2e} > {bound:.2e})")
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={k: v["predicted"] for k, v in out.items()},
        measured={k: v["measured"] for k, v in out.items()},
        tolerance={"absolute": "1e-13 sum |terms| + 8 eps sum counts"},
        why="the log-likelihood at given scores is a closed form; only rounding separates the routes",
        sizes={"items": n, "rows": len(rows)},
        details="; ".join(bad) if bad else f"compiled loglik matches the closed form on {len(out)} datasets",
        counterexample=None if ok else {"seed": ctx.seed, "failures": bad},
    )


def _grounded_reference(n: int, e: np.ndarray, c: np.ndarray, extra: np.ndarray | None) -> tuple[np.ndarray, bool]:
    """The documented matrix from networkx's Laplacian: ``L + diag(extra)``, plus, when grounded, the weighted degree
    (1 when it is 0) on the diagonal of the largest-degree node of each component (ties: the largest id)."""
    import networkx as nx

    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_weighted_edges_from((int(a), int(b), float(w)) for (a, b), w in zip(e, c))
    M = nx.laplacian_matrix(G, nodelist=list(range(n)), weight="weight").toarray().astype(float)
    deg = np.diag(M).copy()
    if extra is not None:
        M[np.diag_indices(n)] += extra
    grounded = extra is None or not bool(np.all(extra > 0))
    if grounded:
        for comp in nx.connected_components(G):
            nodes = sorted(comp)
            top = max(deg[v] for v in nodes)
            g = max(v for v in nodes if deg[v] == top)
            M[g, g] += deg[g] if deg[g] > 0 else 1.0
    return M, grounded


@claim(
    id="ibn.laplacian_matrix_grounding_rule",
    statement="LaplacianSolver(n, edges, method=m).matrix(c, extra) equals, for m in dense, splu, pcg and tree, the "
    "weighted Laplacian (networkx) plus diag(extra), grounded as documented when extra is absent or not positive "
    "everywhere: the node of largest weighted degree of each component (ties: the largest id) gets its weighted degree "
    "added to its diagonal, 1 for an isolated node; rows and columns in perm order for 'tree'; the returned diagonal "
    "and grounded flag agree. On a forest with components whose degrees are all below 1 (conductances 0.05..0.45), "
    "one heavier component, a tie and isolated nodes.",
    source=[Source(key="hendrickx2019graph")],
    provenance="M",
    kind="theorem",
    tolerance="1e-15 relative to the largest entry (the entries are sums of at most 3 conductances)",
    rice={"R"},
    stage="backward:assurance",
)
def check_laplacian_matrix_grounding_rule(ctx: Context) -> Evidence:
    """Predicted: the matrix built here from networkx's weighted Laplacian and the documented grounding rule
    (components by networkx); measured: ``LaplacianSolver.matrix`` (CSR, its diagonal, its grounded flag) for the
    four methods (``"tree"`` compared as ``M[perm][:, perm]``).

    Tolerance: both sides add at most three conductances per entry (a degree, then the degree again): rounding
    ~2e-16 relative; 1e-15 of the largest entry. A grounding that adds 1 instead of the degree for degrees in
    (0, 1] is off by at least 0.5 on a diagonal entry.
    """
    from aligntheory.numerics import LaplacianSolver

    rng = ctx.rng(802)
    # components: a path of 3 (light), a single edge with a degree tie (light), a star of 4 (heavy), 2 isolated
    e = np.array([[0, 1], [1, 2], [3, 4], [5, 6], [5, 7], [5, 8]])
    c = rng.uniform(0.05, 0.45, len(e))
    c[3:] += 1.0
    n = 11
    perm_e = rng.permutation(len(e))
    e, c = e[perm_e], c[perm_e]
    flip = rng.random(len(e)) < 0.5
    e = np.where(flip[:, None], e[:, ::-1], e)
    extras = {"none": None, "positive": rng.uniform(0.1, 1.0, n),
              "one zero": np.where(np.arange(n) == int(rng.integers(0, n)), 0.0, rng.uniform(0.1, 1.0, n))}
    out, bad = {}, []
    for method in ("dense", "splu", "pcg", "tree"):
        S = LaplacianSolver(n, e, method=method)
        for name, extra in extras.items():
            M, grounded = _grounded_reference(n, e, c, extra)
            A, diag, g = S.matrix(c, extra)
            P = M if method == "dense" or S.perm is None else M[np.ix_(S.perm, S.perm)]
            err = float(np.max(np.abs(A.toarray() - P))) / float(np.max(np.abs(M)))
            derr = float(np.max(np.abs(diag - np.diag(M)))) / float(np.max(np.abs(M)))
            out[f"{method} extra={name}"] = (err, derr, bool(g))
            if not (err <= 1e-15 and derr <= 1e-15 and bool(g) == grounded):
                bad.append(f"{method} extra={name}: matrix off by {err:.2e}, diagonal by {derr:.2e}, "
                           f"grounded {g} (predicted {grounded})")
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"matrix": "networkx Laplacian + extra + documented grounding"},
        measured={"(matrix err, diagonal err, grounded)": out},
        tolerance={"relative": 1e-15},
        why="the grounded Laplacian is a closed form of the edge list",
        sizes={"nodes": n, "edges": len(e)},
        details="; ".join(bad) if bad else f"matrix, diagonal and flag as documented in {len(out)} cases",
        counterexample=None if ok else {"seed": ctx.seed, "failures": bad},
    )
