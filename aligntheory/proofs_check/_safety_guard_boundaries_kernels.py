"""Guard-condition claims (issue 11, round 10): every condition of every raising guard of the safety kernels decides a row.

``safety.guard_conditions_kernels`` (a ``contract`` claim) calls the public kernels of
``aligntheory.kernels.safety`` and ``aligntheory.kernels.safety_multiplier`` (and the two documented helpers
``f64``/``ints`` of ``aligntheory.kernels._common``) on inputs that make EACH atomic condition of a compound
guard hold alone (refused, with the error class of ``aligntheory.errors``, the argument it names and a
substring of its documented message), and on inputs exactly at each comparison's edge on the accepted side.

Accepted rows cost no compilation: an input that passes a guard is shown to pass by the NEXT, documented
refusal (for instance a one-dimensional ``ref_probs`` passes every check of the shared problem validation and is
then refused by ``tilted_policy_batched``'s own ``(P, n)`` rule, naming ``ref_probs``; a ``lambda_init = 0``
refusal shows that ``episode_costs``, ``thresholds`` and ``windows`` were accepted), or by ``jax.eval_shape``,
which traces the kernel (the documented unchecked path under tracing) without compiling it. The one compiled row
is ``window_means_batched``'s docstring example, checked against its closed form (the mean of the last
``min(W, (r+1)B)`` costs). The table is fixed in advance and reads no seed.
Registered by the import at the end of ``proofs_check/safety.py``.
"""

from __future__ import annotations

import numpy as np

from aligntheory.errors import InvalidInputError, PrecisionError
from aligntheory.proofs_check._helpers import ContractCase, contract_evidence
from aligntheory.proofs_check._registry import Context, Evidence, Source, claim

_IIE = InvalidInputError
_TINY = float(np.finfo(np.float64).tiny)  # the smallest normal float64 (XLA flushes subnormals to 0 on CPU)
_P1, _R1 = np.full(2, 0.5), np.array([0.0, 1.0])  # the docstrings' two-response problem, shape (n,)
_P2, _R2 = np.full((2, 2), 0.5), np.array([[0.0, 1.0]] * 2)  # the same problem twice, shape (P, n)
_P23, _R23 = np.full((2, 3), 1 / 3), np.array([[0.0, 1.0, 2.0]] * 2)  # P = 2 problems of n = 3: P and n differ
_SHARE = "ref_probs, reward, cost"


def _ok(label, call, arg, match=None, err=_IIE):
    """A row ACCEPTED by the guard under test, witnessed by the next documented refusal (``arg``)."""
    return ContractCase(label + " passes the guard (then refused naming " + str(arg) + ")", call, (err, arg), match)


def _no(label, call, arg, match=None, err=_IIE):
    return ContractCase(label + " refused", call, (err, arg), match)


def _val(label, call):
    return ContractCase(label + " accepted", call)


def _arr(x):
    """``x`` as float64, left as it is when it is a JAX array (a tracer under ``jax.eval_shape``)."""
    import jax

    return x if isinstance(x, jax.Array) else np.asarray(x, dtype=np.float64)


def _shape(f, want):
    """The shape of ``f`` traced on one zero multiplier by ``jax.eval_shape`` (nothing is compiled)."""
    import jax
    import jax.numpy as jnp

    got = tuple(jax.eval_shape(f, jnp.zeros(1)).shape)
    assert got == want, (got, want)
    return got


