"""Log-space mixtures, the rates gamma_i(l) and their derivatives (our Propositions E1-E4), for one triple
or a (k, l) grid (spec ``elasticity.md`` §4.2)."""

from __future__ import annotations

from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax
from jax.scipy.special import logsumexp, xlogy

from aligntheory import _validate as VA
from aligntheory.errors import InvalidInputError, PrecisionError
from aligntheory.kernels._common import require_x64
from aligntheory.kernels.elasticity._validation import MAX_LEAVES, log_distribution, real64, triple
from aligntheory.results import provenance
from aligntheory.theory.elasticity import ElasticityDerivatives

__all__ = [
    "mixture_logq",
    "Rates",
    "gamma",
    "gamma_grad",
    "stable_derivatives",
    "BatchedDerivatives",
    "stable_derivatives_batched",
]


@provenance("M", where="spec elasticity.md §4.1 (result object)")
class Rates(NamedTuple):
    """Compression rates :math:`(\\gamma_p, \\gamma_a, \\gamma_t)` in nats (JAX scalars)."""

    gamma_p: Any
    gamma_a: Any
    gamma_t: Any


@jax.jit
def _mixture_logq(log_dists, log_sizes):
    w = log_sizes - logsumexp(log_sizes)
    return logsumexp(log_dists + w[:, None], axis=0)


@provenance("M", where="Proposition E1 (aligntheory), spec elasticity.md §3")
def mixture_logq(log_dists: Any, log_sizes: Any, *, validate: bool = True) -> jax.Array:
    """Log of the E1 mixture :math:`\\log q = \\operatorname{logsumexp}_i(\\log P_i + \\log N_i - \\log N)` [M].

    Our Proposition E1, in log space (no underflow for tiny leaf masses, no overflow for huge sizes).

    Parameters
    ----------
    log_dists : float64 array, shape (m, M)
        Rows are log-probability vectors (``-inf`` for zero mass).
    log_sizes : float64 array, shape (m,)
        Finite logs of the dataset sizes.
    validate : bool, default True
        Check the rows and sizes on the host (pass False under ``jit``).

    Returns
    -------
    float64 array, shape (M,)

    Raises
    ------
    InvalidInputError
        Rows that are not log-probability vectors, non-finite ``log_sizes``, mismatched shapes,
        complex input.
    PrecisionError
        float32 input or x64 off.

    Notes
    -----
    :math:`O(mM)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> np.exp(np.asarray(mixture_logq(np.log([[0.5, 0.5], [1.0, 1e-300]]), np.log([1.0, 3.0])))).round(6).tolist()
    [0.875, 0.125]
    """
    require_x64("mixture_logq")
    ld = log_distribution("log_dists", log_dists, ndim=2, validate=validate)
    ls = real64("log_sizes", log_sizes, ndim=1)
    if validate and not np.all(np.isfinite(np.asarray(ls))):
        raise InvalidInputError("log_sizes", "non-finite input: every entry must be finite (no NaN or inf)")
    if ld.shape[0] != ls.shape[0]:
        raise InvalidInputError("log_sizes", f"must have one entry per row of log_dists {tuple(ld.shape)}",
                                received=f"shape {tuple(ls.shape)}")
    return _mixture_logq(ld, ls)


def _gamma_naive(l, Pp, Pa, Pt, k):
    c = k + 1.0 + l
    q = (k * Pp + Pa + l * Pt) / c
    return jnp.stack([-jnp.sum(xlogy(P, q)) for P in (Pp, Pa, Pt)])


@jax.jit
def _rates_jit(Pp, Pa, Pt, w):
    q = w[0] * Pp + w[1] * Pa + w[2] * Pt
    return jnp.stack([-jnp.sum(xlogy(P, q)) for P in (Pp, Pa, Pt)])


def _grad_core(Pp, Pa, Pt, k, l):
    return jnp.stack([jax.grad(lambda t, i=i: _gamma_naive(t, Pp, Pa, Pt, k)[i])(l) for i in range(3)])


_grad_jit = jax.jit(_grad_core)


