"""JAX kernels for the dual-preference Bradley--Terry model of Safe RLHF (our B-T7)."""

from __future__ import annotations

from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from aligntheory import _validate as V
from aligntheory.errors import ConvergenceError, DisconnectedGraphError, InvalidInputError
from aligntheory.kernels._common import check_precision_all, holds, require_x64
from aligntheory.kernels.safety._boundary import _SAFE, _real
from aligntheory.results import RESULTS, provenance, raise_or_flag

__all__ = ["MAX_PAIRS", "MAX_FIT_PAIRS", "DualPreferences", "simulate_dual_preferences", "CostModelFit",
           "fit_cost_model", "fit_dual_bt"]

MAX_PAIRS = 10**5
"""Default cap on simulated pairs (keyword ``max_entries`` of :func:`simulate_dual_preferences`)."""

MAX_FIT_PAIRS = 10**5
"""Default cap on the pairs simulated and fitted by :func:`fit_dual_bt` (20 Newton steps over all of them)."""


# ----------------------------------------------------------------------------------------------
# dual-preference Bradley--Terry (B-T7)


@partial(jax.jit, static_argnums=(2,))
def _sim_prefs_core(key, c, n_pairs):
    n = c.shape[0]
    k1, k2, k3, k4 = jax.random.split(key, 4)
    i = jax.random.randint(k1, (n_pairs,), 0, n)
    j = (i + jax.random.randint(k2, (n_pairs,), 1, n)) % n
    pairs = jnp.stack([i, j], axis=1)
    harm = jax.random.uniform(k3, (n_pairs,), dtype=jnp.float64) < jax.nn.sigmoid(c[i] - c[j])
    unsafe = jax.random.uniform(k4, (n_pairs, 2), dtype=jnp.float64) < jax.nn.sigmoid(c[pairs])
    return pairs, harm, unsafe


@provenance("S", source=_SAFE, where="§3.1 (preference data); our B-T7")
class DualPreferences(NamedTuple):
    """Simulated dual-preference data: ``pairs`` (P, 2) int, ``harm_labels`` (P,) bool, ``unsafe_flags`` (P, 2) bool."""

    pairs: jax.Array
    harm_labels: jax.Array
    unsafe_flags: jax.Array


def _cost_vector(where: str, cost: Any) -> jax.Array:
    check_precision_all(where, cost=cost)
    c = _real("cost", cost, ndim=1)
    if c.shape[0] < 2:
        raise InvalidInputError("cost", "needs at least 2 responses", received=f"shape {c.shape}")
    if not isinstance(c, jax.core.Tracer) and not holds(jnp.all(jnp.isfinite(c))):  # unchecked when traced
        raise InvalidInputError("cost", "non-finite input: every entry must be finite")
    return c


@provenance("S", source=_SAFE, where="§3.1 (cost model); our B-T7")
def simulate_dual_preferences(key: Any, cost: Any, n_pairs: int, *, max_entries: int = MAX_PAIRS) -> DualPreferences:
    """Simulate harmlessness comparisons and safety flags under the dual Bradley--Terry model [S].

    Pairs are uniform over ordered distinct pairs; :math:`P(i\\text{ more harmful than }j)=\\sigma(c_i-c_j)`,
    :math:`P(y\\text{ unsafe})=\\sigma(c(y))` (our B-T7; Safe RLHF cost model, arXiv 2310.12773 §3.1).

    Parameters
    ----------
    key : PRNG key
    cost : float64 array, shape (n_items,), n_items >= 2
    n_pairs : int (static)
    max_entries : int, default 100_000
        Cap (``MAX_PAIRS``) on ``n_pairs``, checked before any allocation.

    Returns
    -------
    DualPreferences

    Raises
    ------
    InvalidInputError
        Fewer than 2 responses, non-finite costs, bad ``n_pairs``.
    SizeCapError
        ``n_pairs`` exceeds ``max_entries``.
    PrecisionError
        float32 input or x64 off.

    Notes
    -----
    :math:`O(n\\_pairs)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> data = simulate_dual_preferences(jax.random.PRNGKey(0), np.zeros(3), 5)
    >>> data.pairs.shape, data.harm_labels.shape, data.unsafe_flags.shape
    ((5, 2), (5,), (5, 2))
    """
    c = _cost_vector("simulate_dual_preferences", cost)
    n = V.check_int("n_pairs", n_pairs, lo=1)
    V.check_size("n_pairs", n, cap=max_entries, unit="pairs")
    return DualPreferences(*_sim_prefs_core(key, c, n))


