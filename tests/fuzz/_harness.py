"""Shared harness of the bad-input fuzz suite (issue #12): one outcome rule for every public function.

The rule (:func:`call_gently`): a call on any input ends, within a time limit, in either

* a named library error (:class:`aligntheory.errors.AlignTheoryError`), or a ``TypeError`` whose
  message names what is wrong for non-array Python arguments; or
* a result whose every numeric leaf is finite (NaN/inf never leak silently), which the caller may
  check further for correctness.

The time limit is ``TIME_LIMIT_S`` seconds of CPU time (a hang spins), backed by a wall-clock limit
``WALL_LIMIT_FACTOR`` times longer (a hang that blocks); see :data:`WALL_LIMIT_FACTOR` for why.

Anything else -- a foreign exception (numpy's, sympy's, ``ZeroDivisionError``, ``OverflowError``,
``MemoryError``, ``LinAlgError`` ...), a hang past the time limit, or a non-finite leaf -- fails the
test with the input that caused it. Interpreter aborts are prevented by size caps; run this suite
in a subprocess-isolated way (``python -m pytest tests/fuzz``) to see one as a crash.

Profiles: the suite runs with the session's hypothesis profile (``ci``/``dev``: quick);
``python -m pytest tests/fuzz --hypothesis-profile=fuzz`` is the long run (>= 10,000 cases in all).
"""

from __future__ import annotations

import dataclasses
import math
import signal
import threading
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np
from hypothesis import strategies as st

from aligntheory.errors import AlignTheoryError

__all__ = [
    "CallTimeout",
    "call_gently",
    "finite_leaves",
    "bad_scalars",
    "bad_arrays",
    "bad_sizes",
    "extreme_positive",
    "TIME_LIMIT_S",
    "WALL_LIMIT_FACTOR",
]

TIME_LIMIT_S = 10.0
"""Per-call limit in seconds of CPU time of this process (all its threads: XLA compiles count)."""

WALL_LIMIT_FACTOR = 12.0
"""A second, wall-clock limit of ``WALL_LIMIT_FACTOR * time_limit`` catches calls that block without
using the CPU. The main limit is CPU time, not wall time, because a wall-clock alarm measures the
machine's load, not the call: on the shared 2-core machine (load 8-12) the long profile reported
``fit_bt_newman``'s first compile (2.5 s quiet) and ``vc_sample_size(1e-300, ...)`` (1.8 s of CPU,
10.2 s wall) as hangs, and neither reproduced."""


class CallTimeout(Exception):
    """A fuzzed call ran past the time limit."""


@contextmanager
def _alarm(seconds: float):
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGPROF"):
        yield
        return

    def on_cpu(signum, frame):
        raise CallTimeout(f"call used more than {seconds} s of CPU time")

    def on_wall(signum, frame):
        raise CallTimeout(f"call ran past {seconds * WALL_LIMIT_FACTOR} s of wall-clock time")

    old_prof = signal.signal(signal.SIGPROF, on_cpu)
    old_alrm = signal.signal(signal.SIGALRM, on_wall)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    signal.setitimer(signal.ITIMER_REAL, seconds * WALL_LIMIT_FACTOR)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGPROF, old_prof)
        signal.signal(signal.SIGALRM, old_alrm)


def finite_leaves(x: Any) -> bool:
    """True when every numeric leaf of ``x`` (arrays, dataclasses, NamedTuples, mappings,
    sequences, Bounds) is finite. Strings, None, booleans, enums and sympy objects count as finite.

    Examples
    --------
    >>> finite_leaves((1.0, np.array([2.0, 3.0]), {"a": [4]}))
    True
    >>> finite_leaves({"a": np.array([1.0, np.nan])})
    False
    """
    if x is None or isinstance(x, (str, bytes, bool, np.bool_)):
        return True
    if isinstance(x, (int, np.integer)):
        return True
    if isinstance(x, (float, np.floating)):
        return math.isfinite(float(x))
    if type(x).__name__ == "Bound":
        v = x.value
        return isinstance(v, int) or math.isfinite(v)  # integer sample sizes may exceed float range
    if hasattr(x, "dtype") and hasattr(x, "shape"):
        arr = np.asarray(x)
        if arr.dtype.kind in "fc":
            return bool(np.all(np.isfinite(arr)))
        return True
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return all(finite_leaves(getattr(x, f.name)) for f in dataclasses.fields(x))
    if isinstance(x, Mapping):
        return all(finite_leaves(v) for v in x.values())
    if isinstance(x, (list, tuple)):
        return all(finite_leaves(v) for v in x)
    return True  # sympy expressions, enums, graphs and other objects: not numeric leaves


