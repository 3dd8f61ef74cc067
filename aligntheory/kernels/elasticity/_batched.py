"""The empirical protocol over a leading batch axis of seeds, as one vmapped computation (spec
``elasticity.md`` §4.2; issue #11: empirical claims decide at the quick tier)."""

from __future__ import annotations

from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from aligntheory import _validate as VA
from aligntheory.errors import InvalidInputError
from aligntheory.kernels._common import check_precision_all
from aligntheory.kernels.elasticity._simulate import (
    DistillResult,
    FinetuneResult,
    ModelSpec,
    ProtocolData,
    Schedule,
    _ce,
    _distill_core,
    _finetune_core,
    _run_phase,
    init_params,
    model_logprobs,
)
from aligntheory.results import provenance

__all__ = ["stack_protocol_data", "sequential_finetune_batched", "distill_steps_batched"]

_DEFAULT_SCHEDULE = Schedule()


@provenance("R", source="ji2024language", where="§5 (as reported in secondary summaries); our protocol, spec elasticity.md §4.2")
def stack_protocol_data(datas: Any) -> ProtocolData:
    """Stack a sequence of :class:`ProtocolData` along a new leading batch axis.

    Returns
    -------
    ProtocolData
        Fields with a leading batch axis.

    Raises
    ------
    InvalidInputError
        An empty sequence or items that are not ProtocolData.

    Notes
    -----
    :math:`O(B C V)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> from aligntheory.kernels.elasticity import ModelSpec, Schedule, init_params, make_protocol_data
    >>> d = stack_protocol_data([make_protocol_data(s, C=16, V=32) for s in range(3)])
    >>> d.P_p.shape
    (3, 16, 32)
    """
    items = list(datas)
    if not items or not all(isinstance(d, ProtocolData) for d in items):
        raise InvalidInputError("datas", "must be a non-empty sequence of ProtocolData", received=type(datas).__name__)
    return ProtocolData(*(jnp.stack([jnp.asarray(getattr(d, f)) for d in items]) for f in ProtocolData._fields))


@partial(jax.jit, static_argnames=("opt", "T_t", "rho", "foreign_base"))
def _protocol_batched(init, init_foreign, data, T_p, lr_p, T_a, lr_a, lr_t, opt, T_t, rho, foreign_base):
    """Every member from its own initial parameters; ``T_p``/``T_a`` per member (batched)."""
    def one(p0, f0, d, tp, ta):
        base = _run_phase(p0, lambda p: _ce(model_logprobs(p), d.w_p, d.P_p), tp, lr_p, opt)
        foreign = (_run_phase(f0, lambda p: _ce(model_logprobs(p), d.w_p, d.P_foreign), tp, lr_p, opt)
                   if foreign_base else None)
        curves, y0, aligned = _finetune_core(base, foreign, d, ta, lr_a, lr_t, T_t, opt, rho)
        return curves, y0, base, aligned

    return jax.vmap(one)(init, init_foreign, data, T_p, T_a)


def _padded_init(keys, model: ModelSpec, caps: np.ndarray, fold: int | None) -> dict:
    """``init_params`` of member ``b`` at capacity ``caps[b]``, zero-padded to ``model.capacity``.

    The padded coordinates are an invariant subspace of the training dynamics (their gradient is
    exactly zero while they are zero, for GD and Adam alike), so member ``b`` computes the model of
    capacity ``caps[b]``."""
    out = None
    for c in np.unique(caps):
        idx = np.flatnonzero(caps == c)
        ks = keys[idx] if fold is None else jax.vmap(lambda k: jax.random.fold_in(k, fold))(keys[idx])
        spec = model._replace(capacity=int(c))
        p = jax.vmap(lambda k, spec=spec: init_params(k, spec))(ks)
        pad = int(model.capacity - c)
        if model.family == "lowrank":
            p = {"E": jnp.pad(p["E"], ((0, 0), (0, 0), (0, pad))), "O": jnp.pad(p["O"], ((0, 0), (0, 0), (0, pad))),
                 "b": p["b"]}
        else:
            p = {"E": p["E"], "W1": jnp.pad(p["W1"], ((0, 0), (0, 0), (0, pad))),
                 "b1": jnp.pad(p["b1"], ((0, 0), (0, pad))), "W2": jnp.pad(p["W2"], ((0, 0), (0, pad), (0, 0))),
                 "b": p["b"]}
        if out is None:
            out = {k: jnp.zeros((caps.size,) + v.shape[1:], jnp.float64) for k, v in p.items()}
        out = {k: out[k].at[idx].set(p[k]) for k in out}
    return out


