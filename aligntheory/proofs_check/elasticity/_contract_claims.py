"""The failure contract of the elasticity pillar as one ``contract`` claim (issue #11, round 3).

``elasticity.failure_contract`` confronts the documented constraints of the pillar's main public
functions (their ``Parameters`` and ``Raises`` sections, docs/DESIGN.md §7) with the library at the
boundary of each constraint: the value on the accepted side returns a finite result, the value just
outside is refused with the documented error class naming the argument, before any work (size caps).

Accepted rows are only written where acceptance is cheap (numpy, or an eager JAX call without
compilation); the accepted side of the jitted kernels (token trees, counts, training, the protocol)
is exercised with values by the mathematical claims of the pillar (``_kernel_claims_r3``,
``_reach_claims``), so this table stays below half a second.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from aligntheory.errors import InvalidInputError, PrecisionError, SizeCapError
from aligntheory.proofs_check._helpers import ContractCase, contract_evidence
from aligntheory.proofs_check._registry import Context, Evidence, Source, claim

__all__: list[str] = []


def _message_gives(call: Any, *needles: str) -> Any:
    """Run ``call``; a refusal whose message lacks one of the documented ``needles`` becomes an AssertionError
    (so the row fails: the docstring promises what the message gives)."""

    def run():
        try:
            return call()
        except InvalidInputError as exc:
            missing = [n for n in needles if n not in str(exc)]
            if missing:
                raise AssertionError(f"message {str(exc)!r} lacks the documented {missing}") from exc
            raise

    return run


def _same(*calls: Any) -> Any:
    """Run every call; results not bit-identical become an AssertionError (a documented default, or a
    documented invariance, that moved)."""

    def run():
        out = [np.asarray(c()) for c in calls]
        if not all(o.shape == out[0].shape and np.array_equal(o, out[0]) for o in out[1:]):
            raise AssertionError(f"results differ: {[o.tolist() for o in out]}")
        return out[0]

    return run


def _rows_r5() -> list[ContractCase]:
    """Round 5 (second fresh mutation sample): documented defaults and caps at their exact boundary."""
    import jax

    from aligntheory.kernels import elasticity as K
    from aligntheory.theory import elasticity as T

    IE, SC = InvalidInputError, SizeCapError
    g = lambda: np.random.default_rng(5)  # noqa: E731 -- the same stream for each call of a row
    keys = jax.random.split(jax.random.PRNGKey(0), 1)
    spec = K.ModelSpec(C=12, V=16, capacity=2)
    data = K.stack_protocol_data([K.make_protocol_data(0, C=12, V=16)])
    run = lambda **kw: K.sequential_finetune_batched(keys, spec, data, **kw)  # noqa: E731 -- refused before tracing
    two = np.array([[0.5, 0.5]] * 10**4)
    C = lambda label, call, refuse=None: ContractCase(label, call, refuse)  # noqa: E731
    return [
        # pareto_masses: x_m > 0 (default 1.0); the scale cancels in the normalisation, so the default, an explicit
        # 1.0 and 7.0 give the same vector from the same stream
        C("pareto_masses: default x_m = explicit 1.0 = 7.0 (the scale cancels)",
          _same(lambda: T.pareto_masses(g(), 7, 1.5), lambda: T.pareto_masses(g(), 7, 1.5, 1.0),
                lambda: T.pareto_masses(g(), 7, 1.5, 7.0))),
        C("pareto_masses: x_m = 0 refused", lambda: T.pareto_masses(g(), 7, 1.5, 0.0), (IE, "x_m")),
        C("pareto_masses: x_m = -1 refused", lambda: T.pareto_masses(g(), 7, 1.5, -1.0), (IE, "x_m")),
        C("pareto_masses: alpha = 0 refused", lambda: T.pareto_masses(g(), 7, 0.0), (IE, "alpha")),
        C("pareto_masses: M = 1 accepted", lambda: T.pareto_masses(g(), 1, 1.5)),
        C("pareto_masses: M = 0 refused", lambda: T.pareto_masses(g(), 0, 1.5), (IE, "M")),
        C("pareto_masses: M = max_leaves accepted", lambda: T.pareto_masses(g(), 3, 1.5, max_leaves=3)),
        C("pareto_masses: M = 10^8 + 1 over the default max_leaves refused before allocation",
          lambda: T.pareto_masses(g(), 10**8 + 1, 1.5), (SC, "M")),
        C("zipf_pmf: M = 10^8 + 1 over the default max_leaves refused before allocation",
          lambda: T.zipf_pmf(10**8 + 1, 1.0), (SC, "M")),
        C("zipf_pmf: M = max_leaves accepted", lambda: T.zipf_pmf(10, 1.0, max_leaves=10)),
        C("tree_n_leaves: 10 tokens, depth 7 (11_111_111 leaves) under the default cap accepted",
          lambda: T.tree_n_leaves(10, 7)),
        C("tree_n_leaves: 10 tokens, depth 8 (111_111_111 leaves) over the default cap 10^8 refused",
          lambda: T.tree_n_leaves(10, 8), (SC, None)),
        C("tree_n_leaves: 15 leaves at max_leaves = 15 accepted", lambda: T.tree_n_leaves(2, 3, max_leaves=15)),
        C("mixture: 10^4 rows at the default max_distributions accepted", lambda: T.mixture(two, np.ones(10**4))),
        C("mixture: 10^4 + 1 rows over the default max_distributions refused",
          lambda: T.mixture(np.vstack([two, [[0.5, 0.5]]]), np.ones(10**4 + 1)), (SC, None)),
        # sequential_finetune_batched: per-member capacities in [1, model.capacity], T_p, T_a >= 0 (before tracing)
        C("sequential_finetune_batched: capacity 0 refused", lambda: run(capacities=[0]), (IE, "capacities")),
        C("sequential_finetune_batched: capacity model.capacity + 1 refused", lambda: run(capacities=[3]),
          (IE, "capacities")),
        C("sequential_finetune_batched: capacity 1.5 refused", lambda: run(capacities=[1.5]), (IE, "capacities")),
        C("sequential_finetune_batched: capacities of length B + 1 refused", lambda: run(capacities=[1, 2]),
          (IE, "capacities")),
        C("sequential_finetune_batched: T_p = -1 refused", lambda: run(T_p=[-1]), (IE, "T_p")),
        C("sequential_finetune_batched: T_a = -1 refused", lambda: run(T_a=[-1]), (IE, "T_a")),
        C("sequential_finetune_batched: replay = 1 refused", lambda: run(replay=1.0), (IE, "replay")),
    ]


def _rows() -> list[ContractCase]:  # noqa: PLR0915 -- one table, read top to bottom
    import jax

    from aligntheory.kernels import elasticity as K
    from aligntheory.theory import elasticity as T

    IE, SC = InvalidInputError, SizeCapError
    half = [0.5, 0.5]
    Pp, Pa, Pt = [0.5, 0.5], [1.0, 0.0], [0.0, 1.0]  # the opposite configuration, chi^2(P_t || P_p) = 1
    below_two = math.nextafter(2.0, 0.0)
    key = jax.random.PRNGKey(0)
    C = lambda label, call, refuse=None: ContractCase(label, call, refuse)  # noqa: E731
    rows = [
        # ---- theory: probability vectors (spec §7: sum within 1e-9, entries >= 0, non-empty 1-D)
        C("check_distribution: sum 1 + 5e-10 accepted", lambda: T.check_distribution("p", [0.5, 0.5 + 5e-10])),
        C("check_distribution: sum 1 + 2e-9 refused", lambda: T.check_distribution("p", [0.5, 0.5 + 2e-9]), (IE, "p")),
        C("check_distribution: entry -1e-300 refused", lambda: T.check_distribution("p", [1.0, -1e-300]), (IE, "p")),
        C("check_distribution: empty refused", lambda: T.check_distribution("p", []), (IE, "p")),
        C("check_distribution: 2-D refused", lambda: T.check_distribution("p", [half]), (IE, "p")),
        # ---- codes
        C("entropy: base 2 accepted", lambda: T.entropy(half, base=2)),
        C("entropy: base 1 refused", lambda: T.entropy(half, base=1.0), (IE, "base")),
        C("cross_entropy: q = 0 where p > 0 refused", lambda: T.cross_entropy(half, [1.0, 0.0]), (IE, "q")),
        C("huffman_code_lengths: 2 symbols accepted", lambda: T.huffman_code_lengths(half)),
        C("huffman_code_lengths: 1 symbol refused", lambda: T.huffman_code_lengths([1.0]), (IE, "q")),
        C("huffman_code_lengths: base 1 refused", lambda: T.huffman_code_lengths(half, base=1), (IE, "base")),
        C("compression_rate: unknown code refused", lambda: T.compression_rate(half, half, code="arith"), (IE, "code")),
        C("normalized_compression_rate: n_leaves = 2 accepted", lambda: T.normalized_compression_rate(half, half, 2)),
        C("normalized_compression_rate: n_leaves = 1 refused", lambda: T.normalized_compression_rate(half, half, 1),
          (IE, "n_leaves")),
        C("paper_block_code_length: H = 0, |x| = 0, d = 1 accepted", lambda: T.paper_block_code_length(0.0, 0, 1)),
        C("paper_block_code_length: H = -1e-300 refused", lambda: T.paper_block_code_length(-1e-300, 4, 1),
          (IE, "entropy_bits")),
        C("paper_block_code_length: |x| = -1 refused", lambda: T.paper_block_code_length(1.0, -1, 1), (IE, "n_tokens")),
        C("paper_block_code_length: d = 0 refused", lambda: T.paper_block_code_length(1.0, 4, 0), (IE, "depth")),
        C("paper_block_code_length: H = 2^53 and |x| = 2^53 accepted",
          lambda: T.paper_block_code_length(2.0**53, 2**53, 1)),
        C("paper_block_code_length: H = 2^53 + 2 (the next double) refused",
          lambda: T.paper_block_code_length(2.0**53 + 2.0, 4, 1), (IE, "entropy_bits")),
        C("paper_block_code_length: |x| = 2^53 + 1 refused", lambda: T.paper_block_code_length(1.0, 2**53 + 1, 1),
          (IE, "n_tokens")),
        C("mixture: sizes 0 refused", lambda: T.mixture([Pa, Pt], [0.0, 1.0]), (IE, "sizes")),
        C("mixture: 2 rows over max_distributions = 1 refused", lambda: T.mixture([Pa, Pt], [1.0, 1.0],
                                                                                  max_distributions=1), (SC, None)),
        # ---- derivatives and bounds: k > 0, l >= 0
        C("elasticity_derivatives: l = 0 accepted", lambda: T.elasticity_derivatives(Pp, Pa, Pt, 1.0, 0.0)),
        C("elasticity_derivatives: k = 0 refused", lambda: T.elasticity_derivatives(Pp, Pa, Pt, 0.0, 0.5), (IE, "k")),
        C("elasticity_derivatives: l = -1e-300 refused", lambda: T.elasticity_derivatives(Pp, Pa, Pt, 1.0, -1e-300),
          (IE, "l")),
        C("r_max: l = -1e-300 refused", lambda: T.r_max(Pp, Pa, Pt, -1e-300), (IE, "l")),
        C("opposite_model_bounds: chi2 = 0 accepted (any l)", lambda: T.opposite_model_bounds(10.0, 5.0, 0.0)),
        C("opposite_model_bounds: l chi2 just below 1 accepted",
          lambda: T.opposite_model_bounds(10.0, 0.5, below_two, P_a=Pa, P_t=Pt)),
        C("opposite_model_bounds: l chi2 = 1 refused, the message giving chi2 and the range l < 1/chi2 = 0.5",
          _message_gives(lambda: T.opposite_model_bounds(10.0, 0.5, 2.0), "chi^2 = 2.0", "1/chi^2 = 0.5"), (IE, "l")),
        C("opposite_model_bounds: k = 0 refused", lambda: T.opposite_model_bounds(0.0, 0.5, 1.0), (IE, "k")),
        C("opposite_model_bounds: chi2 = -1e-300 refused", lambda: T.opposite_model_bounds(1.0, 0.5, -1e-300),
          (IE, "chi2")),
        C("opposite_model_bounds: overlapping supports refused",
          lambda: T.opposite_model_bounds(1.0, 0.5, 1.0, P_a=half, P_t=Pt), (IE, "P_t")),
        C("asymptotic_ratio: A = -1 accepted", lambda: T.asymptotic_ratio(1e5, 0.5, -1.0, 1.0)),
        C("asymptotic_ratio: A = -1.5 refused", lambda: T.asymptotic_ratio(1e5, 0.5, -1.5, 1.0), (IE, "A")),
        C("asymptotic_ratio: A + l chi2 = 0 refused", lambda: T.asymptotic_ratio(1e5, 0.5, -0.5, 1.0), (IE, "A")),
        C("disjoint_support_rates: zero entropies accepted", lambda: T.disjoint_support_rates([0.0, 0.0], [1.0, 1.0])),
        C("disjoint_support_rates: entropy -0.5 refused", lambda: T.disjoint_support_rates([-0.5, 0.0], [1.0, 1.0]),
          (IE, "entropies")),
        C("disjoint_support_rates: NaN entropy refused",
          lambda: T.disjoint_support_rates([math.nan, 0.0], [1.0, 1.0]), (IE, "entropies")),
        C("disjoint_support_rates: size 0 refused", lambda: T.disjoint_support_rates([0.0, 0.0], [0.0, 1.0]),
          (IE, "sizes")),
        C("disjoint_support_rates: mismatched shapes refused",
          lambda: T.disjoint_support_rates([0.0, 0.0], [1.0, 1.0, 1.0]), (IE, "sizes")),
        C("alignment_mass_curve: pi = 0 and pi = 1 accepted",
          lambda: (T.alignment_mass_curve(0.0, 1.0, [0.0]), T.alignment_mass_curve(1.0, 1.0, [0.0]))),
        C("alignment_mass_curve: pi = 1 + 2^-52 refused", lambda: T.alignment_mass_curve(1.0 + 2.0**-52, 1.0, [0.0]),
          (IE, "pi")),
        C("alignment_mass_curve: l = -1e-300 refused", lambda: T.alignment_mass_curve(0.5, 1.0, [-1e-300]), (IE, "ls")),
        # ---- distributions and symbolic forms
        C("zipf_pmf: M = 1 accepted", lambda: T.zipf_pmf(1, 1.0)),
        C("zipf_pmf: M = 0 refused", lambda: T.zipf_pmf(0, 1.0), (IE, "M")),
        C("zipf_pmf: s = 0 refused", lambda: T.zipf_pmf(3, 0.0), (IE, "s")),
        C("zipf_pmf: M = max_leaves + 1 refused before allocation", lambda: T.zipf_pmf(11, 1.0, max_leaves=10),
          (SC, None)),
        C("tree_n_leaves: V = 2, depth 0 accepted", lambda: T.tree_n_leaves(2, 0)),
        C("tree_n_leaves: V = 1 refused", lambda: T.tree_n_leaves(1, 2), (IE, "V")),  # the error says V (parameter V_)
        C("tree_n_leaves: 15 leaves over max_leaves = 14 refused", lambda: T.tree_n_leaves(2, 3, max_leaves=14),
          (SC, None)),
        C("closed_form_derivatives: M = 1 refused", lambda: T.closed_form_derivatives(1), (IE, "M")),
        C("closed_form_derivatives: M = 7 refused", lambda: T.closed_form_derivatives(7), (IE, "M")),
        # ---- kernels: token trees (checked before tracing)
        C("token_tree_leaf_probs: eos_prob = 0 refused", lambda: K.token_tree_leaf_probs(key, 2, 3, 0.0, 1.0),
          (IE, "eos_prob")),
        C("token_tree_leaf_probs: eos_prob = 1 refused", lambda: K.token_tree_leaf_probs(key, 2, 3, 1.0, 1.0),
          (IE, "eos_prob")),
        C("token_tree_leaf_probs: V = 1 refused", lambda: K.token_tree_leaf_probs(key, 1, 3, 0.5, 1.0), (IE, "V")),
        C("token_tree_leaf_probs: depth = 0 refused", lambda: K.token_tree_leaf_probs(key, 2, 0, 0.5, 1.0),
          (IE, "depth")),
        C("token_tree_leaf_probs: zipf_s = 0 refused", lambda: K.token_tree_leaf_probs(key, 2, 3, 0.5, 0.0),
          (IE, "zipf_s")),
        C("token_tree_leaf_probs: 15 leaves over max_leaves = 14 refused",
          lambda: K.token_tree_leaf_probs(key, 2, 3, 0.5, 1.0, max_leaves=14), (SC, "depth")),
        C("prune: d = 0 refused", lambda: K.prune(np.log(np.full(7, 1 / 7)), 2, 2, 0), (IE, "d")),
        C("prune: d = depth + 1 refused", lambda: K.prune(np.log(np.full(7, 1 / 7)), 2, 2, 3), (IE, "d")),
        C("prune: wrong length refused", lambda: K.prune(np.log(np.full(8, 1 / 8)), 2, 2, 1), (IE, "leaf_logp")),
        # ---- kernels: counts, MLEs, Monte Carlo
        C("sample_counts: N = -1 refused", lambda: K.sample_counts(key, half, -1.0), (IE, "N")),
        C("sample_counts: N = 2.5 refused", lambda: K.sample_counts(key, half, 2.5), (IE, "N")),
        C("sample_counts: N = 2^53 + 2 refused", lambda: K.sample_counts(key, half, 2.0**53 + 2.0), (IE, "N")),
        C("sample_counts: unknown method refused", lambda: K.sample_counts(key, half, 10.0, method="poisson"),
          (IE, "method")),
        C("sample_counts: key of shape (3,) refused", lambda: K.sample_counts(np.zeros(3, np.uint32), half, 10.0),
          (IE, "key")),
        C("sample_counts: 2 leaves over max_leaves = 1 refused", lambda: K.sample_counts(key, half, 10.0, max_leaves=1),
          (SC, "P")),
        C("mle_from_counts: zero counts with beta = 0.5 accepted", lambda: K.mle_from_counts([[0.0, 0.0]], 0.5)),
        C("mle_from_counts: count -1 refused", lambda: K.mle_from_counts([[1.0, -1.0], [2.0, 2.0]]),
          (IE, "counts_list")),
        C("mle_from_counts: NaN count refused", lambda: K.mle_from_counts([[1.0, math.nan], [2.0, 2.0]]),
          (IE, "counts_list")),
        C("mle_from_counts: 1-D counts refused", lambda: K.mle_from_counts([1.0, 2.0]), (IE, "counts_list")),
        C("mle_from_counts: pooled total 0 with beta = 0 refused", lambda: K.mle_from_counts([[0.0, 0.0]]),
          (IE, "counts_list")),
        C("mle_from_counts: beta = -1e-300 refused", lambda: K.mle_from_counts([[1.0, 1.0]], -1e-300), (IE, "beta")),
        C("mc_delta_gamma: n_seeds = 1 refused", lambda: K.mc_delta_gamma(key, Pp, Pa, Pt, 100.0, 1.0, 0.5, 1),
          (IE, "n_seeds")),
        C("mc_delta_gamma: N_a = 0 refused", lambda: K.mc_delta_gamma(key, Pp, Pa, Pt, 0.0, 1.0, 0.5, 2), (IE, "N_a")),
        C("mc_delta_gamma: 3 x 2 seeds x 2 leaves over max_draws = 11 refused",
          lambda: K.mc_delta_gamma(key, Pp, Pa, Pt, 100.0, 1.0, 0.5, 2, max_draws=11), (SC, "n_seeds")),
        C("stable_derivatives_batched: k = 0 refused",
          lambda: K.stable_derivatives_batched(Pp, Pa, Pt, [0.0], [0.5]), (IE, "ks")),
        C("stable_derivatives_batched: l = -1e-300 refused",
          lambda: K.stable_derivatives_batched(Pp, Pa, Pt, [1.0], [-1e-300]), (IE, "ls")),
        C("stable_derivatives_batched: K L M = 8 over max_points = 7 refused",
          lambda: K.stable_derivatives_batched(Pp, Pa, Pt, [1.0, 2.0], [0.1, 0.2], max_points=7), (SC, "ks")),
        # ---- kernels: training and the protocol (checked before any compilation)
        C("train_softmax: steps = -1 refused", lambda: K.train_softmax(None, [0.0, 0.0], [half], [1.0], -1, 1.0),
          (IE, "steps")),
        C("train_softmax: lr = 0 refused", lambda: K.train_softmax(None, [0.0, 0.0], [half], [1.0], 1, 0.0), (IE, "lr")),
        C("train_softmax: tol = 0 refused", lambda: K.train_softmax(None, [0.0, 0.0], [half], [1.0], 1, 1.0, tol=0.0),
          (IE, "tol")),
        C("train_softmax: unknown optimizer refused",
          lambda: K.train_softmax(None, [0.0, 0.0], [half], [1.0], 1, 1.0, optimizer="sgd"), (IE, "optimizer")),
        C("train_softmax: weight 0 refused", lambda: K.train_softmax(None, [0.0, 0.0], [half, Pa], [0.0, 1.0], 1, 1.0),
          (IE, "weights")),
        C("train_softmax: logits0 of the wrong length refused",
          lambda: K.train_softmax(None, [0.0, 0.0, 0.0], [half], [1.0], 1, 1.0), (IE, "logits0")),
        C("make_protocol_data: C = 12 (end of the alignment prompts) and V = 16 (2 n_tokens) accepted",
          lambda: K.make_protocol_data(0, C=12, V=16)),
        C("make_protocol_data: C = 11 refused", lambda: K.make_protocol_data(0, C=11, V=16), (IE, "C")),
        C("make_protocol_data: V = 15 refused", lambda: K.make_protocol_data(0, C=12, V=15), (IE, "V")),
        C("make_protocol_data: seed -1 refused", lambda: K.make_protocol_data(-1, C=12, V=16), (IE, "seed")),
        C("pretrain: T_p = -1 refused", lambda: K.pretrain(key, K.ModelSpec(C=2, V=2, capacity=1), [0.5, 0.5],
                                                            [half, half], -1), (IE, "T_p")),
        C("sequential_finetune: replay = 1 refused", lambda: K.sequential_finetune(
            key, K.ModelSpec(C=12, V=16, capacity=1), K.make_protocol_data(0, C=12, V=16), replay=1.0), (IE, "replay")),
        C("sequential_finetune: T_t = 0 refused", lambda: K.sequential_finetune(
            key, K.ModelSpec(C=12, V=16, capacity=1), K.make_protocol_data(0, C=12, V=16), K.Schedule(T_t=0)),
          (IE, "schedule.T_t")),
        C("distill_steps: max_steps = 0 refused", lambda: K.distill_steps({}, {}, [1.0], max_steps=0),
          (IE, "max_steps")),
        C("two_segment_fit: 2 b_min + 1 points refused", lambda: K.two_segment_fit(np.arange(11.0), 5), (IE, "y")),
        C("first_crossing: NaN level refused", lambda: K.first_crossing([0.0, 1.0], math.nan), (IE, "level")),
    ]
    return rows


def _leaf_count_reported(call: Any, leaves: int) -> Any:
    """Run ``call``; a ``SizeCapError`` passes through only when it reports the exact integer leaf count."""

    def run():
        try:
            return call()
        except SizeCapError as exc:
            if type(exc.cost) is not int or exc.cost != leaves:
                raise AssertionError(f"the refusal reports cost {exc.cost!r}, not the integer {leaves}") from exc
            raise

    return run


def _rows_r6() -> list[ContractCase]:
    """Round 6 (third fresh mutation sample): the default of ``validate``, the exact leaf count of a refusal, and
    the documented lengths and caps of the two-segment fits exactly at and one past their boundary."""
    import jax

    from aligntheory.kernels import elasticity as K

    IE, SC = InvalidInputError, SizeCapError
    C = lambda label, call, refuse=None: ContractCase(label, call, refuse)  # noqa: E731
    key = jax.random.PRNGKey(0)
    bad_p = ([0.7, 0.7], [1.0, 0.0], [0.0, 1.0])  # P_p sums to 1.4
    y12, y11 = np.arange(12.0) ** 2, np.arange(11.0) ** 2
    return [
        C("stable_derivatives: P_p summing to 1.4 refused at the default validate = True",
          lambda: K.stable_derivatives(*bad_p, 1.0, 0.5), (IE, "P_p")),
        C("gamma_grad: P_p summing to 1.4 refused at the default validate = True",
          lambda: K.gamma_grad(*bad_p, 1.0, 0.5), (IE, "P_p")),
        C("gamma: P_p summing to 1.4 refused at the default validate = True",
          lambda: K.gamma(*bad_p, 1.0, 0.5), (IE, "P_p")),
        C("mixture_logq: a row of log_dists summing to 1.4 refused at the default validate = True",
          lambda: K.mixture_logq(np.log([[0.7, 0.7], [0.5, 0.5]]), np.log([1.0, 1.0])), (IE, "log_dists")),
        C("prune: leaf_logp summing to 2.1 refused at the default validate = True",
          lambda: K.prune(np.log(np.full(7, 0.3)), 2, 2, 1), (IE, "leaf_logp")),
        C("token_tree_leaf_probs: the refusal of 15 leaves over max_leaves = 14 reports the integer 15",
          _leaf_count_reported(lambda: K.token_tree_leaf_probs(key, 2, 3, 0.5, 1.0, max_leaves=14), 15), (SC, "depth")),
        C("token_tree_leaf_probs: the refusal of 40 leaves (V = 3, depth = 3) over max_leaves = 39 reports 40",
          _leaf_count_reported(lambda: K.token_tree_leaf_probs(key, 3, 3, 0.5, 1.0, max_leaves=39), 40), (SC, "depth")),
        C("two_segment_fit: 2 b_min + 2 = 12 points at the default b_min = 5 accepted", lambda: K.two_segment_fit(y12)),
        C("two_segment_fit: 11 points at the default b_min = 5 refused", lambda: K.two_segment_fit(y11), (IE, "y")),
        C("two_segment_fit: 12 points exactly at max_points = 12 accepted",
          lambda: K.two_segment_fit(y12, max_points=12)),
        C("two_segment_fit: 12 points over max_points = 11 refused", lambda: K.two_segment_fit(y12, max_points=11),
          (SC, "y")),
        C("two_segment_fit_batched: 2 b_min + 2 = 12 points at the default b_min = 5 accepted",
          lambda: K.two_segment_fit_batched(y12[None, :])),
        C("two_segment_fit_batched: 11 points at the default b_min = 5 refused",
          lambda: K.two_segment_fit_batched(y11[None, :]), (IE, "Y")),
        C("two_segment_fit_batched: b_max = b_min - 1 refused",
          lambda: K.two_segment_fit_batched(y12[None, :], 5, 4), (IE, "b_max")),
        C("two_segment_fit_batched: 2 x 12 = 24 entries exactly at max_points = 24 accepted",
          lambda: K.two_segment_fit_batched(np.stack([y12, y12]), max_points=24)),
        C("two_segment_fit_batched: 24 entries over max_points = 23 refused",
          lambda: K.two_segment_fit_batched(np.stack([y12, y12]), max_points=23), (SC, "Y")),
    ]


def _reports_leaf(call: Any, leaf: int) -> Any:
    """Run ``call``; a "support" refusal passes through only when it reports the first offending leaf ``leaf``
    (``received``, and "first offending leaf index" in the message, as the errors document)."""

    def run():
        try:
            return call()
        except InvalidInputError as exc:
            if exc.received != leaf or f"first offending leaf index {leaf})" not in str(exc):
                raise AssertionError(f"the refusal reports {exc.received!r} ({exc}), not leaf {leaf}") from exc
            raise

    return run


def _rates(call: Any) -> Any:
    """Run ``call`` (a ``Rates`` / derivatives tuple of JAX scalars) and return it as a numpy vector, so that the
    contract's finiteness test sees the numbers (an infinite rate fails an accepted row)."""
    return lambda: np.asarray([float(v) for v in call()])


