"""Host-side validation boundary shared by the Safe-RLHF kernels."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError
from aligntheory.kernels._common import f64

MAX_ENTRIES = 10**8
"""Default cap on the number of entries a kernel allocates (keyword ``max_entries``)."""

_SAFE = "dai2023safe"


def _real(name: str, x: Any, *, ndim: int | None = None) -> jax.Array:
    """Host-side boundary: real, rectangular, float64 (ragged, complex, object, bool refused)."""
    V.check_float64(name, x)
    if isinstance(x, jax.Array):
        if not (jnp.issubdtype(x.dtype, jnp.floating) or jnp.issubdtype(x.dtype, jnp.integer)):
            raise InvalidInputError(name, "must be a real numeric array", received=f"dtype {x.dtype}")
        return f64(name, x, ndim=ndim)
    return f64(name, V.as_real_array(name, x), ndim=ndim)
