"""ProgressGym challenge scores (spec ``progress_and_safety.md`` A.1, our A-T6), scale-safe.

Every cosine is computed from rows normalised *before* any product: each row is first divided by
its largest magnitude (exact up to one rounding), then by its Euclidean norm, so vectors anywhere
in 1e-300 ... 1e300 give the cosine to working precision (no overflow of the squares, no underflow
of tiny vectors to "zero vectors").
"""

from __future__ import annotations

from typing import Any

import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError
from aligntheory.results import provenance

__all__ = ["cosine", "follow_score", "predict_score", "coevolve_score"]

_PG = "qiu2024progressgym"


def _unit_rows(name: str, x: Any) -> np.ndarray:
    """Rows of ``x`` scaled to unit Euclidean norm, scale-safely; zero rows raise [M].

    Each row is divided by its largest magnitude first (so the squares neither overflow nor
    underflow), then by its norm.

    Parameters
    ----------
    name : str
        Argument name for error messages.
    x : array_like, shape (d,) or (T, d)
        Finite real values.

    Returns
    -------
    ndarray of float64, same shape

    Raises
    ------
    InvalidInputError
        A zero row (the cosine is undefined), non-finite or complex input.

    Notes
    -----
    :math:`O(Td)`.

    Examples
    --------
    >>> _unit_rows("a", [[3e300, 4e300], [0.0, 1e-300]]).tolist()
    [[0.6, 0.8], [0.0, 1.0]]
    """
    arr = V.as_float_array(name, x)
    if arr.ndim not in (1, 2) or arr.shape[-1] == 0:
        raise InvalidInputError(name, "must have shape (d,) or (T, d) with d >= 1", received=f"shape {arr.shape}")
    big = np.max(np.abs(arr), axis=-1, keepdims=True)
    if np.any(big == 0):
        raise InvalidInputError(name, "zero vector: the cosine is undefined for a zero vector",
                                received=f"row {int(np.flatnonzero(big.ravel() == 0)[0])}" if arr.ndim == 2 else None)
    scaled = arr / big
    return scaled / np.linalg.norm(scaled, axis=-1, keepdims=True)


@provenance("S", source=_PG, where="§4 (similarity of value vectors)")
def cosine(a: Any, b: Any) -> float:
    """Cosine similarity :math:`\\langle a,b\\rangle/(\\|a\\|\\|b\\|)`, scale-safe; zero vectors raise [S].

    ProgressGym's similarity between value vectors (arXiv 2406.20087). Invariant under positive
    rescaling of either vector for every scale in 1e-300 ... 1e300.

    Parameters
    ----------
    a, b : array_like, shape (d,)

    Returns
    -------
    float in [-1, 1]

    Raises
    ------
    InvalidInputError
        Zero vectors, mismatched shapes, non-finite or complex input.

    Notes
    -----
    :math:`O(d)`.

    Examples
    --------
    >>> cosine([1.0, 0.0], [1.0, 1.0])  # 1/sqrt(2)
    0.7071067811865475
    >>> cosine([1e300, 0.0], [1e300, 1e300])
    0.7071067811865475
    """
    a = V.as_float_array("a", a, ndim=1)
    b = V.as_float_array("b", b, shape=a.shape)
    return float(np.clip(_unit_rows("a", a) @ _unit_rows("b", b), -1.0, 1.0))


def _pair2d(na: str, a: Any, nb: str, b: Any) -> tuple[np.ndarray, np.ndarray]:
    A = V.as_float_array(na, a, ndim=2)
    B = V.as_float_array(nb, b, ndim=2)
    if A.shape[1] != B.shape[1]:
        raise InvalidInputError(f"{na}, {nb}", "must have the same dimension d", received=f"{A.shape}, {B.shape}")
    return A, B


