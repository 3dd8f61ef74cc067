"""JAX kernels for progress-alignment dynamics (spec ``progress_and_safety.md`` Part A, A.3).

Simulations of the linear human--AI coevolution model (our A-T5), of extrapolated preference votes
(A-T2, A-T4), Monte-Carlo MSE of noisy extrapolation (A-T4), batched extrapolation and the
coevolve score. Randomised kernels take a PRNG key first; everything is float64 (float32 input or
``jax_enable_x64`` off raises :class:`~aligntheory.errors.PrecisionError`). Exact weights come
from :mod:`aligntheory.theory.progress`.

Validation boundary: each public function checks its inputs on the host (finite, real,
rectangular, in range; sizes against a keyword cap before any allocation) and, with
``validate=True`` (default), checks its outputs: a non-finite trajectory raises
:class:`~aligntheory.errors.UnstableParametersError` (unstable dynamics) or
:class:`~aligntheory.errors.PrecisionError` (overflow of stable dynamics) instead of returning NaN.
The jitted cores (``_coevolve_jit`` ...) are the unchecked path, usable inside ``jit``/``vmap``.
"""

from __future__ import annotations

from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError, PrecisionError, UnstableParametersError
from aligntheory.kernels._common import check_precision_all, f64, holds
from aligntheory.results import provenance
from aligntheory.theory import progress as T

__all__ = [
    "MAX_ENTRIES",
    "CoevolutionPath",
    "simulate_coevolution",
    "simulate_coevolution_batched",
    "VoteSimulation",
    "simulate_vote_extrapolation",
    "MCEstimate",
    "mc_extrapolation_mse",
    "extrapolate_batched",
    "coevolve_score",
]

_PG = "qiu2024progressgym"

MAX_ENTRIES = 10**8
"""Default cap on the number of float64 entries a kernel allocates (keyword ``max_entries``)."""


def _real(name: str, x: Any, *, ndim: int | None = None) -> jax.Array:
    """Host-side boundary: real, rectangular, float64 (ragged, complex, object, bool refused)."""
    V.check_float64(name, x)
    if isinstance(x, jax.Array):
        if not (jnp.issubdtype(x.dtype, jnp.floating) or jnp.issubdtype(x.dtype, jnp.integer)):
            raise InvalidInputError(name, "must be a real numeric array", received=f"dtype {x.dtype}")
        return f64(name, x, ndim=ndim)
    return f64(name, V.as_real_array(name, x), ndim=ndim)


def _finite(name: str, x: jax.Array) -> jax.Array:
    """NaN/inf refused on concrete arrays (host side); under jit/vmap tracing the path is unchecked."""
    if isinstance(x, jax.core.Tracer):
        return x
    if not bool(jnp.all(jnp.isfinite(x))):
        raise InvalidInputError(name, "non-finite input: every entry must be finite (no NaN or inf)")
    return x


def _spectral_radius(alpha: float, kappa: float, m: float) -> tuple[float, tuple[str, ...]]:
    """Spectral radius of the coevolution recurrence (any real m) and the Jury conditions that fail."""
    if float(m).is_integer() and m <= 10**6:
        rep = T.coevolution_stability(alpha, kappa, int(m))
        return rep.spectral_radius, rep.failed_conditions
    with np.errstate(all="ignore"):
        poly = np.array([1.0, -(1.0 - alpha - kappa), -kappa * (1 + m), kappa * m])
        if not np.all(np.isfinite(poly)):  # a coefficient past float64: the roots are not computable
            return float("inf"), ("coefficients of the characteristic polynomial finite in float64",)
        rho = float(np.max(np.abs(np.roots(poly))))
    return rho, ("spectral radius < 1",) if not rho < 1 else ()


def _check_trajectory(h: jax.Array, alpha: float, kappa: float, m: float, where: str) -> None:
    if bool(jnp.all(jnp.isfinite(h))):
        return
    rho, failed = _spectral_radius(alpha, kappa, m)
    if not rho < 1 or failed:
        raise UnstableParametersError(
            rho, failed, message=f"{where}: the trajectory overflowed (non-finite); the dynamics are unstable: "
            f"spectral radius {rho:.6g}" + (f", failed: {', '.join(failed)}" if failed else ""))
    raise PrecisionError(f"{where}: the trajectory overflowed float64 although the dynamics are stable "
                         "(rescale progress, h_init and noise_sd)")