def _rows_policy() -> list[ContractCase]:
    from aligntheory.kernels import safety as KS

    def tp(p=_P1, r=_R1, c=_R1, lams=(0.0,), beta=1.0):
        return KS.tilted_policy_batched(p, r, c, _arr(lams), beta)

    def tm(p=_P1, r=_R1, c=_R1, lams=(0.0,), beta=1.0):
        return KS.tilted_moments_batched(p, r, c, _arr(lams), beta)

    def om(p=_P23, r=_R23, d=(0.5, 0.5), **kw):
        return KS.optimal_multiplier_batched(p, r, r, 1.0, _arr(d), **kw)

    def da(p=_P1, r=_R1, steps=(4.0,), lam0=(0.0,), **kw):
        a = dict(n_steps=0)
        a.update(kw)
        return KS.dual_ascent_batched(p, r, r, 1.0, 0.5, _arr(steps), _arr(lam0), **a)

    pn = "(P, n)"  # tilted_*_batched's own rule, reached only after the shared checks pass
    return [
        # _check_problem: p.ndim not in (1, 2) or r.shape != p.shape or c.shape != p.shape
        _no("shared shape: ref_probs 3-D, all shapes equal", lambda: tp(np.full((1, 1, 2), 0.5), np.zeros((1, 1, 2)),
                                                                        np.zeros((1, 1, 2))), _SHARE, "one shape"),
        _no("shared shape: ref_probs 0-D, all shapes equal", lambda: tp(np.float64(1.0), np.float64(0.0),
                                                                        np.float64(0.0)), _SHARE, "one shape"),
        _no("shared shape: reward (2, 3) alone differs", lambda: tp(_P2, np.zeros((2, 3)), _R2), _SHARE, "one shape"),
        _no("shared shape: cost (2,) alone differs", lambda: tp(_P2, _R2, _R1), _SHARE, "one shape"),
        _ok("shared shape: ref_probs 1-D (n,)", lambda: tp(), "ref_probs", pn),
        _ok("shared shape: ref_probs 2-D (P, n)", lambda: tp(_P2, _R2, _R2, lams=(-1.0,)), "lams"),
        # beta: b < tiny (a normal float64)
        _ok("beta = 2.2250738585072014e-308 (smallest normal)", lambda: tp(r=np.zeros(2), c=np.zeros(2), beta=_TINY), "ref_probs", pn),
        _no("beta = the largest subnormal", lambda: tp(beta=float(np.nextafter(_TINY, 0.0))), "beta", "normal"),
        # non-finite entries, each array alone
        _no("ref_probs nan", lambda: tp(p=np.array([0.5, np.nan])), "ref_probs", "non-finite"),
        _no("reward inf", lambda: tp(r=np.array([0.0, np.inf])), "reward", "non-finite"),
        _no("cost -inf", lambda: tp(c=np.array([-np.inf, 0.0])), "cost", "non-finite"),
        # full support: all(p > 0)
        _no("ref_probs has a zero entry", lambda: tp(p=np.array([1.0, 0.0])), "ref_probs", "full support"),
        _ok("ref_probs smallest entry 1e-300", lambda: tp(p=np.array([1.0, 1e-300])), "ref_probs", pn),
        # |sum - 1| <= 1e-10
        _ok("ref_probs sum 1 + 5e-11", lambda: tp(p=np.array([0.5, 0.5 + 5e-11])), "ref_probs", pn),
        _no("ref_probs sum 1 + 2e-10", lambda: tp(p=np.array([0.5, 0.5 + 2e-10])), "ref_probs", "sum to 1"),
        _no("ref_probs sum 1 - 2e-10", lambda: tp(p=np.array([0.5, 0.5 - 2e-10])), "ref_probs", "sum to 1"),
        # not isfinite(scale) or scale > 1e300, scale = max|r| / b + max|c| / b
        _ok("scale = 1e300 exactly", lambda: tp(r=np.array([0.0, 1e300]), c=np.zeros(2)), "ref_probs", pn),
        _no("scale = 1.5e300 (finite, above the cap)", lambda: tp(r=np.array([0.0, 1e300]), c=np.array([0.0, 5e299])),
            None, "overflows", PrecisionError),
        _no("scale = inf (1e300 / 1e-10)", lambda: tp(r=np.array([0.0, 1e300]), c=np.zeros(2), beta=1e-10), None,
            "overflows", PrecisionError),
        # lams: finite and >= 0 (tilted_policy_batched, tilted_moments_batched)
        _ok("tilted_policy_batched: lams = 0", lambda: tp(lams=(0.0,)), "ref_probs", pn),
        _no("tilted_policy_batched: lams = -tiny", lambda: tp(lams=(-_TINY,)), "lams", ">= 0"),
        _no("tilted_policy_batched: lams = inf", lambda: tp(lams=(np.inf,)), "lams", "finite"),
        _ok("tilted_moments_batched: lams = 0", lambda: tm(lams=(0.0,)), "ref_probs", pn),
        _no("tilted_moments_batched: lams = -tiny", lambda: tm(lams=(-_TINY,)), "lams", ">= 0"),
        _no("tilted_moments_batched: lams = nan", lambda: tm(lams=(np.nan,)), "lams", "finite"),
        _ok("tilted_moments_batched: 2-D ref_probs", lambda: tm(_P2, _R2, _R2, lams=(-1.0,)), "lams"),
        # optimal_multiplier_batched: finite budgets; p.ndim != 2 or d.shape != (P,) (P = 2, n = 3: P and n differ)
        _no("optimal_multiplier_batched: budgets nan", lambda: om(d=(0.5, np.nan)), "budgets", "non-finite"),
        _no("optimal_multiplier_batched: ref_probs 1-D, budgets (2,)", lambda: om(_P1, _R1, d=(0.5, 0.5)), "budgets",
            "(P,)"),
        _no("optimal_multiplier_batched: budgets (3,) = (n,) for P = 2", lambda: om(d=(0.5, 0.5, 0.5)), "budgets", "(P,)"),
        _no("optimal_multiplier_batched: budgets (1,) for P = 2", lambda: om(d=(0.5,)), "budgets", "(P,)"),
        _ok("optimal_multiplier_batched: budgets (P,) = (2,)", lambda: om(n_double=0), "n_double"),
        # dual_ascent_batched: p.ndim != 1; steps/lam0 shapes; steps finite > 0; lam0 by mode
        _no("dual_ascent_batched: ref_probs 2-D", lambda: da(_P2, _R2), "ref_probs", "(n,)"),
        _no("dual_ascent_batched: steps (2,), lam0 (1,)", lambda: da(steps=(1.0, 1.0)), "steps, lam0", "same shape"),
        _no("dual_ascent_batched: steps = 0", lambda: da(steps=(0.0,)), "steps", "> 0"),
        _no("dual_ascent_batched: steps = inf", lambda: da(steps=(np.inf,)), "steps", "finite"),
        _ok("dual_ascent_batched: steps = tiny, lam0 = 0", lambda: da(steps=(_TINY,)), "n_steps"),
        _no("dual_ascent_batched: lam0 = -tiny (projected)", lambda: da(lam0=(-_TINY,)), "lam0", ">= 0"),
        _no("dual_ascent_batched: lam0 = nan (projected)", lambda: da(lam0=(np.nan,)), "lam0", "finite"),
        _no("dual_ascent_batched: lam0 = 0 (log)", lambda: da(lam0=(0.0,), mode="log"), "lam0", "> 0 in log mode"),
        _ok("dual_ascent_batched: lam0 = tiny (log)", lambda: da(lam0=(_TINY,), mode="log"), "n_steps"),
        _ok("dual_ascent_batched: lam0 = 0.5 (log)", lambda: da(lam0=(0.5,), mode="log"), "n_steps"),
        # the whole accepted path, traced (jax.eval_shape compiles nothing): the documented result shapes
        _val("tilted_policy_batched: (P, n) = (2, 2), one multiplier: shape (P, L, n) = (2, 1, 2)",
             lambda: _shape(lambda lam: tp(_P2, _R2, _R2, lam), (2, 1, 2))),
        _val("tilted_moments_batched: (P, n) = (2, 2), one multiplier: shape (P, L) = (2, 1)",
             lambda: _shape(lambda lam: tm(_P2, _R2, _R2, lam).cost, (2, 1))),
        _val("optimal_multiplier_batched: budgets (P,) = (2,): shape (2,)",
             lambda: _shape(lambda lam: om(d=lam[0] + np.array([0.5, 0.5])), (2,))),
        _val("dual_ascent_batched: (n,) = (2,), B = 1, 2 steps: shape (n_steps + 1, B) = (3, 1)",
             lambda: _shape(lambda lam: da(lam0=lam, n_steps=2), (3, 1))),
    ]


