"""The threshold benchmark of representative social choice (spec ``social_choice.md`` §4.2-4.3), batched in JAX.

Issues ``q`` uniform on [0, 1], individuals with thresholds ``theta``: preference ``y = 1{q >= theta}``;
the welfare of a threshold policy on a grid and the uniform deviation over the continuum of
thresholds. Public through :mod:`aligntheory.kernels.social_choice`.
"""

from __future__ import annotations

from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError
from aligntheory.kernels._common import check_precision_all, f64, ints, require_x64
from aligntheory.kernels.social_choice._voting import MAX_ELEMENTS, _arr, _traced
from aligntheory.results import provenance

__all__ = ["ThresholdSample", "sample_threshold_pairs", "threshold_grid_welfare", "threshold_continuum_deviation"]


@partial(jax.jit, static_argnums=(1, 2))
def _sample_threshold(key, n, b):
    kq, kt = jax.random.split(key)
    q = jax.random.uniform(kq, (b, n), dtype=jnp.float64)
    theta = jax.random.uniform(kt, (b, n), dtype=jnp.float64)
    return q, (q >= theta).astype(jnp.int64)


@provenance("M", where="threshold benchmark (spec §4.2)")
class ThresholdSample(NamedTuple):
    """A batch of threshold-benchmark samples: ``q`` float64 (B, N) issues, ``y`` int64 (B, N) preferences.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> sample_threshold_pairs(jax.random.PRNGKey(0), 3, 1).q.shape
    (1, 3)
    """

    q: jax.Array
    y: jax.Array


@provenance("M", where="threshold benchmark (spec §4.2)")
def sample_threshold_pairs(key: Any, n_samples: int, batch_size: int, *,
                           max_elements: int = MAX_ELEMENTS) -> ThresholdSample:
    """Threshold benchmark sampler: :math:`q, \\theta \\sim U[0,1]`, :math:`y = \\mathbf 1[q \\ge \\theta]` [M] (§4.2).

    Parameters
    ----------
    key : PRNG key
    n_samples, batch_size : int
        :math:`N` and :math:`B` (static).
    max_elements : int, default 100_000_000
        Cap (``MAX_ELEMENTS``) on :math:`BN`, an integer >= 1, checked before any work (``10**12`` draws are
        refused, not attempted; :math:`BN` equal to the cap is accepted).

    Returns
    -------
    ThresholdSample

    Raises
    ------
    InvalidInputError
        ``n_samples``, ``batch_size`` or ``max_elements`` not an integer >= 1.
    SizeCapError
        :math:`BN` above ``max_elements`` (argument ``n_samples``).
    PrecisionError
        x64 off.

    Notes
    -----
    :math:`O(BN)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> q, y = sample_threshold_pairs(jax.random.PRNGKey(0), 5, 2)
    >>> q.shape, y.dtype.name
    ((2, 5), 'int64')
    """
    require_x64("sample_threshold_pairs")
    n = V.check_int("n_samples", n_samples, lo=1)
    b = V.check_int("batch_size", batch_size, lo=1)
    V.check_size("n_samples", n * b, cap=V.check_int("max_elements", max_elements, lo=1), unit="draws")
    return ThresholdSample(*_sample_threshold(key, n, b))


def _grid_one(q, y, grid):
    g = grid.shape[0]
    c = jnp.searchsorted(grid, q, side="right")  # number of grid points <= q, in [0, g]
    y0 = jax.ops.segment_sum((1 - y).astype(jnp.float64), c, g + 1)
    y1 = jax.ops.segment_sum(y.astype(jnp.float64), c, g + 1)
    # for t_j: predicted 1 iff q >= t_j iff j < c(q)
    zero_left = jnp.cumsum(y0)[:g]  # #{c(q) <= j, y = 0}
    one_right = jnp.sum(y1) - jnp.cumsum(y1)[:g]  # #{c(q) > j, y = 1}
    return zero_left + one_right  # the counts of agreeing pairs, exact integers


