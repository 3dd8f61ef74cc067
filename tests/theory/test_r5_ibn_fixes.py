"""Regression tests of the IBN fixes of issue #11 round 5."""

from __future__ import annotations

import warnings

import pytest

from aligntheory.errors import PrecisionError
from aligntheory.theory.ibn import n_for_granularity


def test_n_for_granularity_overflow_is_an_error_not_a_warning():
    """(1/2) M ln M overflows float64 at M = 1e306: PrecisionError, and no numpy RuntimeWarning on the way."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(PrecisionError):
            n_for_granularity(1e306)
        assert n_for_granularity(1e305) == pytest.approx(0.5e305 * 305 * 2.302585092994046, rel=1e-14, abs=0.0)