# ----------------------------------------------------------------------------------------------
# coevolution (A-T5)


def _coevolve_core(key, alpha, kappa, m, progress, noise_sd, h_init, h_prev=None, noisy=True):
    h_prev = h_init if h_prev is None else h_prev

    def step(carry, inp):
        h, h1, h2 = carry  # h_t, h_{t-1}, h_{t-2}
        p_t, eps = inp
        a = h1 + m * (h1 - h2)
        h_next = (1.0 - alpha - kappa) * h + alpha * p_t + kappa * a + eps
        return (h_next, h, h1), (h, a)

    if noisy:
        noise = noise_sd * jax.random.normal(key, progress.shape, dtype=jnp.float64)
    else:  # noise_sd == 0: skip drawing T*d normals
        noise = jnp.zeros_like(progress)
    _, (hs, as_) = lax.scan(step, (h_init, h_prev, h_prev), (progress, noise))
    return hs, as_


_coevolve_jit = jax.jit(_coevolve_core, static_argnames=("noisy",))


@provenance("M", source=_PG, where="coevolve challenge, linearised; our A-T5")
class CoevolutionPath(NamedTuple):
    """Result of :func:`simulate_coevolution`: human states ``human`` and AI outputs ``ai``, shape (T, d)."""

    human: jax.Array
    ai: jax.Array


@provenance("M", source=_PG, where="coevolve challenge, linearised; our A-T5")
def simulate_coevolution(key: Any, alpha: float, kappa: float, steps_ahead: float, progress: Any, noise_sd: float,
                         T: int | None = None, *, h_init: Any = None, h_prev: Any = None,
                         validate: bool = True) -> CoevolutionPath:
    """Simulate :math:`h_{t+1}=(1-\\alpha-\\kappa)h_t+\\alpha p_t+\\kappa a_t+\\varepsilon_t` [M].

    The AI extrapolates ``m = steps_ahead`` steps from its last observation,
    :math:`a_t = h_{t-1}+m(h_{t-1}-h_{t-2})` (``m = 0`` copies with one step of lag), and
    :math:`\\varepsilon_t\\sim N(0,\\sigma^2 I)` (our A-T5; ProgressGym's coevolve challenge,
    arXiv 2406.20087, linearised). The history is :math:`h_0` = ``h_init`` and
    :math:`h_{-1}=h_{-2}` = ``h_prev`` (default ``h_init``).

    Parameters
    ----------
    key : PRNG key
    alpha, kappa, steps_ahead, noise_sd : float
        Finite; ``steps_ahead`` and ``noise_sd`` >= 0.
    progress : float64 array, shape (T, d)
        Exogenous progress signal :math:`p_t`.
    T : int, optional
        Must equal ``progress.shape[0]`` when given.
    h_init : float64 array, shape (d,), optional
        Initial human state (default ``progress[0]``).
    h_prev : float64 array, shape (d,), optional
        :math:`h_{-1}` (default ``h_init``); with :math:`\\alpha=0` the limit is
        :math:`(h_0+\\kappa h_{-1})/(1+\\kappa)` (lock-in, A-T5(ii)).
    validate : bool, default True
        Check the trajectory on the host: a non-finite one raises. ``False`` returns it
        as computed (the jitted path).

    Returns
    -------
    CoevolutionPath
        ``human`` :math:`h_t` and ``ai`` :math:`a_t` for :math:`t=0..T-1`, float64 arrays (T, d).

    Raises
    ------
    InvalidInputError
        Non-finite, complex or ragged inputs; shape mismatches; negative noise or horizon.
    UnstableParametersError
        (``validate``) the trajectory overflowed and the dynamics are unstable (carries the
        spectral radius and the failed Jury conditions).
    PrecisionError
        float32 input or x64 off; (``validate``) overflow of stable dynamics.

    Notes
    -----
    :math:`O(Td)`, sequential in :math:`T` (``lax.scan``).

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> p = np.tile(np.array([[1.0]]), (400, 1))
    >>> path = simulate_coevolution(jax.random.PRNGKey(0), 0.2, 0.3, 0, p, 0.0, h_init=np.array([0.0]))
    >>> round(float(path.human[-1, 0]), 10)  # converges to the constant progress value
    1.0
    """
    check_precision_all("simulate_coevolution", progress=progress, h_init=h_init, h_prev=h_prev)
    p = _finite("progress", _real("progress", progress, ndim=2))
    if T is not None and V.check_int("T", T, lo=1) != p.shape[0]:
        raise InvalidInputError("T", "must equal progress.shape[0]", received=T)
    h0 = p[0] if h_init is None else _finite("h_init", _real("h_init", h_init, ndim=1))
    if h0.shape != (p.shape[1],):
        raise InvalidInputError("h_init", f"must have shape ({p.shape[1]},)", received=f"shape {h0.shape}")
    hp = h0 if h_prev is None else _finite("h_prev", _real("h_prev", h_prev, ndim=1))
    if hp.shape != h0.shape:
        raise InvalidInputError("h_prev", f"must have shape ({p.shape[1]},)", received=f"shape {hp.shape}")
    a = V.check_scalar("alpha", alpha)
    k = V.check_scalar("kappa", kappa)
    m = V.check_scalar("steps_ahead", steps_ahead, nonnegative=True)
    s = V.check_scalar("noise_sd", noise_sd, nonnegative=True)
    hs, as_ = _coevolve_jit(key, jnp.float64(a), jnp.float64(k), jnp.float64(m), p, jnp.float64(s), h0, hp,
                            noisy=s > 0)
    if validate:
        _check_trajectory(hs, a, k, m, "simulate_coevolution")
        if not bool(jnp.all(jnp.isfinite(as_))):
            _check_trajectory(as_, a, k, m, "simulate_coevolution")
    return CoevolutionPath(hs, as_)


