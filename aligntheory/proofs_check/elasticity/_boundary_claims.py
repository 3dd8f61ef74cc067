"""Argument-boundary claims (issue 11): each validated argument of the elasticity pillar refused one step past its documented boundary and accepted at it.

``elasticity.argument_boundaries_theory`` and ``elasticity.argument_boundaries_kernels`` (``contract``
claims) call the pillar's public functions with each validated argument exactly AT each closed
boundary (a result is expected) and ONE STEP PAST it (the named error of ``aligntheory.errors`` is
expected, naming the argument). The boundaries come from the Parameters sections of the functions'
docstrings (``k > 0``, ``l >= 0``, ``0 <= pi <= 1``, ``V >= 2``, ``depth >= 1``, ...) and their
documented keyword caps (``max_leaves``, ``max_distributions``, ``max_points``); a cap row uses the
smallest input whose cost is ``cap + 1`` by lowering the cap keyword, so it costs nothing. The table
is written here, fixed in advance; nothing is read from the library's source at run time.
"""

from __future__ import annotations

import numpy as np

from aligntheory.errors import InvalidInputError, SizeCapError
from aligntheory.proofs_check._helpers import ContractCase, contract_evidence
from aligntheory.proofs_check._registry import Context, Evidence, Source, claim

_IIE = InvalidInputError
_SC = SizeCapError
_NEG = -5e-324  # one step below 0.0
_PP, _PA, _PT = [0.5, 0.5], [1.0, 0.0], [0.0, 1.0]  # the documented examples' opposite configuration


def _ok(label, call):
    return ContractCase(label + " accepted", call)


def _no(label, call, err, arg):
    return ContractCase(label + " refused", call, (err, arg))


