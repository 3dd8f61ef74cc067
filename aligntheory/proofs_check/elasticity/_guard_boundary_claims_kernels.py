"""Guard-condition claims (issue 11, round 10): every condition of every raising guard of the elasticity kernels decides a row.

``elasticity.guard_conditions_kernels`` (a ``contract`` claim) calls the public functions of
``aligntheory.kernels.elasticity`` on inputs that make EACH atomic condition of a compound guard hold alone
(refused, with the error class of ``aligntheory.errors``, the argument it names and a substring of its documented
message), and on inputs exactly at each comparison's edge on the accepted side.

Most accepted rows cost no compilation: an input that passes a guard is shown to pass by the NEXT documented
refusal (equal leaf counts of ``P_p, P_a, P_t`` are followed by the refusal of ``ks = 0``; a valid ``key`` by the
size cap ``max_leaves = 0``; valid ``capacities`` by a bad ``T_p``), or by ``jax.eval_shape``, which traces the
kernel without compiling it (``validate=True`` refuses traced input, ``validate=False`` is the documented
unchecked path). The few evaluated rows reuse the docstring examples and are checked against closed forms:
the two-segment fit of an exactly piecewise-linear series recovers its breakpoint and slopes, the first crossing
is the first index with ``y >= level``, the pooled MLE is ``(sum counts + beta) / total``, the size mixture is
``sum_i n_i P_i / sum_i n_i``, pruning a uniform tree sums the leaves under each depth-``d`` node.
The table is fixed in advance and reads no seed. Registered by the package import of ``proofs_check/elasticity``.
"""

from __future__ import annotations

import numpy as np

from aligntheory.errors import InvalidInputError, SizeCapError
from aligntheory.proofs_check._helpers import ContractCase, contract_evidence
from aligntheory.proofs_check._registry import Context, Evidence, Source, claim

_IIE = InvalidInputError
_EPS = float(np.finfo(np.float64).eps)
_PP, _PA, _PT = [0.5, 0.5], [1.0, 0.0], [0.0, 1.0]  # the docstrings' two-leaf problem


def _ok(label, call, arg, match=None, err=_IIE):
    """A row ACCEPTED by the guard under test, witnessed by the next documented refusal (``arg``)."""
    return ContractCase(label + " passes the guard (then refused naming " + str(arg) + ")", call, (err, arg), match)


def _no(label, call, arg, match=None, err=_IIE):
    return ContractCase(label + " refused", call, (err, arg), match)


def _val(label, call):
    return ContractCase(label + " accepted", call)


def _eq(got, want, tol=0.0):
    assert np.shape(got) == np.shape(want) and np.allclose(got, want, rtol=tol, atol=0.0), (got, want)
    return got


