"""Dense JAX kernels for effective resistance over comparison graphs (spec ``ibn.md`` §3.3, §4.2).

Kernels take edge **conductances** (:math:`1/\\sigma_e^2`; a padded or dropped edge has conductance
exactly 0) by keyword, ``conductances=``, never positionally, so that variances cannot be passed for
them by mistake; ``n_nodes`` is static. Everything is float64: call
``aligntheory.config.configure()`` (or ``jax.config.update("jax_enable_x64", True)``) first, or the
kernels raise :class:`~aligntheory.errors.PrecisionError`.

Scale: effective resistance is homogeneous of degree -1 in the conductances, so the kernels divide
the conductances by their largest value inside the compiled function and the result by the same
factor: uniform scales anywhere in :math:`10^{-300}\\ldots10^{300}` give results exact to working
precision, and a power-of-two scale :math:`2^k` gives exactly :math:`2^{-k}` times the result, bit for bit
(while the results stay normal numbers). Conductances spanning more than ``max_dynamic_range`` raise
:class:`~aligntheory.errors.PrecisionError` (host-side check).
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax
from jax.experimental import checkify

from aligntheory import _validate as V
from aligntheory.errors import DisconnectedGraphError, InvalidInputError, PrecisionError
from aligntheory.kernels._common import check_precision_all, f64
from aligntheory.kernels.ibn import _checks as C
from aligntheory.results import provenance

__all__ = [
    "laplacian_dense",
    "reff_dense_cholesky",
    "effective_resistance_dense",
    "effective_resistance_dense_batched",
]


def _laplacian(n_nodes: int, edges: jax.Array, cond: jax.Array) -> jax.Array:
    u, v = edges[:, 0], edges[:, 1]
    off = jnp.zeros((n_nodes, n_nodes), cond.dtype)
    off = off.at[u, v].add(-cond).at[v, u].add(-cond)
    deg = jax.ops.segment_sum(cond, u, n_nodes) + jax.ops.segment_sum(cond, v, n_nodes)
    # a self-loop (u == v) adds -2c off the diagonal and +2c on it: net zero, as it must
    return off + jnp.diag(deg)


@partial(jax.jit, static_argnums=0)
def _laplacian_jit(n_nodes, edges, cond):
    return _laplacian(n_nodes, edges, cond)


@provenance("M", source="hendrickx2019graph", where="weighted graph Laplacian (spec ibn.md §4.2)")
def laplacian_dense(n_nodes: int, edges: Any, *legacy: Any, conductances: Any = None, mask: Any = None,
                    max_nodes: int = C.DEFAULT_MAX_NODES) -> jax.Array:
    """Dense weighted Laplacian by scatter-add (``segment_sum``) [M].

    .. math:: L = \\sum_e c_e m_e (e_{u_e}-e_{v_e})(e_{u_e}-e_{v_e})^\\top

    Spec ``ibn.md`` §4.2. Self-loops contribute nothing, masked edges contribute nothing.

    Parameters
    ----------
    n_nodes : int
        :math:`N` (static).
    edges : int array, shape (E, 2)
    conductances : float64 array, shape (E,)
        Conductances :math:`c_e \\ge 0`, finite (keyword only).
    mask : bool array, shape (E,), optional
        ``False`` marks a padded edge.
    max_nodes : int, default 20_000
        Size cap on ``n_nodes`` (``DEFAULT_MAX_NODES``), checked before any allocation.

    Returns
    -------
    float64 array, shape (N, N)

    Raises
    ------
    InvalidInputError
        Node ids out of range, NaN/inf/negative conductances, shape mismatch.
    SizeCapError
        ``n_nodes > max_nodes``.
    PrecisionError
        float32 input or JAX x64 disabled.

    Notes
    -----
    :math:`O(N^2 + E)`. Value checks run on concrete inputs; under tracing they are skipped.

    Examples
    --------
    >>> from aligntheory.config import configure; configure()
    >>> import numpy as np
    >>> np.asarray(laplacian_dense(3, np.array([[0, 1], [1, 2]]), conductances=np.array([1.0, 2.0])))
    array([[ 1., -1.,  0.],
           [-1.,  3., -2.],
           [ 0., -2.,  2.]])
    """
    cond, mask = C.resolve_conductances("laplacian_dense", legacy, conductances, mask)
    check_precision_all("laplacian_dense", conductances=cond)
    n = C.n_nodes_arg(n_nodes, max_nodes)
    e = C.edges_arg(edges, n)
    c = C.real_arg("conductances", cond, shape=(e.shape[0],), nonnegative=True)
    m = C.mask_arg(mask, c.shape)
    if m is not None:
        c = jnp.where(m, c, 0.0)
    return _laplacian_jit(n, e, c)


def _pinv_from_laplacian(L: jax.Array) -> jax.Array:
    n = L.shape[-1]
    J = jnp.full((n, n), 1.0 / n, L.dtype)
    factor = jax.scipy.linalg.cho_factor(L + J, lower=True)
    return jax.scipy.linalg.cho_solve(factor, jnp.eye(n, dtype=L.dtype)) - J


def _reff_from_laplacian(L: jax.Array) -> jax.Array:
    # homogeneity: R(sL) = R(L)/s; scale so that the largest diagonal entry is 1 (J/N is then
    # commensurate with L, and 1e-300 or 1e300 conductances neither underflow nor swamp J/N)
    s = jnp.max(jnp.abs(jnp.diag(L)))
    s = jnp.where(s > 0, s, 1.0)
    P = _pinv_from_laplacian(L / s)
    P = 0.5 * (P + P.T)
    d = jnp.diag(P)
    R = d[:, None] + d[None, :] - 2.0 * P
    return (R * (1.0 - jnp.eye(L.shape[-1], dtype=L.dtype))) / s


_reff_from_laplacian_jit = jax.jit(_reff_from_laplacian)
_reff_batched = jax.jit(jax.vmap(_reff_from_laplacian))


def _check_laplacian_values(L: jax.Array) -> None:
    """Concrete L: finite, symmetric, off-diagonal <= 0, zero row sums (relative to the diagonal)."""
    if not C.concrete(L) or L.size == 0:
        return
    h = np.asarray(L)
    if not np.all(np.isfinite(h)):
        raise InvalidInputError("L", "non-finite input: every entry must be finite (no NaN or inf)")
    scale = np.max(np.abs(np.diagonal(h, axis1=-2, axis2=-1)), axis=-1, keepdims=True)[..., None]
    scale = np.where(scale > 0, scale, 1.0)
    hs = h / scale
    n = h.shape[-1]
    off = hs * (1.0 - np.eye(n))
    if np.any(off > 0):
        raise InvalidInputError("L", "must be a Laplacian: off-diagonal entries (minus the conductances) must be <= 0",
                                received=f"max off-diagonal {float(off.max()):.3g} (relative to the diagonal)")
    if np.max(np.abs(hs - np.swapaxes(hs, -1, -2))) > 1e-12:
        raise InvalidInputError("L", "must be symmetric")
    if np.max(np.abs(hs.sum(axis=-1))) > 1e-10 * n:
        raise InvalidInputError("L", "must be a Laplacian: every row must sum to zero")
    for g, Lg in enumerate(hs.reshape(-1, n, n)):
        iu = np.nonzero(np.triu(Lg, 1) < 0)
        C.connected_check("reff_dense_cholesky" + (f" (graph {g} of the batch)" if h.ndim == 3 else ""), n,
                          np.stack(iu, 1), -Lg[iu])


@provenance("M", source="hendrickx2019graph", where="L+ = (L + J/N)^-1 - J/N (spec ibn.md §3.3)")
def reff_dense_cholesky(L: Any, *, max_nodes: int = C.DEFAULT_MAX_NODES) -> jax.Array:
    """All-pairs effective resistance from a Laplacian, by Cholesky of :math:`L + J/N` [M].

    .. math:: L^{+} = (L + J/N)^{-1} - J/N, \\quad R_{uv} = L^{+}_{uu} + L^{+}_{vv} - 2L^{+}_{uv}

    Spec ``ibn.md`` §3.3. ``L`` is scaled by its largest diagonal entry inside the compiled
    function (results exact for uniform scales over :math:`10^{-300}\\ldots10^{300}`). A
    disconnected graph makes :math:`L + J/N` singular; this kernel then returns NaN (use
    :func:`effective_resistance_dense` with ``validate=True`` or
    :func:`aligntheory.theory.ibn.effective_resistance` for a checked call).

    Parameters
    ----------
    L : float64 array, shape (N, N) or (G, N, N)
        Laplacian(s) of connected graphs: finite, symmetric (entrywise within :math:`10^{-12}`),
        off-diagonal <= 0, zero row sums (:math:`|\\sum_j L_{ij}| \\le 10^{-10} N`), all relative
        to the largest :math:`|L_{ii}|` (checked on concrete input); a leading batch axis is mapped
        with ``vmap``.
    max_nodes : int, default 20_000
        Size cap on ``N`` (``DEFAULT_MAX_NODES``).

    Returns
    -------
    float64 array, shape like ``L``

    Raises
    ------
    InvalidInputError
        ``L`` is not a Laplacian (see above) or has the wrong shape.
    SizeCapError
        ``N > max_nodes``.
    PrecisionError
        float32 input or JAX x64 disabled; a result that is not finite (a Laplacian that is not positive
        semidefinite to float64 precision: the factorisation breaks down).

    Notes
    -----
    :math:`O(N^3)` per graph.

    Examples
    --------
    >>> from aligntheory.config import configure; configure()
    >>> import numpy as np
    >>> L = np.array([[1.0, -1.0], [-1.0, 1.0]])
    >>> float(reff_dense_cholesky(L)[0, 1])
    1.0
    """
    L = C.real_arg("L", L)
    if L.ndim not in (2, 3) or L.shape[-1] != L.shape[-2]:
        raise InvalidInputError("L", "must have shape (N, N) or (G, N, N)", received=f"shape {tuple(L.shape)}")
    V.check_size("L", int(L.shape[-1]), cap=max_nodes, unit="nodes")
    _check_laplacian_values(L)
    R = _reff_from_laplacian_jit(L) if L.ndim == 2 else _reff_batched(L)
    return _overflow_check("reff_dense_cholesky", jnp.max(jnp.abs(L)).reshape(1), R)


@partial(jax.jit, static_argnums=0)
def _reff_graph(n_nodes, edges, cond):
    # scale the conductances before building L: degrees of 1e300-conductance edges must not overflow
    s = jnp.max(cond, initial=0.0)
    s = jnp.where(s > 0, s, 1.0)
    return _reff_from_laplacian(_laplacian(n_nodes, edges, cond / s)) / s


_reff_graph_batched = jax.jit(jax.vmap(_reff_graph.__wrapped__, in_axes=(None, 0, 0)), static_argnums=0)


def _component_labels(n_nodes, edges, cond):
    """Smallest node id of each node's component (edges of conductance 0 absent): min-label propagation."""
    u, v = edges[:, 0], edges[:, 1]
    live = cond > 0

    def body(_, lab):
        m = jnp.where(live, jnp.minimum(lab[u], lab[v]), n_nodes)
        return jnp.minimum(lab, jnp.minimum(jax.ops.segment_min(m, u, n_nodes), jax.ops.segment_min(m, v, n_nodes)))

    # a fixed trip count (N - 1 rounds reach every node of a component); a data-dependent
    # while-loop would be simpler but checkify cannot be batched over one
    return lax.fori_loop(0, max(n_nodes - 1, 1), body, jnp.arange(n_nodes))


