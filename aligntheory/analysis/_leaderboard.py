"""The :class:`Leaderboard` result object and the tie-model helpers it shares with the fit and diagnostics.

Private module: the public names are re-exported by :mod:`aligntheory.analysis.arena`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from aligntheory.analysis import _arena_fit as F
from aligntheory.errors import InvalidInputError
from aligntheory.results import RESULTS, provenance

ELO_FACTOR = 400.0 / math.log(10.0)
"""Natural-log strengths to Elo points: :math:`400/\\ln 10`."""

_TIES = ("half", "davidson", "rao_kupper", "drop")


def _freeze(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    x.setflags(write=False)
    return x


@provenance("M", source="ford1957solution", where="Bradley-Terry model; Davidson (1970) and Rao-Kupper (1967) ties")
@dataclass(frozen=True)
class Leaderboard:
    """A fitted leaderboard (returned by :func:`leaderboard`); rows ordered best first.

    Attributes
    ----------
    models : tuple of str
        Model names, best first (equal ratings, to 1e-9 on the natural scale, ordered by name).
    rating : ndarray, shape (n_models,)
        Ratings on ``scale`` (after the ``anchor`` shift).
    scores : ndarray, shape (n_models,)
        Centred natural-scale strengths :math:`s` (mean 0 over all models), before scaling.
    stderr : ndarray, shape (n_models,)
        Standard error of each rating from the Fisher information at the estimate (on ``scale``),
        accounting for the tie parameter and covariates fitted jointly.
    ci_low, ci_high : ndarray, shape (n_models,)
        Bootstrap percentile interval at level ``ci`` (normal interval ``rating ± z stderr`` when
        ``n_bootstrap == 0``).
    rank : ndarray of int, shape (n_models,)
        ``1 +`` the number of (comparable) models whose ``ci_low`` exceeds this model's ``ci_high``;
        0 for a model flagged not comparable (``connected`` False).
    bootstrap : ndarray, shape (n_bootstrap - n_bootstrap_failed, n_models)
        Bootstrap ratings on ``scale``, columns aligned with ``models``. A round in which the
        maximum-likelihood estimate does not exist (some model lost all its wins or all its
        losses in the resample; checked exactly) is left out and counted in
        ``n_bootstrap_failed``, with a warning. Rows are in the order the rounds are drawn: with the
        same ``seed``, the rows of a run with ``n_bootstrap = B`` are the first ``B`` rounds of a run
        with more rounds (the draws do not depend on how rounds are batched).
    tie_parameter, tie_parameter_stderr : float or None
        Davidson's :math:`\\nu` or Rao--Kupper's threshold :math:`\\alpha` (natural scale) and its
        Fisher standard error; None for ``ties="half"``/``"drop"``.
    connected : ndarray of bool
        False for a model outside the largest strongly connected component of the beats-or-ties
        graph (its rating comes from the prior alone relative to the rest; only with
        ``prior_strength > 0``).
    covariates : tuple of str
        Covariate names; ``gamma``, ``gamma_stderr``, ``gamma_ci_low``, ``gamma_ci_high`` their
        coefficients (natural scale) with Fisher standard errors and bootstrap intervals.
    comparison_pairs : ndarray of int, shape (n_pairs, 2)
        Distinct model pairs compared (indices into ``models``, first < second), sorted by the first
        index, then the second.
    comparison_counts : ndarray, shape (n_pairs, 3)
        Wins of the first, wins of the second, ties.
    comparison_conductance : ndarray, shape (n_pairs,)
        Fisher information of each pair's strength difference at the estimate (natural scale):
        the conductances of the comparison graph.
    n_battles : int
        Battles fitted (after self-battles, and ties under ``ties="drop"``, are dropped).
    n_ties : int, default 0
        Ties among the fitted battles.
    n_dropped : int, default 0
        Battles dropped: self-battles, plus the ties under ``ties="drop"``.
    n_bootstrap_failed : int, default 0
        Bootstrap rounds left out because the maximum-likelihood estimate did not exist.
    result : RESULTS
        Outcome of the point fit (``converged`` is ``result.succeeded``).
    relative_gradient : float, default 0.0
        Largest ``max|grad| / n_battles`` over the point fit and every bootstrap round.
    ci : float, default 0.95
        Interval level used.
    prior_strength : float, default 0.0
        Pseudo-battles per model used.
    seed : int, default 0
        Bootstrap seed used.
    ties, scale, anchor, cluster
        The options used.

    Examples
    --------
    >>> from aligntheory.analysis.arena import EXAMPLE_BATTLES_PATH, leaderboard
    >>> lb = leaderboard(EXAMPLE_BATTLES_PATH, n_bootstrap=50)
    >>> lb.models[:3], lb.bootstrap.shape
    (('orca-grande-70b', 'nimbus-large', 'atlas-chat-v3'), (50, 10))
    >>> bool(lb.ci_low[0] <= lb.rating[0] <= lb.ci_high[0]), int(lb.rank[0])
    (True, 1)
    """

    models: tuple[str, ...]
    rating: np.ndarray
    scores: np.ndarray
    stderr: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    rank: np.ndarray
    bootstrap: np.ndarray
    tie_parameter: float | None
    tie_parameter_stderr: float | None
    n_battles: int
    connected: np.ndarray
    covariates: tuple[str, ...]
    gamma: np.ndarray
    gamma_stderr: np.ndarray
    gamma_ci_low: np.ndarray
    gamma_ci_high: np.ndarray
    comparison_pairs: np.ndarray = field(repr=False)
    comparison_counts: np.ndarray = field(repr=False)
    comparison_conductance: np.ndarray = field(repr=False)
    n_ties: int = 0
    n_dropped: int = 0
    n_bootstrap_failed: int = 0
    relative_gradient: float = 0.0
    ties: str = "half"
    scale: str = "elo"
    ci: float = 0.95
    anchor: tuple[str, float] | None = None
    prior_strength: float = 0.0
    seed: int = 0
    cluster: str | None = None
    prior_conductance: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)
    result: RESULTS = RESULTS.successful

    @property
    def converged(self) -> bool:
        """``result.succeeded``: the point fit reached ``tol``."""
        return self.result.succeeded

    @property
    def n_models(self) -> int:
        return len(self.models)

    @property
    def scale_factor(self) -> float:
        """Rating points per natural-scale unit (:data:`ELO_FACTOR` or 1)."""
        return ELO_FACTOR if self.scale == "elo" else 1.0

    def index(self, model: str) -> int:
        """Row of ``model`` (raises InvalidInputError naming the unknown model)."""
        try:
            return self.models.index(model)
        except ValueError:
            raise InvalidInputError("model", "is not on this leaderboard", received=model) from None

    def win_probability(self, a: str, b: str) -> float:
        """Predicted expected score of ``a`` against ``b``: :math:`P(a\\succ b) + \\tfrac12 P(\\text{tie})`.

        Under ``"half"``/``"drop"`` this is :math:`\\sigma(s_a - s_b)`; under Davidson and Rao--Kupper
        the tie probability of the fitted model counts half. Covariates are taken at zero.

        Examples
        --------
        >>> from aligntheory.analysis.arena import leaderboard
        >>> lb = leaderboard({"model_a": ["x", "y"], "model_b": ["y", "x"], "winner": ["model_a", "model_a"]},
        ...                  n_bootstrap=0)
        >>> lb.win_probability("x", "y")
        0.5
        """
        d = float(self.scores[self.index(a)] - self.scores[self.index(b)])
        return float(_expected_score(self.ties, np.array([d]), self.tie_parameter)[0])

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: one row per model plus the fit's metadata."""
        rows = []
        for k, m in enumerate(self.models):
            rows.append({"model": m, "rank": int(self.rank[k]), "rating": float(self.rating[k]),
                         "stderr": float(self.stderr[k]), "ci_low": float(self.ci_low[k]),
                         "ci_high": float(self.ci_high[k]), "connected": bool(self.connected[k])})
        out: dict[str, Any] = {
            "models": rows, "ties": self.ties, "scale": self.scale, "ci": self.ci,
            "anchor": None if self.anchor is None else [self.anchor[0], self.anchor[1]],
            "n_battles": self.n_battles, "n_ties": self.n_ties, "n_dropped": self.n_dropped,
            "n_bootstrap": int(self.bootstrap.shape[0]) + self.n_bootstrap_failed,
            "n_bootstrap_failed": self.n_bootstrap_failed,
            "tie_parameter": self.tie_parameter, "tie_parameter_stderr": self.tie_parameter_stderr,
            "prior_strength": self.prior_strength, "seed": self.seed, "cluster": self.cluster,
            "relative_gradient": self.relative_gradient,
        }
        if self.covariates:
            out["covariates"] = [{"name": c, "gamma": float(self.gamma[q]), "stderr": float(self.gamma_stderr[q]),
                                  "ci_low": float(self.gamma_ci_low[q]), "ci_high": float(self.gamma_ci_high[q])}
                                 for q, c in enumerate(self.covariates)]
        return out

    def to_pandas(self):
        """The rows as a pandas DataFrame (``MissingDependencyError`` without pandas)."""
        try:
            import pandas as pd
        except ImportError:
            from aligntheory.errors import MissingDependencyError

            raise MissingDependencyError("pandas", extra="analysis") from None
        return pd.DataFrame(self.as_dict()["models"]).set_index("model")