def _per_member(name: str, value: Any, default: int, B: int, lo: int, hi: int | None = None) -> np.ndarray:
    if value is None:
        return np.full(B, default, dtype=np.int64)
    a = VA.as_real_array(name, value)
    if a.shape != (B,) or not np.all(np.isfinite(a)) or np.any(a != np.round(a)):
        raise InvalidInputError(name, f"must be {B} integers, one per batch member", received=str(value))
    a = a.astype(np.int64)
    if a.min() < lo or (hi is not None and a.max() > hi):
        raise InvalidInputError(name, f"entries must lie in [{lo}, {hi if hi is not None else 'inf'}]",
                                received=str(value))
    return a


@provenance("R", source="ji2024language", where="§5 (as reported in secondary summaries); our protocol, spec elasticity.md §4.2")
def sequential_finetune_batched(keys: Any, model: ModelSpec, data: ProtocolData, schedule: Schedule = _DEFAULT_SCHEDULE,
                                replay: float | None = None, *, foreign_base: bool = False, capacities: Any = None,
                                T_p: Any = None, T_a: Any = None) -> FinetuneResult:
    """:func:`sequential_finetune` over a leading batch axis of seeds, as one vmapped computation [R].

    Seed ``b`` uses ``keys[b]`` and the data ``data[b]`` (fields with a leading batch axis, see
    :func:`stack_protocol_data`); the schedule and model are shared. Five seeds cost little more
    than one (one compilation, one vectorised loop). Results carry the batch axis first:
    curves of shape (B, T_t + 1), ``y0`` of shape (B,), parameters with a leading B axis.

    Configurations can share one batch (and one compilation): ``capacities`` gives member ``b``
    the capacity ``capacities[b] <= model.capacity`` (its parameters are those of
    :func:`init_params` at that capacity, zero-padded to ``model.capacity``: the padded coordinates
    have exactly zero gradient while zero, so they stay zero and the member computes the smaller
    model), and ``T_p``/``T_a`` give per-member pre-training and alignment steps (``T_p = 0`` is
    the no-pre-training control). The loops run to the batch maximum with finished members frozen.

    Parameters
    ----------
    keys : PRNG keys, shape (B, 2)
    model : ModelSpec
    data : ProtocolData
        Every field with leading axis B.
    schedule : Schedule
    replay : float in [0, 1), optional
    foreign_base : bool, default False
        Also pre-train a foreign base per member on ``data.P_foreign`` and record ``kl_foreign`` (NaN otherwise).
    capacities : int array, shape (B,), optional
        Per-member capacity in ``[1, model.capacity]`` (default ``model.capacity`` for all).
    T_p, T_a : int arrays, shape (B,), optional
        Per-member steps overriding ``schedule.T_p`` / ``schedule.T_a``.

    Returns
    -------
    FinetuneResult
        Fields with a leading batch axis (parameters at the padded capacity).

    Notes
    -----
    :math:`O(B\\,(T_p+T_a+T_t)\\,C\\,V\\,r)` work; memory :math:`O(B\\,(T_t + C V))`.

    Raises
    ------
    InvalidInputError
        Invalid model, schedule, replay, key batch or data shapes; ``capacities``, ``T_p`` or
        ``T_a`` not B integers in range.
    PrecisionError
        float32 input or x64 off.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> from aligntheory.kernels.elasticity import ModelSpec, Schedule, init_params, make_protocol_data
    >>> d = stack_protocol_data([make_protocol_data(s, C=16, V=32) for s in range(2)])
    >>> r = sequential_finetune_batched(jax.random.split(jax.random.PRNGKey(0), 2),
    ...                                 ModelSpec(C=16, V=32, capacity=4), d, Schedule(T_p=50, T_a=20, T_t=30))
    >>> r.ce_a.shape, r.y0.shape
    ((2, 31), (2,))
    >>> r2 = sequential_finetune_batched(jax.random.split(jax.random.PRNGKey(0), 2), ModelSpec(C=16, V=32, capacity=4),
    ...                                  d, Schedule(T_p=50, T_a=20, T_t=30), capacities=[2, 4], T_p=[0, 50])
    >>> r2.params_base["E"].shape, float(abs(r2.params_aligned["E"][0, :, 2:]).max())
    ((2, 16, 4), 0.0)
    """
    check_precision_all("sequential_finetune_batched", P_p=data.P_p, P_a=data.P_a, P_t=data.P_t)
    if not isinstance(model, ModelSpec):
        raise InvalidInputError("model", "must be a ModelSpec", received=type(model).__name__)
    if schedule.optimizer not in ("adam", "gd"):
        raise InvalidInputError("schedule.optimizer", "must be 'adam' or 'gd'", received=schedule.optimizer)
    for name in ("T_p", "T_a", "T_t"):
        VA.check_int(f"schedule.{name}", getattr(schedule, name), lo=0 if name != "T_t" else 1)
    rho = 0.0 if replay is None else VA.check_scalar("replay", replay, lo=0.0, hi=1.0)
    if rho >= 1.0:
        raise InvalidInputError("replay", "must be < 1", received=rho)
    k = jnp.asarray(keys)
    if k.ndim != 2:
        raise InvalidInputError("keys", "must be a batch of PRNG keys, shape (B, 2)", received=f"shape {k.shape}")
    B = k.shape[0]
    if tuple(data.P_p.shape) != (B, model.C, model.V):
        raise InvalidInputError("data", f"P_p must have shape ({B}, {model.C}, {model.V})",
                                received=str(tuple(data.P_p.shape)))
    caps = _per_member("capacities", capacities, model.capacity, B, 1, model.capacity)
    tp = _per_member("T_p", T_p, schedule.T_p, B, 0)
    ta = _per_member("T_a", T_a, schedule.T_a, B, 0)
    init = _padded_init(k, model, caps, None)
    init_f = _padded_init(k, model, caps, 1) if foreign_base else init
    curves, y0, base, aligned = _protocol_batched(
        init, init_f, data, jnp.asarray(tp), jnp.float64(schedule.lr_p), jnp.asarray(ta),
        jnp.float64(schedule.lr_a), jnp.float64(schedule.lr_t), schedule.optimizer, int(schedule.T_t),
        float(rho), bool(foreign_base))
    c = np.asarray(curves)
    return FinetuneResult(c[..., 0], c[..., 1], c[..., 2], c[..., 3], c[..., 4], np.asarray(y0), base, aligned)


