"""Empirical resistance/rebound protocol: sequential fine-tuning of small language models [R].

Spec ``elasticity.md`` §4.2 "Empirical protocol" (reconstruction; the full text was not available
to us). A conditional language model over C prompts ("contexts"; think of them as token-tree
prefixes) and V response tokens is pre-trained on :math:`P_p`, aligned on :math:`P_a` (8 prompts,
8 tokens :math:`S_a`) and then perturbed on :math:`P_t` (same prompts, a disjoint token set
:math:`S_t`), with population (full-batch) cross-entropies in float64 and Adam (fresh state per
phase) or plain GD. Two model families:

- ``"lowrank"`` (spec default): :math:`\\log q(y\\mid x) = \\mathrm{logsoftmax}(E_xO^\\top + b)_y`,
  :math:`E\\in\\mathbb R^{C\\times r}`, :math:`O\\in\\mathbb R^{V\\times r}`; capacity :math:`r`.
- ``"mlp"`` (beyond the spec): a one-hidden-layer MLP, prompt embedding (dim 16) →
  :math:`\\tanh` hidden layer of width :math:`h` → V logits; capacity :math:`h`.

Nothing here is a theorem: the curves are measured (spec §3 E10 shows the exact mixture does not
produce the two-phase shape). The change-point fit and other metrics are numpy.
"""

from __future__ import annotations

from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from aligntheory import _validate as VA
from aligntheory.errors import InvalidInputError
from aligntheory.kernels._common import check_precision_all
from aligntheory.results import provenance

__all__ = [
    "ModelSpec",
    "ProtocolData",
    "Schedule",
    "GD_SCHEDULE",
    "FinetuneResult",
    "init_params",
    "model_logprobs",
    "make_protocol_data",
    "empirical_pretraining_data",
    "pretrain",
    "sequential_finetune",
    "distill_steps",
    "DistillResult",
]

MLP_EMBED = 16


@provenance("R", source="ji2024language", where="§5 (as reported in secondary summaries); our protocol, spec elasticity.md §4.2")
class ModelSpec(NamedTuple):
    """Model family (``"lowrank"`` or ``"mlp"``), prompts C, tokens V and capacity (rank r or width h).

    Attributes
    ----------
    family : str, default "lowrank"
        ``"lowrank"`` (logits :math:`E_xO^\\top + b`) or ``"mlp"`` (one tanh hidden layer).
    C : int, default 32
        Number of prompts (contexts).
    V : int, default 256
        Number of response tokens.
    capacity : int, default 8
        Rank :math:`r` (``"lowrank"``) or hidden width :math:`h` (``"mlp"``).
    """

    family: str = "lowrank"
    C: int = 32
    V: int = 256
    capacity: int = 8


@provenance("R", source="ji2024language", where="§5 (as reported in secondary summaries); our protocol, spec elasticity.md §4.2")
class ProtocolData(NamedTuple):
    """Prompt weights and conditionals, all float64: ``w_p`` (C,), ``P_p`` (C, V), ``w_a`` (C,),
    ``P_a`` (C, V), ``P_t`` (C, V), ``P_foreign`` (C, V); ``S_a``/``S_t`` token masks (V,)."""

    w_p: jax.Array
    P_p: jax.Array
    w_a: jax.Array
    P_a: jax.Array
    P_t: jax.Array
    P_foreign: jax.Array
    S_a: jax.Array
    S_t: jax.Array


@provenance("R", source="ji2024language", where="§5 (as reported in secondary summaries); our protocol, spec elasticity.md §4.2")
class Schedule(NamedTuple):
    """Steps and learning rates of the three phases (spec §4.2 defaults); ``optimizer`` "adam" or "gd".

    Attributes
    ----------
    T_p : int, default 1000
        Pre-training steps (``0``: the no-pre-training control).
    T_a : int, default 300
        Alignment steps.
    T_t : int, default 1500
        Perturbation steps (at least 1).
    lr_p : float, default 3e-2
        Pre-training learning rate.
    lr_a : float, default 3e-3
        Alignment learning rate.
    lr_t : float, default 3e-3
        Perturbation learning rate.
    optimizer : str, default "adam"
        ``"adam"`` (fresh state per phase) or ``"gd"`` (plain gradient descent).
    """

    T_p: int = 1000
    T_a: int = 300
    T_t: int = 1500
    lr_p: float = 3e-2
    lr_a: float = 3e-3
    lr_t: float = 3e-3
    optimizer: str = "adam"


