"""IBN diagnostics of a leaderboard: adjacent-rank uncertainty from effective resistance, and design.

The Fisher information of the strengths is the Laplacian :math:`L_c` of the comparison graph with
conductances :math:`c_{ab}` (Fisher information of :math:`s_a - s_b` carried by the pair's battles;
spec ``ibn.md`` §3.2, Hendrickx et al. 2019), so the asymptotic variance of a difference is the
effective resistance :math:`R_{\\rm eff}(a, b) = (e_a-e_b)^\\top L_c^{+}(e_a-e_b)`. A prior of
``prior_strength`` pseudo-battles against a virtual model of score 0 adds a virtual node.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError
from aligntheory.results import provenance

__all__ = ["AdjacentUncertainty", "adjacent_uncertainty", "ComparisonPlan", "next_comparisons"]


def _reff(n_nodes: int, edges: np.ndarray, cond: np.ndarray, pairs: np.ndarray | None) -> np.ndarray:
    """The library's exact effective resistance (``aligntheory.theory.ibn.effective_resistance``)."""
    from aligntheory.theory.ibn import effective_resistance

    params = inspect.signature(effective_resistance).parameters
    if "conductances" in params:
        return effective_resistance(n_nodes, edges, conductances=cond, pairs=pairs)
    return effective_resistance(n_nodes, edges, 1.0 / cond, pairs=pairs)


def _graph(lb) -> tuple[int, np.ndarray, np.ndarray]:
    n = lb.n_models
    edges = np.asarray(lb.comparison_pairs, np.int64)
    cond = np.asarray(lb.comparison_conductance, np.float64)
    keep = cond > 0
    edges, cond = edges[keep], cond[keep]
    if lb.prior_strength > 0:
        pc = np.asarray(lb.prior_conductance)
        edges = np.concatenate([edges, np.stack([np.arange(n), np.full(n, n)], 1)])
        cond = np.concatenate([cond, pc])
        return n + 1, edges, cond
    return n, edges, cond


def _adjacent(lb) -> np.ndarray:
    idx = np.flatnonzero(np.asarray(lb.connected))
    return np.stack([idx[:-1], idx[1:]], 1) if len(idx) > 1 else np.zeros((0, 2), np.int64)


@provenance("M", source="hendrickx2019graph", where="Fisher information = weighted Laplacian; spec ibn.md §3.2")
@dataclass(frozen=True)
class AdjacentUncertainty:
    """Uncertainty of the difference between adjacent-ranked models (from :func:`adjacent_uncertainty`).

    Attributes
    ----------
    pairs : tuple of (str, str)
        ``(models[k], models[k+1])`` over the comparable models, best first.
    variance : ndarray
        Effective resistance of each pair on the Fisher-weighted comparison graph (natural scale).
    sd : ndarray
        ``sqrt(variance)`` on the leaderboard's scale.
    sd_bootstrap : ndarray or None
        Standard deviation of the difference over the bootstrap rounds (the leaderboard's scale;
        None when the leaderboard has fewer than two rounds).
    difference : ndarray
        Rating difference of each pair (the leaderboard's scale).

    Examples
    --------
    >>> from aligntheory.analysis.arena import EXAMPLE_BATTLES_PATH, leaderboard
    >>> u = adjacent_uncertainty(leaderboard(EXAMPLE_BATTLES_PATH, n_bootstrap=0))
    >>> len(u.pairs), u.pairs[0]
    (9, ('orca-grande-70b', 'nimbus-large'))
    """

    pairs: tuple[tuple[str, str], ...]
    variance: np.ndarray
    sd: np.ndarray
    sd_bootstrap: np.ndarray | None
    difference: np.ndarray


