"""The one host-side validation boundary of the elasticity kernels (issue #12).

Public kernels validate their array arguments here before dispatching to jitted cores, which stay
unchecked and jittable. ``validate=True`` (the default) checks values on concrete arrays --
probability vectors (spec ``elasticity.md`` §7: "not a probability vector", with the sum and the most
negative entry), log-distributions, counts -- exactly as the theory twins do; ``validate=False``
skips the value checks (for use inside ``jax.jit``/``vmap``, where values are traced). Dtype
checks always run: complex, ragged, object and boolean inputs raise
:class:`~aligntheory.errors.InvalidInputError` (never truncated), float32 input or x64 off raises
:class:`~aligntheory.errors.PrecisionError`.
"""

from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from aligntheory import _validate as VA
from aligntheory.errors import InvalidInputError
from aligntheory.kernels._common import require_x64
from aligntheory.theory.elasticity._validation import SUM_TOL, check_distribution

MAX_LEAVES = 10**8
"""Default cap on leaves (tree kernels) and on ``batch x leaves`` work arrays."""


def _is_tracer(x: Any) -> bool:
    return isinstance(x, jax.core.Tracer)


def real64(name: str, x: Any, *, ndim: int | None = None) -> jax.Array:
    """``x`` as a float64 JAX array; non-real input refused (host side), float32 refused."""
    VA.check_float64(name, x)
    if _is_tracer(x):
        if jnp.iscomplexobj(x):
            raise InvalidInputError(name, "must be real (complex input is refused, not truncated)",
                                    received=f"dtype {x.dtype}")
        arr = x.astype(jnp.float64)
    else:
        arr = jnp.asarray(VA.as_real_array(name, x).astype(np.float64, copy=False))
    if ndim is not None and arr.ndim != ndim:
        raise InvalidInputError(name, f"must be {ndim}-dimensional", received=f"shape {tuple(arr.shape)}")
    return arr


def _need_concrete(name: str, x: Any) -> None:
    if _is_tracer(x):
        raise InvalidInputError("validate", f"value checks of {name} need concrete arrays; pass validate=False "
                                "inside jax.jit / vmap", received=True)


def distribution(name: str, p: Any, *, validate: bool) -> jax.Array:
    """A 1-D probability vector as float64 (value checks as in the theory layer when ``validate``)."""
    arr = real64(name, p, ndim=1)
    if validate:
        _need_concrete(name, p)
        check_distribution(name, np.asarray(p, dtype=np.float64))  # the host value (arr may be traced under jit)
    elif not _is_tracer(p):
        finite_host(name, p)
    return arr


def finite_host(name: str, arr: Any) -> None:
    """NaN/inf refused on concrete arrays even with ``validate=False`` (O(M), host side; issue #12).

    ``validate=False`` skips the value checks that cost a pass or need the theory twin (sums to
    one, supports); a non-finite entry is never accepted silently where it can be seen. Under
    ``jit``/``vmap`` tracing nothing is checked (the unchecked, jittable path).
    """
    a = np.asarray(arr, dtype=np.float64)
    if a.size and not np.all(np.isfinite(a)):
        raise InvalidInputError(name, "non-finite input: every entry must be finite (no NaN or inf)")


def triple(P_p: Any, P_a: Any, P_t: Any, where: str, *, validate: bool) -> tuple[jax.Array, jax.Array, jax.Array]:
    """Three probability vectors of one shape (x64 required)."""
    require_x64(where)
    Pp, Pa, Pt = (distribution(n, x, validate=validate) for n, x in (("P_p", P_p), ("P_a", P_a), ("P_t", P_t)))
    if not (Pp.shape == Pa.shape == Pt.shape):
        raise InvalidInputError("P_t", f"mismatched leaf counts: shapes {tuple(Pp.shape)}, {tuple(Pa.shape)}, "
                                f"{tuple(Pt.shape)}", received=f"shapes {Pp.shape}, {Pa.shape}, {Pt.shape}")
    return Pp, Pa, Pt


def log_distribution(name: str, lp: Any, *, ndim: int, validate: bool) -> jax.Array:
    """Log-probabilities along the last axis: no NaN, no +inf, ``exp`` sums to 1 within 1e-9 per row
    (``-inf`` entries, i.e. zero mass, are allowed)."""
    arr = real64(name, lp, ndim=ndim)
    if validate:
        _need_concrete(name, lp)
        a = np.asarray(arr)
        if np.any(np.isnan(a)) or np.any(a == np.inf):
            raise InvalidInputError(name, "not a log-probability vector: NaN or +inf entries")
        if a.size == 0:
            raise InvalidInputError(name, "not a log-probability vector: empty", received=f"shape {a.shape}")
        mx = np.max(a, axis=-1, keepdims=True)
        if np.any(mx == -np.inf):
            raise InvalidInputError(name, "not a log-probability vector: a row with no mass (all entries -inf)")
        with np.errstate(all="ignore"):
            tot = np.log(np.sum(np.exp(a - mx), axis=-1)) + mx[..., 0]
            off = np.abs(np.expm1(tot))
        if np.any(~np.isfinite(tot)) or np.any(~(off <= SUM_TOL)):
            raise InvalidInputError(name, f"not a log-probability vector: exp must sum to 1 within {SUM_TOL:g}",
                                    received=f"log-sums {np.asarray(tot).ravel()[:4].tolist()}")
    return arr


def counts(name: str, c: Any, *, min_ndim: int, validate: bool) -> jax.Array:
    """Non-negative finite counts as float64 (at least ``min_ndim`` dimensions)."""
    arr = real64(name, c)
    if arr.ndim < min_ndim:
        raise InvalidInputError(name, f"must have at least {min_ndim} dimensions", received=f"shape {tuple(arr.shape)}")
    if validate:
        _need_concrete(name, c)
        a = np.asarray(arr)
        if not np.all(np.isfinite(a)) or (a.size and np.min(a) < 0):
            raise InvalidInputError(name, "counts must be finite and >= 0",
                                    received=f"min {float(np.nanmin(a)) if a.size else None}")
    return arr


def n_tree_leaves(v: int, d: int, *, cap: int) -> int:
    """Leaves of a complete V-ary tree pruned at depth d, checked against ``cap`` before any allocation.

    The refusal states the exact count, unless the count exceeds the cap by more than a factor 2^64
    (then it is not formed, ``d`` may be 10^9, and the message says ``inf``).
    """
    if d * math.log(v) > math.log(max(cap, 1)) + 64 * math.log(2):
        VA.check_size("depth", math.inf, cap=cap, unit="leaves", received=f"V = {v}, depth = {d}")
    n = (v ** (d + 1) - 1) // (v - 1)
    VA.check_size("depth", n, cap=cap, unit="leaves", received=f"V = {v}, depth = {d}")
    return n
