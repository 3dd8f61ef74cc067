"""Guard-condition claims (issue 11, round 10): every condition of every raising guard of the progress kernels decides a row.

``progress.guard_conditions_kernels`` (a ``contract`` claim) calls the public kernels of
``aligntheory.kernels.progress`` on inputs that make EACH atomic condition of a compound guard hold alone
(refused, with the error class of ``aligntheory.errors``, the argument it names and a substring of its documented
message), and on inputs exactly at each comparison's edge on the accepted side.

Most accepted rows cost no compilation: an input that passes a guard is shown to pass by the NEXT documented
refusal (a well-shaped ``h_init`` is followed by the refusal of ``alpha = nan``; a well-shaped ``f_values`` by
that of ``sigma < 0``; a coevolve-score input with one row of one dimension by the size cap ``max_entries = 0``),
or by ``jax.eval_shape``, which traces the kernel (the documented unchecked path under tracing) without compiling
it. The compiled rows reuse the docstring examples' shapes and are checked against closed forms: the quadratic
Lagrange extrapolation one step ahead of ``(a, b, c)`` is ``a - 3 b + 3 c``, the Monte-Carlo MSE of a constant
with ``sigma = 0`` is 0, and the coevolve score of one row against one row is the sign of their product; two
overflowing coevolution trajectories of the docstring's shape (400, 1) separate the stable case (PrecisionError)
from the unstable one (UnstableParametersError).
The table is fixed in advance and reads no seed. Registered by the import at the end of ``proofs_check/progress.py``.
"""

from __future__ import annotations

import numpy as np

from aligntheory.errors import InvalidInputError, PrecisionError, SizeCapError, UnstableParametersError
from aligntheory.proofs_check._helpers import ContractCase, contract_evidence
from aligntheory.proofs_check._registry import Context, Evidence, Source, claim

_IIE = InvalidInputError
_EPS = float(np.finfo(np.float64).eps)


def _ok(label, call, arg, match=None, err=_IIE):
    """A row ACCEPTED by the guard under test, witnessed by the next documented refusal (``arg``)."""
    return ContractCase(label + " passes the guard (then refused naming " + str(arg) + ")", call, (err, arg), match)


def _no(label, call, arg, match=None, err=_IIE):
    return ContractCase(label + " refused", call, (err, arg), match)


def _val(label, call):
    return ContractCase(label + " accepted", call)


def _eq(got, want):
    assert got == want, (got, want)
    return got