def _reff_graph_checked_core(n_nodes, edges, cond):
    checkify.check(jnp.all(jnp.isfinite(cond)), "nonfinite|conductances: non-finite input")
    checkify.check(jnp.all(cond >= 0), "invalid|conductances: conductances must be >= 0")
    checkify.check(jnp.all((edges >= 0) & (edges < n_nodes)), "invalid|edges: node ids must lie in [0, n_nodes)")
    checkify.check(jnp.all(_component_labels(n_nodes, edges, cond) == 0),
                   "disconnected|the graph is disconnected: the effective resistance between components is infinite")
    return _reff_graph.__wrapped__(n_nodes, edges, cond)


_reff_graph_checked = jax.jit(checkify.checkify(_reff_graph_checked_core, errors=checkify.user_checks),
                              static_argnums=0)


@partial(jax.jit, static_argnums=0)
def _reff_graph_batched_checked(n_nodes, edges, cond):
    # vmap of checkify (checkify cannot wrap a vmapped while-loop); errors carry the batch index
    one = checkify.checkify(partial(_reff_graph_checked_core, n_nodes), errors=checkify.user_checks)
    return jax.vmap(one)(edges, cond)


def _throw(err, where: str) -> None:
    """Turn a checkify error into the library's exception classes (kind prefix before ``|``).

    Under tracing the error cannot be read on the host: it is re-raised inside the trace
    (``checkify.check_error``), for a ``checkify.checkify`` around the caller's ``jit`` to return."""
    if any(isinstance(x, jax.core.Tracer) for x in jax.tree_util.tree_leaves(err)):
        checkify.check_error(err)
        return
    msg = err.get()
    if msg is None:
        return
    text = re.sub(r"\s*\(`check` failed\).*$", "", msg.strip(), flags=re.S)
    batch = re.match(r"at mapped index (\d+): ", text)
    if batch:
        text = text[batch.end():]
        where = f"{where} (graph {batch.group(1)} of the batch)"
    kind, _, body = text.partition("|")
    if kind == "disconnected":
        raise DisconnectedGraphError(f"{where}: {body}")
    name, _, constraint = body.partition(": ")
    raise InvalidInputError(name, constraint + (f" [{where}]" if batch else ""))