GD_SCHEDULE = Schedule(lr_p=3.0, lr_a=1.0, lr_t=1.0, optimizer="gd")
"""The plain-GD optimiser control of spec ``elasticity.md`` §4.2: learning rate 3 for pre-training, 1 for the
alignment and perturbation phases, the default step counts of :class:`Schedule`."""


@provenance("R", source="ji2024language", where="§5 (as reported in secondary summaries); our protocol, spec elasticity.md §4.2")
class FinetuneResult(NamedTuple):
    """Curves along the perturbation phase (index s = 0..T_t) and the three checkpoints.

    ``ce_a`` is :math:`y(s)`; ``y0`` is the same quantity at the pre-trained base (the
    initialisation when ``T_p = 0``); ``kl_base``/``kl_foreign`` are
    :math:`\\sum_{x\\in C_a}w_a\\mathrm{KL}(q_{\\rm base}\\|q_s)` (NaN when no foreign base was trained).
    """

    ce_a: np.ndarray
    ce_p: np.ndarray
    m_a: np.ndarray
    kl_base: np.ndarray
    kl_foreign: np.ndarray
    y0: float
    params_base: Any
    params_aligned: Any


@provenance("R", source="ji2024language", where="§5 (as reported in secondary summaries); our protocol, spec elasticity.md §4.2")
class DistillResult(NamedTuple):
    """Distillation steps to reach ``frac`` of the initial KL (``steps == max_steps``: not reached),
    the final and the initial KL."""

    steps: Any
    final_kl: Any
    initial_kl: Any


# ----------------------------------------------------------------------------------------------
# models


@provenance("R", source="ji2024language", where="§5 (as reported in secondary summaries); our protocol, spec elasticity.md §4.2")
def init_params(key: Any, model: ModelSpec) -> dict:
    """Initial parameters: :math:`\\mathcal N(0, 0.1^2)` weights, zero biases (spec §4.2).

    Returns
    -------
    dict
        ``E, O, b`` (low-rank) or ``E, W1, b1, W2, b`` (MLP), float64.

    Raises
    ------
    InvalidInputError
        Unknown ``model.family``.

    Notes
    -----
    :math:`O(C r + V r)` (low-rank) memory.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> p = init_params(jax.random.PRNGKey(0), ModelSpec(C=4, V=6, capacity=2))
    >>> sorted(p), p["E"].shape
    (['E', 'O', 'b'], (4, 2))
    """
    C, Vv, r = model.C, model.V, model.capacity
    k1, k2, k3 = jax.random.split(key, 3)
    if model.family == "lowrank":
        return {"E": 0.1 * jax.random.normal(k1, (C, r), jnp.float64),
                "O": 0.1 * jax.random.normal(k2, (Vv, r), jnp.float64),
                "b": jnp.zeros(Vv, jnp.float64)}
    if model.family == "mlp":
        return {"E": 0.1 * jax.random.normal(k1, (C, MLP_EMBED), jnp.float64),
                "W1": 0.1 * jax.random.normal(k2, (MLP_EMBED, r), jnp.float64),
                "b1": jnp.zeros(r, jnp.float64),
                "W2": 0.1 * jax.random.normal(k3, (r, Vv), jnp.float64),
                "b": jnp.zeros(Vv, jnp.float64)}
    raise InvalidInputError("model.family", "must be 'lowrank' or 'mlp'", received=model.family)


def _logits(params: dict) -> jax.Array:
    if "O" in params:
        return params["E"] @ params["O"].T + params["b"]
    return jnp.tanh(params["E"] @ params["W1"] + params["b1"]) @ params["W2"] + params["b"]