def _rows_validation() -> list[ContractCase]:
    import jax
    import jax.numpy as jnp

    from aligntheory.kernels import elasticity as E

    def sdb(P_p=_PP, P_a=_PA, P_t=_PT, ks=(0.0,), ls=(0.0,), **kw):
        return E.stable_derivatives_batched(P_p, P_a, P_t, np.asarray(ks), np.asarray(ls), **kw)

    def mlq(ld, ls, **kw):
        return E.mixture_logq(np.asarray(ld, dtype=np.float64), np.asarray(ls, dtype=np.float64), **kw)

    def mle(c, beta=0.0, **kw):
        return np.asarray(E.mle_from_counts(np.asarray(c, dtype=np.float64), beta, **kw).q).tolist()

    def traced_gamma(validate):
        return str(jax.eval_shape(lambda p: E.gamma(p, _PA, _PT, 1.0, 0.0, validate=validate), jnp.asarray(_PP)))

    lg = np.log([[0.5, 0.5], [1.0, 1e-300]])
    no_row = "one entry per row"
    return [
        # triple: not (Pp.shape == Pa.shape == Pt.shape)
        _no("triple: P_p (3,) alone differs", lambda: sdb(P_p=[0.2, 0.3, 0.5]), "P_t", "mismatched leaf counts"),
        _no("triple: P_a (3,) alone differs", lambda: sdb(P_a=[1.0, 0.0, 0.0]), "P_t", "mismatched leaf counts"),
        _no("triple: P_t (3,) alone differs", lambda: sdb(P_t=[0.0, 0.0, 1.0]), "P_t", "mismatched leaf counts"),
        _ok("triple: three shapes (2,)", lambda: sdb(), "ks"),
        # real64 ndim; distribution under tracing (validate) and finite_host (validate=False)
        _no("distribution: P_p 2-D", lambda: sdb(P_p=[_PP]), "P_p", "1-dimensional"),
        _no("distribution: traced P_p with validate=True", lambda: traced_gamma(True), "validate", "concrete"),
        _val("distribution: traced P_p with validate=False (the unchecked path)", lambda: traced_gamma(False)),
        _no("distribution: validate=False, P_p nan", lambda: sdb(P_p=[np.nan, 0.5], validate=False), "P_p",
            "non-finite"),
        _ok("distribution: validate=False, P_p = (0.7, 0.7) (sum unchecked)",
            lambda: sdb(P_p=[0.7, 0.7], validate=False), "ks"),
        # stable_derivatives_batched: q_l = 0 on supp P_t refused only at l = 0
        _no("support: q_l = 0 on supp P_t at l = 0", lambda: sdb(P_p=_PA, ks=(1.0,), ls=(0.0, 1.0)), "P_t",
            "first offending leaf index 1"),
        _ok("support: q_l = 0 on supp P_t, smallest l = 0.5",
            lambda: sdb(P_p=_PA, ks=(1.0,), ls=(0.5,), batch_size=0), "batch_size"),
        _ok("support: q_l > 0 everywhere, l = 0", lambda: sdb(ks=(1.0,), ls=(0.0,), batch_size=0), "batch_size"),
        # log_distribution (mixture_logq): NaN or +inf; empty; a row without mass; exp sums to 1 within 1e-9
        _no("log_dists: a NaN entry", lambda: mlq([[np.nan, 0.0]], [0.0]), "log_dists", "NaN or +inf"),
        _no("log_dists: a +inf entry", lambda: mlq([[np.inf, 0.0]], [0.0]), "log_dists", "NaN or +inf"),
        _no("log_dists: empty (1, 0)", lambda: mlq(np.zeros((1, 0)), [0.0]), "log_dists", "empty"),
        _no("log_dists: a row of -inf", lambda: mlq([[0.0, -np.inf], [-np.inf, -np.inf]], [0.0, 0.0]), "log_dists",
            "no mass"),
        _no("log_dists: exp sums to 1 + 2e-9", lambda: mlq([np.log([0.5, 0.5 + 2e-9])], [0.0]), "log_dists",
            "sum to 1"),
        _no("log_dists: exp sums to 1 - 2e-9", lambda: mlq([np.log([0.5, 0.5 - 2e-9])], [0.0]), "log_dists",
            "sum to 1"),
        _ok("log_dists: exp sums to 1 + 5e-10, a -inf entry", lambda: mlq([np.log([0.5, 0.5 + 5e-10]), [0.0, -np.inf]],
                                                                      [0.0]), "log_sizes", no_row),
        _no("log_dists: 1-D", lambda: mlq([0.0, -np.inf], [0.0]), "log_dists", "2-dimensional"),
        _ok("log_dists: NaN with validate=False (unchecked)", lambda: mlq([[np.nan, 0.0]], [0.0, 0.0], validate=False),
            "log_sizes", no_row),
        # mixture_logq: validate and log_sizes non-finite; one log size per row
        _no("log_sizes: inf (validate)", lambda: mlq(lg, [0.0, np.inf]), "log_sizes", "non-finite"),
        _ok("log_sizes: inf with validate=False", lambda: mlq(lg, [np.inf], validate=False), "log_sizes", no_row),
        _no("log_sizes: (3,) for 2 rows", lambda: mlq(lg, [0.0, 0.0, 0.0]), "log_sizes", no_row),
        _no("log_sizes: (1,) for 2 rows", lambda: mlq(lg, [0.0]), "log_sizes", no_row),
        _val("mixture_logq: docstring example = (1 * (0.5, 0.5) + 3 * (1, 0)) / 4",
             lambda: _eq(np.exp(np.asarray(mlq(lg, np.log([1.0, 3.0])))), [0.875, 0.125], 1e-12)),
        # counts (mle_from_counts): ndim >= 2; finite and >= 0; pooled total > 0
        _no("counts: 1-D", lambda: mle([1.0, 3.0]), "counts_list", "at least 2 dimensions"),
        _no("counts: a negative entry", lambda: mle([[1.0, -_EPS], [0.0, 4.0]]), "counts_list", ">= 0"),
        _no("counts: a NaN entry", lambda: mle([[1.0, np.nan], [0.0, 4.0]]), "counts_list", "finite"),
        _no("counts: pooled total 0, beta = 0", lambda: mle([[0.0, 0.0]]), "counts_list", "sum to 0"),
        _val("counts: pooled total 0, beta = 1e-300: the uniform MLE", lambda: _eq(mle([[0.0, 0.0]], 1e-300),
                                                                                  [0.5, 0.5], 1e-15)),
        _val("counts: docstring example, (1 + 0, 3 + 4) / 8", lambda: _eq(mle([[1.0, 3.0], [0.0, 4.0]]),
                                                                          [0.125, 0.875], 1e-15)),
        _val("counts: 3-D batch of one, beta = 1: (1 + 1, 0 + 1) / 3",
             lambda: _eq(mle([[[1.0, 0.0]]], 1.0), [[2 / 3, 1 / 3]], 1e-15)),
    ]