def _expected_score(ties: str, d: np.ndarray, tau: float | None) -> np.ndarray:
    if ties in ("half", "drop") or tau is None or tau == 0.0:
        return F.sigmoid(d)
    if ties == "davidson":
        lse = np.logaddexp(np.logaddexp(d / 2, -d / 2), math.log(tau))
        return np.exp(d / 2 - lse) + 0.5 * np.exp(math.log(tau) - lse)
    pw, pl = F.sigmoid(d - tau), F.sigmoid(-d - tau)
    return pw + 0.5 * (1.0 - pw - pl)


def _unit_conductance(ties: str, d: np.ndarray, tau: float | None) -> np.ndarray:
    """Fisher information of ``d`` carried by one battle (expected, at the fitted model)."""
    if ties in ("half", "drop") or not tau:
        p = F.sigmoid(d)
        return p * (1 - p)
    if ties == "davidson":
        lse = np.logaddexp(np.logaddexp(d / 2, -d / 2), math.log(tau))
        pw, pl = np.exp(d / 2 - lse), np.exp(-d / 2 - lse)
        return (pw + pl - (pw - pl) ** 2) / 4
    pw, pl = F.sigmoid(d - tau), F.sigmoid(-d - tau)
    pt = 1 - pw - pl
    q1, q2 = F.sigmoid(tau - d), F.sigmoid(tau + d)
    return (pw + pt) * q1 * (1 - q1) + (pl + pt) * q2 * (1 - q2)