@provenance("R", source="ji2024language", where="§5 (as reported in secondary summaries); our protocol, spec elasticity.md §4.2")
def model_logprobs(params: dict) -> jax.Array:
    """:math:`\\log q_\\theta(y\\mid x)` for every prompt, shape (C, V) (family read from the keys).

    Returns
    -------
    jax.Array, shape (C, V)

    Raises
    ------
    KeyError
        Parameters that are not from :func:`init_params`.

    Notes
    -----
    :math:`O(C V r)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> lq = model_logprobs(init_params(jax.random.PRNGKey(0), ModelSpec(C=3, V=5, capacity=2)))
    >>> lq.shape, bool(abs(float(jax.numpy.exp(lq).sum()) - 3.0) < 1e-12)
    ((3, 5), True)
    """
    return jax.nn.log_softmax(_logits(params), axis=-1)


# ----------------------------------------------------------------------------------------------
# data


def _zipf(n: int, s: float) -> np.ndarray:
    w = np.arange(1, n + 1, dtype=np.float64) ** (-s)
    return w / w.sum()


@provenance("R", source="ji2024language", where="§5 (as reported in secondary summaries); our protocol, spec elasticity.md §4.2")
def make_protocol_data(seed: int, *, C: int = 32, V: int = 256, align_contexts: tuple[int, int] = (4, 12),
                       n_tokens: int = 8, s_ctx: float = 1.0, s_tok: float = 1.1) -> ProtocolData:
    """The protocol's population data (spec §4.2 "Data") from a numpy seed.

    Prompt weights Zipf(``s_ctx``); :math:`P_p(\\cdot\\mid x)` Zipf(``s_tok``) under an independent
    random permutation per prompt (full rank); alignment prompts ``range(*align_contexts)``
    weighted uniformly; :math:`P_a` uniform on :math:`S_a` = tokens 0..7, :math:`P_t` uniform on the
    disjoint :math:`S_t` = tokens 8..15 (opposite-behaviour configuration); the foreign base uses
    fresh permutations of the same Zipf law.

    Parameters
    ----------
    seed : int
        Non-negative numpy seed.
    C : int, default 32
        Number of prompts; at least ``align_contexts[1]``.
    V : int, default 256
        Number of tokens; at least ``2 * n_tokens``.
    align_contexts : tuple of int, default (4, 12)
        The alignment prompts are ``range(*align_contexts)``.
    n_tokens : int, default 8
        Size of each of the token sets :math:`S_a` (tokens ``0..n_tokens-1``) and :math:`S_t` (the next
        ``n_tokens``).
    s_ctx : float, default 1.0
        Zipf exponent of the prompt weights :math:`w_p`.
    s_tok : float, default 1.1
        Zipf exponent of the pre-training conditionals :math:`P_p(\\cdot\\mid x)`.

    Returns
    -------
    ProtocolData

    Raises
    ------
    InvalidInputError
        Negative seed, ``C`` smaller than the alignment prompts, ``V < 2 n_tokens``.

    Notes
    -----
    :math:`O(C V)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> d = make_protocol_data(0, C=16, V=32)
    >>> d.P_p.shape, float(d.w_a.sum()), float(d.P_a[5, :8].sum())
    ((16, 32), 1.0, 1.0)
    """
    s = VA.check_int("seed", seed, lo=0)
    C = VA.check_int("C", C, lo=align_contexts[1])
    Vv = VA.check_int("V", V, lo=2 * n_tokens)
    rng = np.random.default_rng([s, 7001])
    z = _zipf(Vv, s_tok)
    Pp = np.stack([z[rng.permutation(Vv)] for _ in range(C)])
    Pf = np.stack([z[rng.permutation(Vv)] for _ in range(C)])
    w_p = _zipf(C, s_ctx)
    w_a = np.zeros(C)
    w_a[align_contexts[0]:align_contexts[1]] = 1.0 / (align_contexts[1] - align_contexts[0])
    S_a = np.zeros(Vv)
    S_a[:n_tokens] = 1.0
    S_t = np.zeros(Vv)
    S_t[n_tokens:2 * n_tokens] = 1.0
    Pa = np.tile(S_a / n_tokens, (C, 1))
    Pt = np.tile(S_t / n_tokens, (C, 1))
    return ProtocolData(*(jnp.asarray(a) for a in (w_p, Pp, w_a, Pa, Pt, Pf, S_a, S_t)))