def _grad_hess(c, pairs, harm, unsafe, st, ridge, wt):
    """Analytic gradient and Hessian of the weighted cost NLL (+ ridge): scatter-adds, O(P + n^2)."""
    n = c.shape[0]
    i, j = pairs[:, 0], pairs[:, 1]
    s = jnp.where(harm, 1.0, -1.0)
    x = s * (c[i] - c[j])
    gx = -s * jax.nn.sigmoid(-x) * wt
    w = jax.nn.sigmoid(x) * jax.nn.sigmoid(-x) * wt
    g = jnp.zeros(n, jnp.float64).at[i].add(gx).at[j].add(-gx)
    H = jnp.zeros((n, n), jnp.float64).at[i, i].add(w).at[j, j].add(w).at[i, j].add(-w).at[j, i].add(-w)
    sg = jnp.where(unsafe, 1.0, -1.0)
    y = sg * c[pairs]
    g = g + st * jnp.zeros(n, jnp.float64).at[pairs].add(-sg * jax.nn.sigmoid(-y) * wt[:, None])
    dh = jnp.zeros(n, jnp.float64).at[pairs].add(jax.nn.sigmoid(y) * jax.nn.sigmoid(-y) * wt[:, None])
    H = H + st * jnp.diag(dh) + ridge * jnp.eye(n, dtype=jnp.float64)
    return g + ridge * c, H


@partial(jax.jit, static_argnums=(4, 5, 6))
def _fit_core(pairs, harm, unsafe, ridge, n_items, newton_steps, sign_terms, wt=None):
    st = 1.0 if sign_terms else 0.0
    wt = jnp.ones(pairs.shape[0], jnp.float64) if wt is None else wt
    ones = jnp.ones(n_items, jnp.float64) / jnp.sqrt(jnp.float64(n_items))

    def step(c, _):
        g, H = _grad_hess(c, pairs, harm, unsafe, st, ridge, wt)
        if not sign_terms:  # gauge: pin the sum to zero (the Hessian is singular along ones)
            H = H + jnp.outer(ones, ones)
        c = c - jnp.linalg.solve(H, g)
        if not sign_terms:
            c = c - jnp.mean(c)
        return c, None

    c, _ = lax.scan(step, jnp.zeros(n_items, jnp.float64), None, length=newton_steps)
    g, _ = _grad_hess(c, pairs, harm, unsafe, st, ridge, wt)
    if not sign_terms:
        g = g - jnp.mean(g)
    return c, jnp.linalg.norm(g)


@provenance("M", source=_SAFE, where="§3.1 (cost model); our B-T7")
class CostModelFit(NamedTuple):
    """Fit of the dual Bradley--Terry cost model.

    Attributes
    ----------
    scores : float64 array, shape (n_items,)
        Fitted costs (sum-zero gauge without sign terms).
    residual : float64 scalar
        Final gradient norm of the NLL.
    result : RESULTS or None
        :func:`fit_cost_model`: ``successful``, ``max_steps_reached``, ``nonfinite`` or ``disconnected``
        (no unique finite MLE; ``scores`` and ``residual`` NaN); ``None`` from
        :func:`fit_dual_bt`, which runs under ``vmap`` and cannot decide on the host, and from
        :func:`fit_cost_model` under ``jax.jit``/``vmap`` (``throw`` does not apply there).
    """

    scores: jax.Array
    residual: jax.Array
    result: RESULTS | None = None


def _bool_array(name: str, x: Any, shape: tuple) -> jax.Array:
    if isinstance(x, jax.core.Tracer):  # under jit/vmap: dtype and shape checked, values unchecked
        if tuple(x.shape) != tuple(shape):
            raise InvalidInputError(name, f"must have shape {shape}", received=f"shape {tuple(x.shape)}")
        if not (x.dtype == jnp.bool_ or jnp.issubdtype(x.dtype, jnp.integer)):
            raise InvalidInputError(name, "must be booleans or 0/1 integers", received=f"dtype {x.dtype}")
        return x.astype(bool)
    arr = V.as_real_array(name, x, allow_bool=True)
    if arr.shape != shape:
        raise InvalidInputError(name, f"must have shape {shape}", received=f"shape {arr.shape}")
    if arr.dtype != bool:
        if arr.dtype.kind not in "iu" or not np.all(np.isin(arr, (0, 1))):
            raise InvalidInputError(name, "must be booleans or 0/1 integers")
    return jnp.asarray(arr.astype(bool))


