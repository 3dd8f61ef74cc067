"""Progress claims of issue #11, round 10 (random planting in theory/progress and kernels/progress).

``progress.score_rows_and_refusal_details`` -- the row contract of the theory
:func:`~aligntheory.theory.progress.coevolve_score`: zero simulated rows, zero actual rows and both refused with
InvalidInputError naming ``simulated, actual`` ("must be non-empty"), d = 0 refused naming ``simulated`` (the zero
rows of the cosine), and the one-row cases accepted with their exact value. Before round 10 only the kernel's
zero-row refusal was tabled, so the theory guard could test the dimension ``S.shape[1]`` instead of the row count
``S.shape[0]`` unnoticed (the empty cosine matrix then averages to NaN). The table also pins the computed details the
progress refusals state (the last index ``N`` of :func:`~aligntheory.theory.progress.predict_score`, the
``order + 1`` of :func:`~aligntheory.kernels.progress.extrapolate_batched`,
:func:`~aligntheory.kernels.progress.simulate_vote_extrapolation` and
:func:`~aligntheory.kernels.progress.mc_extrapolation_mse`): those lines are not raising guards, and a mutant of
them changed only the message.
"""

from __future__ import annotations

import numpy as np

from aligntheory.proofs_check._helpers import ContractCase, contract_evidence
from aligntheory.proofs_check._registry import Context, Evidence, Source, claim

__all__: list[str] = []


def _equals(call, expected):
    """A row accepted AND equal to ``expected`` exactly (a wrong value raises, so the row lands off its side)."""

    def run():
        got = call()
        if got != expected:
            raise AssertionError(f"accepted but {got!r} != {expected!r}")
        return got

    return run


def _rows() -> list[ContractCase]:
    import jax

    import aligntheory.kernels.progress as K
    import aligntheory.theory.progress as T
    from aligntheory.errors import InvalidInputError as IIE

    key = jax.random.PRNGKey(0)

    a = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 0.0]])
    return [
        ContractCase("coevolve_score: zero simulated rows (0, 2) refused, non-empty",
                     lambda: T.coevolve_score(np.zeros((0, 2)), a), (IIE, "simulated, actual"), "non-empty"),
        ContractCase("coevolve_score: zero actual rows (0, 2) refused, non-empty",
                     lambda: T.coevolve_score(a, np.zeros((0, 2))), (IIE, "simulated, actual"), "non-empty"),
        ContractCase("coevolve_score: zero rows on both sides refused, non-empty",
                     lambda: T.coevolve_score(np.zeros((0, 2)), np.zeros((0, 2))), (IIE, "simulated, actual"),
                     "non-empty"),
        ContractCase("coevolve_score: d = 0 (rows of no entries: zero vectors) refused naming simulated",
                     lambda: T.coevolve_score(np.ones((2, 0)), np.ones((3, 0))), (IIE, "simulated")),
        # one simulated row (3, 4) against a: cosines 3/5, 4/5, 3/5; reverse running max 4/5, 4/5, 3/5 -> mean 11/15
        ContractCase("coevolve_score: one simulated row accepted, (4/5 + 4/5 + 3/5)/3",
                     _equals(lambda: round(T.coevolve_score([[3.0, 4.0]], a) * 15, 12), 11.0)),
        # one actual row (0, 1) against two simulated rows: cosines 4/5 and 1 -> mean 9/10
        ContractCase("coevolve_score: one actual row accepted, (4/5 + 1)/2",
                     _equals(lambda: round(T.coevolve_score([[3.0, 4.0], [0.0, 2.0]], [[0.0, 1.0]]) * 10, 12), 9.0)),
        # the computed details of the refusals (each row fails before any JAX program runs)
        ContractCase("predict_score: 3 actual rows (N = 2), T = 2, horizon 2 refused, message states N = 2",
                     lambda: T.predict_score(a, a[1:], 2), (IIE, "horizon"), "<= N = 2)"),
        ContractCase("predict_score: 5 actual rows (N = 4), T = 1, horizon 5 refused, message states N = 4",
                     lambda: T.predict_score(np.vstack([a, a[:2]]), a[:1], 5), (IIE, "horizon"), "<= N = 4)"),
        ContractCase("extrapolate_batched: order 2 on 2 columns refused, needs order + 1 = 3",
                     lambda: K.extrapolate_batched(np.ones((1, 2)), 2, 1), (IIE, "values"), "order+1 = 3 columns"),
        ContractCase("simulate_vote_extrapolation: order 3 on 3 steps refused, needs order + 1 = 4",
                     lambda: K.simulate_vote_extrapolation(key, np.array([0.0, 0.5, 1.0]), 3, 1, 2), (IIE, "mu"),
                     "order+1 = 4 steps"),
        ContractCase("mc_extrapolation_mse: order 2 with 2 f_values refused, shape (order + 1,) = (3,)",
                     lambda: K.mc_extrapolation_mse(key, np.ones(2), 0.0, 2, 1, 2, target=1.0), (IIE, "f_values"),
                     "must have shape (3,)"),
    ]


@claim(
    id="progress.score_rows_and_refusal_details",
    statement="The theory coevolve_score refuses zero simulated rows, zero actual rows and both with "
    "InvalidInputError naming 'simulated, actual' (message 'must be non-empty'), refuses d = 0 naming 'simulated' "
    "(its rows are zero vectors), and accepts one simulated or one actual row with the value of its definition "
    "(11/15 and 9/10 on the tabled rows); the refusals state their computed details: predict_score the last index "
    "N of the trajectory, extrapolate_batched, simulate_vote_extrapolation and mc_extrapolation_mse order + 1.",
    source=[Source(key="qiu2024progressgym", where="§4 coevolve challenge; our A-T6")],
    provenance="M",
    kind="contract",
    tolerance="exact: each row on its documented side; the accepted values to 1e-12 after scaling to integers",
    rice={"E"},
    stage="forward:distribution_shift",
)
def check_score_rows_and_refusal_details(ctx: Context) -> Evidence:
    """Predicted: the documented refusals and the definition's values worked by hand (in the comments). Measured:
    the theory ``coevolve_score``."""
    return contract_evidence(_rows())