@provenance("R", source="ji2024language", where="§5 (as reported in secondary summaries); our protocol, spec elasticity.md §4.2")
def empirical_pretraining_data(key: Any, data: ProtocolData, N_p: float, pseudo: float = 0.5) -> ProtocolData:
    """Replace :math:`(w_p, P_p)` by the empirical joint of ``N_p`` sampled (prompt, token) pairs.

    Spec §4.2 "pre-training volume": counts :math:`n\\sim\\mathrm{Mult}(N_p, w_p(x)P_p(y\\mid x))`,
    then :math:`\\hat P(x,y)\\propto n_{xy}+` ``pseudo`` (0.5 per cell), split into prompt weights
    and conditionals. Sampling uses :func:`aligntheory.kernels.elasticity.sample_counts`.

    Parameters
    ----------
    key : PRNG key
        Key of the multinomial draw.
    data : ProtocolData
        Supplies the population :math:`(w_p, P_p)`; the other fields are kept.
    N_p : float
        Number of sampled pairs (positive; rounded to an integer).
    pseudo : float, default 0.5
        Pseudo-count added to every (prompt, token) cell.

    Returns
    -------
    ProtocolData
        With ``w_p``, ``P_p`` replaced.

    Raises
    ------
    InvalidInputError
        ``N_p <= 0`` or non-finite; the errors of :func:`~aligntheory.kernels.elasticity.sample_counts`.

    Notes
    -----
    :math:`O(C V)` binomial draws.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> d = empirical_pretraining_data(jax.random.PRNGKey(0), make_protocol_data(0, C=16, V=32), 1000.0)
    >>> round(float(d.w_p.sum()), 12), round(float(d.P_p.sum()), 9)
    (1.0, 16.0)
    """
    from aligntheory.kernels.elasticity._sampling import sample_counts

    n = VA.check_scalar("N_p", N_p, positive=True)
    joint = np.asarray(data.w_p)[:, None] * np.asarray(data.P_p)
    joint = joint / joint.sum()
    counts = np.asarray(sample_counts(key, joint.ravel(), float(round(n)))).reshape(joint.shape) + pseudo
    w = counts.sum(axis=1)
    return data._replace(w_p=jnp.asarray(w / w.sum()), P_p=jnp.asarray(counts / w[:, None]))


# ----------------------------------------------------------------------------------------------
# training


def _ce(lq, w, P):
    return -jnp.sum(w * jnp.sum(P * lq, axis=1))


def _apply(carry, g, lr, opt: str):
    """One GD or Adam update of ``carry = (params, m, v, t)`` with the gradient ``g``."""
    params, m, v, t = carry
    t = t + 1
    if opt == "gd":
        params = jax.tree_util.tree_map(lambda p, gg: p - lr * gg, params, g)
        return params, m, v, t
    m = jax.tree_util.tree_map(lambda a, gg: 0.9 * a + 0.1 * gg, m, g)
    v = jax.tree_util.tree_map(lambda a, gg: 0.999 * a + 0.001 * gg * gg, v, g)
    tt = t.astype(jnp.float64)
    c1, c2 = 1.0 - 0.9**tt, 1.0 - 0.999**tt
    params = jax.tree_util.tree_map(lambda p, a, b: p - lr * (a / c1) / (jnp.sqrt(b / c2) + 1e-8), params, m, v)
    return params, m, v, t


def _step(opt: str):
    def step(carry, grad_fn, lr):
        return _apply(carry, grad_fn(carry[0]), lr, opt)

    return step


def _fresh(params):
    z = jax.tree_util.tree_map(jnp.zeros_like, params)
    return (params, z, jax.tree_util.tree_map(jnp.zeros_like, params), jnp.int64(0))


