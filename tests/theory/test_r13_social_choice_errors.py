"""Round 13: public social-choice functions raised raw Python exceptions (or returned inf / a wrong
answer) on some inputs. Each test below failed on the code before the fix.

Expected values come from the closed forms of the spec (``social_choice.md`` §3.1), written out
here in ``math``/``mpmath`` independently of the library, or from brute-force checks of the
returned object (a 3-cycle is checked arc by arc in the graph).
"""

from __future__ import annotations

import math

import mpmath
import networkx as nx
import pytest

from aligntheory.errors import InvalidInputError, InvalidOrderError, PrecisionError, SizeCapError
from aligntheory.theory.social_choice._bounds import vc_deviation, vc_sample_size
from aligntheory.theory.social_choice._bounds_multiclass import natarajan_deviation, product_class_deviation
from aligntheory.theory.social_choice._orders import (
    borda_swf,
    dictatorship,
    is_dictatorship,
    satisfies_iia,
    satisfies_pareto,
)
from aligntheory.theory.social_choice._representative import (
    check_tournament,
    privilege_graph,
    privileged_ordering_mechanism,
    reduce_sample,
    representative_axiom_violation,
    three_cycle,
)

LN40 = math.log(40.0)  # ln(2 / delta) at delta = 0.05


# ----------------------------------------------------------------------------------------------
# item 1: dimensions beyond the float64 range (Python ints such as 10**400)


def test_vc_deviation_huge_dimension_is_the_closed_form():
    # eps_VC = 2 sqrt(2 d ln(eN/d) / N) + sqrt(ln(2/delta) / (2N)); with N = 10 d the first term is
    # 2 sqrt(0.2 (1 + ln 10)) exactly and the second is ~1e-200 (old: OverflowError)
    expected = 2.0 * math.sqrt(0.2 * (1.0 + math.log(10.0)))
    assert math.isclose(float(vc_deviation(10**401, 10**400, 0.05)), expected, rel_tol=1e-13)
    # N = d: 2 sqrt(2) (plus ~1e-200)
    assert math.isclose(float(vc_deviation(10**400, 10**400, 0.05)), 2.0 * math.sqrt(2.0), rel_tol=1e-13)
    # above the 4300-digit limit of int -> str (old: OverflowError; the assumption text needs no str())
    b = vc_deviation(10**4501, 10**4500, 0.05)
    assert math.isclose(float(b), expected, rel_tol=1e-13)
    assert "VC dimension about 10^4500" in b.assumptions


def test_vc_deviation_no_silent_inf_when_d_ln_overflows():
    # d = 1e308 fits a float but d ln(eN/d) does not (N = 1000 d); old: inf, true value ~0.25
    expected = 2.0 * math.sqrt(2.0 * 1e-3 * (1.0 + math.log(1000.0)))
    assert math.isclose(float(vc_deviation(10**311, 10**308, 0.05)), expected, rel_tol=1e-13)


def _eps_vc(mp, n, d, delta):
    """The G3 closed form in mpmath (independent of the library's helpers)."""
    n, d = mp.mpf(n), mp.mpf(d)
    return 2 * mp.sqrt(2 * d * mp.log(mp.e * n / d) / n) + mp.sqrt(mp.log(2 / mp.mpf(delta)) / (2 * n))


def test_vc_sample_size_huge_dimension_is_the_least_integer():
    d = 10**400
    n = int(vc_sample_size(0.1, d, 0.05))  # old: OverflowError
    assert n >= d
    with mpmath.workdps(480):  # N* has ~404 digits: 480 resolve N from N - 1
        assert _eps_vc(mpmath.mp, n, d, 0.05) <= mpmath.mpf(0.1)
        assert _eps_vc(mpmath.mp, n - 1, d, 0.05) > mpmath.mpf(0.1)


def test_vc_sample_size_absurd_dimension_is_refused_before_work():
    with pytest.raises(SizeCapError) as ei:  # old: OverflowError
        vc_sample_size(0.1, 2**13_001, 0.05)
    assert ei.value.argument == "vc_dim"


def test_natarajan_deviation_huge_dimension():
    # 2 sqrt(2 d_N (ln N + 2 ln k) / N) + sqrt(ln(2/delta) / (2N)), N = 100, d_N = 1e400, k = 3:
    # sqrt(d_N / N) = 1e199 exactly (old: OverflowError)
    expected = 2.0 * math.sqrt(2.0 * (math.log(100.0) + 2.0 * math.log(3.0))) * 1e199
    assert math.isclose(float(natarajan_deviation(100, 10**400, 3, 0.05)), expected, rel_tol=1e-13)


