"""Leaderboards from pairwise battles: Bradley--Terry with ties, Elo scale, batched bootstrap, style control.

:func:`leaderboard` turns battles (``model_a``, ``model_b``, ``winner``) into a frozen
:class:`Leaderboard`: maximum-likelihood strengths under a tie model, Fisher standard errors,
bootstrap percentile intervals with **all rounds fitted as one batch** (a batched Newton on
aggregated pair counts), ranks from interval overlap, optional covariates (style control) and
clustered resampling. :func:`adjacent_uncertainty` and :func:`next_comparisons` add what the
induced-Bayesian-network view gives: the posterior standard deviation of every adjacent-rank
difference from the effective resistance of the Fisher-weighted comparison graph, and the battles
that most reduce it (greedy A-optimal design). :func:`add_cli` / :func:`run_cli` expose
``aligntheory arena``.

Conventions (each one documented where it is used):

* ``winner`` in ``{"model_a", "model_b", "tie", "tie (bothbad)"}`` as in the public dumps; aliases
  ``"a"``, ``"b"``, ``"draw"``, ``"tie_bothbad"``, ``"both_bad"``, ``"bothbad"`` (case and surrounding
  blanks ignored). A battle of a model against itself carries no information and is dropped
  (counted in ``n_dropped``).
* Strengths ``scores`` are centred (mean 0) on the natural-log scale of the tie model; the Elo
  scale is :math:`400/\\ln 10\\cdot s + 1000`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.special import ndtri

from aligntheory import _validate as V
from aligntheory._optional import require
from aligntheory.analysis import _arena_fit as F
from aligntheory.analysis._arena_cli import add_cli, run_cli
from aligntheory.analysis._arena_diag import (
    AdjacentUncertainty,
    ComparisonPlan,
    adjacent_uncertainty,
    next_comparisons,
)
from aligntheory.analysis._arena_io import read_battles
from aligntheory.analysis._leaderboard import (  # Leaderboard and ELO_FACTOR are re-exported
    _TIES,
    ELO_FACTOR,
    Leaderboard,
    _expected_score,
    _freeze,
    _unit_conductance,
)
from aligntheory.errors import ConvergenceError, DisconnectedGraphError, InvalidInputError
from aligntheory.results import RESULTS, provenance, raise_or_flag

__all__ = [
    "Leaderboard",
    "leaderboard",
    "AdjacentUncertainty",
    "adjacent_uncertainty",
    "ComparisonPlan",
    "next_comparisons",
    "EXAMPLE_BATTLES_PATH",
    "ELO_FACTOR",
    "add_cli",
    "run_cli",
]

EXAMPLE_BATTLES_PATH = Path(__file__).resolve().parent.parent / "data" / "example_battles.jsonl"
"""A small synthetic battles file shipped with the package (see ``data/make_example_battles.py``)."""


def _check_anchor(anchor: Any) -> tuple[str, float] | None:
    if anchor is None:
        return None
    if not (isinstance(anchor, (tuple, list)) and len(anchor) == 2 and isinstance(anchor[0], str)):
        raise InvalidInputError("anchor", "must be a (model name, rating) pair", received=repr(anchor)[:80])
    return anchor[0], V.check_scalar("anchor rating", anchor[1])


@provenance("M", source="ford1957solution", where="Bradley-Terry MLE; Davidson 1970, Rao-Kupper 1967 tie models")
@V.overflow_guard
def leaderboard(battles: Any, *, ties: str = "half", n_bootstrap: int = 100, seed: int = 0, scale: str = "elo",
                anchor: tuple[str, float] | None = None, covariates: Sequence[str] | None = None,
                cluster: str | None = None, ci: float = 0.95, prior_strength: float = 0.0,
                penalty: float = 1.0, tol: float = 1e-9, maxiter: int = 100, max_models: int = 5000,
                max_bootstrap: int = 100_000, max_bootstrap_cells: int = 100_000_000, throw: bool = True) -> Leaderboard:
    """Leaderboard of models from pairwise battles, with ties, bootstrap intervals and style control [M].

    .. math:: \\ell(s,\\tau,\\gamma) = \\sum_{\\text{battles}} \\log P(\\text{outcome}\\mid s_a - s_b
              + x^\\top\\gamma,\\ \\tau) - \\tfrac{\\lambda}{2}\\|\\gamma\\|^2

    with, for :math:`d = s_a - s_b`: ``"half"`` (the leaderboard convention): each tie is half a win
    each way, :math:`P(a\\succ b)=\\sigma(d)`; ``"davidson"`` (Davidson 1970):
    :math:`P(a\\succ b)=e^{s_a}/D`, :math:`P(\\text{tie}) = \\nu e^{(s_a+s_b)/2}/D`,
    :math:`D = e^{s_a}+e^{s_b}+\\nu e^{(s_a+s_b)/2}`; ``"rao_kupper"`` (Rao & Kupper 1967):
    :math:`P(a\\succ b) = \\sigma(d-\\alpha)`, :math:`P(\\text{tie}) = 1-\\sigma(d-\\alpha)-\\sigma(-d-\\alpha)`,
    threshold :math:`\\alpha > 0`; ``"drop"``: ties removed. The tie parameter is estimated jointly
    (when the data have no tie, its estimate is the boundary value 0, reported as 0.0).

    The fit runs on the aggregated distinct ``(model_a, model_b, outcome)`` counts (per battle with
    covariates). The bootstrap resamples battles multinomially over those distinct triples (or,
    with ``cluster=``, whole clusters, uniformly with replacement), seeded, and fits **all rounds
    as one batch**: under ``"half"``/``"drop"`` without covariates by chord steps that share one
    Cholesky factorisation of the point estimate's Hessian across all rounds and iterations (each
    step one pass over the rounds' pair counts; a round that stops contracting is refitted by
    damped Newton), otherwise by a damped Newton iteration whose every step builds the Hessians of
    all rounds from their pair counts and solves them with one batched
    :func:`numpy.linalg.solve`; each round stops at relative gradient ``max|grad| / n_battles <=
    tol``. The multinomial draws are Poisson draws by inversion of tabulated CDFs with an exact
    correction of each round's total. Existence of the MLE (the graph
    with an arc :math:`a\\to b` when :math:`a` beat or tied :math:`b` is strongly connected; Ford
    1957) is checked for the data and for every round.

    Parameters
    ----------
    battles : pandas.DataFrame, mapping of column -> array-like, list of dict, or path
        Columns ``model_a``, ``model_b``, ``winner`` (plus covariate and cluster columns). Paths:
        JSON Lines, JSON array, CSV, Parquet (needs pyarrow); a JSON array is decoded from a sliding
        window of :math:`2^{20}` characters, so reading holds a few windows (under 5 MiB of ASCII
        text) plus one record, whatever the file size. ``winner`` values and aliases are
        listed in the module docstring; anything else raises an error naming the row and value.
    ties : {"half", "davidson", "rao_kupper", "drop"}
    n_bootstrap : int, default 100
        Bootstrap rounds, >= 0 (0: intervals from the Fisher standard errors).
    seed : int, default 0
        Seed of the bootstrap (numpy ``default_rng``), >= 0.
    scale : {"elo", "natural"}
        ``"natural"``: centred strengths; ``"elo"``: :math:`400/\\ln 10\\cdot s + 1000`.
    anchor : (str, float), optional
        Shift every rating, interval and bootstrap value by one constant so that this model has
        exactly this rating.
    covariates : list of str, optional
        Per-battle feature columns :math:`x` (e.g. length difference); the logit becomes
        :math:`s_a - s_b + x^\\top\\gamma` with an L2 penalty ``penalty`` on :math:`\\gamma`.
        With every tie model: under ``"davidson"`` and ``"rao_kupper"`` the style-controlled logit
        takes the place of :math:`s_a - s_b` in the tie model and the tie parameter is fitted
        jointly with the strengths and :math:`\\gamma`.
    cluster : str, optional
        Column whose values define resampling clusters (judge, user, prompt). Ids that compare equal
        (``1``, ``1.0``, ``True``) are one cluster in every input form, as :func:`pandas.factorize` groups
        a column; a missing id (``None``, NaN) is refused.
    ci : float, default 0.95
        Interval level in (0, 1).
    prior_strength : float, default 0.0
        Pseudo-battles per model against a virtual model of strength 0 (half won, half lost): a MAP
        estimate that exists for every dataset; models outside the largest strongly connected
        component are then flagged (``connected`` False) instead of raising.
    penalty : float, default 1.0
        :math:`\\lambda` of the covariate penalty, > 0.
    tol : float, default 1e-9
        Relative-gradient tolerance (> 0) of every fit.
    maxiter : int, default 100
        Newton iteration cap (>= 1) of every fit.
    max_models : int, default 5000
        Size cap on the number of models (dense :math:`n\\times n` Hessians; >= 2), checked before any work;
        past it ``SizeCapError`` is raised.
    max_bootstrap : int, default 100_000
        Size cap on the bootstrap rounds ``n_bootstrap`` (>= 0), checked before any work.
    max_bootstrap_cells : int, default 100_000_000
        Size cap on rounds times models (the bootstrap matrix, 8 bytes per cell; >= 0), checked before any work.
    throw : bool, default True
        Raise ``ConvergenceError`` when the point fit misses ``tol``; with ``False`` return
        the last iterate with ``result`` set (and no bootstrap).

    Returns
    -------
    Leaderboard

    Raises
    ------
    InvalidInputError
        Malformed input (naming the row or line and the value), unknown options or anchor model.
    DisconnectedGraphError
        With ``prior_strength == 0``, when the beats-or-ties graph is not strongly connected (some
        model's rating is unbounded); the error lists the components by model name: the five largest,
        each by its first six names (``, ...]`` when it has more), ``; ...`` when there are more than five
        components; the error's ``components`` holds them all (indices into the sorted model names).
    ConvergenceError
        When the point fit misses ``tol`` within ``maxiter`` Newton steps (``throw=True``).
    SizeCapError
        More models, rounds or bootstrap cells than the caps.

    Notes
    -----
    Cost: aggregation :math:`O(m)` by counting (a sort above about 7000 models) for :math:`m`
    battles; a chord step of a chunk of :math:`B` rounds costs :math:`O(B(E + n^2))` after one
    :math:`O(n^3)` factorisation, a Newton step :math:`O(B(E + n^3))`, for :math:`E` distinct pairs
    and :math:`n` models; rounds are processed in chunks that bound memory. Rounds start from the
    point estimate and typically need 3--4 steps. Provenance [M]: Bradley & Terry (1952), Ford
    (1957) for existence, Davidson (1970), Rao & Kupper (1967); the percentile bootstrap (Efron).

    Examples
    --------
    >>> battles = {"model_a": ["x", "x", "y", "x", "z", "z"], "model_b": ["y", "y", "x", "z", "x", "y"],
    ...            "winner": ["model_a", "model_a", "model_a", "tie", "model_b", "model_b"]}
    >>> lb = leaderboard(battles, n_bootstrap=0)
    >>> lb.models
    ('x', 'y', 'z')
    >>> [round(float(r), 1) for r in lb.rating]
    [1124.7, 1055.4, 819.9]
    >>> lb.rank.tolist()
    [1, 1, 1]

    Ties under Davidson's model, with the tie parameter and its standard error:

    >>> lb = leaderboard(battles, ties="davidson", n_bootstrap=0)
    >>> round(lb.tie_parameter, 3), round(lb.tie_parameter_stderr, 3)
    (0.504, 0.578)
    """
    ties = V.check_choice("ties", ties, _TIES) or ties
    scale = V.check_choice("scale", scale, ("elo", "natural")) or scale
    n_bootstrap = V.check_int("n_bootstrap", n_bootstrap, lo=0)
    max_models = V.check_int("max_models", max_models, lo=2)
    V.check_size("n_bootstrap", n_bootstrap, cap=V.check_int("max_bootstrap", max_bootstrap, lo=0), unit="rounds")
    max_cells = V.check_int("max_bootstrap_cells", max_bootstrap_cells, lo=0)
    seed = V.check_int("seed", seed, lo=0)
    ci = V.check_scalar("ci", ci, positive=True)
    if not ci < 1:
        raise InvalidInputError("ci", "must lie in (0, 1)", received=ci)
    prior = V.check_scalar("prior_strength", prior_strength, nonnegative=True)
    penalty = V.check_scalar("penalty", penalty, positive=True)
    tol = V.check_scalar("tol", tol, positive=True)
    maxiter = V.check_int("maxiter", maxiter, lo=1)
    anchor = _check_anchor(anchor)
    covs = tuple(covariates or ())
    bt = read_battles(battles, covariates=covs, cluster=cluster)
    a, b, o = bt.a, bt.b, bt.outcome
    X, C = bt.covariates, bt.cluster
    n_dropped = bt.n_dropped_self
    if ties == "drop":
        keep = o != 2
        n_dropped += int((~keep).sum())
        a, b, o = a[keep], b[keep], o[keep]
        X = None if X is None else X[keep]
        C = None if C is None else C[keep]
        if len(a) == 0:
            raise InvalidInputError("battles", "no decisive battle left after dropping ties", received=0)
    names = bt.names
    n = len(names)
    V.check_size("n_models", n, cap=max_models, unit="models")
    V.check_size("n_bootstrap * n_models", n_bootstrap * n, cap=max_cells, unit="bootstrap cells")
    if n < 2:
        raise InvalidInputError("battles", "need at least two models", received=n)
    m = len(a)
    n_ties = int((o == 2).sum())

    # pairs i < j and the orientation of every battle
    if X is None and C is None and 3 * n * n <= max(4 * m, 1_000_000):
        # dense (a, b, outcome) table: one counting pass over the battles, then fold a>b onto a<b
        T3 = np.bincount((a * n + b) * 3 + o, minlength=3 * n * n).reshape(n, n, 3)
        iu = np.triu_indices(n, 1)
        full = np.empty((len(iu[0]), 3), np.int64)
        full[:, 0] = T3[iu[0], iu[1], 0] + T3[iu[1], iu[0], 1]  # wins of the lower id
        full[:, 1] = T3[iu[0], iu[1], 1] + T3[iu[1], iu[0], 0]
        full[:, 2] = T3[iu[0], iu[1], 2] + T3[iu[1], iu[0], 2]
        seen = full.any(1)
        pi, pj = iu[0][seen].astype(np.int64), iu[1][seen].astype(np.int64)
        counts3 = full[seen].astype(np.float64)
        E = len(pi)
        pidx = stat = None
    else:
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        key = lo * n + hi
        if n * n <= 50_000_000:  # dense pair table: counting instead of sorting
            pkey = np.flatnonzero(np.bincount(key, minlength=n * n))
            lookup = np.empty(n * n, np.int64)
            lookup[pkey] = np.arange(len(pkey))
            pidx = lookup[key]
            del lookup
        else:
            pkey, pidx = np.unique(key, return_inverse=True)
        del key
        pi, pj = pkey // n, pkey % n
        E = len(pkey)
        first_wins = ((o == 0) & (a == lo)) | ((o == 1) & (b == lo))
        stat = np.where(o == 2, 2, np.where(first_wins, 0, 1))  # column: 0 wins of i, 1 wins of j, 2 ties
        counts3 = np.bincount(pidx * 3 + stat, minlength=3 * E).astype(np.float64).reshape(E, 3)

    # per-unit -> pair-statistics map (units: distinct triples, or rows with covariates)
    if X is None:
        ukey = np.flatnonzero(counts3.ravel())
        ucnt = counts3.ravel()[ukey]
        if pidx is not None:  # battle -> unit (needed for clustered resampling)
            ulook = np.empty(3 * E, np.int64)
            ulook[ukey] = np.arange(len(ukey))
            battle_unit = ulook[pidx * 3 + stat]
        u_pair, u_stat = ukey // 3, ukey % 3
        n_units = len(ukey)
        unit_col = u_stat * E + u_pair
        S = sp.csr_matrix((np.ones(n_units), (np.arange(n_units), unit_col)), shape=(n_units, 3 * E))
        unit_weight = ucnt.astype(np.float64)
    else:
        n_units = m
        S = sp.csr_matrix((np.ones(m), (np.arange(m), stat * E + pidx)), shape=(m, 3 * E))
        unit_weight = np.ones(m)
        battle_unit = np.arange(m)

    cf, cb = counts3[:, 0] + counts3[:, 2], counts3[:, 1] + counts3[:, 2]
    nsc, lab = F.scc(n, pi, pj, cf > 0, cb > 0)
    connected = np.ones(n, bool)
    if nsc > 1:
        comps = sorted(np.split(np.argsort(lab, kind="stable"), np.cumsum(np.bincount(lab, minlength=nsc))[:-1]),
                       key=len, reverse=True)  # one argsort groups the models by component
        if prior == 0:
            shown = "; ".join("[" + ", ".join(names[k] for k in c[:6]) + (", ...]" if len(c) > 6 else "]")
                              for c in comps[:5])
            raise DisconnectedGraphError(
                f"leaderboard: the beats-or-ties graph of the battles is not strongly connected ({nsc} components: "
                f"{shown}{'; ...' if nsc > 5 else ''}; `components` holds indices into the sorted model names); "
                "some ratings are unbounded. Pass prior_strength > 0 to get "
                "MAP ratings with these models flagged, or remove them.",
                components=[c.tolist() for c in comps], directed=True)
        connected[:] = False
        connected[comps[0]] = True

    model_kind = {"half": "bt", "drop": "bt", "davidson": "davidson", "rao_kupper": "rao_kupper"}[ties]
    fit_ties = model_kind != "bt" and n_ties > 0
    if model_kind != "bt" and n_ties == m:
        raise InvalidInputError("battles", f"ties={ties!r} needs at least one decisive battle", received="all ties")
    if X is None:
        pm = F.PairModel(n, pi, pj, model_kind if fit_ties else "bt", prior)
        inc = F.incidence(n, pi, pj)

        def make_terms(stats: np.ndarray, fixed: np.ndarray):
            wi, wj, t = stats[:, :E], stats[:, E:2 * E], stats[:, 2 * E:]
            if pm.model == "bt":
                wi, wj, t = wi + t / 2, wj + t / 2, np.zeros_like(t)

            B_all = stats.shape[0]
            cache: dict = {}

            def terms(theta, rows, hess):
                # the active rows change only when rounds converge: gather them once per change
                key = (len(rows), int(rows[0]) if len(rows) else -1, int(rows[-1]) if len(rows) else -1)
                if len(rows) == B_all:
                    parts = (wi, wj, t, fixed)
                elif cache.get("key") == key and np.array_equal(cache["rows"], rows):
                    parts = cache["parts"]
                else:
                    parts = (wi[rows], wj[rows], t[rows], fixed[rows])
                    cache.update(key=key, rows=rows.copy(), parts=parts)
                return F.pair_terms(pm, inc, theta, *parts, hess=hess)
            return terms
        P = n + pm.n_extra
        tie_kind = pm.model
    else:
        rm = F.RowModel(n, a, b, (o == 0).astype(np.float64), (o == 1).astype(np.float64),
                        (o == 2).astype(np.float64), X, penalty, prior, pidx, pi, pj,
                        model_kind if fit_ties else "bt")
        inc_rows = F.incidence(n, a, b)
        pair_map = sp.csr_matrix((np.ones(m), (np.arange(m), pidx)), shape=(m, E))

        def make_terms(w: np.ndarray, fixed: np.ndarray):
            def terms(theta, rows, hess):
                return F.row_terms(rm, inc_rows, pair_map, theta, w[rows], fixed[rows], hess=hess)
            return terms
        P = n + rm.n_extra
        tie_kind = rm.model
    n_tie = 0 if tie_kind == "bt" else 1

    def unit_stats(w_units: np.ndarray) -> np.ndarray:
        return w_units if X is not None else F._rmul(w_units, S)

    def initial(B: int, t_total: np.ndarray, total: np.ndarray) -> np.ndarray:
        th = np.zeros((B, P))
        if tie_kind == "davidson":
            f = np.clip(t_total / total, 1e-12, 1 - 1e-12)
            th[:, n] = np.log(2 * f / (1 - f))
        elif tie_kind == "rao_kupper":
            f = np.clip(t_total / total, 1e-12, 1 - 1e-12)
            th[:, n] = 2 * np.arctanh(f)
        return th

    def fixed_of(t_total: np.ndarray) -> np.ndarray:
        return (t_total == 0) if n_tie else np.zeros(len(t_total), bool)

    # point fit
    w0 = unit_weight[None, :]
    st0 = unit_stats(w0)
    pair_stats0 = F._rmul(w0, S)
    t0_total = pair_stats0[:, 2 * E:].sum(1)
    fixed0 = fixed_of(t0_total)
    terms0 = make_terms(st0, fixed0)
    total0 = np.array([float(m)])
    out0 = F.newton_batched(terms0, initial(1, t0_total, total0), n, total0, prior=prior, tol=tol, maxiter=maxiter,
                            positive_extra=tie_kind == "rao_kupper", fixed=fixed0)
    result = raise_or_flag(
        RESULTS.successful if out0.converged[0] else (RESULTS.nonfinite if not np.all(np.isfinite(out0.theta[0]))
                                                       else RESULTS.max_steps_reached), throw=throw,
        error=lambda: ConvergenceError(f"leaderboard: the point fit reached relative gradient {out0.relgrad[0]:.3e} > "
                                       f"tol {tol:.1e} after {int(out0.iterations[0])} Newton steps",
                                       iterations=int(out0.iterations[0]), residual=float(out0.relgrad[0]),
                                       last_iterate=out0.theta[0]))
    if not result.succeeded:
        n_bootstrap = 0  # no bootstrap around a point fit that failed
    theta = out0.theta[0].copy()
    _, _, H = terms0(theta[None], np.array([0]), True)
    H = H[0]
    if prior == 0:
        U = np.zeros((P, P))
        U[:n, :n] = 1.0 / n
        Cov = np.linalg.inv(H + U) - U
    else:
        Pj = np.eye(P)
        Pj[:n, :n] -= 1.0 / n
        Cov = Pj @ np.linalg.inv(H) @ Pj
    se_all = np.sqrt(np.clip(np.diag(Cov), 0.0, None))
    s_hat = theta[:n] - theta[:n].mean()
    tau_hat = tau_se = None
    if tie_kind == "davidson":
        tau_hat = float(np.exp(theta[n])) if fit_ties else 0.0
        tau_se = float(tau_hat * se_all[n]) if fit_ties else 0.0
    elif tie_kind == "rao_kupper":
        tau_hat = float(theta[n]) if fit_ties else 0.0
        tau_se = float(se_all[n]) if fit_ties else 0.0
    elif model_kind != "bt":
        tau_hat = tau_se = 0.0

    # Fisher conductances of the comparison graph (natural scale)
    d_hat = s_hat[pi] - s_hat[pj]
    if X is None:
        cond = counts3.sum(1) * _unit_conductance(ties if fit_ties else "half", d_hat, tau_hat)
    else:
        dr = s_hat[a] - s_hat[b] + X @ theta[n + n_tie:]
        cond = np.bincount(pidx, _unit_conductance(ties if fit_ties else "half", dr, tau_hat), E)
    prior_cond = prior * F.sigmoid(theta[:n]) * F.sigmoid(-theta[:n]) if prior > 0 else np.zeros(0)

    # bootstrap: all rounds as one batch (chunked to bound memory)
    rng = np.random.default_rng(seed)
    boot_s = np.full((n_bootstrap, n), np.nan)
    boot_x = np.full((n_bootstrap, P - n), np.nan)
    failed = 0
    worst = float(out0.relgrad[0])
    if n_bootstrap:
        if C is not None:
            n_cl = int(C.max()) + 1
            CU = sp.csr_matrix((np.ones(m), (C, battle_unit)), shape=(n_cl, n_units))
            probs, draws, W_map = np.full(n_cl, 1.0 / n_cl), n_cl, CU
        else:
            probs, draws, W_map = unit_weight / unit_weight.sum(), m, None
        check = F.ExistenceCheck(n, pi, pj, cf, cb) if prior == 0 else None
        # chord path (half/drop, no covariates): no per-round Hessians, about 8 arrays of E per round
        chunk = (max(1, int(F._MEM_BYTES // (64 * E + 8))) if tie_kind == "bt" and X is None
                 else F.rounds_per_chunk(P, max(E, n_units if X is not None else E)))
        corrections = tuple(rng.spawn(2))  # the rounds do not depend on the chunk size (_MEM_BYTES)
        start = 0
        while start < n_bootstrap:
            Bc = min(chunk, n_bootstrap - start)
            draw = F.multinomial_rounds(rng, draws, probs, Bc, corrections=corrections)
            w_units = draw if W_map is None else F._rmul(draw, W_map)
            if X is None:  # units are distinct (pair, outcome) cells: scatter instead of a sparse product
                pstats = np.zeros((Bc, 3 * E))
                pstats[:, unit_col] = w_units
            else:
                pstats = F._rmul(w_units, S)
            t_tot = pstats[:, 2 * E:].sum(1)
            tot = pstats.sum(1)
            ok = np.ones(Bc, bool)
            if check is not None:
                ok = check.from_stats(pstats, E)
            if model_kind != "bt":
                ok &= t_tot < tot  # at least one decisive battle
            rows = np.flatnonzero(ok)
            if len(rows):
                fx = fixed_of(t_tot[rows])
                if X is None:
                    st = pstats if len(rows) == Bc else pstats[rows]
                else:
                    st = unit_stats(w_units[rows])
                th0 = np.repeat(theta[None], len(rows), 0)
                if n_tie:
                    init = initial(len(rows), t_tot[rows], tot[rows])
                    th0[:, n] = np.where(fit_ties, th0[:, n], init[:, n])
                    th0[fx, n] = -np.inf if tie_kind == "davidson" else 0.0
                    th0[~fx & ~np.isfinite(th0[:, n]), n] = init[~fx & ~np.isfinite(th0[:, n]), n]
                if tie_kind == "bt" and X is None:
                    # one factorisation of the point Hessian for every round (chord steps); rounds
                    # that stop contracting are refitted by damped Newton with their own Hessians
                    half = st[:, 2 * E:] / 2
                    out = F.bt_rounds_chord(n, pi, pj, st[:, :E] + half, st[:, E:2 * E] + half, theta, H, tot[rows],
                                            prior=prior, tol=tol, maxiter=max(maxiter, 60))
                    redo = np.flatnonzero(~out.converged)
                    if len(redo):
                        o2 = F.newton_batched(make_terms(st[redo], fx[redo]), th0[redo], n, tot[rows][redo],
                                              prior=prior, tol=tol, maxiter=maxiter, fixed=fx[redo])
                        for name in ("theta", "relgrad", "iterations", "converged"):
                            getattr(out, name)[redo] = getattr(o2, name)
                else:
                    out = F.newton_batched(make_terms(st, fx), th0, n, tot[rows], prior=prior, tol=tol,
                                           maxiter=maxiter, positive_extra=tie_kind == "rao_kupper", fixed=fx)
                good = out.converged
                sel = start + rows[good]
                s_b = out.theta[good, :n]
                boot_s[sel] = s_b - s_b.mean(1, keepdims=True)
                boot_x[sel] = out.theta[good, n:]
                failed += int((~good).sum())
                if good.any():
                    worst = max(worst, float(out.relgrad[good].max()))
            failed += int((~ok).sum())
            start += Bc
    # scale, order, intervals, ranks
    fac = ELO_FACTOR if scale == "elo" else 1.0
    off = 1000.0 if scale == "elo" else 0.0
    rating = fac * s_hat + off
    shift = 0.0
    if anchor is not None:
        if anchor[0] not in names:
            raise InvalidInputError("anchor", "model is not among the battles' models", received=anchor[0])
        shift = anchor[1] - rating[names.index(anchor[0])]
    rating = rating + shift
    valid = ~np.isnan(boot_s).any(1)
    boot = fac * boot_s[valid] + off + shift
    boot_x = boot_x[valid]
    stderr = fac * se_all[:n]
    alpha = (1 - ci) / 2
    if len(boot):
        ci_lo = np.quantile(boot, alpha, axis=0)
        ci_hi = np.quantile(boot, 1 - alpha, axis=0)
    else:
        z = float(ndtri(1 - alpha))
        ci_lo, ci_hi = rating - z * stderr, rating + z * stderr
    if failed:
        import warnings

        warnings.warn(f"leaderboard: in {failed} of {n_bootstrap} bootstrap rounds the maximum-likelihood estimate "
                      "does not exist (a model lost its wins or its losses); those rounds are left out of `bootstrap` "
                      "and of the intervals (which are then too narrow for those models). Pass prior_strength > 0 "
                      "to keep every round.",
                      UserWarning, stacklevel=2)
    order = np.array(sorted(range(n), key=lambda k: (-round(float(s_hat[k]), 9), names[k])), np.int64)
    conn = connected[order]
    lo_o, hi_o = ci_lo[order], ci_hi[order]
    rank = np.zeros(n, np.int64)
    idx_c = np.flatnonzero(conn)
    for k in idx_c:
        rank[k] = 1 + int((lo_o[idx_c] > hi_o[k]).sum())
    pos = np.empty(n, np.int64)
    pos[order] = np.arange(n)
    cp = np.stack([pos[pi], pos[pj]], 1)
    swap = cp[:, 0] > cp[:, 1]
    cc = counts3.copy()
    cc[swap, 0], cc[swap, 1] = counts3[swap, 1], counts3[swap, 0]
    cp = np.sort(cp, 1)
    ordp = np.lexsort((cp[:, 1], cp[:, 0]))
    k_extra = P - n - n_tie
    gamma = theta[n + n_tie:] if k_extra else np.zeros(0)
    gse = se_all[n + n_tie:] if k_extra else np.zeros(0)
    if k_extra and len(boot_x):
        glo = np.quantile(boot_x[:, n_tie:], alpha, axis=0)
        ghi = np.quantile(boot_x[:, n_tie:], 1 - alpha, axis=0)
    else:
        z = float(ndtri(1 - alpha))
        glo, ghi = gamma - z * gse, gamma + z * gse
    return Leaderboard(
        models=tuple(names[k] for k in order), rating=_freeze(rating[order]), scores=_freeze(s_hat[order]),
        stderr=_freeze(stderr[order]), ci_low=_freeze(lo_o), ci_high=_freeze(hi_o), rank=_freeze(rank),
        bootstrap=_freeze(boot[:, order]), tie_parameter=tau_hat, tie_parameter_stderr=tau_se, n_battles=m,
        connected=_freeze(conn), covariates=covs if k_extra else (), gamma=_freeze(gamma), gamma_stderr=_freeze(gse),
        gamma_ci_low=_freeze(np.asarray(glo)), gamma_ci_high=_freeze(np.asarray(ghi)),
        comparison_pairs=_freeze(cp[ordp]), comparison_counts=_freeze(cc[ordp]),
        comparison_conductance=_freeze(cond[ordp]), n_ties=n_ties, n_dropped=n_dropped, n_bootstrap_failed=failed,
        relative_gradient=worst, ties=ties, scale=scale, ci=ci, anchor=anchor, prior_strength=prior, seed=seed,
        cluster=cluster, prior_conductance=_freeze(prior_cond[order] if prior > 0 else prior_cond), result=result)