def _run_phase(params, loss, n_steps, lr, opt):
    """``n_steps`` (traced) optimiser steps on ``loss`` with fresh optimiser state."""
    step = _step(opt)
    g = jax.grad(loss)
    carry = lax.fori_loop(0, n_steps, lambda i, c: step(c, g, lr), _fresh(params))
    return carry[0]


@partial(jax.jit, static_argnames=("model", "opt"))
def _pretrain_core(key, w_p, P_p, T_p, lr, model, opt):
    params = init_params(key, model)
    return _run_phase(params, lambda p: _ce(model_logprobs(p), w_p, P_p), T_p, lr, opt)


@provenance("R", source="ji2024language", where="§5 (as reported in secondary summaries); our protocol, spec elasticity.md §4.2")
def pretrain(key: Any, model: ModelSpec, w_p: Any, P_p: Any, T_p: int, lr: float = 3e-2,
             optimizer: str = "adam") -> dict:
    """Initialise (key) and pre-train for ``T_p`` steps on :math:`\\sum_x w_p\\,\\mathrm{CE}(P_p, q)` [R].

    ``T_p = 0`` returns the initialisation (the no-pre-training control).

    Parameters
    ----------
    key : PRNG key
        Initialisation of the model.
    model : ModelSpec
    w_p : float64 array, shape (C,)
        Prompt weights.
    P_p : float64 array, shape (C, V)
        Pre-training conditionals.
    T_p : int
        Number of full-batch steps (non-negative).
    lr : float, default 3e-2
        Learning rate.
    optimizer : str, default "adam"
        ``"adam"`` or ``"gd"``.

    Returns
    -------
    dict
        Parameters after ``T_p`` steps.

    Raises
    ------
    InvalidInputError
        Negative ``T_p``; ``optimizer`` not ``"adam"`` or ``"gd"``.
    PrecisionError
        float32 input or x64 off.

    Notes
    -----
    :math:`T_p` full-batch steps of cost :math:`O(C V r)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> d = make_protocol_data(0, C=16, V=32)
    >>> m = ModelSpec(C=16, V=32, capacity=4)
    >>> p = pretrain(jax.random.PRNGKey(0), m, d.w_p, d.P_p, 200)
    >>> p["E"].shape
    (16, 4)
    """
    check_precision_all("pretrain", w_p=w_p, P_p=P_p)
    T = VA.check_int("T_p", T_p, lo=0)
    VA.check_choice("optimizer", optimizer, ("adam", "gd"))  # anything else would silently run Adam
    return _pretrain_core(key, jnp.asarray(w_p, jnp.float64), jnp.asarray(P_p, jnp.float64), jnp.int64(T),
                          jnp.float64(lr), model, optimizer)


def _kl_rows(lp, lq):
    return jnp.sum(jnp.exp(lp) * (lp - lq), axis=1)


@partial(jax.jit, static_argnames=("T_t", "opt", "rho"))
def _finetune_core(base, foreign, data, T_a, lr_a, lr_t, T_t, opt, rho):
    w_p, P_p, w_a, P_a, P_t = data.w_p, data.P_p, data.w_a, data.P_a, data.P_t

    def mixed_lq(lq, P):
        main = _ce(lq, w_a, P)
        return main if rho == 0.0 else (1.0 - rho) * main + rho * _ce(lq, w_p, P_p)

    def mixed(P):
        return lambda p: mixed_lq(model_logprobs(p), P)

    aligned = _run_phase(base, mixed(P_a), T_a, lr_a, opt)
    lq_base = model_logprobs(base)
    lq_for = model_logprobs(foreign) if foreign is not None else None

    def loss_t(p):  # the perturbation loss and, as auxiliary output, the log-probabilities the metrics read
        lq = model_logprobs(p)
        return mixed_lq(lq, P_t), lq

    vg = jax.value_and_grad(loss_t, has_aux=True)

    def metrics(lq):
        kl_b = jnp.sum(w_a * _kl_rows(lq_base, lq))
        kl_f = jnp.sum(w_a * _kl_rows(lq_for, lq)) if lq_for is not None else jnp.float64(jnp.nan)
        m_a = jnp.sum(w_a * jnp.sum(jnp.exp(lq) * data.S_a, axis=1))
        return jnp.stack([_ce(lq, w_a, P_a), _ce(lq, w_p, P_p), m_a, kl_b, kl_f])

    def body(carry, _):
        (_, lq), g = vg(carry[0])  # one forward pass serves the metrics (before the step) and the gradient
        return _apply(carry, g, lr_t, opt), metrics(lq)

    carry, curves = lax.scan(body, _fresh(aligned), None, length=T_t)
    curves = jnp.concatenate([curves, metrics(model_logprobs(carry[0]))[None]], axis=0)
    y0 = _ce(lq_base, w_a, P_a)
    return curves, y0, aligned