def _rows_theory() -> list[ContractCase]:
    import aligntheory.theory.elasticity as E

    p7 = np.full(7, 1 / 7)
    up1 = np.nextafter(1.0, 2.0)
    lo_A = -1.0 - 1e-12
    rows = [
        # r_max: l >= 0
        _ok("r_max: l = 0", lambda: E.r_max(_PP, _PA, _PT, 0.0)),
        _no("r_max: l = -5e-324", lambda: E.r_max(_PP, _PA, _PT, _NEG), _IIE, "l"),
        # opposite_model_bounds: k > 0, l >= 0, chi2 >= 0
        _ok("opposite_model_bounds: l = 0", lambda: tuple(map(float, E.opposite_model_bounds(10.0, 0.0, 1.0)))),
        _ok("opposite_model_bounds: chi2 = 0", lambda: tuple(map(float, E.opposite_model_bounds(10.0, 0.1, 0.0)))),
        _no("opposite_model_bounds: k = 0", lambda: E.opposite_model_bounds(0.0, 0.1, 1.0), _IIE, "k"),
        _no("opposite_model_bounds: l = -5e-324", lambda: E.opposite_model_bounds(10.0, _NEG, 1.0), _IIE, "l"),
        _no("opposite_model_bounds: chi2 = -5e-324", lambda: E.opposite_model_bounds(10.0, 0.1, _NEG), _IIE, "chi2"),
        # asymptotic_ratio: k > 0, l >= 0, A >= -1 - 1e-12, chi2 >= 0, r_max >= 0
        _ok("asymptotic_ratio: A = -1 - 1e-12", lambda: float(E.asymptotic_ratio(1e5, 0.01, lo_A, 7.9379))),
        _ok("asymptotic_ratio: l = 0, chi2 = 0", lambda: float(E.asymptotic_ratio(1e5, 0.0, -1.0, 0.0))),
        _ok("asymptotic_ratio: r_max = 0", lambda: float(E.asymptotic_ratio(1e5, 0.01, -1.0, 7.9379, r_max=0.0))),
        _no("asymptotic_ratio: A = nextafter(-1 - 1e-12, -inf)",
            lambda: E.asymptotic_ratio(1e5, 0.01, np.nextafter(lo_A, -np.inf), 7.9379), _IIE, "A"),
        _no("asymptotic_ratio: k = 0", lambda: E.asymptotic_ratio(0.0, 0.01, -1.0, 7.9379), _IIE, "k"),
        _no("asymptotic_ratio: l = -5e-324", lambda: E.asymptotic_ratio(1e5, _NEG, -1.0, 7.9379), _IIE, "l"),
        _no("asymptotic_ratio: chi2 = -5e-324", lambda: E.asymptotic_ratio(1e5, 0.01, -1.0, _NEG), _IIE, "chi2"),
        _no("asymptotic_ratio: r_max = -5e-324",
            lambda: E.asymptotic_ratio(1e5, 0.01, -1.0, 7.9379, r_max=_NEG), _IIE, "r_max"),
        # alignment_mass_curve: 0 <= pi <= 1, k > 0
        _ok("alignment_mass_curve: pi = 0", lambda: E.alignment_mass_curve(0.0, 10.0, [0.0, 3.0])),
        _ok("alignment_mass_curve: pi = 1", lambda: E.alignment_mass_curve(1.0, 10.0, [0.0, 3.0])),
        _no("alignment_mass_curve: pi = -5e-324", lambda: E.alignment_mass_curve(_NEG, 10.0, [0.0]), _IIE, "pi"),
        _no("alignment_mass_curve: pi = nextafter(1, 2)", lambda: E.alignment_mass_curve(up1, 10.0, [0.0]), _IIE, "pi"),
        _no("alignment_mass_curve: k = 0", lambda: E.alignment_mass_curve(0.25, 0.0, [0.0]), _IIE, "k"),
        # mixture: at most max_distributions rows
        _ok("mixture: 2 distributions, max_distributions = 2",
            lambda: E.mixture([[1.0, 0.0], [0.0, 1.0]], [3.0, 1.0], max_distributions=2)),
        _no("mixture: 2 distributions, max_distributions = 1",
            lambda: E.mixture([[1.0, 0.0], [0.0, 1.0]], [3.0, 1.0], max_distributions=1), _SC, "dists"),
        # entropy / cross_entropy / compression_rate / normalized_compression_rate: base > 1
        _ok("entropy: base = nextafter(1, 2)", lambda: E.entropy([0.5, 0.25, 0.25], base=up1)),
        _no("entropy: base = 1", lambda: E.entropy([0.5, 0.25, 0.25], base=1.0), _IIE, "base"),
        _no("entropy: base = 0", lambda: E.entropy([0.5, 0.25, 0.25], base=0.0), _IIE, "base"),
        _no("cross_entropy: base = 1", lambda: E.cross_entropy([0.5, 0.5], [0.25, 0.75], base=1.0), _IIE, "base"),
        _no("compression_rate: base = 0",
            lambda: E.compression_rate([0.5, 0.25, 0.25], [0.5, 0.25, 0.25], base=0.0), _IIE, "base"),
        # huffman_code_lengths: integer base >= 2
        _ok("huffman_code_lengths: base = 2", lambda: E.huffman_code_lengths([0.5, 0.25, 0.25], 2)),
        _no("huffman_code_lengths: base = 1", lambda: E.huffman_code_lengths([0.5, 0.25, 0.25], 1), _IIE, "base"),
        # compression_rate: depth >= 1
        _ok("compression_rate: depth = 1",
            lambda: E.compression_rate([0.5, 0.25, 0.25], [0.5, 0.25, 0.25], depth=1, per_token=True)),
        _no("compression_rate: depth = 0",
            lambda: E.compression_rate([0.5, 0.25, 0.25], [0.5, 0.25, 0.25], depth=0, per_token=True),
            _IIE, "depth"),
        # normalized_compression_rate: n_leaves >= 1
        _no("normalized_compression_rate: n_leaves = 0",
            lambda: E.normalized_compression_rate([0.25] * 4, [0.25] * 4, 0), _IIE, "n_leaves"),
        # paper_block_code_length: 0 <= entropy_bits <= 2^53, 0 <= n_tokens <= 2^53, depth >= 1
        _ok("paper_block_code_length: entropy_bits = 0, n_tokens = 0, depth = 1",
            lambda: float(E.paper_block_code_length(0.0, 0, 1))),
        _ok("paper_block_code_length: entropy_bits = 2^53", lambda: float(E.paper_block_code_length(2.0**53, 1, 1))),
        _ok("paper_block_code_length: n_tokens = 2^53", lambda: float(E.paper_block_code_length(1.0, 2**53, 1))),
        _no("paper_block_code_length: entropy_bits = -5e-324",
            lambda: E.paper_block_code_length(_NEG, 10, 4), _IIE, "entropy_bits"),
        _no("paper_block_code_length: entropy_bits = nextafter(2^53, inf)",
            lambda: E.paper_block_code_length(np.nextafter(2.0**53, np.inf), 10, 4), _IIE, "entropy_bits"),
        _no("paper_block_code_length: n_tokens = -1", lambda: E.paper_block_code_length(1.0, -1, 4), _IIE, "n_tokens"),
        _no("paper_block_code_length: n_tokens = 2^53 + 1",
            lambda: E.paper_block_code_length(1.0, 2**53 + 1, 4), _IIE, "n_tokens"),
        _no("paper_block_code_length: depth = 0", lambda: E.paper_block_code_length(1.0, 10, 0), _IIE, "depth"),
        # zipf_pmf: M >= 1, M <= max_leaves, s > 0
        _ok("zipf_pmf: M = 1", lambda: E.zipf_pmf(1, 1.0)),
        _ok("zipf_pmf: M = max_leaves = 3", lambda: E.zipf_pmf(3, 1.0, max_leaves=3)),
        _ok("zipf_pmf: s = 5e-324", lambda: E.zipf_pmf(3, 5e-324)),
        _no("zipf_pmf: M = 0", lambda: E.zipf_pmf(0, 1.0), _IIE, "M"),
        _no("zipf_pmf: M = 3 > max_leaves = 2", lambda: E.zipf_pmf(3, 1.0, max_leaves=2), _SC, "M"),
        _no("zipf_pmf: s = 0", lambda: E.zipf_pmf(3, 0.0), _IIE, "s"),
        # pareto_masses: M >= 1, M <= max_leaves, alpha > 0, x_m > 0
        _ok("pareto_masses: M = 1", lambda: E.pareto_masses(np.random.default_rng(0), 1, 1.5)),
        _ok("pareto_masses: M = max_leaves = 5",
            lambda: E.pareto_masses(np.random.default_rng(0), 5, 1.5, max_leaves=5)),
        _no("pareto_masses: M = 0", lambda: E.pareto_masses(np.random.default_rng(0), 0, 1.5), _IIE, "M"),
        _no("pareto_masses: M = 5 > max_leaves = 4",
            lambda: E.pareto_masses(np.random.default_rng(0), 5, 1.5, max_leaves=4), _SC, "M"),
        _no("pareto_masses: alpha = 0", lambda: E.pareto_masses(np.random.default_rng(0), 5, 0.0), _IIE, "alpha"),
        _no("pareto_masses: x_m = 0", lambda: E.pareto_masses(np.random.default_rng(0), 5, 1.5, 0.0), _IIE, "x_m"),
        # zipf_entropy_limit: s > 0
        _no("zipf_entropy_limit: s = 0", lambda: E.zipf_entropy_limit(0.0), _IIE, "s"),
        # tree_n_leaves / tree_level_offsets: V >= 2, depth >= 0, (V^(depth+1) - 1)/(V - 1) <= max_leaves
        _ok("tree_n_leaves: V = 2, depth = 0", lambda: E.tree_n_leaves(2, 0)),
        _ok("tree_n_leaves: 7 leaves, max_leaves = 7", lambda: E.tree_n_leaves(2, 2, max_leaves=7)),
        _no("tree_n_leaves: V = 1", lambda: E.tree_n_leaves(1, 2), _IIE, "V"),
        _no("tree_n_leaves: depth = -1", lambda: E.tree_n_leaves(2, -1), _IIE, "depth"),
        _no("tree_n_leaves: 7 leaves, max_leaves = 6", lambda: E.tree_n_leaves(2, 2, max_leaves=6), _SC, "depth"),
        _ok("tree_level_offsets: V = 2, depth = 0", lambda: E.tree_level_offsets(2, 0)),
        _ok("tree_level_offsets: 7 leaves, max_leaves = 7", lambda: E.tree_level_offsets(2, 2, max_leaves=7)),
        _no("tree_level_offsets: V = 1", lambda: E.tree_level_offsets(1, 2), _IIE, "V"),
        _no("tree_level_offsets: depth = -1", lambda: E.tree_level_offsets(2, -1), _IIE, "depth"),
        _no("tree_level_offsets: 7 leaves, max_leaves = 6",
            lambda: E.tree_level_offsets(2, 2, max_leaves=6), _SC, "depth"),
        # prune_leaf_probs: V >= 2, depth >= 1, 1 <= d <= depth
        _ok("prune_leaf_probs: d = 1", lambda: E.prune_leaf_probs(p7, 2, 2, 1)),
        _ok("prune_leaf_probs: d = depth = 2", lambda: E.prune_leaf_probs(p7, 2, 2, 2)),
        _ok("prune_leaf_probs: depth = 1", lambda: E.prune_leaf_probs(np.full(3, 1 / 3), 2, 1, 1)),
        _no("prune_leaf_probs: V = 1", lambda: E.prune_leaf_probs(p7, 1, 2, 1), _IIE, "V"),
        _no("prune_leaf_probs: depth = 0", lambda: E.prune_leaf_probs(p7, 2, 0, 1), _IIE, "depth"),
        _no("prune_leaf_probs: d = 0", lambda: E.prune_leaf_probs(p7, 2, 2, 0), _IIE, "d"),
        _no("prune_leaf_probs: d = depth + 1 = 3", lambda: E.prune_leaf_probs(p7, 2, 2, 3), _IIE, "d"),
        # closed_form_derivatives: 2 <= M <= 6 (M = 6 is an expensive sympy build: refused side only above it)
        _ok("closed_form_derivatives: M = 2", lambda: E.closed_form_derivatives(2).residual),
        _no("closed_form_derivatives: M = 1", lambda: E.closed_form_derivatives(1), _IIE, "M"),
        _no("closed_form_derivatives: M = 7", lambda: E.closed_form_derivatives(7), _IIE, "M"),
    ]
    # derivative functions: k > 0, l >= 0 (the documented examples use k = 1, l = 0: l AT its boundary)
    for name in ("elasticity_derivatives", "derivative_scales", "elasticity_ratio", "hooke_residual"):
        f = getattr(E, name)
        rows += [
            _ok(f"{name}: l = 0", lambda f=f: tuple(map(float, np.atleast_1d(f(_PP, _PA, _PT, 10.0, 0.0))))),
            _no(f"{name}: k = 0", lambda f=f: f(_PP, _PA, _PT, 0.0, 0.0), _IIE, "k"),
            _no(f"{name}: l = -5e-324", lambda f=f: f(_PP, _PA, _PT, 1.0, _NEG), _IIE, "l"),
        ]
    return rows