def call_gently(fn: Callable[..., Any], *args: Any, time_limit: float = TIME_LIMIT_S,
                allow_type_error: bool = True, **kwargs: Any) -> tuple[str, Any]:
    """Call ``fn`` and classify the outcome; raise ``AssertionError`` on a rule violation.

    Returns
    -------
    (str, object)
        ``("error", exc)`` for a named library error (or an allowed ``TypeError``), ``("ok", result)``
        for a finite result.
    """
    try:
        with _alarm(time_limit):
            out = fn(*args, **kwargs)
    except AlignTheoryError as exc:
        return "error", exc
    except CallTimeout as exc:
        raise AssertionError(f"{_name(fn)} hung ({exc}) on args={_short(args)} kwargs={_short(kwargs)}") from exc
    except TypeError as exc:
        if allow_type_error and str(exc):
            return "error", exc
        raise AssertionError(f"{_name(fn)}: TypeError without a message") from exc
    except Exception as exc:
        raise AssertionError(
            f"{_name(fn)} raised a foreign {type(exc).__module__}.{type(exc).__name__}: {exc} "
            f"on args={_short(args)} kwargs={_short(kwargs)}") from exc
    if not finite_leaves(out):
        raise AssertionError(f"{_name(fn)} returned a non-finite result {_short(out)} on args={_short(args)} "
                             f"kwargs={_short(kwargs)}")
    return "ok", out


def _name(fn: Any) -> str:
    return getattr(fn, "__qualname__", repr(fn))


def _short(x: Any, n: int = 300) -> str:
    s = repr(x)
    return s if len(s) <= n else s[:n] + "..."


# ----------------------------------------------------------------------------------------------
# strategies of bad (and extreme) values

def bad_scalars() -> st.SearchStrategy:
    """Scalars a numeric argument must refuse or handle: NaN, ±inf, negatives, zero, huge, tiny,
    complex, bool, strings, None."""
    return st.one_of(
        st.sampled_from([float("nan"), float("inf"), -float("inf"), -1.0, 0.0, -0.0, 1e-300, 1e300, -1e300,
                         5e-324, 1.7976931348623157e308, 2**63, -(2**63), 10**12, 1 + 2j, True, "1", None]),
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(min_value=-(2**70), max_value=2**70),
    )


def bad_sizes() -> st.SearchStrategy:
    """Sizes that must be capped or refused before any work: 0, negatives, huge, 2**63, floats."""
    return st.sampled_from([0, -1, -(2**31), 10**6, 10**9, 10**12, 10**15, 2**63, 2**64, 2.5, float("nan"), True])


def extreme_positive() -> st.SearchStrategy:
    """Valid but extreme positive magnitudes: 1e-300 ... 1e300."""
    return st.sampled_from([1e-300, 1e-200, 1e-100, 1e-30, 1e-8, 1.0, 1e8, 1e30, 1e100, 1e200, 1e300])


def bad_arrays(min_len: int = 0, max_len: int = 6) -> st.SearchStrategy:
    """Array-likes a numeric array argument must refuse or handle."""
    special = st.sampled_from([float("nan"), float("inf"), -float("inf"), -1.0, 0.0, 1e-300, 1e300])
    vals = st.one_of(special, st.floats(-1e6, 1e6))
    return st.one_of(
        st.lists(vals, min_size=min_len, max_size=max_len),
        st.lists(st.lists(vals, min_size=0, max_size=3), min_size=1, max_size=3),  # ragged or 2-D
        st.lists(st.complex_numbers(allow_nan=False, allow_infinity=False, max_magnitude=10), min_size=1, max_size=3),
        st.lists(st.booleans(), min_size=1, max_size=3),
        st.sampled_from([np.array([], dtype=np.float64), np.zeros((0, 2)), np.ones(3, dtype=np.float32),
                         np.array(["a", "b"]), np.array([object(), 1], dtype=object), "abc", None, 3.0]),
    )