@partial(jax.jit, static_argnames=("noisy",))
def _batched_core(keys, alphas, kappas, m, progress, noise_sd, h_init, noisy=True):
    def one_param(a, k):
        return jax.vmap(lambda kk: _coevolve_core(kk, a, k, m, progress, noise_sd, h_init, None, noisy)[0])(keys)

    return jax.vmap(one_param)(alphas, kappas)


@provenance("M", source=_PG, where="our A-T5")
def simulate_coevolution_batched(key: Any, alphas: Any, kappas: Any, steps_ahead: float, progress: Any,
                                 noise_sd: float, n_seeds: int = 1, *, h_init: Any = None, validate: bool = True,
                                 max_entries: int = MAX_ENTRIES) -> jax.Array:
    """:func:`simulate_coevolution` vmapped over a leading batch of parameters and over seeds [M].

    Parameters
    ----------
    alphas, kappas : float64 arrays, shape (G,)
        Paired grid points (use ``meshgrid(...).ravel()`` for a product grid).
    n_seeds : int, default 1
        Independent noise realisations per grid point (seed ``s`` uses ``fold_in(key, s)``).
    validate : bool, default True
        Raise when a trajectory is non-finite (naming the first such grid point).
    max_entries : int, default 100_000_000
        Cap (``MAX_ENTRIES``) on :math:`G \\cdot n\\_seeds \\cdot T d`, checked before any allocation.

    Returns
    -------
    float64 array, shape (G, n_seeds, T, d)
        Human states :math:`h_t`.

    Raises
    ------
    InvalidInputError
        Bad inputs.
    SizeCapError
        The output would exceed ``max_entries``.
    UnstableParametersError, PrecisionError
        See :func:`simulate_coevolution` (``validate``).

    Notes
    -----
    :math:`O(G \\cdot n\\_seeds \\cdot T d)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> h = simulate_coevolution_batched(jax.random.PRNGKey(0), np.array([0.2, 0.5]), np.array([0.3, 0.1]), 0,
    ...                                  np.ones((50, 2)), 0.0, 3)
    >>> h.shape
    (2, 3, 50, 2)
    """
    check_precision_all("simulate_coevolution_batched", alphas=alphas, kappas=kappas, progress=progress,
                        h_init=h_init)
    p = _finite("progress", _real("progress", progress, ndim=2))
    al = _finite("alphas", _real("alphas", alphas, ndim=1))
    ka = _finite("kappas", _real("kappas", kappas, ndim=1))
    if al.shape != ka.shape:
        raise InvalidInputError("alphas, kappas", "must have the same shape (G,)", received=f"{al.shape}, {ka.shape}")
    n = V.check_int("n_seeds", n_seeds, lo=1)
    V.check_size("n_seeds", int(al.shape[0]) * n * int(p.shape[0]) * int(p.shape[1]), cap=max_entries,
                 unit="float64 entries")
    h0 = p[0] if h_init is None else _finite("h_init", _real("h_init", h_init, ndim=1))
    if h0.shape != (p.shape[1],):
        raise InvalidInputError("h_init", f"must have shape ({p.shape[1]},)", received=f"shape {h0.shape}")
    keys = jax.vmap(lambda i: jax.random.fold_in(key, i))(jnp.arange(n))
    m = V.check_scalar("steps_ahead", steps_ahead, nonnegative=True)
    s = V.check_scalar("noise_sd", noise_sd, nonnegative=True)
    out = _batched_core(keys, al, ka, jnp.float64(m), p, jnp.float64(s), h0, noisy=s > 0)
    if validate and not bool(jnp.all(jnp.isfinite(out))):
        g = int(np.flatnonzero(~np.all(np.isfinite(np.asarray(out)).reshape(out.shape[0], -1), axis=1))[0])
        _check_trajectory(out[g], float(al[g]), float(ka[g]), m, f"simulate_coevolution_batched (grid point {g})")
    return out