def _overflow_check(where: str, c: jax.Array, R: jax.Array) -> jax.Array:
    """PrecisionError when concrete resistances are not all finite: they overflow float64 (a graph whose
    conductances are all below ~1e-290), or the factorisation broke down (conductances spanning more than
    float64 can hold, allowed by a raised ``max_dynamic_range``). Traced results are returned as they are."""
    if C.concrete(c, R) and c.size and not bool(jnp.all(jnp.isfinite(R))):
        if float(jnp.min(jnp.max(c, axis=-1))) < 1e-290:
            raise PrecisionError(f"{where}: the effective resistances overflow float64 (a graph whose conductances "
                                 "are all below 1e-290): the answer is not representable")
        raise PrecisionError(f"{where}: the factorisation gave non-finite resistances: the Laplacian is not "
                             "positive semidefinite to float64 precision (conductances spanning a range float64 "
                             "cannot resolve, e.g. a subnormal one under a raised max_dynamic_range, or an "
                             "asymmetric input); the answer is not representable")
    return R


def _graph_inputs(where, n_nodes, edges, legacy, conductances, mask, batch, max_nodes, max_entries,
                  max_dynamic_range):
    cond, mask = C.resolve_conductances(where, legacy, conductances, mask)
    check_precision_all(where, conductances=cond)
    n = C.n_nodes_arg(n_nodes, max_nodes)
    e = C.edges_arg(edges, n, batch=batch)
    c = C.real_arg("conductances", cond, shape=tuple(e.shape[:-1]), nonnegative=True)
    if batch:
        V.check_size("edges", int(e.shape[0]) * n * n, cap=max_entries, unit="matrix entries (G N^2)")
    m = C.mask_arg(mask, c.shape)
    if m is not None:
        c = jnp.where(m, c, 0.0)
    if batch:
        for g in range(int(c.shape[0])) if C.concrete(c) else ():
            C.dynamic_range_check(f"{where} (graph {g} of the batch)", c[g], max_dynamic_range)
            C.connected_check(f"{where} (graph {g} of the batch)", n, e[g], c[g])
    else:
        C.dynamic_range_check(where, c, max_dynamic_range)
        C.connected_check(where, n, e, c)
    return n, e, c


