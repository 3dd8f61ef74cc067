"""One place for argument checks (DESIGN.md §3), shared by every layer.

Nothing here imports JAX: arrays of any library are inspected through ``.dtype`` and
``.shape`` and converted with :func:`numpy.asarray` only where the theory layer needs numpy.
Each check raises :class:`~aligntheory.errors.InvalidInputError` (or
:class:`~aligntheory.errors.PrecisionError`) naming the argument and the constraint.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from aligntheory.errors import InvalidInputError, PrecisionError

_LOW_PRECISION = {"float16", "float32", "bfloat16", "complex64"}


def _shape_str(shape: Sequence[int | None]) -> str:
    return "(" + ", ".join("*" if s is None else str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def check_float64(name: str, x: Any) -> None:
    """Raise :class:`PrecisionError` if ``x`` is a floating array of lower precision than float64.

    Integer and boolean arrays pass (callers decide whether they are allowed); Python floats pass.

    Examples
    --------
    >>> check_float64("cond", np.ones(3))
    >>> check_float64("cond", np.ones(3, dtype=np.float32))
    Traceback (most recent call last):
    ...
    aligntheory.errors.PrecisionError: cond: float64 is required, received float32; enable jax_enable_x64 and pass float64 arrays (no silent casts)
    """
    dtype = getattr(x, "dtype", None)
    if dtype is not None and str(dtype) in _LOW_PRECISION:
        raise PrecisionError(
            f"{name}: float64 is required, received {dtype}; enable jax_enable_x64 and pass float64 arrays (no silent casts)"
        )


def as_real_array(name: str, x: Any, *, allow_bool: bool = False) -> np.ndarray:
    """``numpy.asarray(x)`` refusing what is not a real numeric array: the one place for that rule.

    Ragged nested lists, complex, object, string and (unless ``allow_bool``) boolean inputs raise
    :class:`InvalidInputError` naming the argument; the dtype is kept (no cast).

    Examples
    --------
    >>> as_real_array("x", [1, 2]).dtype.kind
    'i'
    >>> as_real_array("x", [[1, 2], [3]])
    Traceback (most recent call last):
    ...
    aligntheory.errors.InvalidInputError: x: must be a rectangular real numeric array (ragged nested sequences are refused)
    >>> as_real_array("x", [1 + 2j])
    Traceback (most recent call last):
    ...
    aligntheory.errors.InvalidInputError: x: must be real (complex input is refused, not truncated) (received dtype complex128)
    """
    if isinstance(x, (str, bytes)):
        raise InvalidInputError(name, "must be a real numeric array, not a string", received=type(x).__name__)
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:
        raise InvalidInputError(name, "must be a rectangular real numeric array (ragged nested sequences are refused)") from exc
    kind = arr.dtype.kind
    if kind == "c":
        raise InvalidInputError(name, "must be real (complex input is refused, not truncated)", received=f"dtype {arr.dtype}")
    if kind == "b" and not allow_bool:
        raise InvalidInputError(name, "must be numeric, not boolean", received=f"dtype {arr.dtype}")
    if kind not in "biuf":
        if kind == "O":
            raise InvalidInputError(name, "must be a rectangular real numeric array (ragged nested sequences or "
                                    "objects are refused)", received=f"dtype {arr.dtype}")
        raise InvalidInputError(name, "must be a real numeric array", received=f"dtype {arr.dtype}")
    return arr


def check_size(name: str, cost: int | float, *, cap: int | float, unit: str = "", received: Any = None) -> None:
    """Raise :class:`~aligntheory.errors.SizeCapError` when ``cost > cap`` -- call before any work.

    ``cost`` should be computed in Python integers (or floats for estimates) so that it cannot
    overflow; ``cap`` is the function's documented keyword cap, which a user may raise.

    Examples
    --------
    >>> check_size("n_nodes", 10**4, cap=10**5, unit="nodes")
    >>> check_size("n_nodes", 10**15, cap=10**5, unit="nodes")
    Traceback (most recent call last):
    ...
    aligntheory.errors.SizeCapError: n_nodes: size cap exceeded: needs 1000000000000000 nodes, cap is 100000 nodes (raise the cap argument deliberately to go further)
    """
    from aligntheory.errors import SizeCapError

    if cost > cap:
        raise SizeCapError(name, received=received, cap=cap, cost=cost, unit=unit)


def as_float_array(
    name: str,
    x: Any,
    *,
    shape: Sequence[int | None] | None = None,
    ndim: int | None = None,
    finite: bool = True,
    positive: bool = False,
    nonnegative: bool = False,
) -> np.ndarray:
    """Convert ``x`` to a float64 numpy array and check it.

    Parameters
    ----------
    name : str
        Argument name used in error messages.
    x : array_like
        Input. Low-precision floating arrays raise :class:`PrecisionError`.
    shape : sequence of int or None, optional
        Required shape; ``None`` entries match any length.
    ndim : int, optional
        Required number of dimensions (ignored when ``shape`` is given).
    finite, positive, nonnegative : bool
        Value constraints.

    Returns
    -------
    numpy.ndarray of float64

    Examples
    --------
    >>> as_float_array("var", [1.0, 2.0], shape=(None,), positive=True)
    array([1., 2.])
    >>> as_float_array("var", [1.0, -2.0], positive=True)
    Traceback (most recent call last):
    ...
    aligntheory.errors.InvalidInputError: var: all entries must be > 0 (received min -2.0)
    """
    check_float64(name, x)
    arr = as_real_array(name, x).astype(np.float64, copy=False)
    if shape is not None:
        ok = arr.ndim == len(shape) and all(s is None or s == a for s, a in zip(shape, arr.shape))
        if not ok:
            raise InvalidInputError(name, f"must have shape {_shape_str(shape)}", received=f"shape {arr.shape}")
    elif ndim is not None and arr.ndim != ndim:
        raise InvalidInputError(name, f"must be {ndim}-dimensional", received=f"shape {arr.shape}")
    if finite and arr.size and not np.all(np.isfinite(arr)):
        raise InvalidInputError(name, "non-finite input: every entry must be finite (no NaN or inf)")
    if positive and arr.size and not np.all(arr > 0):
        raise InvalidInputError(name, "all entries must be > 0", received=f"min {float(np.nanmin(arr))}")
    if nonnegative and arr.size and not np.all(arr >= 0):
        raise InvalidInputError(name, "all entries must be >= 0", received=f"min {float(np.nanmin(arr))}")
    return arr


def check_scalar(
    name: str,
    x: Any,
    *,
    positive: bool = False,
    nonnegative: bool = False,
    lo: float | None = None,
    hi: float | None = None,
    finite: bool = True,
) -> float:
    """Check a real scalar and return it as a Python float.

    Examples
    --------
    >>> check_scalar("beta", 2, positive=True)
    2.0
    >>> from aligntheory.results import Bound
    >>> check_scalar("eps", Bound(0.25, kind="upper"), positive=True)
    0.25
    >>> check_scalar("beta", float("nan"), positive=True)
    Traceback (most recent call last):
    ...
    aligntheory.errors.InvalidInputError: beta: non-finite input: must be a finite real number (received nan)
    """
    check_float64(name, x)
    if type(x).__name__ == "Bound" and type(x).__module__ == "aligntheory.results":
        x = x.value  # a Bound returned by one calculator may be passed to another
    if isinstance(x, bool) or not isinstance(x, (numbers.Real, np.floating, np.integer)):
        if getattr(x, "shape", None) == () and np.issubdtype(getattr(x, "dtype", np.dtype("O")), np.number):
            check_float64(name, x)
            x = float(x)
        else:
            raise InvalidInputError(name, "must be a real number", received=x)
    v = float(x)
    if finite and not np.isfinite(v):
        raise InvalidInputError(name, "non-finite input: must be a finite real number", received=v)
    if positive and not v > 0:
        raise InvalidInputError(name, "must be > 0", received=v)
    if nonnegative and not v >= 0:
        raise InvalidInputError(name, "must be >= 0", received=v)
    if lo is not None and v < lo:
        raise InvalidInputError(name, f"must be >= {lo}", received=v)
    if hi is not None and v > hi:
        raise InvalidInputError(name, f"must be <= {hi}", received=v)
    return v


def check_int(name: str, x: Any, *, lo: int | None = None, hi: int | None = None) -> int:
    """Check an integer (Python or numpy integer; not bool, not float) within ``[lo, hi]``.

    Examples
    --------
    >>> check_int("n_nodes", 5, lo=1)
    5
    >>> check_int("n_nodes", 2.5, lo=1)
    Traceback (most recent call last):
    ...
    aligntheory.errors.InvalidInputError: n_nodes: must be an integer (received 2.5)
    """
    if type(x).__name__ == "Bound" and type(x).__module__ == "aligntheory.results":
        x = x.value
    if isinstance(x, bool) or not isinstance(x, (numbers.Integral, np.integer)):
        raise InvalidInputError(name, "must be an integer", received=x)
    v = int(x)
    if lo is not None and v < lo:
        raise InvalidInputError(name, f"must be >= {lo}", received=v)
    if hi is not None and v > hi:
        raise InvalidInputError(name, f"must be <= {hi}", received=v)
    return v


def as_index_array(name: str, x: Any, *, n: int, shape: Sequence[int | None] | None = None) -> np.ndarray:
    """Convert ``x`` to an int64 array of node ids in ``[0, n)`` and check its shape.

    Examples
    --------
    >>> as_index_array("edges", [[0, 1], [1, 2]], n=3, shape=(None, 2))
    array([[0, 1],
           [1, 2]])
    >>> as_index_array("edges", [[0, 3]], n=3, shape=(None, 2))
    Traceback (most recent call last):
    ...
    aligntheory.errors.InvalidInputError: edges: node ids must lie in [0, 2] (received 3)
    """
    arr = as_real_array(name, x)
    if arr.size == 0:
        arr = arr.astype(np.int64)
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
            raise InvalidInputError(name, "node ids must be integers", received=f"dtype {arr.dtype}")
        if arr.size and (arr.min() < 0 or arr.max() >= n):  # before the cast: 1e300 has no int64
            bad = float(arr.min()) if arr.min() < 0 else float(arr.max())
            raise InvalidInputError(name, f"node ids must lie in [0, {n - 1}]", received=bad)
        arr = arr.astype(np.int64)
    if arr.dtype.kind == "u" and arr.size and arr.max() > np.iinfo(np.int64).max:
        raise InvalidInputError(name, f"node ids must lie in [0, {n - 1}]", received=int(arr.max()))
    if arr.dtype.kind not in "iu":
        raise InvalidInputError(name, "node ids must be integers", received=f"dtype {arr.dtype}")
    arr = arr.astype(np.int64)
    if shape is not None:
        ok = arr.ndim == len(shape) and all(s is None or s == a for s, a in zip(shape, arr.shape))
        if not ok:
            raise InvalidInputError(name, f"must have shape {_shape_str(shape)}", received=f"shape {arr.shape}")
    if arr.size and (arr.min() < 0 or arr.max() >= n):
        bad = int(arr.min()) if arr.min() < 0 else int(arr.max())
        raise InvalidInputError(name, f"node ids must lie in [0, {n - 1}]", received=bad)
    return arr


def check_probability_vector(name: str, p: Any, *, axis: int = -1, atol: float = 1e-10) -> np.ndarray:
    """Check that ``p`` is non-negative, finite and sums to one along ``axis``.

    Examples
    --------
    >>> check_probability_vector("p", [0.25, 0.75])
    array([0.25, 0.75])
    >>> check_probability_vector("p", [0.5, 0.6])
    Traceback (most recent call last):
    ...
    aligntheory.errors.InvalidInputError: p: must sum to 1 along axis -1 (received sum 1.1)
    """
    arr = as_float_array(name, p, nonnegative=True)
    if arr.ndim == 0:
        raise InvalidInputError(name, "must be a vector of probabilities", received=f"shape {arr.shape}")
    s = arr.sum(axis=axis)
    if not np.all(np.abs(s - 1.0) <= atol):
        worst = float(np.ravel(s)[np.argmax(np.abs(np.ravel(s) - 1.0))])
        raise InvalidInputError(name, f"must sum to 1 along axis {axis}", received=f"sum {worst:.15g}")
    return arr


def check_choice(name: str, x: Any, choices: Sequence[Any]) -> Any:
    """Check that ``x`` is one of ``choices``.

    Examples
    --------
    >>> check_choice("method", "pinv", ("cholesky", "pinv"))
    'pinv'
    """
    if x not in choices:
        raise InvalidInputError(name, f"must be one of {tuple(choices)!r}", received=x)
    return x


def check_same_length(names: Sequence[str], *arrays: Any) -> None:
    """Check that the leading dimensions of ``arrays`` agree.

    Examples
    --------
    >>> check_same_length(("edges", "var"), np.zeros((3, 2)), np.zeros(2))
    Traceback (most recent call last):
    ...
    aligntheory.errors.InvalidInputError: edges, var: leading dimensions must agree (received shapes [(3, 2), (2,)])
    """
    lens = [np.shape(a)[0] if np.ndim(a) else None for a in arrays]
    if len(set(lens)) > 1:
        raise InvalidInputError(
            ", ".join(names), "leading dimensions must agree", received=f"shapes {[np.shape(a) for a in arrays]}"
        )


def as_sympy_value(name: str, x: Any):
    """A number or an existing sympy expression as a sympy object; strings are refused.

    Floats become exact rationals: the simplest one (``nsimplify``) when it rounds back to the same
    float, else the float's exact binary value (so ``1e-300`` never becomes 0); strings are never
    parsed (no ``sympify`` of untrusted text).

    Examples
    --------
    >>> as_sympy_value("N", 0.5)
    1/2
    >>> as_sympy_value("h", -1e-300) < 0
    True
    >>> as_sympy_value("N", "N+1")
    Traceback (most recent call last):
    ...
    aligntheory.errors.InvalidInputError: N: must be a number or a sympy expression (strings are not parsed) (received 'N+1')
    """
    import sympy as sp

    if isinstance(x, str):
        raise InvalidInputError(name, "must be a number or a sympy expression (strings are not parsed)",
                                received=repr(x))
    if isinstance(x, (bool, np.bool_)):
        raise InvalidInputError(name, "must be a number or a sympy expression, not a boolean", received=x)
    if type(x).__name__ == "Bound" and type(x).__module__ == "aligntheory.results":
        x = x.value
    if isinstance(x, (float, np.floating)):
        f = float(x)
        if not np.isfinite(f):
            return sp.nsimplify(f)  # oo, -oo, nan: the callers' finiteness checks name the argument
        val = sp.nsimplify(f)
        # nsimplify's simple rational must round back to the same float; it does not for tiny values
        # (nsimplify(1e-300) is 0, silently flipping signs and zero tests): then the float's exact value
        return val if float(val) == f else sp.Rational(f)
    try:
        return sp.sympify(x, strict=True)
    except sp.SympifyError as exc:
        raise InvalidInputError(name, "must be a number or a sympy expression", received=type(x).__name__) from exc


def overflow_guard(fn):
    """Decorator: a float64 overflow anywhere inside ``fn`` raises :class:`PrecisionError`, never a silent inf.

    For workflow entry points whose inputs (prior strengths, covariates, variances) can be valid yet
    so extreme that an intermediate quantity leaves the float64 range. Runs ``fn`` under
    ``numpy.errstate(over="raise")`` and turns the ``FloatingPointError`` into a ``PrecisionError``
    naming the function.

    Examples
    --------
    >>> @overflow_guard
    ... def square(x):
    ...     return np.float64(x) * np.float64(x)
    >>> float(square(3.0))
    9.0
    >>> square(1e200)
    Traceback (most recent call last):
    ...
    aligntheory.errors.PrecisionError: square: an intermediate quantity overflows float64 (overflow encountered in scalar multiply); rescale the inputs
    """
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            with np.errstate(over="raise"):
                return fn(*args, **kwargs)
        except FloatingPointError as exc:
            raise PrecisionError(f"{fn.__name__}: an intermediate quantity overflows float64 ({exc}); "
                                 "rescale the inputs") from exc

    return wrapper