# ----------------------------------------------------------------------------------------------
# extrapolation (A-T1, A-T2, A-T4)


@partial(jax.jit, static_argnums=(2,))
def _extrap_core(w, x, k):
    return x[:, x.shape[1] - k - 1:].astype(jnp.float64) @ w


@provenance("M", source=_PG, where="extrapolative DPO/RLHF; our A-T1")
def extrapolate_batched(values: Any, order: int, steps_ahead: int, *, validate: bool = True) -> jax.Array:
    """Extrapolate a leading batch of windows at once: :math:`\\hat x = X w` with Lagrange weights [M].

    Our A-T1. ``values`` has shape (P, W) with :math:`W\\ge` ``order+1``; the last ``order+1``
    columns are used (oldest first). Integer vote arrays are converted exactly to float64.

    Parameters
    ----------
    values : array, shape (P, W)
        Finite reals (or integers, or booleans read as 0/1, such as votes).
    order, steps_ahead : int
    validate : bool, default True
        Raise :class:`PrecisionError` when a result overflows float64. Input values
        are checked on the host whenever they are concrete (every column, also those outside
        the window: NaN is never accepted silently); under ``jax.jit``/``vmap`` nothing is
        checked (the unchecked, jittable path).

    Returns
    -------
    float64 array, shape (P,)

    Raises
    ------
    InvalidInputError
        Too few columns, non-finite, complex or ragged values, bad order or horizon.
    PrecisionError
        float32 input or x64 off; an overflowing result (``validate``).

    Notes
    -----
    :math:`O(Pk)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> np.asarray(extrapolate_batched(np.array([[0, 1, 1], [1, 1, 1]]), 2, 1)).tolist()
    [0.0, 1.0]
    """
    check_precision_all("extrapolate_batched", values=values)
    k = V.check_int("order", order, lo=0, hi=T.MAX_ORDER)
    m = V.check_int("steps_ahead", steps_ahead, lo=1)
    traced = isinstance(values, jax.core.Tracer)
    if isinstance(values, jax.Array):
        if not (jnp.issubdtype(values.dtype, jnp.floating) or jnp.issubdtype(values.dtype, jnp.integer)):
            raise InvalidInputError("values", "must be a real numeric array", received=f"dtype {values.dtype}")
        x = values
        if not traced and jnp.issubdtype(x.dtype, jnp.floating):
            _finite("values", x)  # every column, also those outside the window (issue #12)
    else:
        arr = V.as_real_array("values", values, allow_bool=True)
        if arr.dtype.kind == "f" and arr.size and not np.all(np.isfinite(arr)):
            raise InvalidInputError("values", "non-finite input: every entry must be finite (no NaN or inf)")
        if arr.ndim == 2 and arr.shape[1] >= k + 1:
            arr = arr[:, arr.shape[1] - k - 1:]  # transfer only the window that is used
        x = jnp.asarray(arr)
    if x.ndim != 2:
        raise InvalidInputError("values", "must be 2-dimensional (P, W)", received=f"shape {tuple(x.shape)}")
    if x.shape[1] < k + 1:
        raise InvalidInputError("values", f"needs at least order+1 = {k + 1} columns", received=f"shape {x.shape}")
    w = jnp.asarray(T.lagrange_extrapolation_weights(k, m))
    out = _extrap_core(w, x, k)
    if validate and not traced and not bool(jnp.all(jnp.isfinite(out))):
        raise PrecisionError("values: an extrapolated value exceeds the float64 range")
    return out


