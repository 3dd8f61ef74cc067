"""PKU-SafeRLHF-format preference data (issue 15 item 1): harm tables and the dual Bradley-Terry fit.

Private module: :func:`analyse_safety_preferences` is public through :mod:`aligntheory.analysis.safety`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from aligntheory import _validate as V
from aligntheory._optional import require
from aligntheory.errors import ConvergenceError, InvalidInputError
from aligntheory.results import RESULTS, provenance

_SAFE = "dai2023safe"
MAX_LOG_BYTES = 2 * 10**9
"""Largest cost log or records file read (bytes)."""


_FIELDS = ("prompt", "response_0", "response_1", "is_response_0_safe", "is_response_1_safe",
           "response_0_harm_category", "response_1_harm_category", "response_0_severity_level",
           "response_1_severity_level", "better_response_id", "safer_response_id")
MAX_RECORDS = 10**6
MAX_FIT_ITEMS = 4000


def _records(records: Any) -> list[dict[str, Any]]:
    if isinstance(records, (str, Path)):
        p = Path(records)
        if not p.is_file():
            raise InvalidInputError("records", "must be an existing file", received=str(p))
        V.check_size("records", p.stat().st_size, cap=MAX_LOG_BYTES, unit="bytes")
        if p.suffix.lower() == ".parquet":
            pd = require("pandas")
            require("pyarrow")  # pandas reads Parquet through pyarrow
            return _records(pd.read_parquet(p))
        text = p.read_text()
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            data = []
            for i, line in enumerate(text.splitlines()):
                if line.strip():
                    try:
                        data.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise InvalidInputError(f"{p} line {i + 1}", "is not valid JSON") from exc
        return _records(data)
    if hasattr(records, "to_dict") and hasattr(records, "columns"):
        records = records.to_dict(orient="records")
    if not isinstance(records, Sequence) or isinstance(records, (str, bytes)) or not records:
        raise InvalidInputError("records", "must be a non-empty list of records, a DataFrame or a file path",
                                received=type(records).__name__)
    V.check_size("records", len(records), cap=MAX_RECORDS, unit="records")
    return list(records)


def _bool(rec: dict, i: int, key: str) -> bool:
    v = rec[key]
    if not isinstance(v, (bool, np.bool_)):
        raise InvalidInputError(f"records[{i}].{key}", "must be a bool", received=v)
    return bool(v)


def _id01(rec: dict, i: int, key: str) -> int:
    v = rec[key]
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)) or int(v) not in (0, 1):
        raise InvalidInputError(f"records[{i}].{key}", "must be 0 or 1", received=v)
    return int(v)


def _label(rec: dict, i: int, k: int, safe: bool):
    from aligntheory.theory.safety import parse_harm_label

    flags = rec[f"response_{k}_harm_category"]
    sev = rec[f"response_{k}_severity_level"]
    if isinstance(sev, (bool, np.bool_)) or not isinstance(sev, (int, np.integer)) or not 0 <= int(sev) <= 3:
        raise InvalidInputError(f"records[{i}].response_{k}_severity_level", "must be an integer in 0..3", received=sev)
    try:
        lab = parse_harm_label(dict(flags) if isinstance(flags, dict) else flags, int(sev))
    except InvalidInputError as exc:
        raise InvalidInputError(f"records[{i}].response_{k}_harm_category", str(exc)) from exc
    if not safe and not lab.categories:
        raise InvalidInputError(f"records[{i}].response_{k}_harm_category",
                                "a response marked unsafe must flag at least one harm category")
    return lab


MIN_RIDGE = 1e-300
"""Smallest ``ridge`` fitted: at the optimum the tail probabilities balance ``ridge`` times the scores, and below
1e-300 they would leave the normal float64 range (subnormals keep only a few digits)."""
MAX_RIDGE = 1e300
"""Largest ``ridge`` fitted: the scores are ~ 1/ridge and would become subnormal above ~1e307."""
NEWTON_MAX_ITER = 200
"""Newton iterations allowed per fit (the line search's step doubling walks ~0.5 ln(1/ridge) in O(log) steps)."""
_NEWTON_RTOL = 1e-12  # converged when the Newton step is below this fraction of max |x| (then one last full step)
_GTH_BLOCK = 256


def _blocks(n: int, pairs: np.ndarray) -> tuple[np.ndarray, list[tuple[np.ndarray, ...]]]:
    """Connected components of the comparison graph: the label of every node, and per component size ``k`` the
    tuple ``(idx (B, k) of node indices, pair rows, component number within the group, local row, local column)``.
    The Hessian is block diagonal over the components."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if pairs.size:
        graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
        lab = connected_components(graph, directed=False)[1].astype(np.int64)
    else:
        lab = np.arange(n, dtype=np.int64)
    sizes = np.bincount(lab)
    order = np.argsort(lab, kind="stable")
    starts = np.concatenate([[0], np.cumsum(sizes)])
    pos = np.empty(n, np.int64)
    pos[order] = np.arange(n) - starts[lab[order]]
    plab = lab[pairs[:, 0]] if pairs.size else np.zeros(0, np.int64)
    out = []
    for k in np.unique(sizes):
        comps = np.flatnonzero(sizes == k)
        idx = order[starts[comps][:, None] + np.arange(k)]
        num = np.full(sizes.size, -1)
        num[comps] = np.arange(comps.size)
        sel = np.flatnonzero(sizes[plab] == k)
        out.append((idx, sel, num[plab[sel]], pos[pairs[sel, 0]], pos[pairs[sel, 1]]))
    return lab, out


def _gth(W: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cancellation-free ``L D L^T`` of ``H = diag(s + W 1) - W`` (``W`` (B, k, k) symmetric, >= 0 off the diagonal,
    which is ignored; ``s`` (B, k) > 0); returns ``(U, d)`` with ``L = I - U^T``: row ``j`` of the strictly upper
    ``U`` holds pivot ``j``'s multipliers ``W_jl / d_j`` (in [0, 1]), stored by rows so the solves read contiguous
    memory.

    Gaussian elimination with the diagonal kept as its excess over the off-diagonal row sum (the GTH idea): the
    updates ``W_il += W_ij W_jl / d_j``, ``s_i += W_ij s_j / d_j`` only add non-negative terms, so the factors are
    accurate to a few ulps relative however small ``s`` (the ridge) is against ``W`` (the Bradley--Terry
    curvatures). Forming ``H`` first, as the plain LAPACK solve did, rounds ``ridge`` away when it is below
    ``eps |W|``: the Hessian of a one-pair fit with ridge 1e-20 was singular in float64. Blocked, left-looking in
    the panel (each pivot row gets its block's earlier updates by one product), the trailing block updated by one
    batched product: ``O(B k^3)`` flops, nearly all in BLAS.
    """
    W = W.copy()
    s = s.copy()
    B, k, _ = W.shape
    U = np.zeros_like(W)
    d = np.empty_like(s)
    for j0 in range(0, k, _GTH_BLOCK):
        j1 = min(j0 + _GTH_BLOCK, k)
        R = np.zeros((B, j1 - j0, k))  # the block's pivot rows as eliminated (entries right of the pivot)
        for j in range(j0, j1):
            r = j - j0
            row = W[:, j, j + 1:].copy()  # as left by the earlier blocks
            if r:  # plus this block's earlier pivots i: W_jl += W_ji W_il / d_i
                coef = R[:, :r, j] / d[:, j0:j]
                row += np.matmul(coef[:, None, :], R[:, :r, j + 1:])[:, 0, :]
            R[:, r, j + 1:] = row
            d[:, j] = s[:, j] + row.sum(-1)
            m = row / d[:, j, None]
            U[:, j, j + 1:] = m
            s[:, j + 1:] += m * s[:, j, None]
        if j1 < k:  # trailing block: W_tu += sum over the block's pivots j of W_tj W_ju / d_j
            C = R[:, :, j1:]
            W[:, j1:, j1:] += np.matmul(np.swapaxes(C, 1, 2) / d[:, None, j0:j1], C)
    return U, d


def _gth_solve(U: np.ndarray, d: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Solve ``L D L^T p = g``, ``L = I - U^T``, for the factors of :func:`_gth` (batched; substitution, by BLAS
    for large blocks)."""
    k = g.shape[1]
    if k > 32:
        from scipy.linalg import solve_triangular

        out = np.empty_like(g)
        for i in range(g.shape[0]):  # unit_diagonal: the zero diagonal of -U is not read
            y = solve_triangular(-U[i], g[i], trans="T", lower=False, unit_diagonal=True, check_finite=False)
            out[i] = solve_triangular(-U[i], y / d[i], lower=False, unit_diagonal=True, check_finite=False)
        return out
    y = g.copy()
    for j in range(k - 1):
        y[:, j + 1:] += U[:, j, j + 1:] * y[:, j, None]
    p = np.empty_like(y)
    for j in range(k - 1, -1, -1):
        p[:, j] = y[:, j] / d[:, j] + np.einsum("bi,bi->b", U[:, j, j + 1:], p[:, j + 1:])
    return p


def _unit_lower_inverse(U: np.ndarray) -> np.ndarray:
    """``(I - U^T)^-1`` (batched), by substitution: non-negative, computed from non-negative terms only."""
    k = U.shape[1]
    if k > 32:
        from scipy.linalg import solve_triangular

        return np.stack([solve_triangular(-u, np.eye(k), trans="T", lower=False, unit_diagonal=True,
                                          check_finite=False) for u in U])
    return np.linalg.solve(np.eye(k) - np.swapaxes(U, 1, 2), np.broadcast_to(np.eye(k), U.shape))


def _grounded(blocks: list[tuple[np.ndarray, ...]], pq: np.ndarray, D: np.ndarray, g: np.ndarray, gam: np.ndarray,
              lab: np.ndarray, want_var: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """Newton step ``H^-1 g`` (and ``diag H^-1`` if ``want_var``) for ``H = L(pq) + diag(D)``, component by component.

    Each component is grounded at its last node ``o``: with ``x = x_o 1 + z`` the Laplacian drops out of the
    ``x_o`` row (``L 1 = 0`` exactly), whose gradient is the component sum ``gam`` of the non-pair terms (the pair
    terms cancel in exact arithmetic; summed in float64 they would leave rounding far above ``ridge |x|``). The
    rest is ``A = L_grounded + diag(D)``, an M-matrix factored by :func:`_gth`; with ``u = A^-1 w_o`` (``w_o`` the
    weights to ``o``, so ``1 - u = A^-1 D``) the Schur complement is ``sigma = D_o + D . u`` and

    ``p_o = (gam - D . A^-1 h) / sigma``, ``p_i = (A^-1 h)_i + p_o u_i``,
    ``(H^-1)_oo = 1 / sigma``, ``(H^-1)_ii = (A^-1)_ii + u_i^2 / sigma``,

    every factor and the variances computed from non-negative terms only.
    """
    n = g.size
    p = np.zeros(n)
    var = np.zeros(n) if want_var else None
    for idx, sel, num, a, b in blocks:
        B, k = idx.shape
        Dg = D[idx]
        gc = gam[lab[idx[:, 0]]]
        if k == 1:
            p[idx[:, 0]] = gc / Dg[:, 0]
            if var is not None:
                var[idx[:, 0]] = 1.0 / Dg[:, 0]
            continue
        W = np.zeros((B, k, k))
        np.add.at(W, (num, a, b), pq[sel])
        np.add.at(W, (num, b, a), pq[sel])
        W[:, np.arange(k), np.arange(k)] = 0.0  # a self-comparison contributes nothing to H
        wr = W[:, :k - 1, k - 1]
        U, dd = _gth(W[:, :k - 1, :k - 1], Dg[:, :k - 1] + wr)
        u = _gth_solve(U, dd, wr)
        v = _gth_solve(U, dd, g[idx[:, :k - 1]])
        sig = Dg[:, k - 1] + np.einsum("bi,bi->b", Dg[:, :k - 1], u)
        po = (gc - np.einsum("bi,bi->b", Dg[:, :k - 1], v)) / sig
        p[idx[:, :k - 1]] = v + po[:, None] * u
        p[idx[:, k - 1]] = po
        if var is not None:
            # L^-1 = (I - U^T)^-1 >= 0 (the substitution adds non-negative terms); (A^-1)_ii = sum_j (L^-1)_ji^2 / d_j
            Linv = _unit_lower_inverse(U)
            var[idx[:, :k - 1]] = np.einsum("bji,bj->bi", Linv * Linv, 1.0 / dd) + u * u / sig[:, None]
            var[idx[:, k - 1]] = 1.0 / sig
    return p, var


def _newton(n: int, pairs: np.ndarray, signs: list[tuple[int, float]], ridge: float) -> tuple[np.ndarray, np.ndarray]:
    """Minimise sum softplus(-(x_w - x_l)) + sum softplus(-s x_i) + ridge/2 |x|^2; returns (x, standard errors).

    Newton's method, component by component of the comparison graph (the objective separates over them): the
    step and the Laplace variances by :func:`_grounded` (accurate for every ridge in ``[MIN_RIDGE, MAX_RIDGE]``),
    then an Armijo line search per component that halves a failing step and doubles a succeeding one while the
    component's objective keeps decreasing by more than its rounding (in the tails of the logistic loss the
    full Newton step is ~1/2 while the optimum is ~0.5 ln(1/ridge) away). A component has converged when its
    step is below ``_NEWTON_RTOL`` times its ``max |x|`` (then one last full step, the error being ~ step^2);
    :class:`~aligntheory.errors.ConvergenceError` when some component has not after ``NEWTON_MAX_ITER``
    iterations or its line search finds no decrease.
    """
    from scipy.special import expit

    eps = np.finfo(float).eps
    si = np.array([s[0] for s in signs], dtype=np.int64)
    ss = np.array([s[1] for s in signs], dtype=float)
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    w, l_ = pairs[:, 0], pairs[:, 1]
    lab, blocks = _blocks(n, pairs)
    nc = int(lab.max()) + 1 if n else 0
    plab = lab[w]
    sr = np.sqrt(ridge)

    def objective(x: np.ndarray) -> np.ndarray:  # per component
        node = 0.5 * (sr * x) ** 2
        if si.size:
            node = node + np.bincount(si, weights=np.logaddexp(0.0, -ss * x[si]), minlength=n)
        return (np.bincount(plab, weights=np.logaddexp(0.0, -(x[w] - x[l_])), minlength=nc)
                + np.bincount(lab, weights=node, minlength=nc))

    def derivatives(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(gradient, its component sums without the pair terms, pair curvatures, node curvatures)."""
        z = x[w] - x[l_]
        q = expit(-z)
        rest = ridge * x
        h = np.zeros(n)
        if si.size:
            zs = ss * x[si]
            qs = expit(-zs)
            np.add.at(rest, si, -ss * qs)
            np.add.at(h, si, qs * expit(zs))
        g = rest.copy()
        np.add.at(g, w, -q)
        np.add.at(g, l_, q)
        return g, np.bincount(lab, weights=rest, minlength=nc), q * expit(z), ridge + h  # q (1 - q) without 1 - q

    def per_comp(v: np.ndarray) -> np.ndarray:
        return np.bincount(lab, weights=v, minlength=nc)

    x = np.zeros(n)
    done = np.zeros(nc, bool)
    it, failed = 0, False
    while it < NEWTON_MAX_ITER:
        it += 1
        g, gam, pq, D = derivatives(x)
        p, _ = _grounded(blocks, pq, D, g, gam, lab, False)
        p[done[lab]] = 0.0
        if not np.all(np.isfinite(p)):
            failed = True
            break
        pn = np.zeros(nc)
        xn = np.zeros(nc)
        np.maximum.at(pn, lab, np.abs(p))
        np.maximum.at(xn, lab, np.abs(x))
        final = ~done & (pn <= _NEWTON_RTOL * xn)
        x = x - np.where(final[lab], p, 0.0)  # the last full step of the components that have converged
        done |= final
        if done.all():
            break
        act = ~done
        step = np.where(act[lab], p, 0.0)
        f0 = objective(x)
        dec = per_comp(g * step)  # Newton decrement squared, > 0 per active component (H positive definite)
        slack = 64 * eps * np.abs(f0)  # the rounding of each component's objective

        def armijo(alpha: np.ndarray, fa: np.ndarray, allow: np.ndarray | float) -> np.ndarray:
            return fa <= f0 - 1e-4 * alpha * dec + allow  # noqa: B023 -- used within this iteration only

        alpha = np.ones(nc)
        f1 = objective(x - step)
        ok = armijo(alpha, f1, slack)
        grow = act & ok
        for _ in range(40):  # double while the objective decreases by more than its rounding
            if not grow.any():
                break
            a2 = np.where(grow, 2 * alpha, alpha)
            f2 = objective(x - a2[lab] * step)
            better = grow & (f2 < f1 - slack) & armijo(a2, f2, 0.0)
            alpha, f1 = np.where(better, a2, alpha), np.where(better, f2, f1)
            grow = better
        back = act & ~ok
        for _ in range(60):  # halve a step that does not decrease the objective enough
            if not back.any():
                break
            alpha = np.where(back, 0.5 * alpha, alpha)
            f1 = np.where(back, objective(x - alpha[lab] * step), f1)
            back = back & ~armijo(alpha, f1, slack)
        if back.any():
            failed = True
            break
        x = x - alpha[lab] * step
    if failed or not done.all():
        g = derivatives(x)[0] if np.all(np.isfinite(x)) else np.full(n, np.nan)
        gn = float(np.max(np.abs(g)))
        raise ConvergenceError(
            f"analyse_safety_preferences: the ridge-penalised Bradley-Terry Newton fit did not converge in {it} "
            f"iterations (ridge = {ridge:g}; {int(np.sum(~done))} of {nc} components left, gradient max-norm "
            f"{gn:.3g})", iterations=it, residual=gn, last_iterate=x, result=RESULTS.max_steps_reached)
    g, gam, pq, D = derivatives(x)
    _, var = _grounded(blocks, pq, D, g, gam, lab, True)
    return x, np.sqrt(var)


@provenance("M", source=_SAFE, where="PKU-SafeRLHF-format analysis: harm tables, dual Bradley-Terry fit (B-T7), frontier (B-T5)")
def analyse_safety_preferences(records: Any, *, ridge: float = 1.0, beta: float = 1.0,
                               n_budgets: int = 25) -> dict[str, Any]:
    """Analyse PKU-SafeRLHF-format preference records [M].

    Validates every field (errors name the record and field), tabulates harm category x severity
    (per response and per prompt), the disagreement rate of the helpfulness and harmlessness
    preferences, fits the dual Bradley--Terry model of our B-T7 (reward from ``better_response_id``;
    cost from ``safer_response_id`` plus the sign terms :math:`-\\log\\sigma(s(y)c(y))`, :math:`s=+1`
    unsafe, so :math:`c>0` means predicted unsafe) with a ridge ``ridge/2 |x|^2`` (a Gaussian prior:
    each response usually appears in one pair, so the unpenalised MLE diverges) and Laplace standard
    errors, and traces the tilted-policy frontier (our B-T5) over all responses with a uniform reference.

    Parameters
    ----------
    records : list of dict, pandas.DataFrame, or path (JSON Lines / JSON array / Parquet)
    ridge : float, default 1.0
        Prior precision, in ``[1e-300, 1e300]`` (:data:`MIN_RIDGE`, :data:`MAX_RIDGE`). Every such ridge has a
        unique penalised optimum and is fitted to working precision (for one comparison the reward scores are
        :math:`\\pm t` with :math:`\\sigma(-2t)=\\mathrm{ridge}\\,t`: :math:`t\\approx 21.5` at ``1e-20``,
        :math:`342.5` at ``1e-300``).
    beta : float, default 1.0
        KL strength of the frontier.
    n_budgets : int, default 25
        Number of cost budgets at which the frontier is traced, in ``[2, 10_000]``: evenly spaced from just
        above the smallest fitted cost to the mean cost plus half the costs' range.

    Returns
    -------
    dict
        ``n_records``, ``n_responses``, ``severity_counts``, ``category_severity_counts`` (category ->
        severity name -> count), ``category_rate_per_response``, ``category_rate_per_prompt``,
        ``preference_disagreement_rate``, ``fit`` (reward/cost scores and standard errors per response),
        ``frontier`` (budgets, helpfulness, harm, lambda).

    Raises
    ------
    InvalidInputError
        A missing or invalid field, naming ``records[i].field``; ``ridge`` outside ``[1e-300, 1e300]``.
    SizeCapError
        More than 10**6 records or 4000 distinct responses to fit.
    ConvergenceError
        The Newton fit did not converge in :data:`NEWTON_MAX_ITER` iterations (carries ``iterations``,
        ``residual`` = gradient max-norm, ``last_iterate``, ``result = max_steps_reached``).

    Notes
    -----
    Tables :math:`O(N)`. Fit: Newton's method with an Armijo line search that also doubles a succeeding
    step (the optimum is :math:`\\sim\\tfrac12\\ln(1/\\mathrm{ridge})` out in the logistic tails, where a
    full Newton step is :math:`\\sim 1/2`), stopped when the step is below :math:`10^{-12}\\max|x|`.
    The Hessian, :math:`\\mathrm{ridge}\\,I` plus a graph Laplacian plus the sign terms' diagonal, is
    factored per connected component of the comparison graph by cancellation-free (GTH) elimination,
    so a ridge far below :math:`\\varepsilon` times the Bradley--Terry curvatures is not rounded away (a
    plain solve found the one-pair Hessian singular for ridge :math:`\\lesssim 10^{-20}`);
    :math:`O(\\sum_C k_C^3)` per iteration over components of size :math:`k_C` (at most :math:`O(n^3)`).

    Examples
    --------
    >>> rec = {"prompt": "p", "response_0": "a", "response_1": "b", "is_response_0_safe": True,
    ...        "is_response_1_safe": False, "response_0_harm_category": {}, "response_1_harm_category": {"Drugs": True},
    ...        "response_0_severity_level": 0, "response_1_severity_level": 2, "better_response_id": 1,
    ...        "safer_response_id": 0}
    >>> out = analyse_safety_preferences([rec])
    >>> out["category_severity_counts"]["Drugs"]["MODERATE"], out["preference_disagreement_rate"]
    (1, 1.0)
    >>> [round(x, 6) for x in analyse_safety_preferences([rec], ridge=1e-20)["fit"]["reward"]]  # sigma(-2t) = 1e-20 t
    [-21.49201, 21.49201]
    """
    from aligntheory.theory.safety import HarmCategory, Severity, frontier

    recs = _records(records)
    ridge = V.check_scalar("ridge", ridge, positive=True)
    if not MIN_RIDGE <= ridge <= MAX_RIDGE:
        raise InvalidInputError("ridge", f"must lie in [{MIN_RIDGE:g}, {MAX_RIDGE:g}] (outside, the optimum's tail "
                                "probabilities or scores leave the normal float64 range)", received=ridge)
    beta = V.check_scalar("beta", beta, positive=True)
    nb = V.check_int("n_budgets", n_budgets, lo=2, hi=10_000)
    items: dict[tuple[str, str], int] = {}
    unsafe_of: dict[int, bool] = {}
    better, harmful = [], []
    cat_names = [c.display_name for c in HarmCategory]
    table = {c: {s.name: 0 for s in Severity} for c in cat_names}
    sev_counts = {s.name: 0 for s in Severity}
    per_prompt: dict[str, set[str]] = {}
    disagree = 0
    for i, rec in enumerate(recs):
        if not isinstance(rec, dict):
            raise InvalidInputError(f"records[{i}]", "must be a mapping", received=type(rec).__name__)
        missing = [f for f in _FIELDS if f not in rec]
        if missing:
            raise InvalidInputError(f"records[{i}]", f"missing field(s) {missing}")
        for f in ("prompt", "response_0", "response_1"):
            if not isinstance(rec[f], str):
                raise InvalidInputError(f"records[{i}].{f}", "must be a string", received=type(rec[f]).__name__)
        b, s = _id01(rec, i, "better_response_id"), _id01(rec, i, "safer_response_id")
        ids = []
        cats_here = per_prompt.setdefault(rec["prompt"], set())
        for k in (0, 1):
            safe = _bool(rec, i, f"is_response_{k}_safe")
            lab = _label(rec, i, k, safe)
            key = (rec["prompt"], rec[f"response_{k}"])
            if key not in items:
                items[key] = len(items)
                sev_counts[lab.severity.name] += 1
                for c in lab.categories:
                    table[c.display_name][lab.severity.name] += 1
                    cats_here.add(c.display_name)
            unsafe_of[items[key]] = not safe
            ids.append(items[key])
        better.append((ids[b], ids[1 - b]))
        harmful.append((ids[1 - s], ids[s]))  # the less safe response is the more harmful
        disagree += b != s
    n = len(items)
    V.check_size("records", n, cap=MAX_FIT_ITEMS, unit="distinct responses (dense Newton fit)")
    r, r_se = _newton(n, np.array(better, dtype=np.int64), [], ridge)
    signs = [(j, 1.0 if u else -1.0) for j, u in unsafe_of.items()]
    c, c_se = _newton(n, np.array(harmful, dtype=np.int64), signs, ridge)
    per_resp = {name: sum(table[name].values()) / n for name in cat_names}
    per_pr = {name: sum(name in cs for cs in per_prompt.values()) / len(per_prompt) for name in cat_names}
    ref = np.full(n, 1.0 / n)
    budgets = np.linspace(c.min() + 0.02 * np.ptp(c) + 1e-9, float(np.mean(c)) + 0.5 * np.ptp(c), nb)
    fr = frontier(ref, r, c, beta, budgets)
    return {
        "n_records": len(recs), "n_responses": n, "n_prompts": len(per_prompt),
        "severity_counts": sev_counts, "category_severity_counts": table,
        "category_rate_per_response": per_resp, "category_rate_per_prompt": per_pr,
        "preference_disagreement_rate": disagree / len(recs),
        "fit": {"ridge": ridge, "reward": r.tolist(), "reward_se": r_se.tolist(), "cost": c.tolist(),
                "cost_se": c_se.tolist(), "responses": [list(k) for k in items]},
        "frontier": {"beta": beta, "budgets": fr.budgets.tolist(), "value": fr.value.tolist(),
                     "helpfulness": fr.helpfulness.tolist(),
                     "harm": fr.harm.tolist(), "lambda": fr.lam.tolist()},
    }