def test_natarajan_deviation_no_silent_inf():
    # N = 1, d_N = 1e308: d_N * 2 ln 3 overflows a float, the bound 2 sqrt(4 ln 3 * 1e308) + sqrt(ln 40 / 2)
    # = 2 sqrt(4 ln 3) * 1e154 does not (old: inf)
    expected = 2.0 * math.sqrt(4.0 * math.log(3.0)) * 1e154
    assert math.isclose(float(natarajan_deviation(1, 10**308, 3, 0.05)), expected, rel_tol=1e-13)


def test_natarajan_deviation_beyond_float_range_is_a_precision_error():
    # the bound is ~ sqrt(8 * 2 ln 3 * 1e1000) ~ 1e500: no float64 (old: OverflowError)
    with pytest.raises(PrecisionError, match="float64 range"):
        natarajan_deviation(1, 10**1000, 3, 0.05)


def test_product_class_deviation_huge_issue_count():
    # sqrt((Q ln 2 + ln 40) / (2N)) with N = 10 Q: sqrt(ln 2 / 20) + O(1e-400) (old: OverflowError)
    expected = math.sqrt(math.log(2.0) / 20.0)
    assert math.isclose(float(product_class_deviation(10**401, 10**400, 0.05)), expected, rel_tol=1e-13)
    # N = 2: sqrt(Q ln 2 / 4) = 1e200 sqrt(ln 2 / 4)
    assert math.isclose(float(product_class_deviation(2, 10**400, 0.05)), 1e200 * math.sqrt(math.log(2.0) / 4.0),
                        rel_tol=1e-13)


def test_product_class_deviation_beyond_float_range_is_a_precision_error():
    with pytest.raises(PrecisionError, match="float64 range"):  # ~1e350 (old: OverflowError)
        product_class_deviation(1, 10**700, 0.05)


# ----------------------------------------------------------------------------------------------
# item 2: Arrovian checks with an out-of-range dictator or a malformed rule


@pytest.mark.parametrize("check", [satisfies_pareto, satisfies_iia, is_dictatorship])
def test_dictator_beyond_the_voters_names_voter(check):
    with pytest.raises(InvalidInputError) as ei:  # old: IndexError
        check(dictatorship(5), 2, 3)
    assert ei.value.argument == "voter"


def test_dictatorship_called_on_a_short_profile_names_voter():
    with pytest.raises(InvalidInputError) as ei:  # old: IndexError
        dictatorship(2)(((0, 1), (1, 0)))
    assert ei.value.argument == "voter"
    assert dictatorship(1)(((0, 1), (1, 0))) == (1, 0)  # the last voter still dictates


@pytest.mark.parametrize("check", [satisfies_pareto, satisfies_iia, is_dictatorship])
@pytest.mark.parametrize("output", [(0, 1), (0, 0, 1), None, "012", 3, ((0, 1, 2),)],
                         ids=["too-short", "repeat", "None", "str", "int", "nested"])
def test_malformed_swf_output_names_swf(check, output):
    # old: ValueError (tuple.index) or TypeError (not iterable), or a silent answer for is_dictatorship
    with pytest.raises(InvalidInputError) as ei:
        check(lambda p: output, 2, 3)
    assert ei.value.argument == "swf"


@pytest.mark.parametrize("check", [satisfies_pareto, satisfies_iia])
def test_swf_output_with_an_extra_candidate_is_refused(check):
    # old: satisfies_iia returned True for an output naming a 4th candidate of a 3-candidate check
    with pytest.raises(InvalidInputError) as ei:
        check(lambda p: (3, 0, 1, 2), 2, 3)
    assert ei.value.argument == "swf"


@pytest.mark.parametrize("check", [satisfies_pareto, satisfies_iia, is_dictatorship])
def test_non_callable_swf_names_swf(check):
    with pytest.raises(InvalidInputError) as ei:  # old: TypeError
        check(None, 2, 3)
    assert ei.value.argument == "swf"
    # Borda on 2 voters, 3 candidates: Pareto holds, IIA fails, no dictator (brute force of
    # Arrow's theorem with a non-dictatorial Pareto rule)
    assert {satisfies_pareto: True, satisfies_iia: False, is_dictatorship: None}[check] == check(borda_swf, 2, 3)


# ----------------------------------------------------------------------------------------------
# item 3: tournaments with string labels, representative SWFs with unranked pairs or bad outputs