_STATEMENT = ("Each validated argument of the elasticity pillar's {what} is accepted exactly at each closed boundary "
              "its docstring's Parameters section states (a finite result) and refused one step past it with the "
              "documented error class naming the argument (size caps: cost = cap accepted, cap + 1 refused, before "
              "any work).")


@claim(
    id="elasticity.argument_boundaries_theory",
    statement=_STATEMENT.format(what="theory functions (aligntheory.theory.elasticity)"),
    source=[Source(key="ji2024language", where="Parameters sections of the theory docstrings; docs/DESIGN.md §7")],
    provenance="M",
    kind="contract",
    tolerance="exact: each boundary on its documented side",
    rice={"R"},
    stage="backward:assurance",
)
def check_argument_boundaries_theory(ctx: Context) -> Evidence:
    """Predicted: each row's documented side (the Parameters sections); measured: the library's call.

    Exact: one step past a float bound is ``nextafter`` (or -5e-324 below 0), past an integer bound
    ``lo - 1`` / ``hi + 1``; no rounding can move a row.
    """
    return contract_evidence(_rows_theory())




def _rows_kernels() -> list[ContractCase]:
    """Refused rows only (plus host-side accepted rows): a refused row compiles nothing."""
    import jax

    from aligntheory.kernels import elasticity as KE

    key = jax.random.PRNGKey(0)
    two53 = 2.0**53
    y101 = np.arange(101.0)
    lp7 = np.log(np.full(7, 1 / 7))
    data = KE.make_protocol_data(0, C=12, V=16)  # C and V exactly at their lower bounds (12, 2 * 8)
    model = KE.ModelSpec(C=12, V=16, capacity=2)
    sch = KE.Schedule(T_p=0, T_a=0, T_t=1)

    def sft(schedule=sch, replay=None):
        return KE.sequential_finetune(key, model, data, schedule, replay)

    def sftb(schedule=sch, replay=None):
        return KE.sequential_finetune_batched(key[None], model, data, schedule, replay)

    rows = [
        # make_protocol_data: seed >= 0, C >= align_contexts[1], V >= 2 n_tokens
        _ok("make_protocol_data: seed = 0, C = 12, V = 16 (at their lower bounds)",
            lambda: np.asarray(KE.make_protocol_data(0, C=12, V=16).P_p)),
        _no("make_protocol_data: seed = -1", lambda: KE.make_protocol_data(-1, C=12, V=16), _IIE, "seed"),
        _no("make_protocol_data: C = 11 < align_contexts[1] = 12", lambda: KE.make_protocol_data(0, C=11, V=16),
            _IIE, "C"),
        _no("make_protocol_data: V = 15 < 2 n_tokens = 16", lambda: KE.make_protocol_data(0, C=12, V=15), _IIE, "V"),
        _no("empirical_pretraining_data: N_p = 0", lambda: KE.empirical_pretraining_data(key, data, 0.0), _IIE,
            "N_p"),
        _no("pretrain: T_p = -1", lambda: KE.pretrain(key, model, data.w_p, data.P_p, -1), _IIE, "T_p"),
    ]
    for name, f in (("sequential_finetune", sft), ("sequential_finetune_batched", sftb)):
        rows += [
            _no(f"{name}: schedule.T_p = -1", lambda f=f: f(KE.Schedule(T_p=-1, T_a=0, T_t=1)), _IIE, "schedule.T_p"),
            _no(f"{name}: schedule.T_a = -1", lambda f=f: f(KE.Schedule(T_p=0, T_a=-1, T_t=1)), _IIE, "schedule.T_a"),
            _no(f"{name}: schedule.T_t = 0", lambda f=f: f(KE.Schedule(T_p=0, T_a=0, T_t=0)), _IIE, "schedule.T_t"),
            _no(f"{name}: replay = -5e-324", lambda f=f: f(replay=_NEG), _IIE, "replay"),
            _no(f"{name}: replay = 1 (open bound)", lambda f=f: f(replay=1.0), _IIE, "replay"),
        ]
    rows += [
        _no("distill_steps: max_steps = 0", lambda: KE.distill_steps({}, {}, data.w_a, max_steps=0), _IIE,
            "max_steps"),
        _no("distill_steps_batched: max_steps = 0", lambda: KE.distill_steps_batched({}, {}, data.w_a, max_steps=0),
            _IIE, "max_steps"),
        # train_softmax: steps >= 0, lr > 0, tol > 0
        _no("train_softmax: steps = -1",
            lambda: KE.train_softmax(None, np.zeros(2), np.eye(2), np.array([3.0, 1.0]), -1, 1.0), _IIE, "steps"),
        _no("train_softmax: lr = 0",
            lambda: KE.train_softmax(None, np.zeros(2), np.eye(2), np.array([3.0, 1.0]), 10, 0.0), _IIE, "lr"),
        _no("train_softmax: tol = 0",
            lambda: KE.train_softmax(None, np.zeros(2), np.eye(2), np.array([3.0, 1.0]), 10, 1.0, tol=0.0), _IIE,
            "tol"),
        # token_tree_leaf_probs: V >= 2, depth >= 1, leaves <= max_leaves, 0 < eos_prob < 1, zipf_s > 0
        _no("token_tree_leaf_probs: V = 1", lambda: KE.token_tree_leaf_probs(key, 1, 3, 0.3, 1.0), _IIE, "V"),
        _no("token_tree_leaf_probs: depth = 0", lambda: KE.token_tree_leaf_probs(key, 2, 0, 0.3, 1.0), _IIE, "depth"),
        _no("token_tree_leaf_probs: 15 leaves > max_leaves = 14",
            lambda: KE.token_tree_leaf_probs(key, 2, 3, 0.3, 1.0, max_leaves=14), _SC, "depth"),
        _no("token_tree_leaf_probs: eos_prob = 0 (open bound)",
            lambda: KE.token_tree_leaf_probs(key, 2, 3, 0.0, 1.0), _IIE, "eos_prob"),
        _no("token_tree_leaf_probs: eos_prob = -5e-324",
            lambda: KE.token_tree_leaf_probs(key, 2, 3, _NEG, 1.0), _IIE, "eos_prob"),
        _no("token_tree_leaf_probs: eos_prob = nextafter(1, 2)",
            lambda: KE.token_tree_leaf_probs(key, 2, 3, np.nextafter(1.0, 2.0), 1.0), _IIE, "eos_prob"),
        _no("token_tree_leaf_probs: zipf_s = 0", lambda: KE.token_tree_leaf_probs(key, 2, 3, 0.3, 0.0), _IIE,
            "zipf_s"),
        # prune: V >= 2, depth >= 1, 1 <= d <= depth
        _no("prune: V = 1", lambda: KE.prune(lp7, 1, 2, 1), _IIE, "V"),
        _no("prune: depth = 0", lambda: KE.prune(lp7, 2, 0, 1), _IIE, "depth"),
        _no("prune: d = 0", lambda: KE.prune(lp7, 2, 2, 0), _IIE, "d"),
        _no("prune: d = depth + 1 = 3", lambda: KE.prune(lp7, 2, 2, 3), _IIE, "d"),
        # two_segment_fit(_batched): size <= max_points; first_crossing: finite level
        _ok("two_segment_fit: 101 points = max_points", lambda: KE.two_segment_fit(y101, max_points=101).b),
        _no("two_segment_fit: 101 points > max_points = 100", lambda: KE.two_segment_fit(y101, max_points=100), _SC,
            "y"),
        _ok("two_segment_fit_batched: 202 entries = max_points",
            lambda: KE.two_segment_fit_batched(np.stack([y101, y101]), max_points=202).b),
        _no("two_segment_fit_batched: 202 entries > max_points = 201",
            lambda: KE.two_segment_fit_batched(np.stack([y101, y101]), max_points=201), _SC, "Y"),
        _no("first_crossing: level = nan", lambda: KE.first_crossing([0.0, 1.0, 2.0], np.nan), _IIE, "level"),
        _no("first_crossing: level = inf", lambda: KE.first_crossing([0.0, 1.0, 2.0], np.inf), _IIE, "level"),
        # sample_counts: 0 <= N <= 2^53, integer; M (x keys) <= max_leaves
        _no("sample_counts: N = -5e-324", lambda: KE.sample_counts(key, [0.2, 0.3, 0.5], _NEG), _IIE, "N"),
        _no("sample_counts: N = 2^53 + 2", lambda: KE.sample_counts(key, [0.2, 0.3, 0.5], two53 + 2), _IIE, "N"),
        _no("sample_counts: 3 draws > max_leaves = 2",
            lambda: KE.sample_counts(key, [0.2, 0.3, 0.5], 10.0, max_leaves=2), _SC, "P"),
        _no("sample_counts: 3 leaves x 2 keys = 6 draws > max_leaves = 5",
            lambda: KE.sample_counts(jax.random.split(key, 2), [0.2, 0.3, 0.5], 10.0, max_leaves=5), _SC, "P"),
        _no("mle_from_counts: beta = -5e-324", lambda: KE.mle_from_counts(np.array([[1.0, 3.0]]), _NEG), _IIE, "beta"),
        # mc_delta_gamma: 0 < N_a <= 2^53, 0 < k, l1 <= 2^53 / N_a, n_seeds >= 2, 3 n_seeds M <= max_draws
        _no("mc_delta_gamma: N_a = 0", lambda: KE.mc_delta_gamma(key, _PP, _PA, _PT, 0.0, 10.0, 0.1, 8), _IIE, "N_a"),
        _no("mc_delta_gamma: N_a = 2^53 + 2",
            lambda: KE.mc_delta_gamma(key, _PP, _PA, _PT, two53 + 2, 10.0, 0.1, 8), _IIE, "N_a"),
        _no("mc_delta_gamma: k = 0", lambda: KE.mc_delta_gamma(key, _PP, _PA, _PT, 1024.0, 0.0, 0.1, 8), _IIE, "k"),
        _no("mc_delta_gamma: k = nextafter(2^53 / N_a, inf)",
            lambda: KE.mc_delta_gamma(key, _PP, _PA, _PT, 1024.0, np.nextafter(two53 / 1024.0, np.inf), 0.1, 8),
            _IIE, "k"),
        _no("mc_delta_gamma: l1 = 0", lambda: KE.mc_delta_gamma(key, _PP, _PA, _PT, 1024.0, 10.0, 0.0, 8), _IIE, "l1"),
        _no("mc_delta_gamma: l1 = nextafter(2^53 / N_a, inf)",
            lambda: KE.mc_delta_gamma(key, _PP, _PA, _PT, 1024.0, 10.0, np.nextafter(two53 / 1024.0, np.inf), 8),
            _IIE, "l1"),
        _no("mc_delta_gamma: n_seeds = 1", lambda: KE.mc_delta_gamma(key, _PP, _PA, _PT, 1024.0, 10.0, 0.1, 1), _IIE,
            "n_seeds"),
        # ... and N_a, k N_a, l1 N_a whole sample sizes >= 1 (k N_a within relative 1e-12 of an integer)
        _no("mc_delta_gamma: N_a = 1024.5", lambda: KE.mc_delta_gamma(key, _PP, _PA, _PT, 1024.5, 1.0, 1.0, 8), _IIE,
            "N_a"),
        _no("mc_delta_gamma: k N_a = 102.4", lambda: KE.mc_delta_gamma(key, _PP, _PA, _PT, 1024.0, 0.1, 1.0, 8), _IIE,
            "k"),
        _no("mc_delta_gamma: l1 N_a = 102.4", lambda: KE.mc_delta_gamma(key, _PP, _PA, _PT, 1024.0, 1.0, 0.1, 8),
            _IIE, "l1"),
        _no("mc_delta_gamma: k N_a = 0.5 (a zero-size sample)",
            lambda: KE.mc_delta_gamma(key, _PP, _PA, _PT, 1024.0, 0.5 / 1024.0, 1.0, 8), _IIE, "k"),
        _ok("mc_delta_gamma: k = 0.29, l1 = 0.57, N_a = 100 (k N_a = 28.999999999999996, l1 N_a = 56.99999999999999)",
            lambda: KE.mc_delta_gamma(key, _PP, _PA, _PT, 100.0, 0.29, 0.57, 8).ratio),
        _no("mc_delta_gamma: 3 * 2 * 2 = 12 draws > max_draws = 11",
            lambda: KE.mc_delta_gamma(key, _PP, _PA, _PT, 1024.0, 10.0, 0.1, 2, max_draws=11), _SC, "n_seeds"),
        # stable_derivatives_batched: ks > 0, ls >= 0, batch_size >= 1, K L M <= max_points
        _no("stable_derivatives_batched: batch_size = 0",
            lambda: KE.stable_derivatives_batched(_PP, _PA, _PT, np.array([1.0]), np.array([0.0]), batch_size=0),
            _IIE, "batch_size"),
        _no("stable_derivatives_batched: 2 * 1 * 2 = 4 > max_points = 3",
            lambda: KE.stable_derivatives_batched(_PP, _PA, _PT, np.array([1.0, 10.0]), np.array([0.0]),
                                                  max_points=3), _SC, "ks"),
        _no("stable_derivatives_batched: ks = [0]",
            lambda: KE.stable_derivatives_batched(_PP, _PA, _PT, np.array([0.0]), np.array([0.0])), _IIE, "ks"),
        _no("stable_derivatives_batched: ls = [-5e-324]",
            lambda: KE.stable_derivatives_batched(_PP, _PA, _PT, np.array([1.0]), np.array([_NEG])), _IIE, "ls"),
    ]
    for name in ("gamma", "gamma_grad", "stable_derivatives"):
        f = getattr(KE, name)
        rows += [
            _no(f"{name}: k = 0", lambda f=f: f(_PP, _PA, _PT, 0.0, 0.0), _IIE, "k"),
            _no(f"{name}: l = -5e-324", lambda f=f: f(_PP, _PA, _PT, 1.0, _NEG), _IIE, "l"),
        ]
    return rows


@claim(
    id="elasticity.argument_boundaries_kernels",
    statement=_STATEMENT.format(what="JAX kernels (aligntheory.kernels.elasticity)"),
    source=[Source(key="ji2024language", where="Parameters sections of the kernel docstrings; docs/DESIGN.md §7")],
    provenance="M",
    kind="contract",
    tolerance="exact: each boundary on its documented side",
    rice={"R"},
    stage="backward:assurance",
)
def check_argument_boundaries_kernels(ctx: Context) -> Evidence:
    """Predicted: each row's documented side (the Parameters sections); measured: the library's call.

    The kernel rows are refused rows (validation on the host before any compilation) and host-side
    accepted rows (protocol data at its lower bounds, the two-segment fits at their caps).
    """
    return contract_evidence(_rows_kernels())
