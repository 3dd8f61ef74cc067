"""The IBN claims of issue #11 round 9 can fail: each turns FAIL when the library function it measures is replaced by
the behaviour of a surviving mutant of the sixth fresh sample (docs/mutation-report/fresh-r8/ibn.md) or of a part-B
mutant of the same functions; that they PASS unpatched is tested by tests/proofs_check/test_all_claims.py. Mutants
are planted by editing one token of the function's source in a copy of its module's namespace.
"""

from __future__ import annotations

import pytest

pytest.importorskip("jax")

from aligntheory.config import configure  # noqa: E402
from aligntheory.proofs_check import Context, Verdict, load_all  # noqa: E402
from tests.proofs_check._plant import plant, recompiled  # noqa: E402

configure()
REG = load_all()


def _run(cid: str, seed: int = 0) -> Verdict:
    return REG.get(cid).run(Context(seed=seed)).verdict


def test_universe_table_fails_when_root_only_parents_are_wrong(monkeypatch):
    """Mutant adefc0a2f7: root_only prefix_id ``[-1] + [0] * k`` -> ``[-1] + [1] * k``."""
    plant(monkeypatch, "aligntheory.theory.ibn._universe", "ibn_from_universe", "np.array([-1] + [0] * k)",
          "np.array([-1] + [1] * k)", packages=("aligntheory.theory.ibn",))
    assert _run("ibn.universe_exact_table") is Verdict.FAIL


@pytest.mark.parametrize("fname,old,new", [
    ("tau_schedule", "tau[-1] = 0.5 * vals[-1]", "tau[-1] = 0.25 * vals[-1]"),
    ("coverage_distance", "T = -(-n // per_tree)", "T = -(-n // per_tree) + 1"),
    ("annotation_lengths", "(2 * D - 2 * shared)", "(2 * D - 3 * shared)"),
])
def test_universe_table_fails_on_a_wrong_formula(monkeypatch, fname, old, new):
    """Part B: a changed constant in tau_schedule, coverage_distance, annotation_lengths."""
    plant(monkeypatch, "aligntheory.theory.ibn._universe", fname, old, new, packages=("aligntheory.theory.ibn",))
    assert _run("ibn.universe_exact_table") is Verdict.FAIL


def test_universe_table_fails_on_a_wrong_inverse(monkeypatch):
    """Part B: StructuralFunction.inverse, log regime ``exp(s - 1.0)`` -> ``exp(s + 1.0)``."""
    from aligntheory.theory.ibn import _universe

    cls = _universe.StructuralFunction
    monkeypatch.setattr(cls, "inverse", recompiled(cls, "inverse", "np.exp(s - 1.0) if", "np.exp(s + 1.0) if"))
    assert _run("ibn.universe_exact_table") is Verdict.FAIL


def test_kernels_claim_fails_when_a_mask_of_the_right_shape_is_refused(monkeypatch):
    """Mutant 5c0cb347d8: mask_arg ``!=`` -> ``==`` (every mask of the right shape refused)."""
    from aligntheory.kernels.ibn import _checks

    monkeypatch.setattr(_checks, "mask_arg", recompiled(_checks, "mask_arg", "tuple(m.shape) != tuple(shape)",
                                                        "tuple(m.shape) == tuple(shape)"))
    assert _run("ibn.bt_kernels_documented_iteration") is Verdict.FAIL


def test_contract_fails_when_the_default_allows_disconnected(monkeypatch):
    """Mutant 42bc0f679f: mean_inference_distance default ``allow_disconnected=False`` -> ``True``."""
    import aligntheory.theory.ibn as T
    from aligntheory.theory.ibn import _network

    fn = recompiled(_network, "mean_inference_distance", "allow_disconnected: bool = False",
                    "allow_disconnected: bool = True")
    monkeypatch.setattr(T, "mean_inference_distance", fn)
    assert _run("ibn.documented_defaults_contract") is Verdict.FAIL


def test_contract_fails_when_p_zero_passes_the_interval_check(monkeypatch):
    """Mutant 8cf3344923: hp_edge_var ``pv < 1.0`` -> ``pv <= 1.0`` (p = 1 refused for another reason)."""
    plant(monkeypatch, "aligntheory.theory.ibn._feedback", "hp_edge_var", "if not 0.0 < pv < 1.0",
          "if not 0.0 < pv <= 1.0", packages=("aligntheory.theory.ibn",))
    assert _run("ibn.documented_defaults_contract") is Verdict.FAIL
