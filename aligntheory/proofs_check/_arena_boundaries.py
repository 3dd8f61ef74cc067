"""Argument-boundary claims (issue 11): each validated argument of the arena pillar refused one step past its documented boundary and accepted at it.

* ``arena.argument_boundaries`` -- :func:`aligntheory.analysis.arena.leaderboard` and
  :func:`aligntheory.analysis.arena.next_comparisons`: each validated argument called EXACTLY at a
  closed boundary its docstring's Parameters section states (a finite result expected) and ONE STEP
  past it (``lo - 1``, ``hi + 1``, ``0.0`` for ``> 0``, ``-5e-324`` for ``>= 0``, the open ends of
  ``ci`` in (0, 1), a cap one below the cost; the documented error naming the argument expected), on the
  three-model battles of the ``leaderboard`` docstring example. The table is written here, fixed in
  advance.
"""

from __future__ import annotations

import warnings

import numpy as np

from aligntheory.errors import InvalidInputError, SizeCapError
from aligntheory.proofs_check._helpers import ContractCase, contract_evidence
from aligntheory.proofs_check._registry import Context, Evidence, Source, claim

_SRC = Source(key="ford1957solution", where="failure contract, docs/DESIGN.md §7 (argument boundaries)")
_IIE = InvalidInputError
_NEG = -5e-324  # one step below 0.0
_BATTLES = {"model_a": ["x", "x", "y", "x", "z", "z"], "model_b": ["y", "y", "x", "z", "x", "y"],
            "winner": ["model_a", "model_a", "model_a", "tie", "model_b", "model_b"]}  # the docstring example


def _rows_leaderboard() -> list[ContractCase]:
    from aligntheory.analysis.arena import leaderboard

    def lb(**kw):
        def run():
            with warnings.catch_warnings():  # 2 bootstrap rounds on 6 battles: a round without an MLE warns
                warnings.simplefilter("ignore")
                return leaderboard(_BATTLES, **{"n_bootstrap": 0, **kw}).rating
        return run

    below1 = float(np.nextafter(1.0, 0.0))
    return [
        # leaderboard: n_bootstrap >= 0 and <= max_bootstrap (>= 0); n_bootstrap n_models <= max_bootstrap_cells (>= 0);
        # n_models <= max_models (>= 2); seed >= 0; ci in (0, 1); prior_strength >= 0; penalty, tol > 0; maxiter >= 1
        ContractCase("leaderboard: n_bootstrap 0, max_bootstrap 0, max_bootstrap_cells 0 accepted",
                     lb(max_bootstrap=0, max_bootstrap_cells=0)),
        ContractCase("leaderboard: n_bootstrap -1 refused", lb(n_bootstrap=-1), (_IIE, "n_bootstrap")),
        ContractCase("leaderboard: n_bootstrap 2 at max_bootstrap 2, 2 x 3 = 6 cells at max_bootstrap_cells 6 accepted",
                     lb(n_bootstrap=2, max_bootstrap=2, max_bootstrap_cells=6)),
        ContractCase("leaderboard: n_bootstrap 2 over max_bootstrap 1 refused", lb(n_bootstrap=2, max_bootstrap=1),
                     (SizeCapError, "n_bootstrap")),
        ContractCase("leaderboard: 6 bootstrap cells over max_bootstrap_cells 5 refused",
                     lb(n_bootstrap=2, max_bootstrap_cells=5), (SizeCapError, "n_bootstrap * n_models")),
        ContractCase("leaderboard: max_bootstrap -1 refused", lb(max_bootstrap=-1), (_IIE, "max_bootstrap")),
        ContractCase("leaderboard: max_bootstrap_cells -1 refused", lb(max_bootstrap_cells=-1),
                     (_IIE, "max_bootstrap_cells")),
        ContractCase("leaderboard: 3 models at max_models 3 accepted", lb(max_models=3)),
        ContractCase("leaderboard: 3 models over max_models 2 refused", lb(max_models=2), (SizeCapError, "n_models")),
        ContractCase("leaderboard: max_models 1 refused", lb(max_models=1), (_IIE, "max_models")),
        ContractCase("leaderboard: seed 0 accepted", lb(seed=0)),
        ContractCase("leaderboard: seed -1 refused", lb(seed=-1), (_IIE, "seed")),
        ContractCase("leaderboard: ci 1 - 2^-53 accepted", lb(ci=below1)),
        ContractCase("leaderboard: ci 5e-324 accepted", lb(ci=5e-324)),
        ContractCase("leaderboard: ci 1 refused", lb(ci=1.0), (_IIE, "ci")),
        ContractCase("leaderboard: ci 0 refused", lb(ci=0.0), (_IIE, "ci")),
        ContractCase("leaderboard: prior_strength 0 accepted", lb(prior_strength=0.0)),
        ContractCase("leaderboard: prior_strength -5e-324 refused", lb(prior_strength=_NEG), (_IIE, "prior_strength")),
        ContractCase("leaderboard: penalty 0 refused", lb(penalty=0.0), (_IIE, "penalty")),
        ContractCase("leaderboard: tol 0 refused", lb(tol=0.0), (_IIE, "tol")),
        ContractCase("leaderboard: maxiter 0 refused", lb(maxiter=0), (_IIE, "maxiter")),
        ContractCase("leaderboard: ties 'ignore' refused", lb(ties="ignore"), (_IIE, "ties")),
        ContractCase("leaderboard: scale 'glicko' refused", lb(scale="glicko"), (_IIE, "scale")),
        ContractCase("leaderboard: anchor ('x', 1000.0) accepted", lb(anchor=("x", 1000.0))),
        ContractCase("leaderboard: anchor rating inf refused", lb(anchor=("x", np.inf)), (_IIE, "anchor rating")),
        ContractCase("leaderboard: anchor rating nan refused", lb(anchor=("x", np.nan)), (_IIE, "anchor rating")),
    ]