@partial(jax.jit, static_argnames=("max_steps", "opt"))
def _distill_batched(start, target, w_a, lr, max_steps, frac, opt):
    def one(s, t, w):
        return _distill_core(s, model_logprobs(t), w, lr, max_steps, frac, opt)

    return jax.vmap(one)(start, target, w_a)


@provenance("R", source="ji2024language", where="§5 (as reported in secondary summaries); our protocol, spec elasticity.md §4.2")
def distill_steps_batched(start: dict, target: dict, w_a: Any, *, lr: float = 3e-3, max_steps: int = 20000,
                          frac: float = 0.1, optimizer: str = "adam") -> DistillResult:
    """:func:`distill_steps` over a leading batch axis (parameters and ``w_a`` batched) [R].

    Parameters
    ----------
    start : dict
        Initial parameters, every leaf with leading axis B.
    target : dict
        Target parameters, every leaf with leading axis B.
    w_a : float64 array, shape (B, C)
        Prompt weights of each member's KL loss.
    lr : float, default 3e-3
        Learning rate.
    max_steps : int, default 20000
        Step cap per member (at least 1).
    frac : float, default 0.1
        A member stops once its KL is at most ``frac`` times its initial KL.
    optimizer : str, default "adam"
        ``"adam"`` or ``"gd"``.

    Returns
    -------
    DistillResult
        Fields of shape (B,).

    Raises
    ------
    InvalidInputError
        ``w_a`` not of shape (B, C); ``max_steps < 1``; ``optimizer`` not ``"adam"`` or ``"gd"``.
    PrecisionError
        float32 input or x64 off.

    Notes
    -----
    At most ``max_steps`` vectorised steps (the batch runs until every member stops).

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> from aligntheory.kernels.elasticity import ModelSpec, Schedule, init_params, make_protocol_data
    >>> m = ModelSpec(C=4, V=8, capacity=2)
    >>> ks = jax.random.split(jax.random.PRNGKey(0), 4)
    >>> a = jax.vmap(lambda k: init_params(k, m))(ks[:2])
    >>> b = jax.vmap(lambda k: init_params(k, m))(ks[2:])
    >>> r = distill_steps_batched(a, b, jax.numpy.full((2, 4), 0.25), lr=1e-2)
    >>> r.steps.shape, bool((r.final_kl <= 0.1 * r.initial_kl).all())
    ((2,), True)
    """
    W = jnp.asarray(w_a)
    check_precision_all("distill_steps_batched", w_a=W)
    n = VA.check_int("max_steps", max_steps, lo=1)
    VA.check_choice("optimizer", optimizer, ("adam", "gd"))
    if W.ndim != 2:
        raise InvalidInputError("w_a", "must have shape (B, C)", received=f"shape {tuple(W.shape)}")
    t, kl, kl0 = _distill_batched(start, target, W.astype(jnp.float64), jnp.float64(lr), n, jnp.float64(frac),
                                  optimizer)
    return DistillResult(np.asarray(t), np.asarray(kl), np.asarray(kl0))
