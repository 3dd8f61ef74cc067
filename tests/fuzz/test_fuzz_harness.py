"""The fuzz harness itself must be able to fail: hangs (spinning or blocking), foreign exceptions and
non-finite results are each reported as an AssertionError naming the call."""

from __future__ import annotations

import time

import numpy as np
import pytest

from aligntheory.errors import InvalidInputError
from tests.fuzz._harness import WALL_LIMIT_FACTOR, call_gently


def _spin():
    while True:
        pass


def _raise(exc):
    raise exc


def test_spinning_call_is_a_hang():
    with pytest.raises(AssertionError, match="_spin hung"):
        call_gently(_spin, time_limit=0.2)


def test_blocking_call_is_a_hang_by_the_wall_clock_backstop():
    t0 = time.monotonic()
    with pytest.raises(AssertionError, match="hung"):
        call_gently(time.sleep, 60, time_limit=0.1)
    assert time.monotonic() - t0 < 0.1 * WALL_LIMIT_FACTOR + 5.0


def test_outcomes():
    assert call_gently(_raise, InvalidInputError("x", "bad"))[0] == "error"
    assert call_gently(_raise, TypeError("x must be an array"))[0] == "error"
    with pytest.raises(AssertionError, match="TypeError without a message"):
        call_gently(_raise, TypeError())
    with pytest.raises(AssertionError, match="foreign builtins.ZeroDivisionError"):
        call_gently(_raise, ZeroDivisionError("1/0"))
    with pytest.raises(AssertionError, match="non-finite"):
        call_gently(lambda: {"a": np.array([1.0, np.nan])})
    assert call_gently(lambda: (1.0, [2, 3]))[0] == "ok"
