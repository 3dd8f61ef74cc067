"""Round-14: documented solver flags reach the solver exactly as documented.

``count_models(keep_proof=False)`` must not ask python-sat for a proof (and keeps none); ``cvx_reference_solution``
passes :data:`TIGHT_CLARABEL` (or SCS's ``eps=1e-9, max_iters=200000``) with ``tight=True`` and nothing with
``tight=False`` ("the solver's own defaults", its docstring). A fresh mutation sample (issue 11) showed both flags
could be ignored with every test green: the answers agree either way, so the tests instrument the solvers' entry
points and compare with the documented settings.
"""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pysat")
cp = pytest.importorskip("cvxpy")

from aligntheory.theory.safety import cvx_reference_solution  # noqa: E402
from aligntheory.theory.safety._reference import TIGHT_CLARABEL  # noqa: E402
from aligntheory.theory.social_choice import arrow_instance, count_models  # noqa: E402


@pytest.mark.parametrize("keep_proof", [False, True])
def test_count_models_asks_for_a_proof_only_when_told(monkeypatch, keep_proof):
    import pysat.solvers as ps

    asked = []
    orig = ps.Solver.__init__

    def spy(self, *args, **kwargs):
        asked.append(bool(kwargs.get("with_proof", False)))
        orig(self, *args, **kwargs)

    monkeypatch.setattr(ps.Solver, "__init__", spy)
    res = count_models(arrow_instance(2, 3), keep_proof=keep_proof)
    assert res.count == 2 and res.exact  # the two dictatorships (Arrow, two voters, three alternatives)
    assert asked == [keep_proof]
    if not keep_proof:
        assert res.proof is None


def _problem():
    ref = np.array([0.5, 0.3, 0.2])
    return ref, np.array([1.0, 0.0, 0.5]), np.array([0.2, 1.0, 0.0])


@pytest.mark.parametrize(("solver", "tight", "expected"), [
    ("CLARABEL", True, TIGHT_CLARABEL),
    ("CLARABEL", False, {}),
    ("SCS", True, {"eps": 1e-9, "max_iters": 200000}),
    ("SCS", False, {}),
])
def test_cvx_reference_solution_tight_settings(monkeypatch, solver, tight, expected):
    assert solver in cp.installed_solvers()  # both are dependencies of cvxpy (the test extra)
    seen = []
    orig = cp.Problem.solve

    def spy(self, *args, **kwargs):
        seen.append({k: v for k, v in kwargs.items() if k != "solver"})
        return orig(self, *args, **kwargs)

    monkeypatch.setattr(cp.Problem, "solve", spy)
    ref, r, c = _problem()
    sol = cvx_reference_solution(ref, r, c, 1.0, budget=0.5, solver=solver, tight=tight, throw=False)
    assert seen == [dict(expected)]
    assert np.isfinite(sol.value)
