"""Size caps checked in logarithms before any work (issue #12): one private helper for the pillar."""

from __future__ import annotations

import math
from collections.abc import Callable

from aligntheory import _validate as V
from aligntheory.errors import SizeCapError

__all__ = ["check_log_size", "log2_factorial", "check_cap_value", "int_sequence"]


def log2_factorial(m: int) -> float:
    """:math:`\\log_2 m!` from ``math.lgamma`` (no big integers)."""
    return math.lgamma(m + 1) / math.log(2.0)


def check_cap_value(name: str, cap: object) -> int:
    """A user-supplied cap: an integer >= 1."""
    return V.check_int(name, cap, lo=1)


def check_log_size(argument: str, log2_cost: float, exact: Callable[[], int], *, cap: int, unit: str) -> int:
    """Raise :class:`SizeCapError` when a cost exceeds ``cap``; return the exact cost otherwise.

    ``log2_cost`` is an estimate of :math:`\\log_2` of the cost computed from small numbers (within a
    few units of the truth); the exact cost (``exact()``, Python integers) is computed when the
    estimate is near or below the cap or below 2^64 (cheap either way), so an absurd size is refused in
    constant time. The refusal reports the exact integer cost whenever it was computed, and the string
    ``"about 2^x"`` (the estimate, six significant digits) otherwise: a float ``2**log2_cost`` rounded
    to an integer would show digits that are the float's, not the count's.
    """
    if log2_cost > max(math.log2(cap) + 4.0, 64.0):
        raise SizeCapError(argument, cap=cap, cost=f"about 2^{log2_cost:.6g}", unit=unit)
    c = int(exact())
    V.check_size(argument, c, cap=cap, unit=unit)
    return c


def int_sequence(name: str, x: object) -> tuple[int, ...]:
    """A 1-d sequence of integers (integral finite floats accepted), through the one refusal point for
    ragged, complex, object, boolean and string input; anything else raises ``InvalidInputError``."""
    import numpy as np

    from aligntheory.errors import InvalidInputError

    arr = V.as_real_array(name, x)
    if arr.size == 0:
        arr = arr.astype(np.int64)
    if arr.ndim != 1:
        raise InvalidInputError(name, "must be a 1-d sequence of integers", received=f"shape {arr.shape}")
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)) or np.any(np.abs(arr) > 2**53):
            raise InvalidInputError(name, "must hold integers", received=arr.tolist())
    elif arr.dtype.kind not in "iu":
        raise InvalidInputError(name, "must hold integers", received=f"dtype {arr.dtype}")
    return tuple(int(v) for v in arr.tolist())