def _rows_primal_dual_prefs() -> list[ContractCase]:
    import jax
    import jax.numpy as jnp

    from aligntheory.kernels import safety as KS

    key = jax.random.PRNGKey(0)
    pairs, unsafe = np.array([[0, 1], [0, 1]]), np.array([[True, False], [False, True]])

    def pd(p=_P1, r=_R1, **kw):
        a = dict(step=0.5, n_steps=2, n_samples=2)
        a.update(kw)
        return KS.simulate_primal_dual(key, p, r, r, 1.0, 0.5, **a)

    def fc(h=(True, False), u=unsafe, **kw):
        return KS.fit_cost_model(pairs, np.asarray(h), np.asarray(u), 2, ridge=-5e-324, **kw)

    def traced_fc(h):
        return jax.eval_shape(lambda x: KS.fit_cost_model(pairs, x, unsafe, 2, throw=False), h)

    def bt(n_pairs, pad_to=3):
        return KS.fit_dual_bt(key, np.zeros(3), n_pairs, pad_to=pad_to)

    def bt_shape(n_pairs):  # traced: eval_shape compiles nothing
        return jax.eval_shape(lambda c: KS.fit_dual_bt(key, c, n_pairs, pad_to=3), jnp.zeros(3))

    return [
        # simulate_primal_dual: p.ndim != 1; mode == "log" and l0 <= 0
        _no("simulate_primal_dual: ref_probs 2-D", lambda: pd(_P2, _R2), "ref_probs", "(n,)"),
        _ok("simulate_primal_dual: ref_probs 1-D", lambda: pd(step=0.0), "step"),
        _no("simulate_primal_dual: lam0 = 0 (log)", lambda: pd(mode="log", lam0=0.0), "lam0", "log mode"),
        _val("simulate_primal_dual: lam0 = 0 (projected), 5e-324 and 0.5 (log), traced shapes",
             lambda: [str(jax.eval_shape(lambda k, kw=kw: pd(**kw), key))
                      for kw in ({"lam0": 0.0}, {"lam0": 5e-324, "mode": "log"}, {"lam0": 0.5, "mode": "log"})]),
        # _cost_vector: c.shape[0] < 2; finite unless traced
        _no("simulate_dual_preferences: one response", lambda: KS.simulate_dual_preferences(key, [0.0], 1), "cost",
            "at least 2"),
        _ok("simulate_dual_preferences: two responses", lambda: KS.simulate_dual_preferences(key, [0.0, 1.0], 0),
            "n_pairs"),
        _no("simulate_dual_preferences: cost nan", lambda: KS.simulate_dual_preferences(key, [0.0, np.nan], 1),
            "cost", "non-finite"),
        _no("fit_dual_bt: cost inf (host)", lambda: KS.fit_dual_bt(key, [0.0, np.inf], 2), "cost", "non-finite"),
        _val("fit_dual_bt: cost nan under tracing (documented unchecked: traced calls cannot raise)",
             lambda: str(jax.eval_shape(lambda c: KS.fit_dual_bt(key, c, 2), jnp.array([0.0, jnp.nan])))),
        # fit_dual_bt with pad_to: int n_pairs outside [1, pad_to]
        _no("fit_dual_bt: n_pairs = 0, pad_to = 3", lambda: bt(0), "n_pairs", "[1, pad_to = 3]"),
        _no("fit_dual_bt: n_pairs = 4, pad_to = 3", lambda: bt(4), "n_pairs", "[1, pad_to = 3]"),
        _no("fit_dual_bt: n_pairs = np.int64(4), pad_to = 3", lambda: bt(np.int64(4)), "n_pairs", "pad_to"),
        _val("fit_dual_bt: n_pairs = 1 and 3 (the edges), pad_to = 3, traced shapes",
             lambda: [str(bt_shape(1)), str(bt_shape(3))]),
        # _bool_array on the host: shape; dtype kind in 'iu' and values in {0, 1}
        _no("fit_cost_model: harm_labels (3,) for P = 2", lambda: fc(h=(True, False, True)), "harm_labels",
            "shape (2,)"),
        _no("fit_cost_model: unsafe_flags (2, 3)", lambda: fc(u=np.zeros((2, 3), bool)), "unsafe_flags",
            "shape (2, 2)"),
        _no("fit_cost_model: harm_labels integer 2", lambda: fc(h=np.array([2, 0])), "harm_labels", "0/1"),
        _no("fit_cost_model: harm_labels float 1.0", lambda: fc(h=np.array([1.0, 0.0])), "harm_labels", "0/1"),
        _ok("fit_cost_model: harm_labels integers 0/1", lambda: fc(h=np.array([1, 0])), "ridge"),
        _ok("fit_cost_model: harm_labels unsigned 0/1", lambda: fc(h=np.array([1, 0], np.uint8)), "ridge"),
        _ok("fit_cost_model: booleans", lambda: fc(), "ridge"),
        # _bool_array under tracing: shape and dtype checked, values unchecked
        _no("fit_cost_model traced: harm_labels (3,)", lambda: traced_fc(jnp.array([True, False, True])),
            "harm_labels", "shape (2,)"),
        _no("fit_cost_model traced: harm_labels float", lambda: traced_fc(jnp.array([1.0, 0.0])), "harm_labels",
            "0/1"),
        _val("fit_cost_model traced: harm_labels int (2,) (values unchecked)",
             lambda: str(traced_fc(jnp.array([2, 0])))),
        _val("fit_cost_model traced: harm_labels bool (2,)", lambda: str(traced_fc(jnp.array([True, False])))),
    ]