@jax.jit
def _grid_batched(q, y, grid):
    counts = jax.vmap(_grid_one, in_axes=(0, 0, None))(q, y, grid)
    # a true IEEE division (count / N correctly rounded, as the theory's mean): XLA turns a division by a constant
    # or a broadcast value into "* (1/N)", up to one ulp off, so the divisor is a full (B, G) array behind an
    # optimization barrier (outside the vmap: a barrier inside it would be broadcast after the barrier)
    return counts / lax.optimization_barrier(jnp.full(counts.shape, q.shape[1], jnp.float64))


@provenance("M", where="threshold benchmark (spec §4.2)")
def threshold_grid_welfare(q: Any, y: Any, grid: Any, *, validate: bool = True) -> jax.Array:
    """:math:`\\hat W_S(t_j)` for thresholds on a sorted grid, by cumulative counts per grid cell [M] (§4.2).

    :math:`O(B(N\\log G + G))` instead of :math:`O(BNG)`. Each value is the exact agreement count divided by
    :math:`N` with one correct rounding, bitwise equal to
    :func:`aligntheory.theory.social_choice.threshold_empirical_welfare`.

    Parameters
    ----------
    q : float64 array, shape (B, N)
    y : int array, shape (B, N)
    grid : float64 array, shape (G,), non-decreasing
    validate : bool, default True
        Host-side value checks (skipped under tracing): ``q`` and ``grid`` finite,
        ``grid`` non-decreasing, ``y`` in {0, 1}. With ``validate=False`` they are skipped and the
        output for such input is unspecified.

    Returns
    -------
    float64 array, shape (B, G).

    Raises
    ------
    InvalidInputError
        ``y`` not of the shape of ``q``; no samples (``N = 0``); with ``validate`` (default): non-finite
        ``q`` or ``grid``, a decreasing step in ``grid``, an entry of ``y`` outside {0, 1}.
    PrecisionError
        float32 input or x64 off.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> w = threshold_grid_welfare(np.array([[0.2, 0.7]]), np.array([[0, 1]]), np.array([0.0, 0.5, 1.0]))
    >>> np.asarray(w).tolist()
    [[0.5, 1.0, 0.5]]
    """
    q, y, grid = _arr("q", q), _arr("y", y), _arr("grid", grid)
    check_precision_all("threshold_grid_welfare", q=q, grid=grid)
    qq = f64("q", q, ndim=2)
    yy = ints("y", y)
    gg = f64("grid", grid, ndim=1)
    if yy.shape != qq.shape:
        raise InvalidInputError("y", f"must have the shape of q {tuple(qq.shape)}", received=f"shape {tuple(yy.shape)}")
    if qq.shape[1] == 0:
        raise InvalidInputError("q", "needs at least one sample per batch row (N >= 1): the welfare is a mean over it",
                                received=f"shape {tuple(qq.shape)}")
    if validate and not _traced(qq, yy, gg):
        if not (bool(jnp.all(jnp.isfinite(qq))) and bool(jnp.all(jnp.isfinite(gg)))):
            raise InvalidInputError("q, grid", "non-finite input: entries must be finite")
        if gg.shape[0] > 1 and bool(jnp.any(jnp.diff(gg) < 0)):
            raise InvalidInputError("grid", "must be sorted (non-decreasing)")
        if yy.size and (int(jnp.min(yy)) < 0 or int(jnp.max(yy)) > 1):
            raise InvalidInputError("y", "preferences must be 0 or 1")
    return _grid_batched(qq, yy, gg)


def _W(t):
    return 1.0 - (t**2 + (1.0 - t) ** 2) / 2.0


