"""Shared kernel plumbing: the float64 requirement and dtype checks (no global config changes)."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError, PrecisionError

__all__ = ["require_x64", "f64", "ints", "x64_enabled", "refuse_non_array", "holds"]


def x64_enabled() -> bool:
    """Whether JAX currently runs with ``jax_enable_x64``.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> x64_enabled()
    True
    """
    return bool(jax.config.read("jax_enable_x64"))


def require_x64(where: str) -> None:
    """Raise :class:`PrecisionError` if float64 is not enabled in JAX.

    With x64 off every float array is float32, so a float64 computation would be silently
    downcast; the library refuses instead.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> require_x64("my_kernel")  # passes silently when float64 is on
    """
    if not x64_enabled():
        raise PrecisionError(
            f"{where}: float64 is required but jax_enable_x64 is off; call "
            "jax.config.update('jax_enable_x64', True) before using aligntheory kernels"
        )


def refuse_non_array(name: str, x: Any) -> None:
    """Refuse a graph or matrix container where a kernel needs a dense array (host side).

    A networkx graph, a scipy.sparse matrix, a pref_voting profile, a dict or a set would
    otherwise reach ``jnp.asarray`` and fail with a raw ``TypeError``/``ValueError`` (or be read
    as its list of nodes). The exact layer (:mod:`aligntheory.theory`) accepts those inputs.

    Examples
    --------
    >>> import networkx as nx
    >>> refuse_non_array("edges", nx.path_graph(3))
    Traceback (most recent call last):
    ...
    aligntheory.errors.InvalidInputError: edges: must be an array; kernels take arrays, not a networkx graph (convert with aligntheory.theory.ibn.from_networkx, or call the theory layer, which accepts graphs) (received Graph)
    """
    if isinstance(x, (jax.Array, np.ndarray, int, float, list, tuple)) or jnp.isscalar(x):
        return
    mod = type(x).__module__ or ""
    if mod.startswith("networkx"):
        what = ("a networkx graph (convert with aligntheory.theory.ibn.from_networkx, or call the theory layer, "
                "which accepts graphs)")
    elif mod.startswith("scipy.sparse") or hasattr(x, "tocsr"):
        what = "a scipy.sparse matrix (convert with .toarray(), or call the theory layer, which accepts matrices)"
    elif mod.startswith("pref_voting"):
        what = ("a pref_voting profile (call aligntheory.theory.social_choice, which accepts profiles, or pass "
                "its rankings array)")
    elif isinstance(x, (dict, set, frozenset, str, bytes)):
        what = f"a {type(x).__name__}"
    else:
        return
    raise InvalidInputError(name, f"must be an array; kernels take arrays, not {what}", received=type(x).__name__)


def holds(condition: Any) -> bool:
    """A host-side value check: ``bool(condition)``, or ``True`` when it is traced (jit/vmap).

    Kernels validate concrete inputs on the host and run unchecked under tracing (docs/DESIGN.md
    §7.1, ``validate=``): ``if not holds(jnp.all(x > 0)): raise ...`` does both without a
    ``TracerBoolConversionError``.

    Examples
    --------
    >>> import jax, jax.numpy as jnp
    >>> holds(jnp.all(jnp.array([1.0, 2.0]) > 0)), holds(jnp.array(False))
    (True, False)
    >>> jax.jit(lambda x: jnp.where(holds(jnp.all(x > 0)), x, -x))(jnp.array([-1.0])).tolist()
    [-1.0]
    """
    return isinstance(condition, jax.core.Tracer) or bool(condition)


def f64(name: str, x: Any, *, ndim: int | None = None) -> jax.Array:
    """``x`` as a float64 JAX array; float32/float16/bfloat16 input raises :class:`PrecisionError`.

    Python floats and integer arrays are converted exactly.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> f64("cond", [1, 2]).dtype
    dtype('float64')
    >>> f64("cond", np.ones(2, np.float32))
    Traceback (most recent call last):
    ...
    aligntheory.errors.PrecisionError: cond: float64 is required, received float32; enable jax_enable_x64 and pass float64 arrays (no silent casts)
    """
    refuse_non_array(name, x)
    V.check_float64(name, x)
    arr = jnp.asarray(x, dtype=jnp.float64)
    if ndim is not None and arr.ndim != ndim:
        raise InvalidInputError(name, f"must be {ndim}-dimensional", received=f"shape {tuple(arr.shape)}")
    return arr


def ints(name: str, x: Any, *, shape_tail: tuple[int, ...] | None = None) -> jax.Array:
    """``x`` as an integer JAX array (node ids, counts); floating input raises.

    Examples
    --------
    >>> ints("edges", [[0, 1]], shape_tail=(2,)).shape
    (1, 2)
    >>> ints("edges", [[0.0, 1.0]])
    Traceback (most recent call last):
    ...
    aligntheory.errors.InvalidInputError: edges: must be an integer array (received dtype float...)
    """
    refuse_non_array(name, x)
    arr = jnp.asarray(x)
    if not jnp.issubdtype(arr.dtype, jnp.integer):
        raise InvalidInputError(name, "must be an integer array", received=f"dtype {arr.dtype}")
    if shape_tail is not None and tuple(arr.shape[-len(shape_tail):]) != shape_tail:
        raise InvalidInputError(name, f"must have trailing shape {shape_tail}", received=f"shape {tuple(arr.shape)}")
    return arr


def check_precision_all(where: str, **arrays: Any) -> None:
    """``require_x64`` plus :func:`aligntheory._validate.check_float64` on each named array."""
    require_x64(where)
    for name, x in arrays.items():
        if x is not None:
            V.check_float64(name, x)