def _rows_sampling_trees() -> list[ContractCase]:
    import jax

    from aligntheory.kernels import elasticity as E

    key = jax.random.PRNGKey(0)

    def sc(N=2.0, k=key, **kw):
        return E.sample_counts(k, [0.2, 0.3, 0.5], N, **kw)

    def tt(eos, zipf_s=0.0):
        return E.token_tree_leaf_probs(key, 2, 3, eos, zipf_s)

    def pr(n, d):
        return E.prune(np.log(np.full(n, 1.0 / n)), 2, 2, d)

    def tsf(y, **kw):
        f = E.two_segment_fit(np.asarray(y, dtype=np.float64), **kw)
        return [f.b, round(f.s1, 9), round(f.s2, 9)]

    def tsb(Y, **kw):
        f = E.two_segment_fit_batched(np.asarray(Y, dtype=np.float64), **kw)
        return [np.asarray(f.b).tolist(), np.round(np.asarray(f.rho), 9).tolist()]

    def kink(n, b, s1=2.0, s2=0.5):  # exactly piecewise linear: slope s1 before b, s2 after
        s = np.arange(float(n))
        return np.where(s < b, s1 * s, s1 * b + s2 * (s - b))

    ki = "(2,) or a batch (B, 2)"
    return [
        # sample_counts: N integral; key.ndim in (1, 2) and key.shape[-1] == 2
        _no("sample_counts: N = 2.5", lambda: sc(2.5), "N", "integer count"),
        _ok("sample_counts: N = 2.0", lambda: sc(2.0, method="x"), "method"),
        _no("sample_counts: key (3,)", lambda: sc(k=np.zeros(3, np.uint32)), "key", ki),
        _no("sample_counts: key (1, 2, 2)", lambda: sc(k=np.zeros((1, 2, 2), np.uint32)), "key", ki),
        _no("sample_counts: key (1, 3)", lambda: sc(k=np.zeros((1, 3), np.uint32)), "key", ki),
        _no("sample_counts: key scalar", lambda: sc(k=np.uint32(0)), "key", ki),
        _ok("sample_counts: key (2,)", lambda: sc(max_leaves=2), "P", err=SizeCapError),
        _ok("sample_counts: keys (1, 2)", lambda: sc(k=key[None], max_leaves=2), "P", err=SizeCapError),
        # token_tree_leaf_probs: 0 < eos_prob < 1
        _no("token_tree_leaf_probs: eos_prob = 0", lambda: tt(0.0), "eos_prob", "(0, 1)"),
        _no("token_tree_leaf_probs: eos_prob = 1", lambda: tt(1.0), "eos_prob", "(0, 1)"),
        _ok("token_tree_leaf_probs: eos_prob = 5e-324", lambda: tt(5e-324), "zipf_s"),
        _ok("token_tree_leaf_probs: eos_prob = 1 - eps/2", lambda: tt(1.0 - _EPS / 2), "zipf_s"),
        # prune: 1 <= d <= D; len(leaf_logp) == leaves(V, D) (7 for V = 2, D = 2)
        _no("prune: d = 0", lambda: pr(7, 0), "d", "1 <= d <= D = 2"),
        _no("prune: d = 3 > D = 2", lambda: pr(7, 3), "d", "1 <= d <= D = 2"),
        _ok("prune: d = 1", lambda: pr(6, 1), "leaf_logp", "7 entries"),
        _ok("prune: d = 2 = D", lambda: pr(6, 2), "leaf_logp", "7 entries"),
        _no("prune: 8 leaves for 7", lambda: pr(8, 1), "leaf_logp", "7 entries"),
        _val("prune: docstring example, uniform 7 leaves to d = 1: masses (1, 3, 3) / 7",
             lambda: _eq(np.exp(np.asarray(pr(7, 1))) * 7, [1.0, 3.0, 3.0], 1e-12)),
        # two_segment_fit(_batched): T < 2 b_min + 1 or b_max < b_min
        _no("two_segment_fit: 11 points, b_min = 5", lambda: tsf(kink(11, 5)), "y", "at least 12 points"),
        _val("two_segment_fit: 12 points, b_min = 5: the kink at 6", lambda: _eq(tsf(kink(12, 6)), [6, 2.0, 0.5])),
        _no("two_segment_fit: 3 points, b_min = 1", lambda: tsf(kink(3, 1), b_min=1), "y", "at least 4 points"),
        _val("two_segment_fit: 4 points, b_min = 1: the kink at 2", lambda: _eq(tsf(kink(4, 2), b_min=1),
                                                                                [2, 2.0, 0.5])),
        _no("two_segment_fit: b_max = 2 < b_min = 3", lambda: tsf(kink(20, 3), b_min=3, b_max=2), "b_max", "[3, 16]"),
        _val("two_segment_fit: b_max = b_min = 3 (the one breakpoint)",
             lambda: _eq(tsf(kink(20, 3), b_min=3, b_max=3), [3, 2.0, 0.5])),
        _no("two_segment_fit_batched: 11 points, b_min = 5", lambda: tsb([kink(11, 5)]), "Y", "12 points per row"),
        _val("two_segment_fit_batched: 12 points, b_min = 5: rho = 2 / 0.5",
             lambda: _eq(tsb([kink(12, 6)]), [[6], [4.0]])),
        _no("two_segment_fit_batched: b_max = 2 < b_min = 3", lambda: tsb([kink(20, 3)], b_min=3, b_max=2), "b_max",
            "[3, 16]"),
        _val("two_segment_fit_batched: b_max = b_min = 3", lambda: _eq(tsb([kink(20, 3)], b_min=3, b_max=3),
                                                                       [[3], [4.0]])),
        # first_crossing_batched: levels.shape == (B,)
        _no("first_crossing_batched: levels (3,) for 2 rows",
            lambda: E.first_crossing_batched([[0.0, 1.0, 2.0], [0.0, 0.0, 0.0]], [1.5, 1.0, 1.0]), "levels", "(2,)"),
        _no("first_crossing_batched: levels (1,) for 2 rows",
            lambda: E.first_crossing_batched([[0.0, 1.0, 2.0], [0.0, 0.0, 0.0]], [1.5]), "levels", "(2,)"),
        _val("first_crossing_batched: docstring example, first y >= level: (2, none)",
             lambda: _eq(E.first_crossing_batched([[0.0, 1.0, 2.0], [0.0, 0.0, 0.0]], [1.5, 1.0]).tolist(), [2, -1])),
        _val("first_crossing_batched: a crossing exactly at the level (index 1)",
             lambda: _eq(E.first_crossing_batched([[0.0, 1.0, 2.0]], [1.0]).tolist(), [1])),
    ]