def _cont_one(q, y):
    n = q.shape[0]
    order = jnp.argsort(q)
    qs = q[order]
    ys = y[order].astype(jnp.float64)
    # interval i in 0..N: (q_(i), q_(i+1)] with q_(0) = 0, q_(N+1) = 1
    lo = jnp.concatenate([jnp.zeros(1), qs])
    hi = jnp.concatenate([qs, jnp.ones(1)])
    zeros_upto = jnp.concatenate([jnp.zeros(1), jnp.cumsum(1.0 - ys)])  # #{l <= i : y = 0}
    ones_after = jnp.sum(ys) - jnp.concatenate([jnp.zeros(1), jnp.cumsum(ys)])  # #{l > i : y = 1}
    what = (zeros_upto + ones_after) / n
    # a cell (q_(i), q_(i+1)] between tied issues (or (1, 1]) is empty: W_S never takes its value. Cell 0 is
    # [0, q_(1)], never empty (it holds t = 0)
    live = jnp.concatenate([jnp.ones(1, bool), lo[1:] < hi[1:]])
    up = jnp.where(live, what - jnp.minimum(_W(lo), _W(hi)), -jnp.inf)
    down = jnp.where(live, _W(jnp.clip(0.5, lo, hi)) - what, -jnp.inf)
    return jnp.maximum(jnp.max(up), jnp.max(down))


_cont_batched = jax.jit(jax.vmap(_cont_one))


@provenance("M", where="threshold benchmark (spec §4.3 G3)")
def threshold_continuum_deviation(q: Any, y: Any, *, validate: bool = True) -> jax.Array:
    """Exact :math:`\\sup_{t\\in[0,1]}|\\hat W_S(t) - W(t)|` for the continuum threshold class [M] (§4.3 G3).

    :math:`\\hat W_S` is constant on :math:`(q_{(i)}, q_{(i+1)}]` with value
    :math:`\\hat W_i=\\frac1N[\\#\\{l\\le i:y_{(l)}=0\\}+\\#\\{l>i:y_{(l)}=1\\}]`; :math:`W` is concave with
    maximum at 1/2, so the sup on each interval is attained at an endpoint (for
    :math:`\\hat W - W`) or at the clipped point 1/2 (for :math:`W-\\hat W`). Cells between
    tied issues are empty and skipped (:math:`\\hat W_S` never takes their value). :math:`O(BN\\log N)`.

    Parameters
    ----------
    q : float64 array, shape (B, N)
        Issues, each in the closed interval [0, 1] (0 and 1 accepted).
    y : int array, shape (B, N)
        Preferences, each 0 or 1.
    validate : bool, default True
        Check the values of ``q`` and ``y`` on the host (skipped under ``jit``).

    Returns
    -------
    float64 array, shape (B,)

    Raises
    ------
    InvalidInputError
        ``q`` non-finite or outside [0, 1]; ``y`` not 0/1 or not of the shape of ``q``; no samples (``N = 0``).
    PrecisionError
        float32 input or x64 off.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> np.asarray(threshold_continuum_deviation(np.array([[0.5]]), np.array([[1]]))).tolist()  # t -> 0.5+
    [0.75]
    """
    q, y = _arr("q", q), _arr("y", y)
    check_precision_all("threshold_continuum_deviation", q=q)
    qq = f64("q", q, ndim=2)
    yy = ints("y", y)
    if yy.shape != qq.shape:
        raise InvalidInputError("y", f"must have the shape of q {tuple(qq.shape)}", received=f"shape {tuple(yy.shape)}")
    if qq.shape[1] == 0:
        raise InvalidInputError("q", "needs at least one sample per batch row (N >= 1): the welfare is a mean over it",
                                received=f"shape {tuple(qq.shape)}")
    if validate and not _traced(qq, yy):
        qn = np.asarray(qq)
        if not np.all(np.isfinite(qn)) or (qn.size and (qn.min() < 0 or qn.max() > 1)):
            raise InvalidInputError("q", "issues must be finite and lie in [0, 1]")
        if yy.size and (int(jnp.min(yy)) < 0 or int(jnp.max(yy)) > 1):
            raise InvalidInputError("y", "preferences must be 0 or 1")
    return _cont_batched(qq, yy)