@provenance("R", source="ji2024language", where="§5 (as reported in secondary summaries); our protocol, spec elasticity.md §4.2")
def sequential_finetune(key: Any, model: ModelSpec, data: ProtocolData, schedule: Schedule = Schedule(),
                        replay: float | None = None, *, foreign_base: bool = False) -> FinetuneResult:
    """Pre-train → align → perturb, recording the perturbation curves [R].

    Spec §4.2 (reconstruction; the full text was not available to us); the paper's experimental
    protocol (Ji et al., arXiv 2406.06144, §5, as reported in secondary summaries) without replay.
    With ``replay = ρ`` each later phase minimises :math:`(1-\\rho)L_{\\rm phase} + \\rho L_p`
    (interpolating towards the E1 mixture). ``schedule.T_p = 0`` is the no-pre-training control.
    Curves: :math:`y(s)=\\mathrm{CE}_a`, :math:`\\mathrm{CE}_p`, alignment mass :math:`m_a`, KL to
    the own base and (with ``foreign_base``) to a base pre-trained identically on ``data.P_foreign``.

    Parameters
    ----------
    key : PRNG key
        Initialisation of the model (the foreign base uses ``fold_in(key, 1)``).
    model : ModelSpec
    data : ProtocolData
    schedule : Schedule
    replay : float in [0, 1), optional
    foreign_base : bool, default False
        Also pre-train a foreign base on ``data.P_foreign`` and record ``kl_foreign`` (NaN otherwise).

    Returns
    -------
    FinetuneResult

    Complexity
    ----------
    :math:`(T_p+T_a+T_t)` full-batch steps of cost :math:`O(C\\,V\\,r)`.

    Raises
    ------
    InvalidInputError
        Invalid model, schedule, replay or data shapes.
    PrecisionError
        float32 input or x64 off.

    Notes
    -----
    :math:`(T_p+T_a+T_t)` full-batch steps of cost :math:`O(C V r)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> d = make_protocol_data(0, C=16, V=32)
    >>> r = sequential_finetune(jax.random.PRNGKey(0), ModelSpec(C=16, V=32, capacity=4), d,
    ...                         Schedule(T_p=100, T_a=50, T_t=100))
    >>> r.ce_a.shape, bool(r.ce_a[-1] > r.ce_a[0])
    ((101,), True)
    """
    check_precision_all("sequential_finetune", P_p=data.P_p, P_a=data.P_a, P_t=data.P_t)
    if not isinstance(model, ModelSpec):
        raise InvalidInputError("model", "must be a ModelSpec", received=type(model).__name__)
    if schedule.optimizer not in ("adam", "gd"):
        raise InvalidInputError("schedule.optimizer", "must be 'adam' or 'gd'", received=schedule.optimizer)
    for name in ("T_p", "T_a", "T_t"):
        VA.check_int(f"schedule.{name}", getattr(schedule, name), lo=0 if name != "T_t" else 1)
    rho = 0.0 if replay is None else VA.check_scalar("replay", replay, lo=0.0, hi=1.0)
    if rho >= 1.0:
        raise InvalidInputError("replay", "must be < 1", received=rho)
    if data.P_p.shape != (model.C, model.V):
        raise InvalidInputError("data", f"P_p must have shape ({model.C}, {model.V})", received=str(data.P_p.shape))
    base = pretrain(key, model, data.w_p, data.P_p, schedule.T_p, schedule.lr_p, schedule.optimizer)
    foreign = None
    if foreign_base:
        foreign = pretrain(jax.random.fold_in(key, 1), model, data.w_p, data.P_foreign, schedule.T_p,
                           schedule.lr_p, schedule.optimizer)
    curves, y0, aligned = _finetune_core(base, foreign, data, jnp.int64(schedule.T_a), jnp.float64(schedule.lr_a),
                                         jnp.float64(schedule.lr_t), int(schedule.T_t), schedule.optimizer, float(rho))
    c = np.asarray(curves)
    return FinetuneResult(c[:, 0], c[:, 1], c[:, 2], c[:, 3], c[:, 4], float(y0), base, aligned)