@provenance("M", source="hendrickx2019graph", where="effective resistance (spec ibn.md §3.3, §4.2)")
def effective_resistance_dense(n_nodes: int, edges: Any, *legacy: Any, conductances: Any = None, mask: Any = None,
                               validate: bool = False, method: str = "auto", max_nodes: int = C.DEFAULT_MAX_NODES,
                               max_dynamic_range: float = C.DEFAULT_MAX_DYNAMIC_RANGE) -> jax.Array:
    """All-pairs effective resistance of one graph given by an edge list [M].

    .. math:: R_{uv} = (e_u - e_v)^\\top L_c^{+} (e_u - e_v)

    ``method="xla"`` builds :func:`laplacian_dense` and applies :func:`reff_dense_cholesky` in one
    ``jit`` (Cholesky, then triangular solves against the identity). On the CPU backend with
    concrete inputs, ``method="auto"`` takes the faster LAPACK route
    :func:`aligntheory.numerics.effective_resistance_all_pairs` instead (one ``potrf`` and one
    symmetric inverse ``potri``: :math:`N^3` flops instead of :math:`\\tfrac73N^3`) and returns its
    result as a JAX array; under tracing, on accelerators or with ``validate=True`` it takes the
    XLA route. Spec ``ibn.md`` §3.3, §4.2.

    Parameters
    ----------
    n_nodes : int
        :math:`N` (static).
    edges : int array, shape (E, 2)
    conductances : float64 array, shape (E,)
        Conductances (:math:`1/\\sigma_e^2`), keyword only.
    mask : bool array, shape (E,), optional
    validate : bool, default False
        Also run the in-graph checks (``jax.experimental.checkify``): non-finite or negative
        conductances or out-of-range ids raise :class:`~aligntheory.errors.InvalidInputError` and
        a disconnected graph raises :class:`~aligntheory.errors.DisconnectedGraphError`
        (connectivity by min-label propagation, :math:`O(N E)`). The same checks run on the host
        for concrete inputs whatever ``validate`` says (connectivity by scipy, :math:`O(N+E)`);
        under tracing they cannot, and a disconnected graph then yields NaN. Under ``jax.jit``,
        ``validate=True`` re-raises the in-graph checks inside the trace: wrap the jitted caller in
        ``checkify.checkify(..., errors=checkify.user_checks)`` to receive them (``err.get()``).
    method : {"auto", "xla", "lapack"}
        Route (see above); ``"lapack"`` needs concrete inputs.
    max_nodes : int
        Size cap on ``n_nodes`` (default 20000), checked before any allocation.
    max_dynamic_range : float
        Largest accepted ratio of largest to smallest positive conductance (default 1e8).

    Returns
    -------
    float64 array, shape (N, N)

    Raises
    ------
    InvalidInputError, DisconnectedGraphError
        See ``validate``.
    SizeCapError
        ``n_nodes > max_nodes``.
    PrecisionError
        float32 input, JAX x64 disabled, conductances spanning more than ``max_dynamic_range``,
        resistances overflowing float64 (conductances below about 1e-308), or, on concrete input, any
        non-finite resistance (the factorisation broke down: e.g. a subnormal conductance allowed by a
        raised ``max_dynamic_range``).

    Notes
    -----
    :math:`O(N^3 + E)`.

    Examples
    --------
    >>> from aligntheory.config import configure; configure()
    >>> import numpy as np
    >>> R = effective_resistance_dense(3, np.array([[0, 1], [1, 2]]), conductances=np.array([1.0, 1.0]))
    >>> float(R[0, 2])
    2.0
    """
    V.check_choice("method", method, ("auto", "xla", "lapack"))
    n, e, c = _graph_inputs("effective_resistance_dense", n_nodes, edges, legacy, conductances, mask, False,
                            max_nodes, C.DEFAULT_MAX_ENTRIES, max_dynamic_range)
    host = C.concrete(e, c)
    if method == "lapack" and not host:
        raise InvalidInputError("method", "'lapack' needs concrete inputs (not traced)", received=method)
    if method == "lapack" or (method == "auto" and host and not validate and jax.default_backend() == "cpu"):
        from aligntheory.numerics.resistance import effective_resistance_all_pairs

        return jnp.asarray(effective_resistance_all_pairs(n, np.asarray(e), conductances=np.asarray(c),
                                                          max_nodes=max_nodes, max_dynamic_range=max_dynamic_range))
    if not validate:
        return _overflow_check("effective_resistance_dense", c, _reff_graph(n, e, c))
    err, R = _reff_graph_checked(n, e, c)
    _throw(err, "effective_resistance_dense")
    return _overflow_check("effective_resistance_dense", c, R)