@provenance("M", source=_SAFE, where="§3.1 (cost model loss); our B-T7 (Newton's method)")
def fit_cost_model(pairs: Any, harm_labels: Any, unsafe_flags: Any, n_items: int, *, sign_terms: bool = True,
                   newton_steps: int = 20, ridge: float = 0.0, gtol: float = 1e-8, throw: bool = True,
                   max_items: int = 4096) -> CostModelFit:
    """Maximum-likelihood cost scores of the dual Bradley--Terry model by Newton's method [M].

    Minimises :func:`aligntheory.theory.safety.cost_nll` (plus an optional ridge). With
    ``sign_terms=False`` only differences are identified and the estimate is returned in the
    sum-zero gauge (our B-T7).

    Parameters
    ----------
    pairs : int array, shape (P, 2)
        Response ids in ``[0, n_items)``.
    harm_labels : bool array, shape (P,)
    unsafe_flags : bool array, shape (P, 2)
    n_items : int
        Number of responses, 2 <= n_items <= ``max_items`` (dense Hessian).
    sign_terms : bool, default True
        Include the unsafe-flag terms :math:`\\log\\sigma(\\pm c_i)` in the likelihood; with ``False`` only
        the harm comparisons enter and the scores are returned in the sum-zero gauge.
    newton_steps : int, default 20
        Newton steps, 1 <= newton_steps <= 10**4.
    ridge : float, default 0.0
        Ridge penalty :math:`\\tfrac12\\,\\mathrm{ridge}\\,\\|c\\|^2` added to the NLL, >= 0; with ``ridge > 0``
        the existence check (Notes) is skipped.
    gtol : float, default 1e-8
        The fit succeeds when the final gradient norm is at most ``gtol``.
    throw : bool, default True
        Raise :class:`ConvergenceError` (or :class:`DisconnectedGraphError`) when it does not; with ``False``
        the result carries ``max_steps_reached``, ``nonfinite`` or ``disconnected``.
    max_items : int, default 4096
        Cap on ``n_items`` (the Hessian is dense, :math:`n^2` entries).

    Returns
    -------
    CostModelFit

    Raises
    ------
    InvalidInputError
        Ids out of range, non-boolean labels, shape mismatches.
    SizeCapError
        ``n_items`` above ``max_items``.
    PrecisionError
        x64 off.
    ConvergenceError
        Gradient norm above ``gtol`` or non-finite after ``newton_steps`` (``throw=True``).
    DisconnectedGraphError
        ``ridge == 0`` and the data have no unique finite MLE (Notes; ``throw=True``).

    Notes
    -----
    :math:`O(newton\\_steps (P n + n^3))` (dense Hessian; small ``n``).

    **Existence** [M]. Without a ridge the negative log-likelihood is a sum of terms
    :math:`-\\log\\sigma(a_t^\\top c)` (:math:`a_t = e_a - e_b` for a harm label, :math:`\\pm e_i` for a sign
    term). It attains a unique finite minimum iff no direction :math:`d \\ne 0` has :math:`a_t^\\top d \\ge 0`
    for every term (sum-zero :math:`d` without sign terms), and for these rows that holds iff the "beats"
    graph is strongly connected: Ford's condition (Ford 1957) with the sign terms as comparisons against an
    origin of cost 0. So the fit checks this first (O(P + n), scipy's strong components) and, when it fails,
    raises :class:`DisconnectedGraphError` or, with ``throw=False``, returns NaN scores and
    ``disconnected``. An example: a response that is always flagged safe and never the more harmful of its
    pairs (its cost runs to :math:`-\\infty`; before this check the gradient decayed like :math:`e^{c}` and
    the default 20 steps reported ``successful`` with a score near -21). With ``ridge > 0`` the minimum
    always exists and is unique, and under ``jax.jit``/``vmap`` (traced labels) the check cannot run.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> fit = fit_cost_model(np.array([[0, 1], [0, 1]]), np.array([True, False]),
    ...                      np.array([[True, False], [False, True]]), 2)   # balanced data: c = 0
    >>> float(np.abs(fit.scores).max()) < 1e-12, fit.result
    (True, <RESULTS.successful: 'successful'>)
    """
    require_x64("fit_cost_model")
    n = V.check_int("n_items", n_items, lo=2)
    V.check_size("n_items", n, cap=max_items, unit="responses")
    V.as_real_array("pairs", pairs)
    e_np = V.as_index_array("pairs", pairs, n=n, shape=(None, 2))
    e = jnp.asarray(e_np)
    h = _bool_array("harm_labels", harm_labels, (e_np.shape[0],))
    u = _bool_array("unsafe_flags", unsafe_flags, (e_np.shape[0], 2))
    rid = V.check_scalar("ridge", ridge, nonnegative=True)
    ns = V.check_int("newton_steps", newton_steps, lo=1, hi=10**4)
    tol = V.check_scalar("gtol", gtol, positive=True)
    if rid == 0 and not any(isinstance(x, jax.core.Tracer) for x in (h, u)):
        ncomp, lab = _beats_components(n, e_np, np.asarray(h), np.asarray(u), bool(sign_terms))
        if ncomp > 1:
            nan = jnp.full(n, jnp.nan, jnp.float64)
            raise_or_flag(RESULTS.disconnected, throw=throw,
                          error=lambda: _no_unique_mle(n, ncomp, lab, bool(sign_terms)))
            return CostModelFit(nan, jnp.float64(jnp.nan), RESULTS.disconnected)
    c, g = _fit_core(e, h, u, jnp.float64(rid), n, ns, bool(sign_terms))
    if isinstance(g, jax.core.Tracer):  # under jit/vmap the status cannot be decided on the host (as fit_dual_bt)
        return CostModelFit(c, g, None)
    g_val = float(g)
    if not (np.isfinite(g_val) and bool(jnp.all(jnp.isfinite(c)))):
        result = RESULTS.nonfinite
    elif g_val > tol:
        result = RESULTS.max_steps_reached
    else:
        result = RESULTS.successful
    raise_or_flag(result, throw=throw, error=lambda: ConvergenceError(
        f"fit_cost_model: gradient norm {g_val!r} after {ns} Newton steps (gtol {tol}; separable data has no "
        "finite MLE without sign terms or a ridge)", iterations=ns, residual=g_val, last_iterate=np.asarray(c),
        result=result))
    return CostModelFit(c, g, result)