def _is(call: Any, expected: Any) -> Any:
    """Run ``call``; a result not EXACTLY ``expected`` (bit-identical numbers, equal fields) becomes an
    AssertionError."""

    def run():
        got = call()
        same = got == expected if isinstance(expected, tuple) else np.array_equal(np.asarray(got), expected)
        if not same:
            raise AssertionError(f"got {got!r}, expected {expected!r}")
        return got

    return run


def _rows_r7() -> list[ContractCase]:
    """Round 7 (fourth fresh mutation sample): the "support" refusals exactly where q_l = 0 on the support of a
    distribution (l = 0 with P_t outside supp P_p + supp P_a; a weight that underflows), with the first offending
    leaf reported, and the accepted side next to them (a leaf outside every support, an extreme but finite mixture)."""
    import jax

    from aligntheory.kernels import elasticity as K
    from aligntheory.theory import elasticity as T

    IE = InvalidInputError
    C = lambda label, call, refuse=None: ContractCase(label, call, refuse)  # noqa: E731
    # leaf 2 is in supp P_t only; leaf 0 is in supp P_t too, with c q_0 = k P_p + P_a = 0.5 k + 0.5 in (0, 1] for
    # k <= 1 (so a test "c q <= 1" would name leaf 0, not the offending leaf 2)
    Pp, Pa, Pt = [0.5, 0.5, 0.0], [0.5, 0.5, 0.0], [0.5, 0.0, 0.5]
    # a leaf (2) in no support at all: q_l = 0 there is harmless (accepted)
    Pp3, Pa3, Pt3 = [0.5, 0.5, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]
    # P_p's leaf 2 outside supp P_a and supp P_t: at k = 1e-300, l = 1e100 the weight k / max(k, 1, l) underflows to 0
    # (q_l rounds to 0 where P_p > 0; the rate would come back infinite): refused, never an infinite rate
    Ppu, Pau, Ptu = [1 / 3, 1 / 3, 1 / 3], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]
    # P_t's leaf 1 of mass 1e-300 outside supp P_p + supp P_a: at l = 1e-300 its weight times 1e-300 underflows to 0
    Ppv, Pav, Ptv = [1.0, 0.0], [1.0, 0.0], [1.0, 1e-300]
    return [
        C("elasticity_derivatives: l = 0 with leaf 2 in supp P_t only refused ('support', first offending leaf 2)",
          _reports_leaf(lambda: T.elasticity_derivatives(Pp, Pa, Pt, 1.0, 0.0), 2), (IE, "P_t")),
        C("derivative_scales: l = 0 with leaf 2 in supp P_t only refused ('support', leaf 2)",
          _reports_leaf(lambda: T.derivative_scales(Pp, Pa, Pt, 1.0, 0.0), 2), (IE, "P_t")),
        C("elasticity_ratio: l = 0 with leaf 2 in supp P_t only refused ('support', leaf 2)",
          _reports_leaf(lambda: T.elasticity_ratio(Pp, Pa, Pt, 1.0, 0.0), 2), (IE, "P_t")),
        C("elasticity_derivatives: the same triple at l = 1e-300 (q_l > 0 on supp P_t) accepted",
          lambda: T.elasticity_derivatives(Pp, Pa, Pt, 1.0, 1e-300)),
        C("elasticity_derivatives: a leaf in no support (q_l = 0 where P_t = 0) accepted at l = 0",
          lambda: T.elasticity_derivatives(Pp3, Pa3, Pt3, 1.0, 0.0)),
        C("stable_derivatives: l = 0 with leaf 2 in supp P_t only refused ('support', leaf 2)",
          _reports_leaf(lambda: K.stable_derivatives(Pp, Pa, Pt, 1.0, 0.0), 2), (IE, "P_t")),
        C("stable_derivatives_batched: ls containing 0 with leaf 2 in supp P_t only refused ('support', leaf 2)",
          _reports_leaf(lambda: K.stable_derivatives_batched(Pp, Pa, Pt, [1.0], [0.0, 0.5]), 2), (IE, "P_t")),
        # on supp P_t: k_min P_p + P_a = (1, 1) (a test "<= 1" would refuse) and P_p - P_a = (-0.5, 0.5) (a test with
        # "-" would refuse): q_l > 0 at l = 0 on every leaf, accepted with finite derivatives
        C("stable_derivatives_batched: k = 1e-310, l = 0 (c q_l subnormal on supp P_t) refused (PrecisionError)",
          lambda: K.stable_derivatives_batched([0.5, 0.2, 0.3], [0.5, 0.5, 0.0], [0.3, 0.3, 0.4], [1e-310], [0.0]),
          (PrecisionError, None)),
        C("stable_derivatives_batched: l = 0 with q_l > 0 on supp P_t accepted, finite",
          lambda: np.asarray(K.stable_derivatives_batched([0.25, 0.75], [0.75, 0.25], [0.5, 0.5], [1.0], [0.0]).d_p)),
        C("gamma: l = 0 with leaf 2 in supp P_t only refused ('support', leaf 2: the rate gamma_t is infinite)",
          _reports_leaf(lambda: K.gamma(Pp, Pa, Pt, 1.0, 0.0), 2), (IE, "P_t")),
        C("gamma: the same triple at l = 0.5 accepted with finite rates", _rates(lambda: K.gamma(Pp, Pa, Pt, 1.0, 0.5))),
        C("gamma: a leaf in no support (q_l = 0 there, every P_i = 0) accepted with finite rates",
          _rates(lambda: K.gamma(Pp3, Pa3, Pt3, 1.0, 0.5))),
        C("gamma: k = 1e-300, l = 1e100 (P_p's weight underflows to 0 where only P_p > 0) refused ('support', leaf 2)",
          _reports_leaf(lambda: K.gamma(Ppu, Pau, Ptu, 1e-300, 1e100), 2), (IE, "P_p")),
        C("gamma: k = 1e-300, l = 1e100 on the opposite configuration (q_l > 0 on every support) accepted, finite",
          _rates(lambda: K.gamma([0.5, 0.5], [1.0, 0.0], [0.0, 1.0], 1e-300, 1e100))),
        C("gamma: l = 1e-300 times P_t = 1e-300 underflows to q_l = 0 where P_t > 0: refused ('support', leaf 1)",
          _reports_leaf(lambda: K.gamma(Ppv, Pav, Ptv, 1.0, 1e-300), 1), (IE, "P_t")),
        C("gamma: k = 1e-310 (q_l subnormal on a leaf of P_p alone, flushed to 0 by XLA) refused (PrecisionError)",
          lambda: K.gamma([0.5, 0.2, 0.3], [0.5, 0.5, 0.0], [0.3, 0.3, 0.4], 1e-310, 0.0), (PrecisionError, None)),
        C("elasticity_derivatives: k = 1e-310 on the same triple (P_t / q_l ~ 1e310 overflows) refused (PrecisionError)",
          lambda: T.elasticity_derivatives([0.5, 0.2, 0.3], [0.5, 0.5, 0.0], [0.3, 0.3, 0.4], 1e-310, 0.0),
          (PrecisionError, None)),
        C("gamma: k = 1e-300 on the same triple (q_l = 3e-301, a normal double) accepted, finite",
          _rates(lambda: K.gamma([0.5, 0.2, 0.3], [0.5, 0.5, 0.0], [0.3, 0.3, 0.4], 1e-300, 0.0))),
        # k > 0 and l >= 0 on the host path; a traced k or l needs validate=False (documented), refused before tracing
        C("gamma: k = 0 refused", lambda: K.gamma(Pp, Pa, Pt, 0.0, 0.5), (IE, "k")),
        C("gamma: l = -1e-300 refused", lambda: K.gamma(Pp, Pa, Pt, 1.0, -1e-300), (IE, "l")),
        C("gamma: l traced under jax.vmap with the default validate = True refused",
          lambda: jax.vmap(lambda x: K.gamma(Pp, Pa, Pt, 1.0, x)[0])(np.ones(1)), (IE, "validate")),
        # mixture: sizes "any scale" (normalised by their largest entry first): near both ends of float64
        C("mixture: sizes (3e300, 1e300) (their product would overflow) give (0.75, 0.25)",
          _is(lambda: T.mixture([[1.0, 0.0], [0.0, 1.0]], [3e300, 1e300]), [0.75, 0.25])),
        C("mixture: sizes (3e-300, 1e-300) (their product would underflow) give (0.75, 0.25)",
          _is(lambda: T.mixture([[1.0, 0.0], [0.0, 1.0]], [3e-300, 1e-300]), [0.75, 0.25])),
        # GD_SCHEDULE: the documented optimiser control (spec §4.2: lr 3 for pre-training, 1 for the later phases)
        C("GD_SCHEDULE: plain GD, lr 3 for pre-training and 1 for the alignment and perturbation phases",
          _is(lambda: tuple(K.GD_SCHEDULE), tuple(K.Schedule(lr_p=3.0, lr_a=1.0, lr_t=1.0, optimizer="gd")))),
    ]


@claim(
    id="elasticity.failure_contract",
    statement="The documented failure contract of the elasticity pillar's public functions holds at the boundary of "
    "each documented constraint: the accepted side returns a finite result, one step outside is refused with the "
    "documented error class naming the argument (size caps before any work); the message of the l chi^2 >= 1 "
    "refusal gives chi^2 and the admissible range, as documented.",
    source=[Source(key="ji2024language", where="failure contract, docs/DESIGN.md §7")],
    provenance="M",
    kind="contract",
    tolerance="exact: each documented boundary on its documented side",
    rice={"R"},
    stage="backward:assurance",
)
def check_failure_contract(ctx: Context) -> Evidence:
    """Predicted: each row's documented side (from the Parameters/Raises sections); measured: the library's call.

    Exact: a boundary is either on its documented side or not; the rows use boundary values that are exactly
    representable (1 + 2^-52, 2^53 + 2, nextafter(2, 0)), so no rounding can move a row.
    """
    rows = _rows() + _rows_r5() + _rows_r6() + _rows_r7()
    return contract_evidence(rows)