@provenance("M", source="hendrickx2019graph", where="effective resistance, vmapped over graphs")
def effective_resistance_dense_batched(n_nodes: int, edges: Any, *legacy: Any, conductances: Any = None,
                                       mask: Any = None, validate: bool = False,
                                       max_nodes: int = C.DEFAULT_MAX_NODES,
                                       max_entries: int = C.DEFAULT_MAX_ENTRIES,
                                       max_dynamic_range: float = C.DEFAULT_MAX_DYNAMIC_RANGE) -> jax.Array:
    """Batched all-pairs effective resistance over ``G`` graphs with the same ``N`` and ``E`` [M].

    ``vmap`` of :func:`effective_resistance_dense` over a leading graph axis (pad edge lists to a
    common ``E`` with ``mask=False``, conductance 0). The batch axis is leading, so
    ``jax.sharding`` can spread it over devices.

    Parameters
    ----------
    n_nodes : int
        :math:`N` (static, shared).
    edges : int array, shape (G, E, 2)
    conductances : float64 array, shape (G, E)
    mask : bool array, shape (G, E), optional
    validate : bool, default False
        In-graph checks, as in :func:`effective_resistance_dense`; the error names the offending
        graph of the batch.
    max_nodes : int, default 20_000
        Size cap on ``n_nodes`` (``DEFAULT_MAX_NODES``), checked before any allocation.
    max_entries : int, default 2**28
        Size cap on :math:`G N^2` (``DEFAULT_MAX_ENTRIES``, 2 GiB of float64), checked before any allocation.
    max_dynamic_range : float, default 1e8
        Largest accepted ratio of largest to smallest positive conductance, per graph (as in
        :func:`effective_resistance_dense`).

    Returns
    -------
    float64 array, shape (G, N, N)

    Raises
    ------
    InvalidInputError, DisconnectedGraphError, SizeCapError, PrecisionError
        As in :func:`effective_resistance_dense`.

    Notes
    -----
    :math:`O(G N^3)`.

    Examples
    --------
    >>> from aligntheory.config import configure; configure()
    >>> import numpy as np
    >>> edges = np.array([[[0, 1], [1, 2]], [[0, 1], [0, 2]]])
    >>> R = effective_resistance_dense_batched(3, edges, conductances=np.ones((2, 2)))
    >>> np.asarray(R[:, 1, 2]).tolist()
    [1.0, 2.0]
    """
    n, e, c = _graph_inputs("effective_resistance_dense_batched", n_nodes, edges, legacy, conductances, mask, True,
                            max_nodes, max_entries, max_dynamic_range)
    if not validate:
        return _overflow_check("effective_resistance_dense_batched", c, _reff_graph_batched(n, e, c))
    err, R = _reff_graph_batched_checked(n, e, c)
    _throw(err, "effective_resistance_dense_batched")
    return _overflow_check("effective_resistance_dense_batched", c, R)