def _beats_components(n: int, pairs: np.ndarray, harm: np.ndarray, unsafe: np.ndarray,
                      sign_terms: bool) -> tuple[int, np.ndarray]:
    """Strongly connected components of the cost model's "beats" graph (:func:`~aligntheory.numerics._bt_fit.arc_components`).

    Node ``n`` is the origin (cost 0) of the sign terms. Each term :math:`\\log\\sigma(c_a - c_b)` of the
    likelihood is an arc ``a -> b``: a harm label makes the more harmful response ``a``; an unsafe
    flag gives ``i -> origin``, a safe one ``origin -> i``. Returns ``(number of components, label of
    each node)``; without sign terms the origin is left out. O(P + n).
    """
    from aligntheory.numerics._bt_fit import arc_components

    i, j = pairs[:, 0].astype(np.int64), pairs[:, 1].astype(np.int64)
    src, dst = [np.where(harm, i, j)], [np.where(harm, j, i)]
    if sign_terms:
        flat, unsafe_flat = pairs.reshape(-1).astype(np.int64), unsafe.reshape(-1)
        src.append(np.where(unsafe_flat, flat, n))
        dst.append(np.where(unsafe_flat, n, flat))
    return arc_components(n + 1 if sign_terms else n, np.concatenate(src), np.concatenate(dst))


def _no_unique_mle(n: int, ncomp: int, lab: np.ndarray, sign_terms: bool) -> DisconnectedGraphError:
    from aligntheory.numerics._bt_fit import largest_components

    shown = largest_components(lab[:n], ncomp, mark=int(lab[n]) if sign_terms else -1, mark_text=" with the origin")
    where = ("the beats graph of the harm labels plus an origin node for the sign terms (unsafe: "
             "response -> origin, safe: origin -> response)" if sign_terms else "the beats graph of the harm labels")
    return DisconnectedGraphError(
        f"fit_cost_model: no unique finite MLE: {where} is not strongly connected ({ncomp} strongly connected "
        f"components; responses by component, largest first: {shown}). Some cost runs to +-inf or is not "
        "identified; pass ridge > 0 for a penalised estimate, or fit each component separately.",
        component_labels=lab[:n], directed=True)