def _rows_coevolution() -> list[ContractCase]:
    import jax
    import jax.numpy as jnp

    from aligntheory.kernels import progress as KP

    key = jax.random.PRNGKey(0)
    p42 = np.ones((4, 2))

    def sc(**kw):
        a = dict(alpha=np.nan)
        a.update(kw)
        al = a.pop("alpha")
        return KP.simulate_coevolution(key, al, 0.3, 0, a.pop("progress", p42), 0.0, **a)

    def sb(alphas=(0.2, 0.5), kappas=(0.3, 0.1), **kw):
        a = dict(n_seeds=0)
        a.update(kw)
        n = a.pop("n_seeds")
        return KP.simulate_coevolution_batched(key, np.asarray(alphas), np.asarray(kappas), a.pop("steps_ahead", 0),
                                               p42, 0.0, n, **a)

    def sve(mu, order=-1, **kw):
        return KP.simulate_vote_extrapolation(key, mu, order, 1, 4, **kw)

    return [
        # simulate_coevolution: T != progress.shape[0]; h_init.shape != (d,); h_prev.shape != h_init.shape
        _no("simulate_coevolution: T = 3 for 4 rows", lambda: sc(T=3), "T", "progress.shape[0]"),
        _no("simulate_coevolution: T = 5 for 4 rows", lambda: sc(T=5), "T", "progress.shape[0]"),
        _ok("simulate_coevolution: T = 4 for 4 rows", lambda: sc(T=4), "alpha"),
        _no("simulate_coevolution: h_init (1,) for d = 2", lambda: sc(h_init=np.zeros(1)), "h_init", "(2,)"),
        _no("simulate_coevolution: h_init (3,) for d = 2", lambda: sc(h_init=np.zeros(3)), "h_init", "(2,)"),
        _ok("simulate_coevolution: h_init (2,)", lambda: sc(h_init=np.zeros(2)), "alpha"),
        _ok("simulate_coevolution: h_init None (d = 1)", lambda: sc(progress=np.ones((4, 1))), "alpha"),
        _no("simulate_coevolution: h_prev (1,) for d = 2", lambda: sc(h_prev=np.zeros(1)), "h_prev", "(2,)"),
        _no("simulate_coevolution: h_prev (3,), h_init (2,)", lambda: sc(h_init=np.zeros(2), h_prev=np.zeros(3)),
            "h_prev", "(2,)"),
        _ok("simulate_coevolution: h_prev (2,)", lambda: sc(h_prev=np.zeros(2)), "alpha"),
        _no("simulate_coevolution: progress nan", lambda: sc(progress=np.array([[0.0, np.nan]] * 4)), "progress",
            "non-finite"),
        # _check_trajectory: an overflowing trajectory is UnstableParameters when not rho < 1 (or a Jury condition
        # fails), a PrecisionError when the dynamics are stable (docstring shape (400, 1); alpha 1.5, kappa 0:
        # h' = -0.5 h + 1.5 p, rho = 0.5, overflows at p = 1.7e308; alpha 1e3: rho = 999, 999^400 overflows)
        _no("simulate_coevolution: stable (rho 0.5) overflow", lambda: KP.simulate_coevolution(
            key, 1.5, 0.0, 0, np.full((400, 1), 1.7e308), 0.0, h_init=np.zeros(1)), None,
            "although the dynamics are stable", PrecisionError),
        _no("simulate_coevolution: unstable (rho 999) overflow", lambda: KP.simulate_coevolution(
            key, 1e3, 0.0, 0, np.ones((400, 1)), 0.0, h_init=np.zeros(1)), None, "spectral radius 999",
            UnstableParametersError),
        # simulate_coevolution_batched: alphas/kappas shapes; h_init.shape != (d,)
        _no("simulate_coevolution_batched: alphas (2,), kappas (1,)", lambda: sb(kappas=(0.3,)), "alphas, kappas",
            "same shape"),
        _no("simulate_coevolution_batched: alphas (1,), kappas (2,)", lambda: sb(alphas=(0.3,)), "alphas, kappas",
            "same shape"),
        _ok("simulate_coevolution_batched: alphas, kappas (2,)", lambda: sb(), "n_seeds"),
        _no("simulate_coevolution_batched: h_init (1,) for d = 2", lambda: sb(n_seeds=1, h_init=np.zeros(1)), "h_init",
            "(2,)"),
        _no("simulate_coevolution_batched: h_init (3,) for d = 2", lambda: sb(n_seeds=1, h_init=np.zeros(3)), "h_init",
            "(2,)"),
        _ok("simulate_coevolution_batched: h_init (2,)", lambda: sb(n_seeds=1, h_init=np.zeros(2), steps_ahead=-1),
            "steps_ahead"),
        # _real (jax.Array input): real numeric dtype; simulate_vote_extrapolation: |mu| <= 1, len(mu) >= order + 1
        _no("simulate_vote_extrapolation: mu a bool jax.Array", lambda: sve(jnp.array([True, False])), "mu",
            "real numeric"),
        _ok("simulate_vote_extrapolation: mu an integer jax.Array", lambda: sve(jnp.array([1, -1])), "order"),
        _ok("simulate_vote_extrapolation: mu = (1, -1) (the edges)", lambda: sve(np.array([1.0, -1.0])), "order"),
        _no("simulate_vote_extrapolation: mu = 1 + eps", lambda: sve(np.array([0.0, 1.0 + 2 * _EPS])), "mu",
            "[-1, 1]"),
        _no("simulate_vote_extrapolation: mu = -1 - eps", lambda: sve(np.array([-1.0 - 2 * _EPS, 0.0])), "mu",
            "[-1, 1]"),
        _no("simulate_vote_extrapolation: mu nan", lambda: sve(np.array([0.0, np.nan])), "mu", "non-finite"),
        _no("simulate_vote_extrapolation: 2 steps, order 2", lambda: sve(np.ones(2), 2), "mu", "order+1 = 3"),
        _no("simulate_vote_extrapolation: 1 step, order 1", lambda: sve(np.ones(1), 1), "mu", "order+1 = 2"),
        _val("simulate_vote_extrapolation: 3 steps, order 2 (traced shapes: n_pairs = 4 estimates)",
             lambda: _eq(tuple(jax.eval_shape(lambda k: sve(np.ones(3), 2), key).estimates.shape), (4,))),
    ]