@provenance("M", source="hendrickx2019graph", where="asymptotic covariance of the BT MLE; spec ibn.md §2.6, §3.2")
def adjacent_uncertainty(lb) -> AdjacentUncertainty:
    """Posterior standard deviation of every adjacent-rank difference, from effective resistance [M].

    .. math:: \\operatorname{Var}(\\hat s_{(k)} - \\hat s_{(k+1)}) \\approx R_{\\rm eff}((k), (k+1)),
              \\qquad L_c = \\sum_{\\{a,b\\}} c_{ab}(e_a-e_b)(e_a-e_b)^\\top

    The conductances are the leaderboard's ``comparison_conductance`` (Fisher information of the
    pair's difference at the estimate, the tie parameter and covariates held at their estimates);
    the resistances come from :func:`aligntheory.theory.ibn.effective_resistance`. Compared with
    the standard deviation of the same difference over the bootstrap rounds.

    Parameters
    ----------
    lb : Leaderboard

    Returns
    -------
    AdjacentUncertainty

    Notes
    -----
    One dense factorisation of the :math:`n`-node Laplacian: :math:`O(n^3)`.

    Examples
    --------
    >>> from aligntheory.analysis.arena import leaderboard
    >>> lb = leaderboard({"model_a": ["p"] * 4, "model_b": ["q"] * 4,
    ...                   "winner": ["model_a", "model_a", "model_a", "model_b"]}, n_bootstrap=0, scale="natural")
    >>> u = adjacent_uncertainty(lb)
    >>> u.pairs, round(float(u.variance[0]), 6), round(1 / (4 * 0.75 * 0.25), 6)
    ((('p', 'q'),), 1.333333, 1.333333)
    """
    N, edges, cond = _graph(lb)
    adj = _adjacent(lb)
    var = _reff(N, edges, cond, adj) if len(adj) else np.zeros(0)
    fac = lb.scale_factor
    rating = np.asarray(lb.rating)
    boot = np.asarray(lb.bootstrap)
    if boot.shape[0] >= 2 and len(adj):
        diffs = boot[:, adj[:, 0]] - boot[:, adj[:, 1]]
        sd_b = np.nanstd(diffs, axis=0, ddof=1)
    else:
        sd_b = None  # not available: no NaN placeholders
    return AdjacentUncertainty(tuple((lb.models[i], lb.models[j]) for i, j in adj), var, fac * np.sqrt(var), sd_b,
                               rating[adj[:, 0]] - rating[adj[:, 1]] if len(adj) else np.zeros(0))


@provenance("M", source="hendrickx2019graph", where="Sherman-Morrison update of L^+; A-optimal design")
@dataclass(frozen=True)
class ComparisonPlan:
    """Greedy A-optimal next battles (from :func:`next_comparisons`).

    Attributes
    ----------
    pairs : tuple of (str, str)
        The chosen model pairs, in the order chosen.
    reduction : ndarray
        Predicted decrease of the summed adjacent-difference variance (natural scale) at each step.
    variance_before, variance_after : float
        Summed variance of the adjacent differences (natural scale) before and after all chosen
        battles (predicted).
    battles_per_pair : int

    Examples
    --------
    >>> from aligntheory.analysis.arena import EXAMPLE_BATTLES_PATH, leaderboard
    >>> plan = next_comparisons(leaderboard(EXAMPLE_BATTLES_PATH, n_bootstrap=0), 3, battles_per_pair=100)
    >>> len(plan.pairs), bool(plan.variance_after < plan.variance_before)
    (3, True)
    """

    pairs: tuple[tuple[str, str], ...]
    reduction: np.ndarray
    variance_before: float
    variance_after: float
    battles_per_pair: int