def _stable_core(Pp, Pa, Pt, k, l):
    c = k + 1.0 + l
    m = Pt > 0
    u = jnp.where(m, k * Pp + Pa + l * Pt, 1.0)
    w = jnp.where(m, Pt / u, 0.0)
    dp = jnp.sum(w * (Pa + l * Pt - (1.0 + l) * Pp)) / c
    da = jnp.sum(w * (k * Pp + l * Pt - (k + l) * Pa)) / c
    dt = jnp.sum(w * (k * Pp + Pa - (k + 1.0) * Pt)) / c
    return jnp.stack([dp, da, dt])


_stable_jit = jax.jit(_stable_core)


def _kl(k: Any, l: Any) -> tuple[Any, Any]:
    return (jnp.float64(VA.check_scalar("k", k, positive=True)),
            jnp.float64(VA.check_scalar("l", l, nonnegative=True)))


_Q_MIN = 4.0 * np.finfo(np.float64).tiny
"""Smallest mixture mass :func:`gamma` accepts on a support (q_l is a sum of three products, each flushed to zero
by XLA on CPU when subnormal)."""


def _support(Pp, Pa, Pt, k, l) -> None:
    # q_l = 0 where P_t > 0 makes every derivative undefined (the theory twin's "support" error)
    u = k * np.asarray(Pp) + np.asarray(Pa) + l * np.asarray(Pt)
    bad = np.flatnonzero((np.asarray(Pt) > 0) & (u <= 0))
    if bad.size:
        raise InvalidInputError("P_t", f"support: q_l = 0 where P_t > 0 (derivative undefined) (first offending leaf "
                                f"index {int(bad[0])})", received=int(bad[0]))


@provenance("M", where="spec elasticity.md §2.2 item 6 (ideal code lengths)")
def gamma(P_p: Any, P_a: Any, P_t: Any, k: Any, l: Any, *, validate: bool = True) -> Rates:
    """Rates :math:`(\\gamma_p, \\gamma_a, \\gamma_t)(l) = -\\sum_x P_i\\log q_l` as written (nats) [M].

    Spec §4.2; :math:`q_l = (kP_p + P_a + lP_t)/c`, :math:`c = k+1+l`. Differentiate with
    :func:`gamma_grad`. The mixture weights :math:`(k, 1, l)/c` are formed on the host, so any finite
    :math:`k, l` is safe. Where :math:`q_l = 0` on the support of :math:`P_i` the rate is infinite: with
    ``validate`` that raises the "support" error of the theory twin.

    Parameters
    ----------
    P_p, P_a, P_t : float64 arrays, shape (M,)
        Probability vectors (checked when ``validate``).
    k : float
        > 0.
    l : float
        >= 0.
    validate : bool, default True
        Host-side value checks (pass False under ``jit``). With ``False``, NaN or inf in the
        probability vectors is still refused whenever they are concrete; under tracing nothing is
        checked (the jittable path; ``k`` and ``l`` may then be traced too).

    Returns
    -------
    Rates

    Raises
    ------
    InvalidInputError
        Not probability vectors, mismatched shapes, complex input, invalid k or l, or
        :math:`q_l = 0` where :math:`P_i > 0` ("support").
    PrecisionError
        float32 input or x64 off; with ``validate``, :math:`0 < q_l < 4\\cdot 2^{-1022}` where :math:`P_i > 0`
        (a subnormal mixture mass, which XLA on CPU flushes to zero: the rate would come back infinite).

    Notes
    -----
    :math:`O(M)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> [round(float(g), 6) for g in gamma([0.5, 0.5], [1.0, 0.0], [0.0, 1.0], 1.0, 0.0)]
    [0.836988, 0.287682, 1.386294]
    """
    Pp, Pa, Pt = triple(P_p, P_a, P_t, "gamma", validate=validate)
    if isinstance(k, jax.core.Tracer) or isinstance(l, jax.core.Tracer):
        # traced k or l (vmap/grad over them): the unchecked path, weights formed in the graph the same way
        if validate:
            raise InvalidInputError("validate", "value checks of k and l need concrete values; pass validate=False "
                                    "inside jax.jit / vmap / grad", received=True)
        kt, lt = jnp.asarray(k, jnp.float64), jnp.asarray(l, jnp.float64)
        top = jnp.maximum(jnp.maximum(kt, 1.0), lt)
        wt = jnp.stack([kt / top, 1.0 / top, lt / top])
        return Rates(*_rates_jit(Pp, Pa, Pt, wt / jnp.sum(wt)))
    # mixture weights (k, 1, l)/c formed on the host (Python floats, also under jit over the P's), scaled by
    # their largest entry: no overflow of c and no subnormal 1/c (which XLA on CPU flushes to zero)
    kf = float(VA.check_scalar("k", k, positive=True))
    lf = float(VA.check_scalar("l", l, nonnegative=True))
    top = max(kf, 1.0, lf)
    w = np.array([kf / top, 1.0 / top, lf / top])
    w = w / np.sum(w)
    if validate:
        q = w[0] * np.asarray(Pp) + w[1] * np.asarray(Pa) + w[2] * np.asarray(Pt)
        for name, P in (("P_p", Pp), ("P_a", Pa), ("P_t", Pt)):
            bad = np.flatnonzero((np.asarray(P) > 0) & (q <= 0))
            if bad.size:
                raise InvalidInputError(name, f"support: q_l = 0 where {name} > 0 (infinite cross-entropy) (first "
                                        f"offending leaf index {int(bad[0])})", received=int(bad[0]))
        # q_l > 0 but below 4 x the smallest normal double: XLA on CPU flushes subnormal products to zero, so the
        # kernel would see q_l = 0 and return an infinite rate where the true rate is finite
        for name, P in (("P_p", Pp), ("P_a", Pa), ("P_t", Pt)):
            sub = np.flatnonzero((np.asarray(P) > 0) & (q < _Q_MIN))
            if sub.size:
                raise PrecisionError(f"gamma: q_l = {float(q[sub[0]])!r} where {name} > 0 (leaf {int(sub[0])}) is below "
                                     f"{float(_Q_MIN)!r}; XLA flushes subnormal numbers to zero, so the rate would be "
                                     "returned infinite (k or l this extreme are outside float64 arithmetic here)")
    return Rates(*_rates_jit(Pp, Pa, Pt, jnp.asarray(w)))


