"""Dual-preference Bradley--Terry likelihoods of Safe RLHF (our B-T7).

Helpfulness: :math:`P(y_1 \\succ y_2) = \\sigma(r_1-r_2)`; harmfulness: :math:`\\sigma(c_1-c_2)`; safety
flag :math:`P(y\\text{ unsafe}) = \\sigma(c(y))` (Dai et al., arXiv 2310.12773, §3.1).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError, PrecisionError
from aligntheory.results import provenance

__all__ = ["bt_reward_nll", "cost_nll"]

_SAFE = "dai2023safe"


def _pairs(pairs: Any, n: int) -> np.ndarray:
    V.as_real_array("pairs", pairs)  # refuses ragged, complex, boolean and object input in one place
    return V.as_index_array("pairs", pairs, n=n, shape=(None, 2))


def _finite(name: str, total: float) -> float:
    if not np.isfinite(total):
        raise PrecisionError(f"{name}: the negative log-likelihood overflows float64 (score differences too large)")
    return total


def _binary(name: str, x: Any, shape: tuple) -> np.ndarray:
    arr = V.as_real_array(name, x, allow_bool=True)
    if arr.shape != shape:
        raise InvalidInputError(name, f"must have shape {shape}", received=f"shape {arr.shape}")
    if arr.dtype != bool:
        if arr.dtype.kind not in "iu" or not np.all(np.isin(arr, (0, 1))):
            raise InvalidInputError(name, "must be booleans or 0/1 integers")
        arr = arr.astype(bool)
    return arr


@provenance("S", source=_SAFE, where="§3.1 (reward model loss); our B-T7")
def bt_reward_nll(r: Any, pairs: Any, labels: Any) -> float:
    """Bradley--Terry helpfulness NLL :math:`-\\sum\\log\\sigma(s(r_{i}-r_{j}))` [S].

    ``labels[p]`` is True when ``pairs[p, 0]`` is the more helpful response (:math:`s=+1`), else
    :math:`s=-1`. Safe RLHF reward-model loss (arXiv 2310.12773, §3.1); our B-T7. Invariant under
    :math:`r\\mapsto r+t`. Shapes: r (n,), pairs (P, 2), labels (P,); :math:`O(P)`.

    Raises
    ------
    InvalidInputError
        Bad inputs (non-finite, complex, ragged or mis-shaped arrays; out-of-range scalars).
    PrecisionError
        An intermediate quantity overflows float64.

    Examples
    --------
    >>> round(bt_reward_nll([0.0, 0.0], [[0, 1]], [True]), 12)  # log 2
    0.693147180560
    """
    r = V.as_float_array("r", r, ndim=1)
    e = _pairs(pairs, r.shape[0])
    lab = _binary("labels", labels, (e.shape[0],))
    s = np.where(lab, 1.0, -1.0)
    with np.errstate(over="ignore", invalid="ignore"):
        total = float(np.sum(np.logaddexp(0.0, -s * (r[e[:, 0]] - r[e[:, 1]]))))
    return _finite("r", total)


@provenance("S", source=_SAFE, where="§3.1 (cost model loss); our B-T7")
def cost_nll(c: Any, pairs: Any, harm_labels: Any, unsafe_flags: Any = None) -> float:
    """Safe RLHF cost-model NLL: pairwise term plus sign terms [S].

    .. math:: -\\sum_p \\log\\sigma(s_p(c_i-c_j)) - \\sum_p\\sum_{y\\in p}\\log\\sigma(s(y)c(y))

    ``harm_labels[p]`` True when ``pairs[p, 0]`` is more harmful; ``unsafe_flags`` (P, 2) marks
    unsafe responses (:math:`s(y)=+1`), safe ones get :math:`s(y)=-1`; ``None`` drops the sign
    terms. Safe RLHF cost-model loss (arXiv 2310.12773, §3.1); our B-T7: the pairwise part is
    shift-invariant, the sign terms fix the origin.

    Raises
    ------
    InvalidInputError
        Bad inputs (non-finite, complex, ragged or mis-shaped arrays; out-of-range scalars).
    PrecisionError
        An intermediate quantity overflows float64.

    Examples
    --------
    >>> c = np.array([1.0, -1.0])
    >>> cost_nll(c + 3.0, [[0, 1]], [True]) == cost_nll(c, [[0, 1]], [True])
    True
    """
    c = V.as_float_array("c", c, ndim=1)
    e = _pairs(pairs, c.shape[0])
    lab = _binary("harm_labels", harm_labels, (e.shape[0],))
    s = np.where(lab, 1.0, -1.0)
    with np.errstate(over="ignore", invalid="ignore"):
        total = float(np.sum(np.logaddexp(0.0, -s * (c[e[:, 0]] - c[e[:, 1]]))))
        if unsafe_flags is not None:
            fl = _binary("unsafe_flags", unsafe_flags, (e.shape[0], 2))
            sg = np.where(fl, 1.0, -1.0)
            total += float(np.sum(np.logaddexp(0.0, -sg * c[e])))
    return _finite("c", total)