@partial(jax.jit, static_argnames=("max_steps", "opt"))
def _distill_core(start, target_lq, w_a, lr, max_steps, frac, opt):
    def loss(p):
        return jnp.sum(w_a * _kl_rows(target_lq, model_logprobs(p)))

    g = jax.grad(loss)
    step = _step(opt)
    kl0 = loss(start)

    def cond(st):
        carry, kl = st
        return (kl > frac * kl0) & (carry[3] < max_steps)

    def body(st):
        carry, _ = st
        carry = step(carry, g, lr)
        return carry, loss(carry[0])

    carry, kl = lax.while_loop(cond, body, (_fresh(start), kl0))
    return carry[3], kl, kl0


@provenance("R", source="ji2024language", where="§5 (as reported in secondary summaries); our protocol, spec elasticity.md §4.2")
def distill_steps(start: dict, target: dict, w_a: Any, *, lr: float = 3e-3, max_steps: int = 20000,
                  frac: float = 0.1, optimizer: str = "adam") -> DistillResult:
    """Steps for ``start`` distilled towards ``target`` (loss :math:`\\sum_x w_a\\mathrm{KL}(q_{\\rm target}\\|q)`)
    to reach ``frac`` of the initial KL (spec §4.2 metric 3) [R].

    Returns a :class:`DistillResult` ``(steps, final_kl, initial_kl)``; ``steps == max_steps`` means not reached.

    Parameters
    ----------
    start : dict
        Initial parameters (from :func:`init_params` or training).
    target : dict
        Parameters of the target model :math:`q_{\\rm target}`.
    w_a : float64 array, shape (C,)
        Prompt weights of the KL loss.
    lr : float, default 3e-3
        Learning rate.
    max_steps : int, default 20000
        Step cap (at least 1).
    frac : float, default 0.1
        Stop once the KL is at most ``frac`` times the initial KL.
    optimizer : str, default "adam"
        ``"adam"`` or ``"gd"``.

    Raises
    ------
    InvalidInputError
        ``max_steps < 1``; ``optimizer`` not ``"adam"`` or ``"gd"``.
    PrecisionError
        float32 input or x64 off.

    Notes
    -----
    At most ``max_steps`` steps of cost :math:`O(C V r)`.

    Examples
    --------
    >>> import jax; jax.config.update("jax_enable_x64", True)
    >>> m = ModelSpec(C=4, V=8, capacity=2)
    >>> a, b = init_params(jax.random.PRNGKey(0), m), init_params(jax.random.PRNGKey(1), m)
    >>> s, kl, kl0 = distill_steps(a, b, jax.numpy.full(4, 0.25), lr=1e-2)
    >>> bool(kl <= 0.1 * kl0), s > 0
    (True, True)
    """
    check_precision_all("distill_steps", w_a=w_a)
    n = VA.check_int("max_steps", max_steps, lo=1)
    VA.check_choice("optimizer", optimizer, ("adam", "gd"))
    t, kl, kl0 = _distill_core(start, model_logprobs(target), jnp.asarray(w_a, jnp.float64), jnp.float64(lr), n,
                               jnp.float64(frac), optimizer)
    return DistillResult(int(t), float(kl), float(kl0))
