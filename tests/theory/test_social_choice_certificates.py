"""DRUP certificates of the impossibility searches and the independent forward RUP checker (issue #11 item 6).

The checker is tested against brute force: whenever it accepts a proof, the formula is unsatisfiable
by enumeration of all assignments; it rejects proofs of satisfiable formulas, truncated proofs and
corrupted lemmas; and it accepts the solver's proofs of pigeonhole formulas (known UNSAT).
"""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pysat.examples.genhard import PHP
from pysat.solvers import Solver

from aligntheory.errors import InvalidInputError
from aligntheory.theory import social_choice as T
from aligntheory.theory.social_choice._rup import check_drup_refutation


def _solve(cnf):
    s = Solver(name="cadical195", with_proof=True)
    s.append_formula(cnf)
    sat = s.solve()
    proof = None if sat else list(s.get_proof())
    s.delete()
    return sat, proof


def _brute_sat(cnf, n):
    return any(all(any((lit > 0) == bool(a >> (abs(lit) - 1) & 1) for lit in c) for c in cnf) for a in range(2**n))


@pytest.mark.parametrize("holes", [2, 3, 4, 5])
def test_solver_proofs_of_pigeonhole_are_accepted(holes):
    cnf = PHP(holes).clauses
    sat, proof = _solve(cnf)
    assert not sat
    r = check_drup_refutation(cnf, proof)
    assert r.valid and r.lemmas_checked >= 1


@pytest.mark.parametrize("holes", [3, 4])
def test_corrupted_proofs_are_rejected(holes):
    cnf = PHP(holes).clauses
    _, proof = _solve(cnf)
    # keep only deletions and the empty clause: the empty clause is no longer RUP
    assert not check_drup_refutation(cnf, [p for p in proof if p.startswith("d")] + ["0"]).valid
    # the formula minus one clause is satisfiable: no proof may refute it
    assert not check_drup_refutation(cnf[1:], proof).valid


def test_a_lemma_that_is_not_rup_is_named():
    cnf = [[1, 2], [-1, 2], [1, -2], [-1, -2]]
    r = check_drup_refutation(cnf, ["3 0", "0"])
    assert not r.valid and r.failed_lemma == 0
    assert check_drup_refutation(cnf, ["2 0", "0"]).valid


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 6).flatmap(lambda n: st.tuples(
    st.just(n),
    st.lists(st.lists(st.integers(1, n).flatmap(lambda v: st.sampled_from([v, -v])), min_size=1, max_size=3),
             min_size=1, max_size=24),
    st.lists(st.lists(st.integers(1, n).flatmap(lambda v: st.sampled_from([v, -v])), min_size=0, max_size=2),
             max_size=6))))
def test_checker_never_accepts_a_satisfiable_formula(case):
    n, cnf, fake = case
    sat = _brute_sat(cnf, n)
    solver_sat, proof = _solve(cnf)
    assert solver_sat == sat
    if not sat:
        assert check_drup_refutation(cnf, proof).valid
    else:  # any lemma sequence ending in the empty clause must be rejected
        lines = [" ".join(map(str, c)) + " 0" if c else "0" for c in fake] + ["0"]
        assert not check_drup_refutation(cnf, lines).valid


def test_checker_rejects_malformed_lines():
    with pytest.raises(InvalidInputError):
        check_drup_refutation([[1], [-1]], ["1 2"])
    with pytest.raises(InvalidInputError):
        check_drup_refutation([[1], [-1]], ["x 0"])


@pytest.mark.parametrize("n, m", [(2, 3), (3, 3), (2, 4)])
@pytest.mark.parametrize("encoding", ["full", "quotient"])
def test_arrow_unsat_answers_carry_checked_certificates(n, m, encoding):
    r = T.count_models(T.arrow_instance(n, m, non_dictatorship=True, encoding=encoding), check_proof=True)
    assert not r.satisfiable and r.proof_checked is True and "RUP" in r.proof_check


def test_counts_are_certified_with_the_blocking_clauses():
    # after the last model, UNSAT of (formula + blocking clauses) certifies that no other model exists
    r = T.count_representative_swfs(3, aac=True, check_proof=True)
    assert r.count == 6 and r.exact and r.proof_checked is True and "6 blocking clauses" in r.proof_check


def test_representative_unsat_answers_carry_checked_certificates():
    import networkx as nx

    cyc = nx.DiGraph([(0, 1), (1, 2), (2, 0)])
    r = T.count_representative_swfs(3, aac=True, privilege_graph=cyc, check_proof=True)
    assert r.count == 0 and r.proof_checked is True
    pa = T.count_models(T.positional_instance(2, 3), check_proof=True)
    assert not pa.satisfiable and pa.proof_checked is True


def test_check_proof_needs_a_proof_logging_solver():
    with pytest.raises(InvalidInputError) as exc:
        T.count_models(T.arrow_instance(2, 3), solver="minisat22", check_proof=True)
    assert exc.value.argument == "solver"


def test_brute_force_reference_is_right():
    assert _brute_sat([[1, 2]], 2) and not _brute_sat([[1], [-1]], 1)
    assert list(itertools.product([0, 1], repeat=0)) == [()]