def _rows_extrapolation_score() -> list[ContractCase]:
    import jax
    import jax.numpy as jnp

    from aligntheory.kernels import progress as KP

    key = jax.random.PRNGKey(0)

    def eb(v, order=2, **kw):
        return [float(x) for x in np.asarray(KP.extrapolate_batched(v, order, 1, **kw))]

    def mse(f, order=1, **kw):
        a = dict(sigma=0.0, target=1.0)
        a.update(kw)
        return KP.mc_extrapolation_mse(key, np.asarray(f, dtype=np.float64), a.pop("sigma"), order, 1, 10, **a)

    def cs(S, A, **kw):
        return float(KP.coevolve_score(np.asarray(S, dtype=np.float64), np.asarray(A, dtype=np.float64), **kw))

    big = np.array([[-1e308, 1e308, -1e308]])  # a - 3 b + 3 c = -7e308: overflows float64
    sd = "simulated, actual"
    return [
        # extrapolate_batched: jax dtype; host non-finite (every column); ndim != 2; W < order + 1; validate
        _no("extrapolate_batched: values a bool jax.Array", lambda: eb(jnp.array([[True, False, True]])), "values",
            "real numeric"),
        _no("extrapolate_batched: jax.Array nan outside the window", lambda: eb(jnp.array([[np.nan, 0.0, 1.0, 1.0]])),
            "values", "non-finite"),
        _no("extrapolate_batched: numpy nan outside the window", lambda: eb(np.array([[np.nan, 0.0, 1.0, 1.0]])),
            "values", "non-finite"),
        _no("extrapolate_batched: values 1-D", lambda: eb(np.array([0.0, 1.0, 1.0])), "values", "2-dimensional"),
        _no("extrapolate_batched: values 3-D", lambda: eb(np.zeros((1, 1, 3))), "values", "2-dimensional"),
        _no("extrapolate_batched: jax.Array values 1-D", lambda: eb(jnp.array([0.0, 1.0, 1.0])), "values",
            "2-dimensional"),
        _no("extrapolate_batched: W = 2 for order 2", lambda: eb(np.array([[1.0, 1.0]])), "values", "order+1 = 3"),
        _no("extrapolate_batched: W = 1 for order 1", lambda: eb(np.array([[1.0]]), 1), "values", "order+1 = 2"),
        _val("extrapolate_batched: docstring example, W = order + 1 = 3: (a - 3b + 3c) = (0, 1)",
             lambda: _eq(eb(np.array([[0, 1, 1], [1, 1, 1]])), [0.0, 1.0])),
        _val("extrapolate_batched: the same as an integer jax.Array",
             lambda: _eq(eb(jnp.array([[0, 1, 1], [1, 1, 1]])), [0.0, 1.0])),
        _val("extrapolate_batched: W = 4 > order + 1 (last 3 columns used): 0 - 3 + 6 = 3",
             lambda: _eq(eb(np.array([[5.0, 0.0, 1.0, 2.0]])), [3.0])),
        _no("extrapolate_batched: overflowing result, validate=True", lambda: eb(big), None, "float64 range",
            PrecisionError),
        _val("extrapolate_batched: overflowing result, validate=False returns -inf (documented: no raise)",
             lambda: _eq(eb(big, validate=False), [-np.inf]) and "-inf"),
        _val("extrapolate_batched: traced values with nan (documented unchecked under tracing)",
             lambda: str(jax.eval_shape(lambda v: KP.extrapolate_batched(v, 2, 1), jnp.array([[np.nan, 0.0, 1.0]])))),
        # mc_extrapolation_mse: f_values.shape != (order + 1,); non-finite mse/se
        _no("mc_extrapolation_mse: f_values (3,) for order 1", lambda: mse([1.0, 1.0, 1.0]), "f_values", "(2,)"),
        _no("mc_extrapolation_mse: f_values (1,) for order 1", lambda: mse([1.0]), "f_values", "(2,)"),
        _ok("mc_extrapolation_mse: f_values (2,) for order 1", lambda: mse([1.0, 1.0], sigma=-5e-324), "sigma"),
        _val("mc_extrapolation_mse: docstring example, sigma = 0: mse = 0, se = 0",
             lambda: _eq([float(x) for x in mse([1.0, 1.0])], [0.0, 0.0])),
        _no("mc_extrapolation_mse: squared error 9e400 overflows", lambda: mse([1e200, -1e200], target=0.0), None,
            "overflow", PrecisionError),
        # coevolve_score: dimension differs or is 0; an empty side; zero rows
        _no("coevolve_score: d = 2 vs d = 3", lambda: cs(np.ones((2, 2)), np.ones((2, 3))), sd, "same dimension"),
        _no("coevolve_score: d = 0 on both sides", lambda: cs(np.ones((2, 0)), np.ones((2, 0))), sd, "d >= 1"),
        _no("coevolve_score: simulated has no row", lambda: cs(np.ones((0, 2)), np.ones((2, 2))), sd, "non-empty"),
        _no("coevolve_score: actual has no row", lambda: cs(np.ones((2, 2)), np.ones((0, 2))), sd, "non-empty"),
        _ok("coevolve_score: one row, d = 1, each side", lambda: cs([[1.0]], [[2.0]], max_entries=0), sd,
            err=SizeCapError),
        _no("coevolve_score: a zero row in simulated", lambda: cs([[1.0, 0.0], [0.0, 0.0]], np.ones((1, 2))),
            "simulated", "zero vector"),
        _no("coevolve_score: a zero row in actual", lambda: cs(np.ones((1, 2)), [[0.0, 0.0], [1.0, 0.0]]), "actual",
            "zero vector"),
        _val("coevolve_score: one row 1e-300 against one row -2: the cosine sign(1e-300 * -2) = -1",
             lambda: _eq(cs([[1e-300]], [[-2.0]]), -1.0)),
    ]


@claim(
    id="progress.guard_conditions_kernels",
    statement="Each atomic condition of each raising guard of the progress kernels (aligntheory.kernels.progress) "
              "decides a row on its own: an input where only that condition holds is refused with the documented "
              "error, argument and message; inputs at each comparison's edge pass the guard (shown by the next "
              "documented refusal, by a traced, uncompiled call, or by a result equal to its closed form: the "
              "Lagrange extrapolation a - 3b + 3c, MSE 0 at sigma 0, the one-row coevolve score sign(xy)); "
              "validate=False returns the overflowing extrapolation instead of raising.",
    source=[Source(key="qiu2024progressgym", where="Parameters/Raises sections of the kernel docstrings; docs/DESIGN.md §7")],
    provenance="M",
    kind="contract",
    tolerance="exact: each row on its documented side, with the named argument and message substring; closed forms "
              "exact in float64 (small integers)",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_guard_conditions_kernels(ctx: Context) -> Evidence:
    """Predicted: each row's documented side; measured: the library's call (no seed is read)."""
    return contract_evidence(_rows_coevolution() + _rows_extrapolation_score())