def _rows_protocol() -> list[ContractCase]:
    import jax

    from aligntheory.kernels import elasticity as E

    key = jax.random.PRNGKey(0)
    model = E.ModelSpec("lowrank", C=16, V=32, capacity=8)
    one = E.make_protocol_data(0, C=16, V=32)
    two = E.stack_protocol_data([one, E.make_protocol_data(1, C=16, V=32)])
    keys2 = jax.random.split(key, 2)

    def sfb(keys=keys2, m=model, replay=None, **kw):
        return E.sequential_finetune_batched(keys, m, two, E.Schedule(T_p=1, T_a=1, T_t=1), replay, **kw)

    def sf(m=model, replay=None):
        return E.sequential_finetune(key, m, one, E.Schedule(T_p=1, T_a=1, T_t=1), replay)

    def ts(logits0):
        return E.train_softmax(key, np.asarray(logits0, dtype=np.float64), np.array([[0.75, 0.25]]), np.array([1.0]),
                               1, 0.1)

    bad_tp = {"T_p": [0, -1]}
    per = "one per batch member"
    return [
        # stack_protocol_data: not items or not all(ProtocolData)
        _no("stack_protocol_data: empty", lambda: E.stack_protocol_data([]), "datas", "non-empty"),
        _no("stack_protocol_data: one non-ProtocolData", lambda: E.stack_protocol_data([one, 1]), "datas",
            "ProtocolData"),
        _val("stack_protocol_data: one item: batch of 1",
             lambda: _eq(tuple(E.stack_protocol_data([one]).P_p.shape), (1, 16, 32))),
        # replay < 1 (check_scalar accepts 1.0; the guard refuses it)
        _no("sequential_finetune: replay = 1", lambda: sf(replay=1.0), "replay", "< 1"),
        _no("sequential_finetune: P_p (16, 32) for C = 8", lambda: sf(E.ModelSpec("lowrank", C=8, V=32, capacity=8)),
            "data", "(8, 32)"),
        _no("sequential_finetune: P_p (16, 32) for V = 16", lambda: sf(E.ModelSpec("lowrank", C=16, V=16, capacity=8)),
            "data", "(16, 16)"),
        _no("sequential_finetune_batched: replay = 1", lambda: sfb(replay=1.0), "replay", "< 1"),
        _ok("sequential_finetune_batched: replay = 1 - eps/2", lambda: sfb(keys=key, replay=1.0 - _EPS / 2), "keys"),
        # keys.ndim == 2; data.P_p.shape == (B, C, V)
        _no("sequential_finetune_batched: keys (2,)", lambda: sfb(keys=key), "keys", "(B, 2)"),
        _no("sequential_finetune_batched: keys (1, 2, 2)", lambda: sfb(keys=keys2[None]), "keys", "(B, 2)"),
        _no("sequential_finetune_batched: 3 keys for 2 data", lambda: sfb(keys=jax.random.split(key, 3)), "data",
            "(3, 16, 32)"),
        _no("sequential_finetune_batched: C = 8 for data C = 16",
            lambda: sfb(m=E.ModelSpec("lowrank", C=8, V=32, capacity=8)), "data", "(2, 8, 32)"),
        # _per_member: shape (B,), finite, integral; lo <= entries <= hi
        _no("capacities: (3,) for B = 2", lambda: sfb(capacities=[1, 1, 1]), "capacities", per),
        _no("capacities: a NaN", lambda: sfb(capacities=[1.0, np.nan]), "capacities", per),
        _no("capacities: 1.5", lambda: sfb(capacities=[1.0, 1.5]), "capacities", per),
        _no("capacities: 0 < 1", lambda: sfb(capacities=[0, 1]), "capacities", "[1, 8]"),
        _no("capacities: 9 > capacity 8", lambda: sfb(capacities=[1, 9]), "capacities", "[1, 8]"),
        _ok("capacities: (1.0, 8.0) (integral floats, the edges)", lambda: sfb(capacities=[1.0, 8.0], **bad_tp), "T_p",
            "[0, inf]"),
        _ok("capacities: None (the model's capacity)", lambda: sfb(**bad_tp), "T_p", "[0, inf]"),
        _ok("T_p: (0, 0)", lambda: sfb(T_p=[0, 0], T_a=[1, 1, 1]), "T_a", per),
        # train_softmax: logits0 shape (n,), then finite
        _no("train_softmax: logits0 (3,) for 2 columns", lambda: ts([0.0, 0.0, 0.0]), "logits0", "(2,)"),
        _no("train_softmax: logits0 (1,) for 2 columns", lambda: ts([0.0]), "logits0", "(2,)"),
        _ok("train_softmax: logits0 (2,) (then a NaN entry)", lambda: ts([0.0, np.nan]), "logits0", "non-finite"),
        # distill_steps_batched: w_a.ndim == 2 (before any use of start/target)
        _no("distill_steps_batched: w_a 1-D", lambda: E.distill_steps_batched({}, {}, np.full(4, 0.25)), "w_a",
            "(B, C)"),
        _no("distill_steps_batched: w_a 3-D", lambda: E.distill_steps_batched({}, {}, np.full((1, 2, 4), 0.25)), "w_a",
            "(B, C)"),
    ]


@claim(
    id="elasticity.guard_conditions_kernels",
    statement="Each atomic condition of each raising guard of the elasticity kernels (aligntheory.kernels.elasticity) "
              "decides a row on its own: an input where only that condition holds is refused with the documented "
              "error, argument and message; inputs at each comparison's edge pass the guard (shown by the next "
              "documented refusal, by a traced, uncompiled call, or by a result equal to its closed form).",
    source=[Source(key="ji2024language", where="Parameters/Raises sections of the kernel docstrings; docs/DESIGN.md §7")],
    provenance="M",
    kind="contract",
    tolerance="exact: each row on its documented side, with the named argument and message substring; closed forms "
              "to 1e-12 relative (float64 round-off of a few operations)",
    rice={"R"},
    stage="backward:assurance",
)
def check_guard_conditions_kernels(ctx: Context) -> Evidence:
    """Predicted: each row's documented side; measured: the library's call (no seed is read)."""
    return contract_evidence(_rows_validation() + _rows_sampling_trees() + _rows_protocol())