@provenance("M", where="Proposition E2 (aligntheory), spec elasticity.md §3")
def gamma_grad(P_p: Any, P_a: Any, P_t: Any, k: Any, l: Any, *, validate: bool = True) -> ElasticityDerivatives:
    """``jax.grad`` of the naive rates :math:`\\gamma_i(l)`: :math:`(\\gamma_p', \\gamma_a', \\gamma_t')` [M].

    Agrees with our Proposition E2 to relative :math:`\\approx k\\varepsilon_{\\rm mach}` (the naive form
    cancels; spec §3 E2). Prefer :func:`stable_derivatives` for accuracy.

    Parameters
    ----------
    P_p, P_a, P_t : float64 arrays, shape (M,)
    k : float
        > 0.
    l : float
        >= 0.
    validate : bool, default True
        Host-side value checks, including :math:`q_l > 0` on supp :math:`P_t`.

    Returns
    -------
    ElasticityDerivatives
        NamedTuple ``(d_p, d_a, d_t)`` of JAX scalars.

    Raises
    ------
    InvalidInputError
        As :func:`gamma`, and :math:`q_l = 0` where :math:`P_t > 0` ("support").
    PrecisionError
        float32 input or x64 off.

    Notes
    -----
    :math:`O(M)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> [round(float(g), 12) for g in gamma_grad([0.5, 0.5], [1.0, 0.0], [0.0, 1.0], 1.0, 0.0)]
    [-0.5, 0.5, -1.5]
    """
    return _derivatives_via(_grad_jit, P_p, P_a, P_t, k, l, validate, "gamma_grad")