@provenance("M", source="hendrickx2019graph", where="effective resistance under edge addition (rank-one update)")
def next_comparisons(lb, k: int, *, battles_per_pair: int = 1, max_models: int = 2000) -> ComparisonPlan:
    """The ``k`` model pairs whose next battles most reduce the adjacent-rank variance (greedy A-optimal) [M].

    .. math:: \\Delta_{ij} = \\frac{c_{ij}\\,\\sum_k \\big((L^{+}a_k)_i - (L^{+}a_k)_j\\big)^2}{1 + c_{ij} R_{\\rm eff}(i,j)},
              \\qquad a_k = e_{(k)} - e_{(k+1)}

    Adding ``battles_per_pair`` battles between :math:`i` and :math:`j` adds conductance
    :math:`c_{ij}` (their expected Fisher information at the fitted strengths and tie parameter)
    to the comparison graph; by the Sherman--Morrison formula the summed variance of the adjacent
    differences drops by :math:`\\Delta_{ij}`. Each step takes the pair of largest drop (among
    pairs not chosen yet) and updates :math:`L^{+}` by that rank-one formula. :math:`L^{+}` comes
    from the library's effective resistances (:math:`L^{+} = -\\tfrac12 JRJ`, :math:`J = I - 11^\\top/N`).

    Parameters
    ----------
    lb : Leaderboard
    k : int
        Number of pairs to choose, >= 1 (at most the number of model pairs).
    battles_per_pair : int, default 1
        Battles planned per chosen pair, >= 1.
    max_models : int, default 2000
        Size cap on the number of models (dense :math:`O(n^2)` memory), >= 2; checked before any work,
        ``SizeCapError`` past it.

    Returns
    -------
    ComparisonPlan

    Raises
    ------
    SizeCapError
        More than ``max_models`` models.

    Notes
    -----
    :math:`O(n^3)` for :math:`L^{+}` plus :math:`O(k\\,n^2 m)` for the greedy steps (:math:`m` adjacent pairs).

    Examples
    --------
    Three models, the middle pair barely compared: the plan asks for that pair first.

    >>> from aligntheory.analysis.arena import leaderboard
    >>> w = ["model_a", "model_b"]
    >>> lb = leaderboard({"model_a": ["a"] * 40 + ["b"] * 2 + ["a"] * 40,
    ...                   "model_b": ["b"] * 40 + ["c"] * 2 + ["c"] * 40,
    ...                   "winner": w * 20 + w + w * 20}, n_bootstrap=0)
    >>> next_comparisons(lb, 1).pairs
    (('b', 'c'),)
    """
    from aligntheory.analysis._leaderboard import _unit_conductance

    n = lb.n_models
    V.check_size("n_models", n, cap=V.check_int("max_models", max_models, lo=2), unit="models")
    k = V.check_int("k", k, lo=1, hi=n * (n - 1) // 2)
    bpp = V.check_int("battles_per_pair", battles_per_pair, lo=1)
    N, edges, cond = _graph(lb)
    R = _reff(N, edges, cond, None)
    J = np.eye(N) - 1.0 / N
    Lp = -0.5 * J @ R @ J
    adj = _adjacent(lb)
    if len(adj) == 0:
        raise InvalidInputError("lb", "needs at least two comparable models", received=int(np.sum(lb.connected)))
    s = np.asarray(lb.scores)
    iu, ju = np.triu_indices(n, 1)
    cand_c = bpp * _unit_conductance(lb.ties, s[iu] - s[ju], lb.tie_parameter)
    available = np.ones(len(iu), bool)
    before = float(sum(Lp[a, a] + Lp[b, b] - 2 * Lp[a, b] for a, b in adj))
    chosen, red = [], []
    for _ in range(k):
        Y = Lp[:, adj[:, 0]] - Lp[:, adj[:, 1]]  # (N, m) columns L^+ a_k
        Yn = (Y[:n] ** 2).sum(1)
        num = Yn[iu] + Yn[ju] - 2 * np.einsum("pk,pk->p", Y[iu], Y[ju])
        dg = np.diag(Lp)
        Rij = dg[iu] + dg[ju] - 2 * Lp[iu, ju]
        gain = np.where(available, cand_c * num / (1 + cand_c * Rij), -np.inf)
        q = int(np.argmax(gain))
        i, j, c = iu[q], ju[q], cand_c[q]
        bvec = Lp[:, i] - Lp[:, j]
        Lp = Lp - c * np.outer(bvec, bvec) / (1 + c * Rij[q])
        available[q] = False
        chosen.append((lb.models[i], lb.models[j]))
        red.append(float(gain[q]))
    after = float(sum(Lp[a, a] + Lp[b, b] - 2 * Lp[a, b] for a, b in adj))
    return ComparisonPlan(tuple(chosen), np.asarray(red), before, after, bpp)