@provenance("S", source=_PG, where="§4 (follow challenge)")
def follow_score(actual: Any, predicted: Any) -> float:
    """Follow score :math:`S = \\frac1T\\sum_t \\cos(a_t, e_t)` [S].

    ProgressGym's follow challenge (arXiv 2406.20087), spec A.1.

    Parameters
    ----------
    actual, predicted : array_like, shape (T, d)

    Returns
    -------
    float in [-1, 1]

    Raises
    ------
    InvalidInputError
        Shapes differ, zero rows, non-finite input.

    Notes
    -----
    :math:`O(Td)`.

    Examples
    --------
    >>> follow_score([[1.0, 0.0], [0.0, 1.0]], [[2.0, 0.0], [1.0, 0.0]])
    0.5
    """
    A, E = _pair2d("actual", actual, "predicted", predicted)
    if A.shape != E.shape or A.shape[0] == 0:
        raise InvalidInputError("actual, predicted", "must have the same non-empty shape (T, d)",
                                received=f"{A.shape}, {E.shape}")
    cos = np.sum(_unit_rows("actual", A) * _unit_rows("predicted", E), axis=1)
    return float(np.mean(np.clip(cos, -1, 1)))


@provenance("S", source=_PG, where="§4 (predict challenge)")
def predict_score(actual: Any, predicted: Any, horizon: int) -> float:
    """Predict score :math:`S(k) = \\frac1T\\sum_{t<T} \\cos(a_{t+k}, e_t)`, defined when :math:`t+k\\le N` [S].

    ProgressGym's predict challenge (arXiv 2406.20087), spec A.1.

    Parameters
    ----------
    actual : array_like, shape (N+1, d)
    predicted : array_like, shape (T, d)
        With :math:`T-1+k \\le N`.
    horizon : int
        :math:`k \\ge 1`.

    Returns
    -------
    float in [-1, 1]

    Raises
    ------
    InvalidInputError
        Horizon beyond the trajectory, zero rows, non-finite input.

    Notes
    -----
    :math:`O(Td)`.

    Examples
    --------
    >>> a = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    >>> predict_score(a, a[1:], 1)
    1.0
    """
    A, E = _pair2d("actual", actual, "predicted", predicted)
    k = V.check_int("horizon", horizon, lo=1)
    T = E.shape[0]
    if T == 0 or T - 1 + k > A.shape[0] - 1:
        raise InvalidInputError("horizon", f"t + horizon must stay within the trajectory (T - 1 + horizon <= N = "
                                f"{A.shape[0] - 1})", received=f"T={T}, horizon={k}")
    cos = np.sum(_unit_rows("actual", A[k:k + T]) * _unit_rows("predicted", E), axis=1)
    return float(np.mean(np.clip(cos, -1, 1)))


@provenance("S", source=_PG, where="§4 (coevolve challenge); our A-T6")
def coevolve_score(simulated: Any, actual: Any, *, max_entries: int = 10**8) -> float:
    """Coevolve score :math:`\\frac{1}{(M+1)(N+1)}\\sum_{j,i}\\max_{i'\\ge i}\\cos(s_j, a_{i'})` [S].

    ProgressGym's coevolve challenge (arXiv 2406.20087), spec A.1 and our A-T6: at most 1, equal to
    1 when every state is a positive multiple of :math:`a_N`, invariant to positive rescaling.
    Vectorised: one normalised matrix product and a reverse cumulative maximum.

    Parameters
    ----------
    simulated : array_like, shape (M+1, d)
    actual : array_like, shape (N+1, d)
    max_entries : int, default 100_000_000
        Cap on the :math:`(M+1)(N+1)` cosine matrix, checked before it is formed.

    Returns
    -------
    float in [-1, 1]

    Raises
    ------
    InvalidInputError
        Zero rows, non-finite input, different dimensions.
    SizeCapError
        The cosine matrix would exceed ``max_entries``.

    Notes
    -----
    :math:`O(MNd)` time, :math:`O(MN)` memory.

    Examples
    --------
    >>> a = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    >>> coevolve_score(np.repeat(a[-1:], 4, axis=0), a)
    1.0
    """
    S, A = _pair2d("simulated", simulated, "actual", actual)
    if S.shape[0] == 0 or A.shape[0] == 0:
        raise InvalidInputError("simulated, actual", "must be non-empty", received=f"{S.shape}, {A.shape}")
    V.check_size("simulated, actual", S.shape[0] * A.shape[0], cap=max_entries, unit="cosines")
    C = np.clip(_unit_rows("simulated", S) @ _unit_rows("actual", A).T, -1.0, 1.0)
    best = np.maximum.accumulate(C[:, ::-1], axis=1)
    return float(np.mean(best))
