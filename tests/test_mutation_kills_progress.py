"""Tests written to kill surviving mutants of the progress pillar (``python -m tools.mutate``,
``docs/mutation-report/progress``)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("alpha", "kappa", "drift", "m"), [(0.5, 0.3, 2.0, 0), (0.8, 0.1, -1.5, 2), (0.3, 0.1, 0.7, 3)])
def test_steady_state_lag_closed_form_evaluates_to_the_value(alpha, kappa, drift, m):
    # kills `vv * (1 + ka * (1 - mm)) / al` -> `* al` in the sympy closed form of steady_state_lag: the closed form,
    # evaluated at the bound's own substitutions, must give L = v (1 + kappa (1 - m)) / alpha, written out here

    from aligntheory.theory.progress import steady_state_lag

    b = steady_state_lag(alpha, kappa, drift, m)
    want = drift * (1 + kappa * (1 - m)) / alpha
    assert float(b) == pytest.approx(want, rel=1e-14)
    expr = b.sympy()
    vals = {s: b.subs[s.name] for s in expr.free_symbols}
    assert float(expr.subs(vals)) == pytest.approx(want, rel=1e-14)