def _rows_plan() -> list[ContractCase]:
    from aligntheory.analysis.arena import leaderboard, next_comparisons

    lb3 = leaderboard(_BATTLES, n_bootstrap=0)  # 3 models: k in [1, 3]
    return [
        # next_comparisons: n_models <= max_models (>= 2); k in [1, n (n - 1) / 2]; battles_per_pair >= 1
        ContractCase("next_comparisons: k 1, battles_per_pair 1, 3 models at max_models 3 accepted",
                     lambda: next_comparisons(lb3, 1, battles_per_pair=1, max_models=3).pairs),
        ContractCase("next_comparisons: k = n (n - 1) / 2 = 3 accepted", lambda: next_comparisons(lb3, 3).pairs),
        ContractCase("next_comparisons: k 4 refused", lambda: next_comparisons(lb3, 4), (_IIE, "k")),
        ContractCase("next_comparisons: k 0 refused", lambda: next_comparisons(lb3, 0), (_IIE, "k")),
        ContractCase("next_comparisons: battles_per_pair 0 refused", lambda: next_comparisons(lb3, 1, battles_per_pair=0),
                     (_IIE, "battles_per_pair")),
        ContractCase("next_comparisons: 3 models over max_models 2 refused",
                     lambda: next_comparisons(lb3, 1, max_models=2), (SizeCapError, "n_models")),
        ContractCase("next_comparisons: max_models 1 refused", lambda: next_comparisons(lb3, 1, max_models=1),
                     (_IIE, "max_models")),
    ]


@claim(
    id="arena.argument_boundaries",
    statement="Every validated argument of aligntheory.analysis.arena.leaderboard and next_comparisons is accepted "
    "exactly at each closed boundary its docstring states and refused, with InvalidInputError or SizeCapError naming "
    "the argument, one step past it.",
    source=[_SRC],
    provenance="M",
    kind="contract",
    tolerance="exact: each boundary on its documented side",
    rice={"R"},
    stage="backward:governance",
)
def check_argument_boundaries(ctx: Context) -> Evidence:
    """Predicted: each row's documented side, from the Parameters sections of the functions' docstrings.

    Measured: the call (the docstring example's three models). Tolerance: exact.
    """
    return contract_evidence(_rows_leaderboard() + _rows_plan())