@partial(jax.jit, static_argnums=(3,))
def _votes_core(key, mu, w, n_pairs):
    S = mu.shape[0]
    u = jax.random.uniform(key, (n_pairs, S), dtype=jnp.float64)
    votes = jnp.where(u < (1.0 + mu) / 2.0, 1, -1).astype(jnp.int64)
    est = votes[:, S - w.shape[0]:].astype(jnp.float64) @ w
    return votes, est


@provenance("M", source=_PG, where="our A-T4 (vote model)")
class VoteSimulation(NamedTuple):
    """Result of :func:`simulate_vote_extrapolation`: ``votes`` (n_pairs, S) and ``estimates`` (n_pairs,)."""

    votes: jax.Array
    estimates: jax.Array


@provenance("S", source=_PG, where="extrapolative DPO/RLHF; our A-T4 (vote model)")
def simulate_vote_extrapolation(key: Any, mu: Any, order: int, steps_ahead: int, n_pairs: int, *,
                                max_entries: int = MAX_ENTRIES) -> VoteSimulation:
    """Simulate ±1 vote sequences with means :math:`\\mu_s` and extrapolate each [S].

    :math:`P(x_s=+1)=(1+\\mu_s)/2`, independent; the estimate is :math:`w\\cdot x` over the last
    ``order+1`` votes, with :math:`\\mathbb E = w\\cdot\\mu` and :math:`\\mathrm{Var}=\\sum w_j^2(1-\\mu_j^2)`
    (our A-T4; ProgressGym's extrapolative algorithms, arXiv 2406.20087).

    Parameters
    ----------
    key : PRNG key
    mu : float64 array, shape (S,), entries in [-1, 1]
    order, steps_ahead, n_pairs : int (``n_pairs`` static)
    max_entries : int, default 100_000_000
        Cap (``MAX_ENTRIES``) on ``n_pairs * S``, checked before any allocation.

    Returns
    -------
    VoteSimulation

    Raises
    ------
    InvalidInputError
        ``mu`` outside [-1, 1], too short, non-finite; bad sizes.
    SizeCapError
        ``n_pairs * S`` exceeds ``max_entries``.
    PrecisionError
        float32 input or x64 off.

    Notes
    -----
    :math:`O(n\\_pairs \\cdot S)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> sim = simulate_vote_extrapolation(jax.random.PRNGKey(0), np.array([1.0, 1.0, 1.0]), 2, 1, 4)
    >>> np.asarray(sim.estimates).tolist()
    [1.0, 1.0, 1.0, 1.0]
    """
    check_precision_all("simulate_vote_extrapolation", mu=mu)
    mu_a = _finite("mu", _real("mu", mu, ndim=1))
    if not holds(jnp.all(jnp.abs(mu_a) <= 1.0)):
        raise InvalidInputError("mu", "vote means must lie in [-1, 1]")
    k = V.check_int("order", order, lo=0, hi=T.MAX_ORDER)
    m = V.check_int("steps_ahead", steps_ahead, lo=1)
    n = V.check_int("n_pairs", n_pairs, lo=1)
    V.check_size("n_pairs", n * int(mu_a.shape[0]), cap=max_entries, unit="votes")
    if mu_a.shape[0] < k + 1:
        raise InvalidInputError("mu", f"needs at least order+1 = {k + 1} steps", received=f"shape {mu_a.shape}")
    w = jnp.asarray(T.lagrange_extrapolation_weights(k, m))
    return VoteSimulation(*_votes_core(key, mu_a, w, n))


