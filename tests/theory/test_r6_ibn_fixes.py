"""Regression tests of issue #11 round 6 (IBN): ``effective_resistance_dense(..., validate=True)`` under ``jax.jit``.

Before the fix the in-graph checks were read on the host (``err.get()``) inside the trace, so every traced call with
``validate=True`` raised ``TracerBoolConversionError``; now they are re-raised in the trace for ``checkify``.
"""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")

from aligntheory.config import configure  # noqa: E402

configure()


def _checked(n):
    import jax.numpy as jnp
    from jax.experimental import checkify

    from aligntheory.kernels.ibn import effective_resistance_dense

    return checkify.checkify(jax.jit(lambda e, c: effective_resistance_dense(n, e, conductances=c, validate=True)),
                             errors=checkify.user_checks), jnp


def test_validate_under_jit_valid_graph_matches_host():
    f, jnp = _checked(3)
    err, R = f(jnp.array([[0, 1], [1, 2], [0, 2]]), jnp.ones(3))
    assert err.get() is None
    # triangle of unit conductances: R_uv = 2/3 for every pair (series 2 in parallel with 1)
    np.testing.assert_allclose(np.asarray(R), (2.0 / 3.0) * (1 - np.eye(3)), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("edges, kind", [([[0, 1], [1, 2], [2, 3]], "invalid|edges"),
                                         ([[0, 1], [1, 2], [-1, 2]], "invalid|edges"),
                                         ([[0, 1], [0, 1], [0, 1]], "disconnected|")])
def test_validate_under_jit_reports_in_graph_checks(edges, kind):
    f, jnp = _checked(3)
    err, _ = f(jnp.array(edges), jnp.ones(3))
    msg = err.get()
    assert msg is not None and msg.startswith(kind), msg


def test_validate_under_jit_negative_conductance():
    f, jnp = _checked(3)
    err, _ = f(jnp.array([[0, 1], [1, 2], [0, 2]]), jnp.array([1.0, 1.0, -1.0]))
    assert err.get().startswith("invalid|conductances")
