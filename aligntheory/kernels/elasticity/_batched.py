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
    _distill_core,
    _finetune_core,
    _pretrain_core,
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


@partial(jax.jit, static_argnames=("model", "opt", "T_t", "rho", "foreign_base"))
def _protocol_batched(keys, data, T_p, lr_p, T_a, lr_a, lr_t, model, opt, T_t, rho, foreign_base):
    def one(key, d):
        base = _pretrain_core(key, d.w_p, d.P_p, T_p, lr_p, model, opt)
        foreign = (_pretrain_core(jax.random.fold_in(key, 1), d.w_p, d.P_foreign, T_p, lr_p, model, opt)
                   if foreign_base else None)
        curves, y0, aligned = _finetune_core(base, foreign, d, T_a, lr_a, lr_t, T_t, opt, rho)
        return curves, y0, base, aligned

    return jax.vmap(one)(keys, data)


@provenance("R", source="ji2024language", where="§5 (as reported in secondary summaries); our protocol, spec elasticity.md §4.2")
def sequential_finetune_batched(keys: Any, model: ModelSpec, data: ProtocolData, schedule: Schedule = _DEFAULT_SCHEDULE,
                                replay: float | None = None, *, foreign_base: bool = False) -> FinetuneResult:
    """:func:`sequential_finetune` over a leading batch axis of seeds, as one vmapped computation [R].

    Seed ``b`` uses ``keys[b]`` and the data ``data[b]`` (fields with a leading batch axis, see
    :func:`stack_protocol_data`); the schedule and model are shared. Five seeds cost little more
    than one (one compilation, one vectorised loop). Results carry the batch axis first:
    curves of shape (B, T_t + 1), ``y0`` of shape (B,), parameters with a leading B axis.

    Parameters
    ----------
    keys : PRNG keys, shape (B, 2)
    model : ModelSpec
    data : ProtocolData
        Every field with leading axis B.
    schedule : Schedule
    replay : float in [0, 1), optional
    foreign_base : bool

    Returns
    -------
    FinetuneResult
        Fields with a leading batch axis.

    Notes
    -----
    :math:`O(B\\,(T_p+T_a+T_t)\\,C\\,V\\,r)` work; memory :math:`O(B\\,(T_t + C V))`.

    Raises
    ------
    InvalidInputError
        Invalid model, schedule, replay, key batch or data shapes.
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
    curves, y0, base, aligned = _protocol_batched(
        k, data, jnp.int64(schedule.T_p), jnp.float64(schedule.lr_p), jnp.int64(schedule.T_a),
        jnp.float64(schedule.lr_a), jnp.float64(schedule.lr_t), model, schedule.optimizer, int(schedule.T_t),
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

    Returns
    -------
    DistillResult
        Fields of shape (B,).

    Raises
    ------
    InvalidInputError
        ``w_a`` not of shape (B, C); ``max_steps < 1``.
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
    if W.ndim != 2:
        raise InvalidInputError("w_a", "must have shape (B, C)", received=f"shape {tuple(W.shape)}")
    t, kl, kl0 = _distill_batched(start, target, W.astype(jnp.float64), jnp.float64(lr), n, jnp.float64(frac),
                                  optimizer)
    return DistillResult(np.asarray(t), np.asarray(kl), np.asarray(kl0))