@provenance("M", where="Proposition E2 (aligntheory), spec elasticity.md §3")
def stable_derivatives(P_p: Any, P_a: Any, P_t: Any, k: Any, l: Any, *, validate: bool = True) -> ElasticityDerivatives:
    """Stable closed forms of our Proposition E2 in JAX: :math:`(\\gamma_p', \\gamma_a', \\gamma_t')` [M].

    .. math:: \\gamma_p' = c^{-2}\\sum_x P_t\\,(P_a+lP_t-(1+l)P_p)/q_l \\;\\text{(and likewise, spec §3 E2)}

    Numpy twin: :func:`aligntheory.theory.elasticity.elasticity_derivatives` (same quantity).

    Parameters
    ----------
    P_p, P_a, P_t : float64 arrays, shape (M,)
    k : float
        > 0.
    l : float
        >= 0.
    validate : bool, default True
        Host-side value checks, including :math:`q_l > 0` on supp :math:`P_t`.

    Returns
    -------
    ElasticityDerivatives
        NamedTuple ``(d_p, d_a, d_t)`` of JAX scalars.

    Raises
    ------
    InvalidInputError
        As :func:`gamma_grad`.
    PrecisionError
        float32 input or x64 off.

    Notes
    -----
    :math:`O(M)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> [round(float(g), 12) for g in stable_derivatives([0.5, 0.5], [1.0, 0.0], [0.0, 1.0], 1.0, 0.0)]
    [-0.5, 0.5, -1.5]
    """
    return _derivatives_via(_stable_jit, P_p, P_a, P_t, k, l, validate, "stable_derivatives")


@provenance("M", where="spec elasticity.md §4.1 (result object)")
class BatchedDerivatives(NamedTuple):
    """Derivatives, ratio and E3 residual on a (k, l) grid; each of shape (K, L)."""

    d_p: jax.Array
    d_a: jax.Array
    d_t: jax.Array
    ratio: jax.Array
    residual: jax.Array


def _stable_masked(pp, pa, pt, k, l):
    # inputs restricted to supp P_t (done outside jit): no masking needed
    c = k + 1.0 + l
    w = pt / (k * pp + pa + l * pt)
    return jnp.stack([jnp.dot(w, pa + l * pt - (1.0 + l) * pp), jnp.dot(w, k * pp + l * pt - (k + l) * pa),
                      jnp.dot(w, k * pp + pa - (k + 1.0) * pt)]) / c


@partial(jax.jit, static_argnames=("batch_size",))
def _batched_core(pp, pa, pt, ks, ls, batch_size):
    def row(k):  # one k: the l values in vmapped chunks of batch_size
        return lax.map(lambda l: _stable_masked(pp, pa, pt, k, l), ls, batch_size=batch_size)

    d = lax.map(row, ks)  # (K, L, 3)
    dp, da, dt = d[..., 0], d[..., 1], d[..., 2]
    return BatchedDerivatives(dp, da, dt, -da / dp, ks[:, None] * dp + da + ls[None, :] * dt)


