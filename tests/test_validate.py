"""Argument checks: every helper raises the documented class and names the argument."""

import numpy as np
import pytest

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError, PrecisionError


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_low_precision_floats_raise_precision_error(dtype):
    with pytest.raises(PrecisionError, match="cond: float64 is required"):
        V.as_float_array("cond", np.ones(3, dtype=dtype))


def test_integer_arrays_convert_exactly():
    assert V.as_float_array("x", np.arange(3)).dtype == np.float64


@pytest.mark.parametrize("bad", [[1.0, np.nan], [np.inf, 1.0]])
def test_non_finite(bad):
    with pytest.raises(InvalidInputError, match="x: non-finite"):
        V.as_float_array("x", bad)


def test_shape_and_sign():
    with pytest.raises(InvalidInputError, match=r"edges: must have shape \(\*, 2\)"):
        V.as_index_array("edges", np.zeros((3, 3), int), n=4, shape=(None, 2))
    with pytest.raises(InvalidInputError, match="var: all entries must be > 0"):
        V.as_float_array("var", [1.0, 0.0], positive=True)
    with pytest.raises(InvalidInputError, match="w: all entries must be >= 0"):
        V.as_float_array("w", [1.0, -1e-300], nonnegative=True)


def test_index_arrays():
    with pytest.raises(InvalidInputError, match="pairs: node ids must be integers"):
        V.as_index_array("pairs", [[0.5, 1.0]], n=3)
    with pytest.raises(InvalidInputError, match=r"pairs: node ids must lie in \[0, 2\]"):
        V.as_index_array("pairs", [[-1, 1]], n=3)
    assert V.as_index_array("pairs", [[0.0, 2.0]], n=3).dtype == np.int64


def test_scalars():
    assert V.check_scalar("beta", np.float64(2.5), positive=True) == 2.5
    for bad in (True, "1", None, [1.0]):
        with pytest.raises(InvalidInputError, match="beta"):
            V.check_scalar("beta", bad)
    with pytest.raises(InvalidInputError, match="beta: must be > 0"):
        V.check_scalar("beta", 0.0, positive=True)
    with pytest.raises(InvalidInputError, match="t: must be <= 1"):
        V.check_scalar("t", 1.5, hi=1)
    with pytest.raises(PrecisionError):
        V.check_scalar("beta", np.float32(1.0))


def test_ints():
    assert V.check_int("n", np.int64(3), lo=0) == 3
    with pytest.raises(InvalidInputError, match="n: must be >= 1"):
        V.check_int("n", 0, lo=1)
    with pytest.raises(InvalidInputError, match="n: must be an integer"):
        V.check_int("n", True)


def test_probability_vectors():
    p = V.check_probability_vector("p", [[0.5, 0.5], [0.1, 0.9]])
    assert p.shape == (2, 2)
    with pytest.raises(InvalidInputError, match="p: all entries must be >= 0"):
        V.check_probability_vector("p", [1.5, -0.5])
    with pytest.raises(InvalidInputError, match="p: must sum to 1"):
        V.check_probability_vector("p", [[0.5, 0.5], [0.2, 0.2]])


def test_choice_and_lengths():
    with pytest.raises(InvalidInputError, match="method: must be one of"):
        V.check_choice("method", "lu", ("cholesky", "pinv"))
    V.check_same_length(("a", "b"), np.zeros(2), np.zeros((2, 2)))


def test_sympy_values_never_parse_strings():
    import sympy as sp

    assert V.as_sympy_value("N", 0.25) == sp.Rational(1, 4)
    assert V.as_sympy_value("N", 3) == 3
    with pytest.raises(InvalidInputError, match="strings are not parsed"):
        V.as_sympy_value("N", "__import__('os')")


def test_closed_form_rejects_string_arguments():
    from aligntheory.theory.ibn import closed_form_reff

    with pytest.raises(InvalidInputError, match="N: must be a number"):
        closed_form_reff("cycle", N="N+1")


def test_as_sympy_value_keeps_tiny_floats_exact():
    """A float whose simplest rational does not round back to it keeps its exact binary value.

    Before the fix ``nsimplify(-1e-300)`` was 0, so ``closed_form_chain_tree_ratio(1000, -1e-300)``
    passed its documented ``h_T >= 0`` check.
    """
    import sympy as sp

    from aligntheory._validate import as_sympy_value
    from aligntheory.theory.ibn import closed_form_chain_tree_ratio

    for v in (-1e-300, 1e-300, 5e-324, -5e-324, 1e-200, 2.0**-1074 * 3):
        got = as_sympy_value("x", v)
        assert got == sp.Rational(v), v  # the float's exact value (fractions-exact route)
        assert float(got) == v
    assert as_sympy_value("x", 0.1) == sp.Rational(1, 10)  # simple rationals still read as written
    assert as_sympy_value("x", 0.0) == 0
    with pytest.raises(InvalidInputError) as e:
        closed_form_chain_tree_ratio(1000, -1e-300)
    assert e.value.argument == "h_T"