def _rows_multiplier_common() -> list[ContractCase]:
    import jax.numpy as jnp

    from aligntheory.kernels import _common as KC
    from aligntheory.kernels import safety as KS
    from aligntheory.kernels import safety_multiplier as KM

    def lms(c=((1.0, 0.0), (0.0, 0.0)), th=(0.0,), lr=(0.5,), w=(2,)):
        return KM.lagrangian_multiplier_sweep(np.asarray(c, dtype=np.float64), th, lr, w, lambda_init=0.0)

    def wmb(c, w):
        return np.asarray(KM.window_means_batched(c, w)).tolist()

    def wm_example():  # closed form: mean of the last min(W, (r+1) B) costs, B = 2
        got = wmb([[1.0, 3.0], [5.0, 7.0]], [1, 3])
        want = [[[3.0, 7.0], [(1.0 + 3.0) / 2, (3.0 + 5.0 + 7.0) / 3]]]
        assert got == want, (got, want)
        return got

    wm = "(n_seeds, n_rollouts, batch)"
    return [
        # _host: c.ndim != 3 or 0 in c.shape (2-D input promoted to 3-D)
        _no("episode_costs 1-D", lambda: lms(c=(1.0, 0.0)), "episode_costs", wm),
        _no("episode_costs 4-D", lambda: lms(c=np.zeros((1, 1, 2, 2))), "episode_costs", wm),
        _no("episode_costs (1, 0, 2): 3-D with an empty axis", lambda: lms(c=np.zeros((1, 0, 2))), "episode_costs", wm),
        _no("episode_costs (2, 0): 2-D with an empty axis", lambda: lms(c=np.zeros((2, 0))), "episode_costs", wm),
        _ok("episode_costs (1, 1, 1)", lambda: lms(c=np.zeros((1, 1, 1))), "lambda_init"),
        _ok("episode_costs (2, 2)", lambda: lms(), "lambda_init"),
        # _vec: a.ndim != 1 or a.size == 0 (scalars promoted)
        _no("thresholds 2-D", lambda: lms(th=[[0.0]]), "thresholds", "non-empty 1-D"),
        _no("thresholds empty", lambda: lms(th=[]), "thresholds", "non-empty 1-D"),
        _no("lambda_lrs empty", lambda: lms(lr=[]), "lambda_lrs", "non-empty 1-D"),
        _ok("thresholds scalar 0.0", lambda: lms(th=0.0), "lambda_init"),
        # _windows: w.ndim != 1 or w.size == 0 or dtype kind not in 'iu' or any(w < 1)
        _no("windows 2-D", lambda: lms(w=[[1]]), "windows", "1-D array of integers"),
        _no("windows empty", lambda: lms(w=np.array([], np.int64)), "windows", "non-empty"),
        _no("windows float 2.0", lambda: lms(w=[2.0]), "windows", "integers"),
        _no("windows [2, 0]", lambda: lms(w=[2, 0]), "windows", ">= 1"),
        _ok("windows [1]", lambda: lms(w=[1]), "lambda_init"),
        _ok("windows uint8 [1]", lambda: lms(w=np.array([1], np.uint8)), "lambda_init"),
        _ok("windows scalar 2", lambda: lms(w=2), "lambda_init"),
        _val("window_means_batched: docstring example = closed-form window means", wm_example),
        # _real (jax.Array input): dtype floating or integer
        _no("ref_probs a bool jax.Array", lambda: KS.tilted_policy_batched(jnp.array([True, False]), _R1, _R1, [0.0],
                                                                          1.0), "ref_probs", "real numeric"),
        _ok("ref_probs a float jax.Array", lambda: KS.tilted_policy_batched(jnp.asarray(_P1), _R1, _R1, [0.0], 1.0),
            "ref_probs", "(P, n)"),
        _ok("reward an integer jax.Array", lambda: KS.tilted_policy_batched(_P1, jnp.array([0, 1]), _R1, [0.0], 1.0),
            "ref_probs", "(P, n)"),
        # kernels/_common: f64(ndim=...) and ints(shape_tail=...)
        _val("f64: ndim = 1 on a 1-D input", lambda: np.asarray(KC.f64("x", [1.0, 2.0], ndim=1)).tolist()),
        _val("f64: ndim None on a 2-D input", lambda: np.asarray(KC.f64("x", [[1.0]])).tolist()),
        _no("f64: ndim = 1 on a 2-D input", lambda: KC.f64("x", [[1.0]], ndim=1), "x", "1-dimensional"),
        _no("f64: ndim = 2 on a 1-D input", lambda: KC.f64("x", [1.0], ndim=2), "x", "2-dimensional"),
        _val("ints: trailing shape (2,) on (1, 2)", lambda: np.asarray(KC.ints("e", [[0, 1]], shape_tail=(2,))).tolist()),
        _val("ints: trailing shape (2,) on (1, 1, 2) (the LAST axes compared)",
             lambda: list(KC.ints("e", [[[0, 1]]], shape_tail=(2,)).shape)),
        _val("ints: trailing shape (3, 2) on (3, 2) (the whole shape)",
             lambda: list(KC.ints("e", np.zeros((3, 2), np.int64), shape_tail=(3, 2)).shape)),
        _val("ints: no trailing shape on (1, 3)", lambda: np.asarray(KC.ints("e", [[0, 1, 2]])).tolist()),
        _no("ints: trailing shape (2,) on (1, 3)", lambda: KC.ints("e", [[0, 1, 2]], shape_tail=(2,)), "e",
            "trailing shape (2,)"),
        _no("ints: trailing shape (1, 2) on (2, 2)", lambda: KC.ints("e", [[0, 1], [1, 0]], shape_tail=(1, 2)), "e",
            "trailing shape (1, 2)"),
    ]


@claim(
    id="safety.guard_conditions_kernels",
    statement="Each atomic condition of each raising guard of the safety kernels (aligntheory.kernels.safety, "
              "aligntheory.kernels.safety_multiplier, the f64/ints helpers of aligntheory.kernels._common) decides "
              "a row on its own: an input where only that condition holds is refused with the documented error, "
              "argument and message; inputs at each comparison's edge pass the guard (shown by the next documented "
              "refusal or by a traced, uncompiled call); the window-means docstring example equals its closed form.",
    source=[Source(key="dai2023safe", where="Parameters/Raises sections of the kernel docstrings; docs/DESIGN.md §7")],
    provenance="M",
    kind="contract",
    tolerance="exact: each row on its documented side, with the named argument and message substring",
    rice={"C"},
    stage="backward:assurance",
)
def check_guard_conditions_kernels(ctx: Context) -> Evidence:
    """Predicted: each row's documented side; measured: the library's call (no seed is read)."""
    return contract_evidence(_rows_policy() + _rows_primal_dual_prefs() + _rows_multiplier_common())
