"""Input checks shared by the elasticity theory modules (spec ``elasticity.md`` §7): the one place
where a distribution, a (k, l) pair, a log base or a support condition is checked."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError
from aligntheory.results import provenance

SUM_TOL = 1e-9
RATIO_UNDEFINED_REL = 1e-14


@provenance("M", where="spec elasticity.md §7 (probability vectors)")
def check_distribution(name: str, p: Any) -> np.ndarray:
    """Check that ``p`` is a probability vector (1-D, finite, >= 0, sum within 1e-9 of 1).

    Spec ``elasticity.md`` §7: the message says "not a probability vector" and gives the sum
    and the most negative entry.

    Parameters
    ----------
    name : str
        Argument name for the message.
    p : array_like, shape (M,)
        Real entries (complex, ragged, object and boolean inputs are refused, never truncated).

    Returns
    -------
    numpy.ndarray of float64, shape (M,)

    Raises
    ------
    InvalidInputError
        Not a probability vector (the message gives the sum and the most negative entry), or not
        a real array.
    PrecisionError
        A float32/float16 array.

    Notes
    -----
    :math:`O(M)`.

    Examples
    --------
    >>> check_distribution("P_p", [0.5, 0.5])
    array([0.5, 0.5])
    >>> check_distribution("P_p", [0.7, 0.5])
    Traceback (most recent call last):
    ...
    aligntheory.errors.InvalidInputError: P_p: not a probability vector: entries must be finite and >= 0 and sum to 1 within 1e-09 (received sum 1.2, most negative entry 0.5)
    """
    V.check_float64(name, p)
    arr = V.as_real_array(name, p).astype(np.float64, copy=False)  # complex, ragged, object, bool refused
    if arr.ndim != 1 or arr.size == 0:
        raise InvalidInputError(name, "not a probability vector: must be a non-empty 1-D array",
                                received=f"shape {arr.shape}")
    s = float(np.sum(arr)) if np.all(np.isfinite(arr)) else float("nan")
    mn = float(np.min(arr)) if arr.size else float("nan")
    if not np.all(np.isfinite(arr)) or mn < 0 or not abs(s - 1.0) <= SUM_TOL:
        raise InvalidInputError(
            name, f"not a probability vector: entries must be finite and >= 0 and sum to 1 within {SUM_TOL:g}",
            received=f"sum {s!r}, most negative entry {mn!r}")
    return arr


def _same_shape(**arrays: np.ndarray) -> None:
    items = list(arrays.items())
    n0, a0 = items[0]
    for n, a in items[1:]:
        if a.shape != a0.shape:
            raise InvalidInputError(n, f"mismatched leaf counts: shape {a.shape} differs from {n0} shape {a0.shape}",
                                    received=f"shapes {a0.shape} and {a.shape}")


def _triple(P_p: Any, P_a: Any, P_t: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    Pp, Pa, Pt = check_distribution("P_p", P_p), check_distribution("P_a", P_a), check_distribution("P_t", P_t)
    _same_shape(P_p=Pp, P_a=Pa, P_t=Pt)
    return Pp, Pa, Pt


def _kl_args(k: Any, l: Any) -> tuple[float, float]:
    return V.check_scalar("k", k, positive=True), V.check_scalar("l", l, nonnegative=True)


def _log(x: np.ndarray | float, base: float | None) -> Any:
    return np.log(x) if base is None or base == math.e else np.log(x) / math.log(base)


def _check_base(base: Any) -> float:
    # a base in (0, 1) flips the sign of every logarithm (a "negative entropy"): refused, not reinterpreted
    b = V.check_scalar("base", base, positive=True)
    if not b > 1.0:
        raise InvalidInputError("base", "logarithm base must be > 1", received=b)
    return b


def _support_error(name: str, idx: int, what: str) -> InvalidInputError:
    return InvalidInputError(name, f"support: {what} (first offending leaf index {idx})", received=int(idx))


def _pp_support(Pp: np.ndarray, other: np.ndarray, name: str) -> None:
    bad = np.flatnonzero((Pp <= 0) & (other > 0))
    if bad.size:
        raise _support_error(name, int(bad[0]), "P_p = 0 where the other distributions are > 0")