@partial(jax.jit, static_argnums=(5,))
def _mse_core(key, f_values, target, sigma, w, n_draws):
    eps = sigma * jax.random.normal(key, (n_draws, f_values.shape[0]), dtype=jnp.float64)
    err = (f_values[None, :] + eps) @ w - target
    sq = err**2
    return jnp.mean(sq), jnp.std(sq, ddof=1) / jnp.sqrt(jnp.float64(n_draws))


@provenance("M", source=_PG, where="our A-T4")
class MCEstimate(NamedTuple):
    """Monte-Carlo estimate: sample ``mse`` and its standard error ``stderr`` (float64 scalars)."""

    mse: jax.Array
    stderr: jax.Array


@provenance("M", source=_PG, where="our A-T4 (MSE decomposition)")
def mc_extrapolation_mse(key: Any, f_values: Any, sigma: float, order: int, steps_ahead: int, n_draws: int, *,
                         target: float, max_entries: int = MAX_ENTRIES) -> MCEstimate:
    """Monte-Carlo MSE of extrapolation from noisy observations :math:`y_j=f(t_j)+\\varepsilon_j` [M].

    Exact value (our A-T4): :math:`(f(t_n+mh)-w\\cdot f)^2+\\sigma^2\\|w\\|^2`. Errors are Gaussian.
    The draws are :math:`\\varepsilon = \\sigma Z`, ``Z = jax.random.normal(key, (n_draws, order + 1))``, so a
    key reproduces the sample: the estimate is the mean of :math:`((f+\\varepsilon)\\cdot w - target)^2`.

    Parameters
    ----------
    key : PRNG key
    f_values : float64 array, shape (order+1,)
        Noise-free values at the last ``order+1`` nodes, oldest first.
    sigma : float
    order, steps_ahead, n_draws : int (``n_draws`` static)
        :math:`0 \\le` ``order`` :math:`\\le` ``MAX_ORDER`` of :mod:`aligntheory.theory.progress`;
        ``steps_ahead`` >= 1; ``n_draws`` >= 2 (the standard error needs two draws).
    target : float
        :math:`f(t_n+mh)`.
    max_entries : int, default 100_000_000
        Cap (``MAX_ENTRIES``) on ``n_draws * (order + 1)``, checked before any allocation.

    Returns
    -------
    MCEstimate

    Raises
    ------
    InvalidInputError
        Wrong length of ``f_values``, non-finite input, bad sizes.
    SizeCapError
        The draws would exceed ``max_entries``.
    PrecisionError
        float32 input or x64 off; a non-finite estimate (overflow).

    Notes
    -----
    :math:`O(n\\_draws \\cdot k)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> est = mc_extrapolation_mse(jax.random.PRNGKey(0), np.array([1.0, 1.0]), 0.0, 1, 1, 10, target=1.0)
    >>> float(est.mse)
    0.0
    """
    check_precision_all("mc_extrapolation_mse", f_values=f_values)
    k = V.check_int("order", order, lo=0, hi=T.MAX_ORDER)
    m = V.check_int("steps_ahead", steps_ahead, lo=1)
    n = V.check_int("n_draws", n_draws, lo=2)
    V.check_size("n_draws", n * (k + 1), cap=max_entries, unit="float64 entries")
    fv = _finite("f_values", _real("f_values", f_values, ndim=1))
    if fv.shape != (k + 1,):
        raise InvalidInputError("f_values", f"must have shape ({k + 1},)", received=f"shape {fv.shape}")
    s = V.check_scalar("sigma", sigma, nonnegative=True)
    t = V.check_scalar("target", target)
    w = jnp.asarray(T.lagrange_extrapolation_weights(k, m))
    mse, se = _mse_core(key, fv, jnp.float64(t), jnp.float64(s), w, n)
    if not (holds(jnp.isfinite(mse)) and holds(jnp.isfinite(se))):
        raise PrecisionError("f_values, sigma, target: the squared errors overflow float64")
    return MCEstimate(mse, se)


# ----------------------------------------------------------------------------------------------
# coevolve score (A.1)


