"""Bad-input fuzzing of :func:`aligntheory.numerics.effective_resistance_pairs` (issue #12 rule, issue 16 solver).

Every call must end in a named library error (or a TypeError with a message) or a finite result
within the harness's time limit (:func:`tests.fuzz._harness.call_gently`). Finite results on valid
extreme weights are checked against the triangle's closed form (one edge in parallel with two in
series), for both back ends. Quick under the default profile; the long run is
``python -m pytest tests/fuzz --hypothesis-profile=fuzz``.
"""

from __future__ import annotations

import warnings
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aligntheory.numerics import effective_resistance_pairs
from tests.fuzz._harness import bad_arrays, bad_scalars, bad_sizes, call_gently, extreme_positive

EDGES = [[0, 1], [1, 2], [0, 2]]
METHODS = ("amg", "splu", "auto")


def _quiet(*args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call_gently(effective_resistance_pairs, *args, **kw)


@given(n=bad_sizes(), method=st.sampled_from(METHODS))
def test_sizes(n, method):
    _quiet(n, [[0, 1]], [[0, 1]], variances=[1.0], method=method)


@given(e=bad_arrays(), p=bad_arrays(), method=st.sampled_from(METHODS))
def test_edges_and_pairs(e, p, method):
    _quiet(3, e, [[0, 2]], variances=[1.0, 2.0, 3.0], method=method)
    _quiet(3, EDGES, p, variances=[1.0, 2.0, 3.0], method=method)


@given(w=bad_arrays(), which=st.sampled_from(["variances", "conductances"]), method=st.sampled_from(METHODS))
def test_weights(w, which, method):
    _quiet(3, EDGES, [[0, 2]], method=method, **{which: w})


@given(rtol=bad_scalars(), maxiter=bad_scalars(), amg_min=bad_scalars())
def test_options(rtol, maxiter, amg_min):
    _quiet(3, EDGES, [[0, 2]], variances=[1.0, 2.0, 3.0], method="amg", rtol=rtol)
    _quiet(3, EDGES, [[0, 2]], variances=[1.0, 2.0, 3.0], method="amg", maxiter=maxiter)
    _quiet(3, EDGES, [[0, 2]], variances=[1.0, 2.0, 3.0], amg_min_nodes=amg_min)


@pytest.mark.parametrize("method", ["amg", "splu"])
@given(a=extreme_positive(), b=extreme_positive(), c=extreme_positive())
def test_extreme_valid_variances_are_exact_or_refused(method, a, b, c):
    # R(0, 1) = a (b + c) / (a + b + c): edge 0-1 (variance a) in parallel with 1-2, 2-0 (b, c) in series
    kind, out = _quiet(3, EDGES, [[0, 1]], variances=[a, b, c], method=method)
    if kind == "ok":
        # in exact rationals, rounded once: the float formula underflows (a = b = c = 1e-300 gave want = 0, which
        # pytest.approx's default absolute tolerance of 1e-12 let pass; the tolerance is now relative only)
        want = float(Fraction(a) * (Fraction(b) + Fraction(c)) / (Fraction(a) + Fraction(b) + Fraction(c)))
        # the solve runs on conductances scaled by their maximum: relative error ~1e-14
        assert out.values[0] == pytest.approx(want, rel=1e-12, abs=0.0)
