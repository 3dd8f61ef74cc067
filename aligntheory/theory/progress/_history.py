"""ProgressGym preference histories: vectorised vote extrapolation with replication weights (issue 15 item 3).

ProgressGym's extrapolative DPO/RLHF (Qiu et al., arXiv 2406.20087) turns a history of preference
annotations into training data: per pair, votes in {+1, -1, 0 (missing)} relative to the latest
annotation, effective order :math:`p=\\min(\\text{order}, T-1)`, the :math:`(p+1)`-th-difference recurrence
applied ``timesteps_ahead`` times (= Lagrange extrapolation, our A-T1); the sign picks the preferred
response and the magnitude, capped at 5, the number of copies. The reference code asserts a non-zero
result; a missing vote can make it 0 (our A-T2), and here such a pair gets 0 copies (dropped), never an
assertion failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError
from aligntheory.results import provenance
from aligntheory.theory.progress._extrapolation import lagrange_extrapolation_weights

__all__ = ["MAX_COPIES", "MAX_HISTORY_ENTRIES", "PreferenceHistoryExtrapolation", "extrapolate_preference_history"]

_PG = "qiu2024progressgym"
MAX_COPIES = 5
"""Cap on the replication weight (ProgressGym's reference code)."""
MAX_HISTORY_ENTRIES = 10**8
"""Cap on ``n_timesteps * n_pairs``."""


@provenance("S", source=_PG, where="extrapolative DPO/RLHF (vote extrapolation, replication weights)")
@dataclass(frozen=True)
class PreferenceHistoryExtrapolation:
    """Extrapolated votes of a preference history.

    Attributes
    ----------
    votes : ndarray of int64, shape (n_pairs,)
        Extrapolated signed vote :math:`y` (exact integer; 0 possible only with a missing vote).
    copies : ndarray of int64, shape (n_pairs,)
        :math:`\\min(|y|, 5)`; 0 means the pair is dropped.
    preferred : ndarray of int64, shape (n_pairs,)
        :math:`\\operatorname{sign}(y)`: +1 keeps the latest annotation's order, -1 reverses it, 0 drops.
    order : int
        Effective order :math:`p=\\min(\\text{order}, T-1)`.
    weights : ndarray of int64, shape (p+1,)
        Lagrange weights applied to the last :math:`p+1` votes (oldest first).

    Examples
    --------
    >>> h = extrapolate_preference_history([[1, -1], [1, 1]], 1, 1)
    >>> h.order, h.weights.tolist(), h.copies.tolist()
    (1, [-1, 2], [1, 3])
    """

    votes: np.ndarray
    copies: np.ndarray
    preferred: np.ndarray
    order: int
    weights: np.ndarray


def _vote_matrix(votes: Any) -> np.ndarray:
    arr = V.as_real_array("votes", votes, allow_bool=False)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or 0 in arr.shape:
        raise InvalidInputError("votes", "must be a non-empty (n_timesteps, n_pairs) array", received=f"shape {arr.shape}")
    V.check_size("votes", arr.size, cap=MAX_HISTORY_ENTRIES, unit="votes")
    if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
        raise InvalidInputError("votes", "non-finite input: votes must lie in {-1, 0, 1}")
    ok = np.isin(arr, (-1, 0, 1))
    if not np.all(ok):
        t, p = np.argwhere(~ok)[0]
        raise InvalidInputError("votes", f"entries must lie in {{-1, 0, 1}} (0 marks a missing label); "
                                f"timestep {t}, pair {p}", received=arr[t, p])
    return arr.astype(np.int64)


@provenance("S", source=_PG, where="extrapolative DPO/RLHF; our A-T1 (recurrence = Lagrange), A-T2 (zeros)")
def extrapolate_preference_history(votes: Any, order: int, timesteps_ahead: int) -> PreferenceHistoryExtrapolation:
    """Extrapolated vote and replication count of every pair of a ProgressGym history [S].

    .. math:: y = \\sum_{j=0}^{p} \\ell_j(p+m)\\, x_{T-1-p+j},\\qquad
              \\ell_j(x)=(-1)^{p-j}\\binom{x}{j}\\binom{x-j-1}{p-j},\\qquad \\text{copies}=\\min(|y|,5)

    with :math:`p=\\min(\\text{order}, T-1)`, :math:`m` = ``timesteps_ahead``: the
    :math:`(p+1)`-th-difference recurrence iterated :math:`m` times equals this Lagrange extrapolation
    (our A-T1); the weights are exact integers, so :math:`y` is computed in integer arithmetic.

    Parameters
    ----------
    votes : array_like of int in {-1, 0, 1}, shape (n_timesteps, n_pairs) or (n_timesteps,)
        Oldest first, relative to the latest annotation (0 = missing).
    order : int
        Requested order (>= 0), lowered to ``n_timesteps - 1`` for short histories.
    timesteps_ahead : int
        :math:`m\\ge 1`.

    Returns
    -------
    PreferenceHistoryExtrapolation

    Raises
    ------
    InvalidInputError
        Votes outside {-1, 0, 1} (naming timestep and pair), empty or badly shaped input, bad order
        or horizon.
    SizeCapError
        More than :data:`MAX_HISTORY_ENTRIES` votes, :math:`(p+1)\\,m > 10^7` (the recurrence's
        work per pair), or weights whose sum of magnitudes exceeds :math:`2^{62}` (int64 exactness).

    Notes
    -----
    :math:`O((p+1)\\,n_{\\rm pairs})` after the :math:`O(p^2)` exact weights; fully vectorised.

    Examples
    --------
    >>> h = extrapolate_preference_history([[1, 0, -1], [1, 1, -1], [1, 1, 1]], order=2, timesteps_ahead=1)
    >>> h.weights.tolist(), h.votes.tolist(), h.copies.tolist()  # (0, 1, 1) gives 0: dropped
    ([1, -3, 3], [1, 0, 5], [1, 0, 5])
    >>> extrapolate_preference_history([[-1], [1]], order=4, timesteps_ahead=2).votes.tolist()  # p = 1
    [5]
    """
    x = _vote_matrix(votes)
    k = V.check_int("order", order, lo=0)
    m = V.check_int("timesteps_ahead", timesteps_ahead, lo=1)
    p = min(k, x.shape[0] - 1)
    V.check_size("timesteps_ahead", (p + 1) * m, cap=10**7, unit="(order+1) * timesteps_ahead")
    exact = lagrange_extrapolation_weights(p, m, exact=True)
    w_int = [int(w) for w in exact]
    if any(int(w) != w for w in exact):  # pragma: no cover - Lagrange weights at integer nodes are integers
        raise InvalidInputError("order", "non-integer Lagrange weights (internal error)", received=p)
    V.check_size("order", sum(abs(w) for w in w_int), cap=2**62, unit="sum |Lagrange weights| (int64 exactness)")
    w = np.array(w_int, dtype=np.int64)
    y = w @ x[-(p + 1):]
    copies = np.minimum(np.abs(y), MAX_COPIES)
    return PreferenceHistoryExtrapolation(y, copies, np.sign(y), p, w)
