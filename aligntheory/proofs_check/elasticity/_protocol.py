"""Batched runs of the empirical protocol for the ``rebound_*`` claims (spec ``elasticity.md`` §4.2).

Every claim measures through the kernels' public batched entry point
:func:`~aligntheory.kernels.elasticity.sequential_finetune_batched`: the seeds *and* the
configurations of one claim (capacities, alignment steps, pre-training volumes) run as one vmapped
batch per model family and per pre-training setting, so one compilation serves the claim. The
pre-trained members and the no-pre-training controls run as two calls of the same shapes (one
compilation; the controls then cost no pre-training steps). Metrics come from the batched kernels
:func:`~aligntheory.kernels.elasticity.two_segment_fit_batched` and
:func:`~aligntheory.kernels.elasticity.first_crossing_batched`.

Seeds: :func:`protocol_seeds` draws the protocol seeds (data permutations and model
initialisation) from ``ctx.rng(SEED_STREAM)``; the claims share the stream, so the first ``n``
seeds of two claims coincide and a process that runs several claims reuses cached batches.
"""

from __future__ import annotations

import functools
import math
import resource

import numpy as np

from aligntheory.proofs_check._registry import Context

__all__ = ["FAMILIES", "SEED_STREAM", "T_T", "ProtocolRuns", "protocol_runs", "protocol_seeds", "mean_se", "r4",
           "cpu_clock"]

FAMILIES = ("lowrank", "mlp")
T_T = 1500
"""Perturbation steps of metrics 1-4 (spec §4.2)."""
SEED_STREAM = 11
"""The ``ctx.rng`` stream of the protocol seeds (shared by the four claims)."""


def protocol_seeds(ctx: Context, n: int) -> tuple[int, ...]:
    """``n`` protocol seeds from ``ctx.rng(SEED_STREAM)`` (the first ``m < n`` are those of ``n = m``).

    Examples
    --------
    >>> a, b = protocol_seeds(Context(seed=0), 3), protocol_seeds(Context(seed=0), 5)
    >>> a == b[:3], len(set(b))
    (True, 5)
    """
    return tuple(int(s) for s in ctx.rng(SEED_STREAM).integers(0, 2**31 - 1, size=n))


@functools.lru_cache(maxsize=64)
def _data(seed: int, N_p: float | None):
    import jax

    from aligntheory.kernels import elasticity as K

    d = K.make_protocol_data(seed)
    if N_p is not None:
        d = K.empirical_pretraining_data(jax.random.fold_in(jax.random.PRNGKey(seed), 99), d, N_p)
    return d


class ProtocolRuns:
    """Curves and metrics of one batch: ``ce_a`` (B, T_t + 1), ``y0`` (B,), ``fit`` (batched
    two-segment fit of the first ``T_T + 1`` points; None for runs shorter than 11 steps), ``s_x`` (first return to ``y0`` within the
    first ``T_T + 1`` points, -1 if none), ``s_x_long`` (the same over the whole run), parameters
    ``base``/``aligned`` (leading axis B), ``w_a`` (B, C), the KL curves, and ``cpu_s`` (process
    CPU seconds the batch took, compilation included)."""

    def __init__(self, res, w_a, cpu_s: float):
        from aligntheory.kernels import elasticity as K

        self.ce_a, self.y0 = np.asarray(res.ce_a), np.asarray(res.y0)
        head = self.ce_a[:, :T_T + 1]
        long_enough = head.shape[1] >= 12  # the fit needs 2 b_min + 2 points (a T_t = 1 batch reads parameters only)
        self.fit = K.two_segment_fit_batched(head) if long_enough else None
        self.s_x = K.first_crossing_batched(head, self.y0)
        self.s_x_long = K.first_crossing_batched(self.ce_a, self.y0)
        self.kl_base, self.kl_foreign = np.asarray(res.kl_base), np.asarray(res.kl_foreign)
        self.base, self.aligned, self.w_a = res.params_base, res.params_aligned, w_a
        self.cpu_s = cpu_s


def cpu_clock() -> float:
    """Process CPU seconds (user + system), the cost measure quoted in the evidence (the wall clock of
    a shared machine says little)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


@functools.lru_cache(maxsize=32)
def protocol_runs(family: str, members: tuple, *, max_cap: int, pretrained: bool = True, T_t: int = T_T,
                  optimizer: str = "adam", foreign: bool = False) -> ProtocolRuns:
    """One vmapped batch of the protocol; ``members`` is a tuple of ``(seed, capacity, T_a, N_p)``
    (``N_p`` None: the population pre-training data); ``T_p = 1000`` if ``pretrained`` else 0.

    Member ``(seed, ...)`` uses the data ``make_protocol_data(seed)`` (with ``N_p`` pre-training
    samples drawn by ``empirical_pretraining_data`` under ``fold_in(PRNGKey(seed), 99)``) and the
    initialisation key ``PRNGKey(seed)``; the model is ``ModelSpec(family, capacity=max_cap)`` with
    member capacities zero-padded (the kernel's ``capacities=``).
    """
    import jax
    import jax.numpy as jnp

    from aligntheory.kernels import elasticity as K

    c0 = cpu_clock()
    data = K.stack_protocol_data([_data(s, n) for s, _, _, n in members])
    keys = jnp.stack([jax.random.PRNGKey(s) for s, _, _, _ in members])
    sched = (K.Schedule() if optimizer == "adam" else K.GD_SCHEDULE)._replace(T_p=1000 if pretrained else 0, T_t=T_t)
    res = K.sequential_finetune_batched(keys, K.ModelSpec(family=family, capacity=max_cap), data, sched,
                                        foreign_base=foreign, capacities=[c for _, c, _, _ in members],
                                        T_a=[a for _, _, a, _ in members])
    return ProtocolRuns(res, data.w_a, cpu_clock() - c0)


def mean_se(values) -> dict:
    """Mean and standard error over the finite values.

    Examples
    --------
    >>> mean_se([1.0, 2.0, 3.0])
    {'mean': 2.0, 'se': 0.57735, 'n': 3}
    """
    v = np.asarray([x for x in values if x is not None and math.isfinite(x)], float)
    if v.size == 0:
        return {"mean": None, "se": None, "n": 0}
    se = float(np.std(v, ddof=1) / np.sqrt(v.size)) if v.size > 1 else None
    return {"mean": round(float(v.mean()), 5), "se": None if se is None else round(se, 5), "n": int(v.size)}


def r4(x, nd: int = 4):
    """Round for the evidence (None passes).

    Examples
    --------
    >>> r4(1.234567), r4(None)
    (1.2346, None)
    """
    return None if x is None else round(float(x), nd)
