"""Test-session configuration shared by ``tests/conftest.py`` and the doctest ``conftest.py``."""

from __future__ import annotations

import os


def configure() -> None:
    """Enable float64 and strict dtype promotion in JAX; register hypothesis profiles ``dev`` and ``ci``.

    The ``ci`` profile (selected when ``CI`` is set) is derandomized and smaller, so the suite is
    reproducible and fits the CI budget; ``dev`` explores more.
    """
    import jax
    from hypothesis import HealthCheck, settings

    jax.config.update("jax_enable_x64", True)
    jax.config.update("jax_numpy_dtype_promotion", "strict")
    settings.register_profile("dev", max_examples=60, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True, print_blob=True,
                              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))
