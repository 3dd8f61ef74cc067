"""Checked kernel variants (spec ibn.md §4.2, §7): checkify turns bad data into the library's errors."""

import numpy as np
import pytest

from aligntheory.errors import DisconnectedGraphError, InvalidInputError
from aligntheory.kernels.ibn import effective_resistance_dense, effective_resistance_dense_batched

PATH = np.array([[0, 1], [1, 2], [2, 3], [3, 4]])
SPLIT = np.array([[0, 1], [1, 2], [3, 4], [3, 4]])  # {0,1,2} and {3,4}


def test_checked_equals_unchecked_on_good_input():
    cond = np.array([1.0, 2.0, 0.5, 4.0])
    a = np.asarray(effective_resistance_dense(5, PATH, conductances=cond, validate=True))
    b = np.asarray(effective_resistance_dense(5, PATH, conductances=cond, method="xla"))
    assert np.array_equal(a, b)  # the checked variant wraps the same XLA computation
    c = np.asarray(effective_resistance_dense(5, PATH, conductances=cond))  # CPU: the LAPACK route
    np.testing.assert_allclose(c, a, rtol=1e-13, atol=1e-15)
    # series law, independent closed form: 1 + 1/2 + 2 + 1/4
    assert a[0, 4] == pytest.approx(3.75, rel=1e-14, abs=0.0)


def test_disconnected_raises():
    with pytest.raises(DisconnectedGraphError, match="disconnected"):
        effective_resistance_dense(5, SPLIT, conductances=np.ones(4), validate=True)


def test_masked_edge_that_disconnects_raises():
    with pytest.raises(DisconnectedGraphError):
        effective_resistance_dense(5, PATH, conductances=np.ones(4), mask=np.array([True, True, False, True]), validate=True)


def test_zero_conductance_edge_is_absent_for_connectivity():
    with pytest.raises(DisconnectedGraphError):
        effective_resistance_dense(5, PATH, conductances=np.array([1.0, 1.0, 0.0, 1.0]), validate=True)


@pytest.mark.parametrize("bad, match", [(np.nan, "conductances: non-finite"), (np.inf, "conductances: non-finite"),
                                        (-1.0, "conductances: all entries must be >= 0")])
def test_bad_conductances_raise(bad, match):
    cond = np.ones(4)
    cond[1] = bad
    with pytest.raises(InvalidInputError, match=match) as exc:
        effective_resistance_dense(5, PATH, conductances=cond, validate=True)
    assert exc.value.argument == "conductances"


def test_batched_checked_names_the_graph():
    edges = np.stack([PATH, SPLIT])
    with pytest.raises(DisconnectedGraphError, match="graph 1 of the batch"):
        effective_resistance_dense_batched(5, edges, conductances=np.ones((2, 4)), validate=True)
    cond = np.ones((2, 4))
    cond[0, 2] = np.nan
    with pytest.raises(InvalidInputError, match=r"conductances: non-finite"):
        effective_resistance_dense_batched(5, np.stack([PATH, PATH]), conductances=cond, validate=True)
    R = np.asarray(effective_resistance_dense_batched(5, np.stack([PATH, PATH]), conductances=np.ones((2, 4)), validate=True))
    assert np.allclose(R[:, 0, 4], 4.0, rtol=1e-14, atol=0.0)