def _is_3cycle(G, c):
    return len(set(c)) == 3 and all(G.has_edge(c[i], c[(i + 1) % 3]) for i in range(3))


@pytest.mark.parametrize("arcs", [
    [("alice", "bob"), ("bob", "carol"), ("carol", "alice")],
    [("a", 1), (1, "c"), ("c", "a")],
    [(0.5, 1), (1, 2), (2, 0.5)],
], ids=["strings", "mixed", "float-labels"])
def test_three_cycle_keeps_the_node_labels(arcs):
    # old: ValueError (int('alice')), TypeError (sorting 'a' with 1), wrong answer (0.5 -> 0)
    G = nx.DiGraph(arcs)
    c = three_cycle(G)
    assert c is not None and set(c) <= set(G.nodes) and _is_3cycle(G, c)


def test_three_cycle_with_string_labels_acyclic_and_four_nodes():
    # a transitive tournament on strings has no cycle; flipping one arc of 4 nodes makes one
    names = ["w", "x", "y", "z"]
    G = nx.DiGraph([(u, v) for i, u in enumerate(names) for v in names[i + 1:]])
    assert three_cycle(G) is None
    G.remove_edge("w", "z")
    G.add_edge("z", "w")
    c = three_cycle(G)  # old: ValueError
    assert _is_3cycle(G, c)


def test_check_tournament_mixed_labels_reports_the_missing_arc():
    with pytest.raises(InvalidOrderError) as ei:  # old: TypeError from sorted()
        check_tournament(nx.DiGraph([("a", 1), (1, "c")]))
    assert ei.value.argument == "G"
    assert ei.value.offending["missing"] == [("a", "c")]


@pytest.mark.parametrize("check", [
    lambda phi: representative_axiom_violation(phi, 3, 3),
    lambda phi: representative_axiom_violation(phi, 3, 3, aac=True),
    lambda phi: privilege_graph(phi, 3),
], ids=["axioms", "axioms+aac", "privilege-graph"])
def test_privileged_mechanism_with_more_pairs_than_ranked_names_privilege(check):
    with pytest.raises(InvalidInputError) as ei:  # old: KeyError 2
        check(privileged_ordering_mechanism([1, 0]))
    assert ei.value.argument == "privilege"


def test_privileged_mechanism_profile_of_wrong_length_names_profile():
    phi = privileged_ordering_mechanism([1, 0])
    with pytest.raises(InvalidInputError) as ei:  # old: IndexError
        phi((0, 1), ((0, 1),))
    assert ei.value.argument == "profile"
    assert phi((0, 1), ((0, 1), (1, 0))) == (1, 0)  # pair 1 is the most privileged


@pytest.mark.parametrize("kwargs", [
    dict(transitive=False),
    dict(transitive=False, sp=False, siia=False, aac=True),
    dict(transitive=False, sp=False, siia=True),
], ids=["sp", "aac", "siia"])
def test_non_order_output_without_the_transitivity_check_names_phi(kwargs):
    # SP, SIIA, AAC are defined on orders; old: ValueError (tuple.index) or KeyError (AAC table)
    with pytest.raises(InvalidInputError) as ei:
        representative_axiom_violation(lambda S, p: (0, 0, 1), 2, 3, **kwargs)
    assert ei.value.argument == "phi"


@pytest.mark.parametrize("transitive", [True, False])
def test_phi_returning_none_names_phi(transitive):
    with pytest.raises(InvalidInputError) as ei:  # old: TypeError
        representative_axiom_violation(lambda S, p: None, 2, 3, transitive=transitive)
    assert ei.value.argument == "phi"


def test_non_order_output_is_still_a_strict_order_violation_when_checked():
    # an integer sequence that is not an order stays data (an AxiomViolation), as documented;
    # the non-callable phi is refused (old: TypeError)
    v = representative_axiom_violation(lambda S, p: (0, 1), 2, 3)
    assert v.axiom == "strict order" and v.output == (0, 1)
    with pytest.raises(InvalidInputError) as ei:
        representative_axiom_violation(None, 2, 3)
    assert ei.value.argument == "phi"


def test_reduce_sample_non_sequence_assignment_names_assignment():
    for bad in (5, None):
        with pytest.raises(InvalidInputError) as ei:  # old: TypeError (len of int / None)
            reduce_sample([0], bad)
        assert ei.value.argument == "assignment"
    with pytest.raises(InvalidInputError) as ei:  # old: TypeError (len of an int order)
        reduce_sample([0], [5])
    assert ei.value.argument == "assignment"