def _row_scale(X):
    """``X`` with each row multiplied by the power of two that brings its largest magnitude into [0.5, 1): exact.

    Not ``X / max|X|``: XLA divides by multiplying with the reciprocal, and ``1 / 1.7e308`` is subnormal, flushed
    to zero, so rows near the top of the range became 0 and the score NaN."""
    return jnp.ldexp(X, -jnp.frexp(jnp.max(jnp.abs(X), axis=1, keepdims=True))[1])


def _unit_rows(X):
    """Rows divided by their norms as true IEEE divisions: a broadcast divisor becomes a multiply by its
    reciprocal in XLA, which left the cosine of a one-entry row one ulp short of -1."""
    nrm = jnp.linalg.norm(X, axis=1, keepdims=True)
    return X / lax.optimization_barrier(jnp.broadcast_to(nrm, X.shape))


@jax.jit
def _coevolve_score_core(S, A):
    # scale-safe: each row scaled by a power of two first (no overflow/underflow in the norm)
    Sn, An = _row_scale(S), _row_scale(A)
    Sn, An = _unit_rows(Sn), _unit_rows(An)
    C = jnp.clip(Sn @ An.T, -1.0, 1.0)
    best = lax.cummax(C, axis=1, reverse=True)
    return jnp.mean(best)


@provenance("S", source=_PG, where="§4 (coevolve challenge); our A-T6")
def coevolve_score(simulated: Any, actual: Any, *, max_entries: int = MAX_ENTRIES) -> jax.Array:
    """JAX coevolve score, same definition as :func:`aligntheory.theory.progress.coevolve_score` [S].

    Rows are normalised scale-safely (each scaled by a power of two, exactly, then by its norm), then one
    matrix product and a reverse cumulative maximum (``lax.cummax``). On concrete input the power-of-two
    scaling is done on the host, so subnormal entries count (XLA flushes them to zero on CPU); under
    ``jit`` it runs in XLA, where they are flushed.

    Parameters
    ----------
    simulated : array, shape (M+1, d)
    actual : array, shape (N+1, d)
    max_entries : int, default 100_000_000
        Cap (``MAX_ENTRIES``) on :math:`(M+1)(N+1)`, checked before the cosine matrix is formed.

    Returns
    -------
    float64 scalar in [-1, 1]

    Raises
    ------
    InvalidInputError
        Zero rows, non-finite, complex or ragged input, different dimensions.
    SizeCapError
        The cosine matrix would exceed ``max_entries``.
    PrecisionError
        float32 input or x64 off.

    Notes
    -----
    :math:`O(MNd)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> a = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    >>> float(coevolve_score(np.repeat(a[-1:], 4, axis=0), a))
    1.0
    """
    check_precision_all("coevolve_score", simulated=simulated, actual=actual)
    S = _real("simulated", simulated, ndim=2)
    A = _real("actual", actual, ndim=2)
    if S.shape[1] != A.shape[1] or S.shape[1] == 0:
        raise InvalidInputError("simulated, actual", "must have the same dimension d >= 1",
                                received=f"{S.shape}, {A.shape}")
    if S.shape[0] == 0 or A.shape[0] == 0:
        raise InvalidInputError("simulated, actual", "must be non-empty", received=f"{S.shape}, {A.shape}")
    V.check_size("simulated, actual", int(S.shape[0]) * int(A.shape[0]), cap=max_entries, unit="cosines")
    rows = []
    for name, X, raw in (("simulated", S, simulated), ("actual", A, actual)):
        _finite(name, X)
        if isinstance(X, jax.core.Tracer):
            rows.append(X)
            continue
        # on the host, in numpy (XLA flushes subnormal numbers to zero on CPU): a row of subnormals read as a
        # zero vector, and a subnormal entry beside a tiny normal one was dropped; scaling each row by a power
        # of two here is exact, and the scaled rows are normal
        Xh = np.asarray(raw, dtype=np.float64)
        mx = np.max(np.abs(Xh), axis=1, keepdims=True)
        if not np.all(mx > 0):
            raise InvalidInputError(name, "zero vector: the cosine is undefined for a zero vector")
        rows.append(jnp.asarray(np.ldexp(Xh, -np.frexp(mx)[1])))
    return _coevolve_score_core(*rows)