@provenance("M", where="Propositions E2-E4 (aligntheory), spec elasticity.md §3")
def stable_derivatives_batched(P_p: Any, P_a: Any, P_t: Any, ks: Any, ls: Any, *, batch_size: int | None = None,
                               max_points: int = MAX_LEAVES, validate: bool = True) -> BatchedDerivatives:
    """:func:`stable_derivatives` over a (k, l) grid, with the ratio :math:`R=-\\gamma_a'/\\gamma_p'` and
    the E3 residual [M].

    Our Propositions E2-E4. The grid is mapped in batches (``lax.map`` over vmapped chunks of
    ``batch_size`` points, default so that a chunk holds about :math:`2^{22}` leaf values; ``lax.map``
    over k), so memory is :math:`O(\\text{batch}\\cdot M)`. Leaves outside supp :math:`P_t` contribute
    nothing and are dropped first. Where :math:`\\gamma_p' = 0` the ratio is ``±inf``/``nan`` (the
    theory function :func:`~aligntheory.theory.elasticity.elasticity_ratio` raises instead).

    Parameters
    ----------
    P_p, P_a, P_t : float64 arrays, shape (M,)
    ks : float64 array, shape (K,), entries > 0
    ls : float64 array, shape (L,), entries >= 0
    batch_size : int, optional
    max_points : int, default 100_000_000
        Cap on :math:`K L M` (the work, ``MAX_LEAVES``), checked before compiling.
    validate : bool, default True
        Host-side value checks (the support restriction needs concrete arrays in any case).

    Returns
    -------
    BatchedDerivatives
        Fields of shape (K, L).

    Raises
    ------
    InvalidInputError
        Invalid distributions, non-positive k or negative l, support violation, complex input.
    SizeCapError
        :math:`K L M` above ``max_points``.
    PrecisionError
        float32 input or x64 off; with ``validate``, :math:`c\\,q_l` below :math:`4\\cdot 2^{-1022}` on
        supp :math:`P_t` at the smallest k and l (the derivatives would leave the float64 range).

    Notes
    -----
    :math:`O(KLM)` work.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> r = stable_derivatives_batched([0.5, 0.5], [1.0, 0.0], [0.0, 1.0], np.array([1.0, 10.0]), np.array([0.0]))
    >>> np.asarray(r.ratio).ravel().round(10).tolist()
    [1.0, 10.0]
    """
    Pp, Pa, Pt = triple(P_p, P_a, P_t, "stable_derivatives_batched", validate=validate)
    K_ = real64("ks", VA.as_float_array("ks", ks, ndim=1, positive=True), ndim=1)
    L_ = real64("ls", VA.as_float_array("ls", ls, ndim=1, nonnegative=True), ndim=1)
    VA.check_size("ks", int(K_.shape[0]) * int(L_.shape[0]) * int(Pp.shape[0]), cap=max_points, unit="grid-leaf points")
    if any(isinstance(x, jax.core.Tracer) for x in (Pp, Pa, Pt, K_, L_)):
        # under jit/vmap: no restriction to supp P_t (a data-dependent shape); the core masks P_t = 0 itself
        return _batched_core(Pp, Pa, Pt, K_, L_, batch_size=VA.check_int(
            "batch_size", batch_size if batch_size is not None else int(L_.shape[0]), lo=1))
    m = np.asarray(Pt) > 0  # restrict to supp P_t once (a data-dependent shape, so outside jit)
    pp, pa, pt = Pp[m], Pa[m], Pt[m]
    if validate and np.any(np.asarray(pp) * float(np.min(np.asarray(K_))) + np.asarray(pa) <= 0):
        idx = int(np.flatnonzero(m)[np.flatnonzero(np.asarray(pp) * float(np.min(np.asarray(K_))) + np.asarray(pa)
                                                   <= 0)[0]])
        if float(np.min(np.asarray(L_))) == 0.0:
            raise InvalidInputError("P_t", f"support: q_l = 0 where P_t > 0 at l = 0 (first offending leaf index {idx})",
                                    received=idx)
    if validate and K_.shape[0] and L_.shape[0]:  # c q_l is smallest at the smallest k and l: subnormal there,
        # P_t / (c q_l) overflows (and XLA on CPU flushes subnormals to zero): refuse instead of infinite derivatives
        u_min = (np.asarray(pp) * float(np.min(np.asarray(K_))) + np.asarray(pa)
                 + float(np.min(np.asarray(L_))) * np.asarray(pt))
        sub = np.flatnonzero((u_min > 0) & (u_min < _Q_MIN))
        if sub.size:
            raise PrecisionError(f"stable_derivatives_batched: c q_l = {float(u_min[sub[0]])!r} on supp P_t (leaf "
                                 f"{int(np.flatnonzero(m)[sub[0]])}) at the smallest k and l is below "
                                 f"{float(_Q_MIN)!r}: the derivatives leave the float64 range")
    if batch_size is None:
        batch_size = max(1, min(L_.shape[0], (1 << 22) // max(1, int(m.sum()))))
    return _batched_core(pp, pa, pt, K_, L_, batch_size=VA.check_int("batch_size", batch_size, lo=1))



def _derivatives_via(jitted, P_p, P_a, P_t, k, l, validate: bool, name: str) -> ElasticityDerivatives:
    """The one host boundary of the two derivative routes (autodiff and closed form): validate the
    distributions and (k, l), check q_l > 0 on supp P_t, run the jitted route, and raise
    PrecisionError instead of returning a non-finite derivative (k or l near the top of float64)."""
    Pp, Pa, Pt = triple(P_p, P_a, P_t, name, validate=validate)
    kk, ll = _kl(k, l)
    if validate:
        _support(Pp, Pa, Pt, float(kk), float(ll))
    d = ElasticityDerivatives(*jitted(Pp, Pa, Pt, kk, ll))
    if validate and not any(isinstance(x, jax.core.Tracer) for x in d):
        if not all(np.isfinite(np.asarray(x)) for x in d):
            raise PrecisionError(f"{name}: a derivative leaves the float64 range (k and l this large are not "
                                 f"representable in the intermediate terms); got {tuple(float(x) for x in d)}")
    return d
