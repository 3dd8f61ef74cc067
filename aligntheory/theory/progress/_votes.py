"""Extrapolated preference votes of ProgressGym's extrapolative DPO/RLHF (our A-T2, A-T4 vote model)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any, NamedTuple

import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError, PrecisionError
from aligntheory.results import provenance
from aligntheory.theory.progress._extrapolation import (
    MAX_RECURRENCE_WORK,
    _lagrange_fractions,
    _order,
    _steps,
    extrapolate_by_recurrence,
)

__all__ = ["extrapolated_vote", "VoteMoments", "vote_extrapolation_moments"]

_PG = "qiu2024progressgym"


def _votes(votes: Any) -> list[int]:
    arr = V.as_real_array("votes", votes, allow_bool=False)
    if arr.ndim != 1 or arr.size == 0:
        raise InvalidInputError("votes", "must be a non-empty 1-D sequence", received=f"shape {arr.shape}")
    if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
        raise InvalidInputError("votes", "non-finite input: votes must lie in {-1, 0, 1}")
    if not np.all(np.isin(arr, (-1, 0, 1))):
        bad = arr[~np.isin(arr, (-1, 0, 1))][0]
        raise InvalidInputError("votes", "entries must lie in {-1, 0, 1} (0 marks a missing label)", received=bad)
    return [int(v) for v in arr]


@provenance("S", source=_PG, where="extrapolative DPO/RLHF (vote extrapolation); our A-T2")
def extrapolated_vote(votes: Sequence[int], order: int, steps_ahead: int, *,
                      allow_order_reduction: bool = False, max_work: int = MAX_RECURRENCE_WORK) -> int:
    """Extrapolated preference vote of ProgressGym's extrapolative DPO/RLHF, exact integer [S].

    .. math:: x_{n+m} = \\sum_j \\ell_j(k+m)\\, x_{n-k+j},\\quad x_s \\in \\{-1,0,+1\\}

    Its sign picks the preferred answer and its magnitude (capped at 5 by the reference code) the
    replication weight (arXiv 2406.20087). By our A-T2 the result is odd, hence non-zero, when
    every vote in the window is :math:`\\pm 1`; a missing label (0) can make it 0, and **0 is
    returned**, never asserted away: the caller decides (e.g. drop the pair).

    Parameters
    ----------
    votes : sequence of int in {-1, 0, 1}, oldest first
    order, steps_ahead : int
    allow_order_reduction : bool, default False
        Lower the order when fewer than ``order+1`` votes are given.
    max_work : int, default 1_000_000
        Cap on :math:`(k+1)m`, see :func:`extrapolate_by_recurrence`.

    Returns
    -------
    int

    Raises
    ------
    InvalidInputError
        Votes outside {-1, 0, 1}, too few votes, bad order or horizon, ``max_work`` not an integer >= 1.
    SizeCapError
        :math:`(k+1)m` exceeds ``max_work``.

    Notes
    -----
    :math:`O(k m)`.

    Examples
    --------
    >>> extrapolated_vote([0, 1, 1], order=2, steps_ahead=1)  # the A-T2 zero example
    0
    >>> extrapolated_vote([-1, 1, 1], order=2, steps_ahead=1)
    -1
    """
    k, m = _order(order), _steps(steps_ahead)
    max_work = V.check_int("max_work", max_work, lo=1)
    v = _votes(votes)
    if len(v) < k + 1:
        if not allow_order_reduction:
            raise InvalidInputError("votes", f"an order-{k} window needs at least order+1 = {k + 1} votes "
                                    "(pass allow_order_reduction=True)", received=f"{len(v)} votes")
        k = len(v) - 1
    return int(extrapolate_by_recurrence(v, k, m, max_work=max_work))


@provenance("M", source=_PG, where="our A-T4 (vote model)")
class VoteMoments(NamedTuple):
    """Mean and variance of the extrapolated vote (:func:`vote_extrapolation_moments`)."""

    mean: float
    variance: float


@provenance("M", source=_PG, where="our A-T4 (vote model)")
def vote_extrapolation_moments(mu: Any, order: int, steps_ahead: int) -> VoteMoments:
    """Mean and variance of the extrapolated vote when :math:`x_s=\\pm1` with mean :math:`\\mu_s` [M].

    .. math:: \\mathbb E\\hat y = w\\cdot\\mu,\\qquad \\mathrm{Var}\\,\\hat y = \\sum_j w_j^2 (1-\\mu_j^2)

    (independent votes; our A-T4). ``mu`` holds the last ``order+1`` means, oldest first.

    Returns
    -------
    VoteMoments
        Both moments are exact rationals (exact integer weights, ``mu`` taken as exact) rounded once to
        float64, so a cancelling mean (``mu = (0.3, 0.2, 0.1)``, order 2) and the factors
        :math:`1-\\mu_j^2` at :math:`\\mu_j` near :math:`\\pm1` are correctly rounded.

    Raises
    ------
    InvalidInputError
        ``mu`` of the wrong length, non-finite, or outside [-1, 1].
    PrecisionError
        The mean or the variance exceeds the float64 range (huge order and horizon).

    Notes
    -----
    :math:`O(k^2)` big-rational operations.

    Examples
    --------
    >>> mom = vote_extrapolation_moments([-0.2, 0.1, 0.5], 2, 2)
    >>> round(mom.mean, 12), round(mom.variance, 12)
    (1.6, 99.0)
    """
    k, m = _order(order), _steps(steps_ahead)
    mu = V.as_float_array("mu", mu, shape=(k + 1,))
    if np.any(np.abs(mu) > 1):
        raise InvalidInputError("mu", "vote means must lie in [-1, 1]")
    # exact: the float64 w @ mu cancels (alternating weights) and 1 - mu**2 loses the low bits of mu near +-1
    w = [f.numerator for f in _lagrange_fractions(k, m)]
    q = [Fraction(x) for x in mu.tolist()]
    mean = sum(wj * qj for wj, qj in zip(w, q))
    var = sum(wj * wj * (1 - qj * qj) for wj, qj in zip(w, q))
    try:
        return VoteMoments(float(mean), float(var))
    except OverflowError:
        raise PrecisionError(f"order, steps_ahead: the order-{k}, {m}-step extrapolated vote's mean or variance "
                             "exceeds the float64 range") from None
