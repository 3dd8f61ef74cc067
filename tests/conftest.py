"""Test configuration (DESIGN.md §3): float64 and strict dtype promotion in JAX, hypothesis profiles.

The root ``conftest.py`` already calls :func:`aligntheory.testing._config.configure`; this file
holds fixtures shared by the test tree.
"""

import os

import pytest

from aligntheory.testing._config import configure

configure()

IS_CI = bool(os.environ.get("CI"))


@pytest.fixture
def rng():
    import numpy as np

    return np.random.default_rng(20261125)
