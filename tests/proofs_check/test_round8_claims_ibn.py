"""The IBN claims of issue #11 round 8 can fail: each turns FAIL when the library function it measures is replaced by
the behaviour of a surviving mutant of the fifth fresh sample (docs/mutation-report/fresh-r7/ibn.md), or of a part-B
mutant of the same functions; that they PASS unpatched is tested by tests/proofs_check/test_all_claims.py. Mutants
are planted by editing one token of the function's source in a copy of its module's namespace.
"""

from __future__ import annotations

import pytest

pytest.importorskip("jax")

from aligntheory.config import configure  # noqa: E402
from aligntheory.proofs_check import Context, Verdict, load_all  # noqa: E402
from tests.proofs_check._plant import recompiled as _mutant  # noqa: E402

configure()
REG = load_all()


def _run(cid: str, seed: int = 0) -> Verdict:
    return REG.get(cid).run(Context(seed=seed)).verdict


def test_all_pass_unpatched():
    for cid in ("ibn.hp_edge_var_exact_table", "ibn.reff_float64_edges", "ibn.documented_edges_contract",
                "ibn.regime_A_limit_table"):
        assert _run(cid, seed=3) is Verdict.PASS, cid


def test_hp_table_fails_when_the_smallest_normal_value_is_refused(monkeypatch):
    """Mutant 06b36aa523: ``v < _TINY`` -> ``v <= _TINY``: 2^-1022 (beta = 2^512, p = 1/2) is refused."""
    from aligntheory.theory.ibn import _feedback

    monkeypatch.setattr(_feedback, "_scaled_inverse", _mutant(_feedback, "_scaled_inverse", "v < _TINY", "v <= _TINY"))
    assert _run("ibn.hp_edge_var_exact_table") is Verdict.FAIL
    assert _run("ibn.documented_edges_contract") is Verdict.FAIL


@pytest.mark.parametrize("old,new", [("-2 * int(eb)", "-3 * int(eb)"), ("k / (mb * mb * mi)", "k / (mb * mb / mi)")])
def test_hp_table_fails_on_a_wrong_exponent_split(monkeypatch, old, new):
    """Part B (bae3c5b98f, 83febaae57): the split-off exponents recombined wrongly."""
    from aligntheory.theory.ibn import _feedback

    monkeypatch.setattr(_feedback, "_scaled_inverse", _mutant(_feedback, "_scaled_inverse", old, new))
    assert _run("ibn.hp_edge_var_exact_table") is Verdict.FAIL


@pytest.mark.parametrize("old,new", [('be, 1.0, "the HP variance")', 'be, 0.0, "the HP variance")'),
                                     ("else 3.0", "else 4.0"),
                                     ("scipy.special.expit(x) * scipy.special.expit(-x)",
                                      "scipy.special.expit(x) * scipy.special.expit(x)")])
def test_hp_table_fails_on_a_wrong_formula(monkeypatch, old, new):
    """Mutant b3074c826a (information 1.0 -> 0.0 on the continuous row) and part B (56e4e3d76e, 82f7beb588)."""
    import aligntheory.theory.ibn as T
    from aligntheory.theory.ibn import _feedback

    monkeypatch.setattr(T, "hp_edge_var", _mutant(_feedback, "hp_edge_var", old, new))
    assert _run("ibn.hp_edge_var_exact_table") is Verdict.FAIL


@pytest.mark.parametrize("old,new", [("1023)", "1024)"), ("(lo + hi) // 2", "(lo + hi) // 3"), ("-1021", "1021"),
                                     ("v.size == 0", "v.size == 1")])
def test_float64_edges_fail_on_a_wrong_scale(monkeypatch, old, new):
    """Mutant 641c4795a0 (the upper clamp 1023 -> 1024 gives scale inf in the top binade) and part B (d05046eff6,
    e336e18d1b, a7ea8b67ff: a single variance left unscaled)."""
    from aligntheory.theory.ibn import _graph

    monkeypatch.setattr(_graph, "scale_of", _mutant(_graph, "scale_of", old, new))
    assert _run("ibn.reff_float64_edges") is Verdict.FAIL


def test_contract_fails_when_weights_next_to_a_graph_are_ignored(monkeypatch):
    """Mutant bf28835c70: ``graph or matrix is not None or ...`` -> ``graph and matrix is not None or ...``."""
    from aligntheory.theory.ibn import _graph

    monkeypatch.setattr(_graph, "graph_input", _mutant(_graph, "graph_input", "if graph or matrix is not None",
                                                       "if graph and matrix is not None"))
    assert _run("ibn.documented_edges_contract") is Verdict.FAIL


def test_contract_fails_when_the_bfs_cap_counts_edges_three_times(monkeypatch):
    """Mutant f7e17ce61e: the cap S (3 N + 2 E) computed as S (3 N + 3 E) refuses the documented cost."""
    import aligntheory.kernels.ibn as K
    from aligntheory.kernels.ibn import _datasets

    monkeypatch.setattr(K, "hops_bfs", _mutant(_datasets, "hops_bfs", "2 * int(e.shape[0])", "3 * int(e.shape[0])"))
    assert _run("ibn.documented_edges_contract") is Verdict.FAIL


@pytest.mark.parametrize("old,new", [("out = 0.5 * m0", "out = 0.25 * m0"), ("if s >= F.I:\n        return 0.0",
                                                                            "if s >= F.I:\n        return 1.0")])
def test_regime_A_table_fails_on_a_wrong_formula_or_edge(monkeypatch, old, new):
    """Part B (4591dd5a06, 5764f55357): the factor 1/2 of n_A, and the value returned for s2 >= I."""
    import aligntheory.theory.ibn as T
    from aligntheory.theory.ibn import _mechanism

    monkeypatch.setattr(T, "n_regime_A_limit", _mutant(_mechanism, "n_regime_A_limit", old, new))
    assert _run("ibn.regime_A_limit_table") is Verdict.FAIL


@pytest.mark.parametrize("old,new", [('(weight != "var" or invert_weight', '(weight != "var" and invert_weight'),
                                     ("elif matrix is not None or I.is_matrix", "elif matrix is not None and I.is_matrix")])
def test_contract_fails_when_graph_input_rules_move(monkeypatch, old, new):
    """Part B (afad3482ac, 7434ea2e74): weight= with arrays no longer refused; a matrix without matrix= misread."""
    from aligntheory.theory.ibn import _graph

    monkeypatch.setattr(_graph, "graph_input", _mutant(_graph, "graph_input", old, new))
    assert _run("ibn.documented_edges_contract") is Verdict.FAIL
