"""Test-session configuration shared by ``tests/conftest.py`` and the doctest ``conftest.py``."""

from __future__ import annotations

import os

import aligntheory.config


def configure() -> None:
    """:func:`aligntheory.config.configure` (float64, strict promotion) plus hypothesis profiles.

    Profiles: ``ci`` (selected when ``CI`` is set: derandomized, smaller), ``dev`` (the default:
    explores more), ``fuzz`` (long bad-input runs of ``tests/fuzz``). No profile relies on the
    hypothesis example database for determinism (``database=None``), and every property test must
    pass under each of them.
    """
    from hypothesis import HealthCheck, settings

    aligntheory.config.configure()
    common = dict(deadline=None, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    settings.register_profile("dev", max_examples=60, **common)
    settings.register_profile("ci", max_examples=25, derandomize=True, print_blob=True, **common)
    settings.register_profile("fuzz", max_examples=400, **common)
    settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))
