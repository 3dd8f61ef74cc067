"""JAX kernels for progress-alignment dynamics (spec ``progress_and_safety.md`` Part A, A.3).

Simulations of the linear human--AI coevolution model (A-T5), of extrapolated preference votes
(A-T2, A-T4), Monte-Carlo MSE of noisy extrapolation (A-T4), batched extrapolation and the
coevolve score. Randomised kernels take a PRNG key first; everything is float64 (float32 input or
``jax_enable_x64`` off raises :class:`~aligntheory.errors.PrecisionError`). Exact weights come
from :mod:`aligntheory.theory.progress`.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from aligntheory import _validate as V
from aligntheory.errors import InvalidInputError
from aligntheory.kernels._common import check_precision_all, f64
from aligntheory.theory import progress as T

__all__ = [
    "simulate_coevolution",
    "simulate_coevolution_grid",
    "simulate_vote_extrapolation",
    "mc_extrapolation_mse",
    "extrapolate_batch",
    "coevolve_score",
]


# ----------------------------------------------------------------------------------------------
# coevolution (A-T5)


def _coevolve_core(key, alpha, kappa, m, progress, noise_sd, h_init, h_prev=None, noisy=True):
    h_prev = h_init if h_prev is None else h_prev
    d = progress.shape[1]

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


def simulate_coevolution(key: Any, alpha: float, kappa: float, steps_ahead: float, progress: Any, noise_sd: float,
                         T: int | None = None, *, h_init: Any = None,
                         h_prev: Any = None) -> tuple[jax.Array, jax.Array]:
    """Simulate :math:`h_{t+1}=(1-\\alpha-\\kappa)h_t+\\alpha p_t+\\kappa a_t+\\varepsilon_t` [M].

    The AI extrapolates ``m = steps_ahead`` steps from its last observation,
    :math:`a_t = h_{t-1}+m(h_{t-1}-h_{t-2})` (``m = 0`` copies with one step of lag), and
    :math:`\\varepsilon_t\\sim N(0,\\sigma^2 I)` (spec A-T5; ProgressGym's coevolve challenge,
    arXiv 2406.20087, linearised). The history is :math:`h_0` = ``h_init`` and
    :math:`h_{-1}=h_{-2}` = ``h_prev`` (default ``h_init``).

    Parameters
    ----------
    key : PRNG key
    alpha, kappa, steps_ahead, noise_sd : float
        May be traced (``vmap`` over them, see :func:`simulate_coevolution_grid`).
    progress : float64 array, shape (T, d)
        Exogenous progress signal :math:`p_t`.
    T : int, optional
        Must equal ``progress.shape[0]`` when given.
    h_init : float64 array, shape (d,), optional
        Initial human state (default ``progress[0]``).
    h_prev : float64 array, shape (d,), optional
        :math:`h_{-1}` (default ``h_init``); with :math:`\\alpha=0` the limit is
        :math:`(h_0+\\kappa h_{-1})/(1+\\kappa)` (lock-in, A-T5(ii)).

    Returns
    -------
    h, a : float64 arrays, shape (T, d)
        :math:`h_t` and :math:`a_t` for :math:`t=0..T-1`.

    Complexity
    ----------
    :math:`O(Td)`, sequential in :math:`T` (``lax.scan``).

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> p = np.tile(np.array([[1.0]]), (400, 1))
    >>> h, a = simulate_coevolution(jax.random.PRNGKey(0), 0.2, 0.3, 0, p, 0.0, h_init=np.array([0.0]))
    >>> round(float(h[-1, 0]), 10)  # converges to the constant progress value
    1.0
    """
    check_precision_all("simulate_coevolution", progress=progress, h_init=h_init, h_prev=h_prev)
    p = f64("progress", progress, ndim=2)
    if T is not None and V.check_int("T", T, lo=1) != p.shape[0]:
        raise InvalidInputError("T", "must equal progress.shape[0]", received=T)
    if not bool(jnp.all(jnp.isfinite(p))):
        raise InvalidInputError("progress", "non-finite input: every entry must be finite")
    h0 = p[0] if h_init is None else f64("h_init", h_init, ndim=1)
    if h0.shape != (p.shape[1],):
        raise InvalidInputError("h_init", f"must have shape ({p.shape[1]},)", received=f"shape {h0.shape}")
    hp = h0 if h_prev is None else f64("h_prev", h_prev, ndim=1)
    if hp.shape != h0.shape:
        raise InvalidInputError("h_prev", f"must have shape ({p.shape[1]},)", received=f"shape {hp.shape}")
    a = V.check_scalar("alpha", alpha)
    k = V.check_scalar("kappa", kappa)
    m = V.check_scalar("steps_ahead", steps_ahead, nonnegative=True)
    s = V.check_scalar("noise_sd", noise_sd, nonnegative=True)
    return _coevolve_jit(key, jnp.float64(a), jnp.float64(k), jnp.float64(m), p, jnp.float64(s), h0, hp,
                         noisy=s > 0)


@partial(jax.jit, static_argnames=("noisy",))
def _grid_core(keys, alphas, kappas, m, progress, noise_sd, h_init, noisy=True):
    def one_param(a, k):
        sims = jax.vmap(lambda kk: _coevolve_core(kk, a, k, m, progress, noise_sd, h_init, None, noisy)[0])(keys)
        return sims

    return jax.vmap(one_param)(alphas, kappas)


def simulate_coevolution_grid(key: Any, alphas: Any, kappas: Any, steps_ahead: float, progress: Any,
                              noise_sd: float, n_seeds: int = 1, *, h_init: Any = None) -> jax.Array:
    """:func:`simulate_coevolution` vmapped over a parameter grid and over seeds [M].

    Parameters
    ----------
    alphas, kappas : float64 arrays, shape (G,)
        Paired grid points (use ``meshgrid(...).ravel()`` for a product grid).
    n_seeds : int
        Independent noise realisations per grid point (seed ``s`` uses ``fold_in(key, s)``).

    Returns
    -------
    float64 array, shape (G, n_seeds, T, d)
        Human states :math:`h_t`.

    Complexity
    ----------
    :math:`O(G \\cdot n\\_seeds \\cdot T d)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> h = simulate_coevolution_grid(jax.random.PRNGKey(0), np.array([0.2, 0.5]), np.array([0.3, 0.1]), 0,
    ...                               np.ones((50, 2)), 0.0, 3)
    >>> h.shape
    (2, 3, 50, 2)
    """
    check_precision_all("simulate_coevolution_grid", alphas=alphas, kappas=kappas, progress=progress)
    p = f64("progress", progress, ndim=2)
    al = f64("alphas", alphas, ndim=1)
    ka = f64("kappas", kappas, ndim=1)
    if al.shape != ka.shape:
        raise InvalidInputError("alphas, kappas", "must have the same shape (G,)", received=f"{al.shape}, {ka.shape}")
    n = V.check_int("n_seeds", n_seeds, lo=1)
    h0 = p[0] if h_init is None else f64("h_init", h_init, ndim=1)
    keys = jax.vmap(lambda i: jax.random.fold_in(key, i))(jnp.arange(n))
    m = V.check_scalar("steps_ahead", steps_ahead, nonnegative=True)
    s = V.check_scalar("noise_sd", noise_sd, nonnegative=True)
    return _grid_core(keys, al, ka, jnp.float64(m), p, jnp.float64(s), h0, noisy=s > 0)


# ----------------------------------------------------------------------------------------------
# extrapolation (A-T1, A-T2, A-T4)


@partial(jax.jit, static_argnums=(2,))
def _extrap_core(w, x, k):
    return x[:, x.shape[1] - k - 1:].astype(jnp.float64) @ w


def extrapolate_batch(values: Any, order: int, steps_ahead: int) -> jax.Array:
    """Extrapolate many windows at once: :math:`\\hat x = X w` with Lagrange weights :math:`w` [M].

    Spec A-T1. ``values`` has shape (P, W) with :math:`W\\ge` ``order+1``; the last ``order+1``
    columns are used (oldest first). Integer vote arrays are converted exactly to float64.

    Returns
    -------
    float64 array, shape (P,)

    Complexity
    ----------
    :math:`O(Pk)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> np.asarray(extrapolate_batch(np.array([[0, 1, 1], [1, 1, 1]]), 2, 1)).tolist()
    [0.0, 1.0]
    """
    check_precision_all("extrapolate_batch", values=values)
    k0 = V.check_int("order", order, lo=0)
    if isinstance(values, np.ndarray) and values.ndim == 2 and values.shape[1] >= k0 + 1:
        values = values[:, values.shape[1] - k0 - 1:]  # transfer only the window that is used
    x = jnp.asarray(values)
    if jnp.issubdtype(x.dtype, jnp.floating):
        x = f64("values", x)
    elif not (jnp.issubdtype(x.dtype, jnp.integer) or x.dtype == jnp.bool_):
        raise InvalidInputError("values", "must be a real numeric array", received=f"dtype {x.dtype}")
    if x.ndim != 2:
        raise InvalidInputError("values", "must be 2-dimensional (P, W)", received=f"shape {tuple(x.shape)}")
    k = V.check_int("order", order, lo=0)
    m = V.check_int("steps_ahead", steps_ahead, lo=1)
    if x.shape[1] < k + 1:
        raise InvalidInputError("values", f"needs at least order+1 = {k + 1} columns", received=f"shape {x.shape}")
    w = jnp.asarray(T.lagrange_extrapolation_weights(k, m))
    return _extrap_core(w, x, k)


@partial(jax.jit, static_argnums=(3,))
def _votes_core(key, mu, w, n_pairs):
    S = mu.shape[0]
    u = jax.random.uniform(key, (n_pairs, S), dtype=jnp.float64)
    votes = jnp.where(u < (1.0 + mu) / 2.0, 1, -1).astype(jnp.int64)
    est = votes[:, S - w.shape[0]:].astype(jnp.float64) @ w
    return votes, est


def simulate_vote_extrapolation(key: Any, mu: Any, order: int, steps_ahead: int,
                                n_pairs: int) -> tuple[jax.Array, jax.Array]:
    """Simulate ±1 vote sequences with means :math:`\\mu_s` and extrapolate each [M].

    :math:`P(x_s=+1)=(1+\\mu_s)/2`, independent; the estimate is :math:`w\\cdot x` over the last
    ``order+1`` votes, with :math:`\\mathbb E = w\\cdot\\mu` and :math:`\\mathrm{Var}=\\sum w_j^2(1-\\mu_j^2)`
    (spec A-T4; ProgressGym's extrapolative algorithms, arXiv 2406.20087 [S]).

    Parameters
    ----------
    key : PRNG key
    mu : float64 array, shape (S,), entries in [-1, 1]
    order, steps_ahead, n_pairs : int (static)

    Returns
    -------
    votes : int64 array, shape (n_pairs, S)
    estimates : float64 array, shape (n_pairs,)

    Complexity
    ----------
    :math:`O(n\\_pairs \\cdot S)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> v, e = simulate_vote_extrapolation(jax.random.PRNGKey(0), np.array([1.0, 1.0, 1.0]), 2, 1, 4)
    >>> np.asarray(e).tolist()
    [1.0, 1.0, 1.0, 1.0]
    """
    check_precision_all("simulate_vote_extrapolation", mu=mu)
    mu_a = f64("mu", mu, ndim=1)
    if not bool(jnp.all(jnp.abs(mu_a) <= 1.0)):
        raise InvalidInputError("mu", "vote means must lie in [-1, 1]")
    k = V.check_int("order", order, lo=0)
    m = V.check_int("steps_ahead", steps_ahead, lo=1)
    n = V.check_int("n_pairs", n_pairs, lo=1)
    if mu_a.shape[0] < k + 1:
        raise InvalidInputError("mu", f"needs at least order+1 = {k + 1} steps", received=f"shape {mu_a.shape}")
    w = jnp.asarray(T.lagrange_extrapolation_weights(k, m))
    return _votes_core(key, mu_a, w, n)


@partial(jax.jit, static_argnums=(5,))
def _mse_core(key, f_values, target, sigma, w, n_draws):
    eps = sigma * jax.random.normal(key, (n_draws, f_values.shape[0]), dtype=jnp.float64)
    err = (f_values[None, :] + eps) @ w - target
    sq = err**2
    return jnp.mean(sq), jnp.std(sq, ddof=1) / jnp.sqrt(jnp.float64(n_draws))


def mc_extrapolation_mse(key: Any, f_values: Any, sigma: float, order: int, steps_ahead: int, n_draws: int, *,
                         target: float) -> tuple[jax.Array, jax.Array]:
    """Monte-Carlo MSE of extrapolation from noisy observations :math:`y_j=f(t_j)+\\varepsilon_j` [M].

    Exact value (spec A-T4): :math:`(f(t_n+mh)-w\\cdot f)^2+\\sigma^2\\|w\\|^2`. Errors are Gaussian.

    Parameters
    ----------
    key : PRNG key
    f_values : float64 array, shape (order+1,)
        Noise-free values at the last ``order+1`` nodes, oldest first.
    sigma : float
    order, steps_ahead, n_draws : int (``n_draws`` static)
    target : float
        :math:`f(t_n+mh)`.

    Returns
    -------
    mse, stderr : float64 scalars
        Sample mean of the squared error and its standard error.

    Complexity
    ----------
    :math:`O(n\\_draws \\cdot k)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> mse, se = mc_extrapolation_mse(jax.random.PRNGKey(0), np.array([1.0, 1.0]), 0.0, 1, 1, 10, target=1.0)
    >>> float(mse)
    0.0
    """
    check_precision_all("mc_extrapolation_mse", f_values=f_values)
    k = V.check_int("order", order, lo=0)
    m = V.check_int("steps_ahead", steps_ahead, lo=1)
    n = V.check_int("n_draws", n_draws, lo=2)
    fv = f64("f_values", f_values, ndim=1)
    if fv.shape != (k + 1,):
        raise InvalidInputError("f_values", f"must have shape ({k + 1},)", received=f"shape {fv.shape}")
    s = V.check_scalar("sigma", sigma, nonnegative=True)
    t = V.check_scalar("target", target)
    w = jnp.asarray(T.lagrange_extrapolation_weights(k, m))
    return _mse_core(key, fv, jnp.float64(t), jnp.float64(s), w, n)


# ----------------------------------------------------------------------------------------------
# coevolve score (A.1)


@jax.jit
def _coevolve_score_core(S, A):
    Sn = S / jnp.linalg.norm(S, axis=1, keepdims=True)
    An = A / jnp.linalg.norm(A, axis=1, keepdims=True)
    C = jnp.clip(Sn @ An.T, -1.0, 1.0)
    best = lax.cummax(C, axis=1, reverse=True)
    return jnp.mean(best)


def coevolve_score(simulated: Any, actual: Any) -> jax.Array:
    """JAX coevolve score, same definition as :func:`aligntheory.theory.progress.coevolve_score` [S].

    Normalised matrix product and reverse cumulative maximum (``lax.cummax``); zero vectors raise.
    Shapes (M+1, d), (N+1, d); :math:`O(MNd)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> import numpy as np
    >>> a = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    >>> float(coevolve_score(np.repeat(a[-1:], 4, axis=0), a))
    1.0
    """
    check_precision_all("coevolve_score", simulated=simulated, actual=actual)
    S = f64("simulated", simulated, ndim=2)
    A = f64("actual", actual, ndim=2)
    if S.shape[1] != A.shape[1]:
        raise InvalidInputError("simulated, actual", "must have the same dimension d", received=f"{S.shape}, {A.shape}")
    for name, X in (("simulated", S), ("actual", A)):
        if not bool(jnp.all(jnp.isfinite(X))):
            raise InvalidInputError(name, "non-finite input: every entry must be finite")
        if bool(jnp.any(jnp.linalg.norm(X, axis=1) == 0)):
            raise InvalidInputError(name, "zero vector: the cosine is undefined for a zero vector")
    return _coevolve_score_core(S, A)