@partial(jax.jit, static_argnums=(2, 3, 4))
def _fit_dual_bt_core(key, c, pad, sign_terms, newton_steps, n_used):
    pairs, harm, unsafe = _sim_prefs_core(key, c, pad)
    wt = (jnp.arange(pad) < n_used).astype(jnp.float64)
    est, gnorm = _fit_core(pairs, harm, unsafe, jnp.float64(0.0), c.shape[0], newton_steps, sign_terms, wt)
    return est, gnorm


@provenance("M", source=_SAFE, where="our B-T7 (consistency of the cost MLE)")
def fit_dual_bt(key: Any, cost: Any, n_pairs: Any, *, sign_terms: bool = True, newton_steps: int = 20,
                pad_to: int | None = None, max_entries: int = MAX_FIT_PAIRS) -> CostModelFit:
    """Simulate dual-preference data from true costs and fit the cost model (vmappable over keys) [M].

    Composition of :func:`simulate_dual_preferences` and :func:`fit_cost_model` (our B-T7: with
    sign terms the MLE is consistent, error :math:`\\propto N^{-1/2}`). Use
    ``jax.vmap(lambda k: fit_dual_bt(k, c, N))`` over a batch of keys for seeds. With ``pad_to``
    (static), ``pad_to`` pairs are simulated and only the first ``n_pairs`` (may be traced, so one
    compilation serves every N) enter the likelihood. Traced calls cannot raise: check
    ``residual`` (the final gradient norm).

    Parameters
    ----------
    key : PRNG key
    cost : float64 array, shape (n_items,)
    n_pairs : int or traced int
    sign_terms : bool, default True
        Include the unsafe-flag terms in the likelihood, as in :func:`fit_cost_model`.
    newton_steps : int, default 20
        Newton steps, 1 <= newton_steps <= 10**4.
    pad_to : int, optional
        Pairs simulated (static shape), >= 1.
    max_entries : int, default 100_000
        Cap (``MAX_FIT_PAIRS``) on the simulated pairs (``n_pairs``, or ``pad_to`` when given), checked before
        any allocation.

    Returns
    -------
    CostModelFit
        ``result`` is None (decide from ``residual``).

    Raises
    ------
    InvalidInputError
        Bad costs or sizes (host-side, before tracing).
    SizeCapError
        More simulated pairs than ``max_entries``.
    PrecisionError
        float32 input or x64 off.

    Notes
    -----
    :math:`O(newton\\_steps (P n + n^3))`.

    The existence check of :func:`fit_cost_model` (Ford's condition) needs the labels on the host, so it
    does not run here: with few pairs the simulated data can have no finite MLE, and then a small
    ``residual`` does not mean a finite fit (a cost running to :math:`-\\infty` has a gradient decaying
    like :math:`e^{c}`). Check ``scores`` too, or refit a draw with :func:`fit_cost_model`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> c = np.array([-1.0, 0.0, 1.0])
    >>> fit = fit_dual_bt(jax.random.PRNGKey(0), c, 20000)
    >>> bool(np.max(np.abs(np.asarray(fit.scores) - c)) < 0.1)
    True
    """
    c = _cost_vector("fit_dual_bt", cost)
    ns = V.check_int("newton_steps", newton_steps, lo=1, hi=10**4)
    if pad_to is None:
        n = V.check_int("n_pairs", n_pairs, lo=1)
        V.check_size("n_pairs", n, cap=max_entries, unit="pairs")
        return CostModelFit(*_fit_dual_bt_core(key, c, n, bool(sign_terms), ns, jnp.int64(n)))
    pad = V.check_int("pad_to", pad_to, lo=1)
    V.check_size("pad_to", pad, cap=max_entries, unit="pairs")
    if isinstance(n_pairs, (int, np.integer)) and not isinstance(n_pairs, bool) and not 1 <= n_pairs <= pad:
        raise InvalidInputError("n_pairs", f"must lie in [1, pad_to = {pad}]", received=n_pairs)
    return CostModelFit(*_fit_dual_bt_core(key, c, pad, bool(sign_terms), ns, jnp.asarray(n_pairs, jnp.int64)))
