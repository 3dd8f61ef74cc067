"""Issue #12 regressions: size caps before work, exact integers at extreme eps/delta, typed errors.

Every example of the issue is here. Expected values at extreme magnitudes come from an independent
route: Python's ``decimal`` module at 1000 digits (the library uses ``math``/``mpmath``).
"""

import math
import time
from decimal import ROUND_CEILING, Decimal, localcontext

import networkx as nx
import pytest

from aligntheory.errors import InvalidInputError, InvalidOrderError, SizeCapError
from aligntheory.results import Bound
from aligntheory.theory import social_choice as T

HUGE = (10**12, 2**63)


def _fast(fn, *args, **kw):
    """The call must raise SizeCapError at once (refused before any work; 5 s covers a loaded CI machine)."""
    t0 = time.perf_counter()
    with pytest.raises(SizeCapError) as exc:
        fn(*args, **kw)
    assert time.perf_counter() - t0 < 5.0
    return exc.value


@pytest.mark.parametrize("size", HUGE)
def test_exhaustive_and_growing_functions_refuse_huge_sizes_at_once(size):
    swf = T.dictatorship(0)
    e = _fast(T.count_social_welfare_functions, size, 3)
    assert e.argument == "n_voters" and e.cap == T.SIZE_CAP
    _fast(T.count_social_welfare_functions, 2, size)
    _fast(T.arrow_instance, size, 3)
    _fast(T.arrow_instance, 2, size)
    _fast(T.positional_instance, size, 3)
    _fast(T.representative_instance, size)
    _fast(T.representative_instance, 3, size)
    _fast(T.count_representative_swfs, size)
    for fn in (T.pareto_violation, T.iia_violation, T.is_dictatorship, T.satisfies_pareto, T.satisfies_iia):
        _fast(fn, swf, size, 3)
        _fast(fn, swf, 2, size)
    _fast(T.enumerate_iia_rules, size, 3)
    _fast(T.enumerate_iia_rules, 2, size)
    _fast(T.max_min_subset_mass, size)
    _fast(T.scoring_vector, "borda", size)
    _fast(T.all_orders, size)
    _fast(T.representative_axiom_violation, T.privileged_ordering_mechanism([0, 1]), size, 3)
    _fast(T.privilege_graph, T.privileged_ordering_mechanism([0, 1]), size)
    _fast(T.issuewise_majority, [0], [1], size)


def test_scoring_vector_borda_1e9_refused_not_allocated():
    e = _fast(T.scoring_vector, "borda", 10**9)
    assert e.cost == 10**9 and e.cap == T.MAX_ALTERNATIVES


def test_caps_are_parameters_a_user_can_raise():
    with pytest.raises(SizeCapError):
        T.arrow_instance(3, 3, max_variables=100)
    assert T.arrow_instance(2, 3, encoding="full", max_variables=216).n_variables == 216
    with pytest.raises(SizeCapError):
        T.arrow_instance(2, 3, encoding="full", max_variables=215)
    with pytest.raises(SizeCapError):
        T.enumerate_iia_rules(2, 3, max_rules=4095)
    assert T.enumerate_iia_rules(2, 3, max_rules=4096).iia_rules == 4096


def _dec_ln(x) -> Decimal:
    return Decimal(x).ln()


def _dec_g1_inverse(eps, f, delta, factor):
    with localcontext() as ctx:
        ctx.prec = 1000
        L = _dec_ln(f) + _dec_ln(2) - _dec_ln(Decimal(delta))
        return int((Decimal(factor) * L / (Decimal(eps) ** 2)).to_integral_value(rounding=ROUND_CEILING))


@pytest.mark.parametrize("eps", [1e-300, 5e-324, 1e-160, 1e-9])
@pytest.mark.parametrize("f, delta", [(101, 0.05), (2**4000, 1e-300), (1, 5e-324)])
def test_sample_sizes_are_exact_integers_at_extreme_eps_delta(eps, f, delta):
    n = T.finite_class_sample_size(eps, f, delta)
    assert isinstance(n, Bound) and isinstance(n.value, int) and n.kind == "upper"
    assert n.value == _dec_g1_inverse(eps, f, delta, Decimal(1) / 2)
    n2 = T.erm_regret_sample_size(eps, f, delta)
    assert n2.value == _dec_g1_inverse(eps, f, delta, 2)


def test_deviation_at_astronomical_n_is_finite_and_right():
    n = 10**400
    b = T.finite_class_deviation(n, 101, 0.05)
    with localcontext() as ctx:
        ctx.prec = 60
        ref = ((_dec_ln(101) + _dec_ln(40)) / (2 * Decimal(n))).sqrt()
    assert math.isfinite(b.value) and b.value > 0
    assert abs(Decimal(b.value) - ref) / ref < Decimal("1e-13")
    v = T.vc_deviation(n, 3, 5e-324)
    assert math.isfinite(v.value) and 0 < v.value < 1e-190


def test_vc_sample_size_beyond_float_range_is_minimal():
    eps, d, delta = 1e-12, 2, 0.01
    n = int(T.vc_sample_size(eps, d, delta))
    assert n > 2**50

    def bound(m):
        with localcontext() as ctx:
            ctx.prec = 80
            m = Decimal(m)
            return 2 * (2 * d * (1 + (m / d).ln()) / m).sqrt() + ((_dec_ln(2) - _dec_ln(delta)) / (2 * m)).sqrt()

    assert bound(n) <= Decimal(eps) < bound(n - 1)


def test_bounds_refuse_bad_eps_delta_with_named_errors():
    for bad in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(InvalidInputError) as exc:
            T.finite_class_sample_size(bad, 10, 0.1)
        assert exc.value.argument == "eps"
    with pytest.raises(InvalidInputError) as exc:
        T.finite_class_sample_size(0.1, 10, 1.0)
    assert exc.value.argument == "delta"


def test_tournament_errors_are_typed_with_offending_data():
    G = nx.DiGraph([(0, 1), (1, 0), (1, 2)])
    with pytest.raises(InvalidOrderError) as exc:
        T.check_tournament(G)
    assert exc.value.offending["double"] == [(0, 1)] and exc.value.offending["missing"] == [(0, 2)]
    with pytest.raises(InvalidOrderError):
        T.representative_instance(3, privilege_graph=[(0, 1), (1, 2)])


def test_lp_throw_false_flags_instead_of_raising():
    r = T.max_min_subset_mass(4, solver="NOT_A_SOLVER", throw=False)
    assert not r.converged and r.result.value == "breakdown"
    from aligntheory.errors import ConvergenceError

    with pytest.raises(ConvergenceError):
        T.max_min_subset_mass(4, solver="NOT_A_SOLVER")
