"""The elasticity claims of issue #11 round 3 can fail: each turns FAIL when the library function it measures is
replaced by the behaviour of a surviving mutant (or another plausible bug), and PASSes with a correct independent
implementation of the same function.

Heavy kernels (token trees, binomial sampling, the protocol) are replaced by small numpy implementations here, so this
file compiles almost nothing; ``tests/proofs_check/test_all_claims.py`` runs the claims on the real kernels.
"""

from __future__ import annotations

import functools
import hashlib
import math

import numpy as np
import pytest

pytest.importorskip("jax")

from aligntheory.config import configure  # noqa: E402
from aligntheory.errors import InvalidInputError  # noqa: E402
from aligntheory.proofs_check import Context, Verdict, load_all  # noqa: E402

configure()
REG = load_all()
_REAL_ASYMPTOTIC_RATIO = __import__("aligntheory.theory.elasticity", fromlist=["x"]).asymptotic_ratio
_cached_closed_form_derivatives = functools.cache(
    __import__("aligntheory.theory.elasticity", fromlist=["x"]).closed_form_derivatives)
KERNELS = "aligntheory.kernels.elasticity"
THEORY = "aligntheory.theory.elasticity"


def _run(cid: str, seed: int = 0) -> Verdict:
    ev = REG.get(cid).run(Context(seed=seed))
    return ev.verdict


def _seed_of(key) -> int:
    return int.from_bytes(hashlib.sha256(np.asarray(key).tobytes()).digest()[:8], "little")


# ----------------------------------------------------------------------------------------------
# token trees: a numpy tree of the documented law, and the two sign mutants of the log-space products


def _numpy_tree(flip_edge: bool = False, flip_parent: bool = False):
    def tree(key, V, depth, eos_prob, zipf_s, *, max_leaves=10**8):
        n = sum(V**j for j in range(depth)) + V**depth
        if n > max_leaves:
            from aligntheory.errors import SizeCapError

            raise SizeCapError("depth", cap=max_leaves, cost=n, unit="leaves")
        rng = np.random.default_rng(_seed_of(key))
        logz = -zipf_s * np.log(np.arange(1.0, V + 1))
        logz -= np.log(np.sum(np.exp(logz)))
        logW, out = np.zeros(1), []
        for j in range(depth):
            out.append(logW + math.log(eos_prob))
            perm = np.argsort(rng.random((V**j, V)), axis=1)
            child = math.log1p(-eos_prob) + (-1.0 if flip_edge else 1.0) * logz[perm]  # mutant 11c86a3710
            logW = ((-1.0 if flip_parent else 1.0) * logW[:, None] + child).reshape(-1)  # mutant d112fa74ab
        out.append(logW)
        return np.concatenate(out)

    return tree


@pytest.mark.parametrize("flip_edge,flip_parent,want", [(False, False, Verdict.PASS), (True, False, Verdict.FAIL),
                                                        (False, True, Verdict.FAIL)])
def test_token_tree_claim_checks_the_edge_products(monkeypatch, flip_edge, flip_parent, want):
    monkeypatch.setattr(f"{KERNELS}.token_tree_leaf_probs", _numpy_tree(flip_edge, flip_parent))
    assert _run("elasticity.token_tree_edge_products") is want


def test_token_tree_claim_needs_the_documented_leaf_count_at_the_cap(monkeypatch):
    # mutant 71643a3553: the count (V^(D+1) - 0) // (V - 1) is one too many for V = 2, so max_leaves = count refuses
    good = _numpy_tree()
    monkeypatch.setattr(f"{KERNELS}.token_tree_leaf_probs",
                        lambda key, V, D, e, s, *, max_leaves=10**8: good(key, V, D, e, s, max_leaves=max_leaves - 1)
                        if V == 2 else good(key, V, D, e, s, max_leaves=max_leaves))
    assert _run("elasticity.token_tree_edge_products") is Verdict.FAIL


# ----------------------------------------------------------------------------------------------
# multinomial counts


def _numpy_counts(power: float = 1.0, sequential_raises: bool = False):
    def sample_counts(key, P, N, *, method="tree", **_k):
        if sequential_raises and method == "sequential":
            raise IndexError("tuple index out of range")  # mutant f4b991b8ed: P.shape[1] of a 1-D P
        p = np.asarray(P, dtype=float) ** power
        return np.random.default_rng(_seed_of(key)).multinomial(int(N), p / p.sum()).astype(float)

    return sample_counts


@pytest.mark.parametrize("power,raises,want", [(1.0, False, Verdict.PASS), (1.05, False, Verdict.FAIL),
                                               (1.0, True, Verdict.FAIL)])
def test_sample_counts_claim_checks_the_multinomial_law(monkeypatch, power, raises, want):
    monkeypatch.setattr(f"{KERNELS}.sample_counts", _numpy_counts(power, raises))
    assert _run("elasticity.sample_counts_multinomial") is want


# ----------------------------------------------------------------------------------------------
# train_softmax: Adam's momentum (mutant e7c18ed1e7) and the stopping rule at tol (mutant ae02056807)


def test_train_softmax_claim_fails_on_a_wrong_adam_step(monkeypatch):
    import aligntheory.kernels.elasticity as K

    real = K.train_softmax
    monkeypatch.setattr(f"{KERNELS}.train_softmax", lambda key, z, T, w, n, lr, **k: real(
        key, z, T, w, n, lr * 1.001 if k.get("optimizer") == "adam" else lr, **k))
    assert _run("elasticity.train_softmax_steps") is Verdict.FAIL


def test_train_softmax_claim_fails_when_the_stop_needs_a_residual_below_tol(monkeypatch):
    import aligntheory.kernels.elasticity as K

    real = K.train_softmax
    monkeypatch.setattr(f"{KERNELS}.train_softmax", lambda key, z, T, w, n, lr, tol=1e-6, **k: real(
        key, z, T, w, n, lr, tol=math.nextafter(tol, 0.0), **k))
    assert _run("elasticity.train_softmax_steps") is Verdict.FAIL


# ----------------------------------------------------------------------------------------------
# the protocol: numpy pretrain / sequential_finetune of the documented law, with the two mutants


def _numpy_protocol(monkeypatch, *, pretrain_default_lr: float = 3e-2, m_a_divides: bool = False,
                    distill_default_lr: float = 3e-3):
    import aligntheory.kernels.elasticity as K
    from aligntheory.proofs_check.elasticity import _kernel_claims_r3 as R3

    def pretrain(key, model, w_p, P_p, T_p, lr=pretrain_default_lr, optimizer="adam"):
        x = R3._adam(R3._as_list(K.init_params(key, model)), R3._lowrank_grad(np.asarray(w_p), np.asarray(P_p)), T_p, lr)
        return dict(zip(("E", "O", "b"), x))

    def sequential_finetune(key, model, data, schedule=None, replay=None, *, foreign_base=False):
        schedule = K.Schedule() if schedule is None else schedule
        w_p, P_p, w_a, P_a, P_t, S_a = (np.asarray(a) for a in (data.w_p, data.P_p, data.w_a, data.P_a, data.P_t,
                                                                 data.S_a))
        base = R3._as_list(pretrain(key, model, w_p, P_p, schedule.T_p, schedule.lr_p))
        aligned = R3._adam(base, R3._lowrank_grad(w_a, P_a), schedule.T_a, schedule.lr_a)
        lb = R3._lowrank_lq(base)
        rows = []
        for s in range(schedule.T_t + 1):
            lq = R3._lowrank_lq(R3._adam(aligned, R3._lowrank_grad(w_a, P_t), s, schedule.lr_t))
            with np.errstate(divide="ignore", invalid="ignore"):
                mass = np.exp(lq) / S_a if m_a_divides else np.exp(lq) * S_a
                rows.append([-(w_a * (P_a * lq).sum(1)).sum(), -(w_p * (P_p * lq).sum(1)).sum(),
                             (w_a * mass.sum(1)).sum(), (w_a * (np.exp(lb) * (lb - lq)).sum(1)).sum(), math.nan])
        c = np.array(rows)
        return K.FinetuneResult(c[:, 0], c[:, 1], c[:, 2], c[:, 3], c[:, 4], float(-(w_a * (P_a * lb).sum(1)).sum()),
                                dict(zip(("E", "O", "b"), base)), dict(zip(("E", "O", "b"), aligned)))

    def distill_steps(start, target, w_a, *, lr=distill_default_lr, max_steps=20000, frac=0.1, optimizer="adam"):
        p_t = R3._softmax(R3._lowrank_lq(R3._as_list(target)))
        steps, kls = R3._distill_numpy(R3._as_list(start), p_t, np.asarray(w_a), lr=lr, frac=frac, max_steps=max_steps)
        return K.DistillResult(steps, kls[steps], kls[0])

    monkeypatch.setattr(f"{KERNELS}.pretrain", pretrain)
    monkeypatch.setattr(f"{KERNELS}.sequential_finetune", sequential_finetune)
    monkeypatch.setattr(f"{KERNELS}.distill_steps", distill_steps)


@pytest.mark.parametrize("lr,divides,dlr,want", [(3e-2, False, 3e-3, Verdict.PASS), (1.03, False, 3e-3, Verdict.FAIL),
                                                 (3e-2, True, 3e-3, Verdict.FAIL), (3e-2, False, 1.003, Verdict.FAIL)])
def test_protocol_claim_pins_the_defaults_and_the_alignment_mass(monkeypatch, lr, divides, dlr, want):
    # mutants cf4bf942be (pretrain's default lr 3e-2 -> 1.03), 196c41e2a5 (m_a with exp(lq) / S_a) and 2726b1fe36
    # (distill_steps' default lr 3e-3 -> 1.003)
    _numpy_protocol(monkeypatch, pretrain_default_lr=lr, m_a_divides=divides, distill_default_lr=dlr)
    assert _run("elasticity.protocol_phases_are_adam_steps") is want


# ----------------------------------------------------------------------------------------------
# batched derivatives on a support of more than 2^22 leaves (mutant 1353dbd61c: a default batch of 0 points)


def _theory_batched(scale: float = 1.0):
    from aligntheory.theory import elasticity as T

    class _R:  # the fields the claim reads, shape (K, L)
        pass

    def batched(P_p, P_a, P_t, ks, ls, **_k):
        d = np.array([[T.elasticity_derivatives(P_p, P_a, P_t, k, l) for l in ls] for k in ks])
        r = _R()
        r.d_p, r.d_a, r.d_t = d[..., 0], scale * d[..., 1], d[..., 2]
        r.ratio = -r.d_a / r.d_p
        r.residual = np.asarray(ks)[:, None] * r.d_p + r.d_a + np.asarray(ls)[None, :] * r.d_t
        return r

    return batched


def _refuses_a_zero_batch(*_a, **_k):
    raise InvalidInputError("batch_size", "must be >= 1", received=0)


@pytest.mark.parametrize("fake,want", [(_theory_batched(1.0 + 1e-6), Verdict.FAIL), (_refuses_a_zero_batch, Verdict.FAIL)])
def test_large_support_claim_needs_the_default_batch(monkeypatch, fake, want):
    monkeypatch.setattr(f"{KERNELS}.stable_derivatives_batched", fake)
    assert _run("elasticity.batched_derivatives_large_support") is want


# ----------------------------------------------------------------------------------------------
# the failure contract


def test_failure_contract_passes_on_the_library():
    assert _run("elasticity.failure_contract") is Verdict.PASS


@pytest.mark.parametrize("module,name,fake", [
    # mutant fc0c42eec3: negative counts accepted
    (KERNELS, "mle_from_counts", lambda C, beta=0.0, **k: np.asarray(C, float)),
    # mutant 77767b626c: negative entropies accepted
    (THEORY, "disjoint_support_rates", lambda H, N: np.zeros(len(H))),
    # mutant 035ae076a4: the l chi^2 >= 1 refusal without the documented admissible range
    (THEORY, "opposite_model_bounds", lambda k, l, chi2, **kw: (_ for _ in ()).throw(
        InvalidInputError("l", f"needs l * chi^2 < 1: chi^2 = {chi2!r}, admissible range l < 1/chi^2 = inf", received=l))
     if l * chi2 >= 1 else (k, k)),
    # mutant 859d5de8bc: an end-of-sequence probability of 0 accepted
    (KERNELS, "token_tree_leaf_probs", lambda key, V, D, e, s, **k: np.zeros(3)),
    # mutant bc7d008f6f: C checked against the first alignment prompt instead of the last
    (KERNELS, "make_protocol_data", lambda seed, *, C=32, V=256, **k: (seed, C, V)),
])
def test_failure_contract_fails_when_a_documented_refusal_is_lost(monkeypatch, module, name, fake):
    monkeypatch.setattr(f"{module}.{name}", fake)
    assert _run("elasticity.failure_contract") is Verdict.FAIL


def test_paper_block_code_length_cap_is_the_documented_two_to_the_53(monkeypatch):
    # mutant 214a742820 (hi = 3.0**53): the docstring now states 0 <= H <= 2^53, and the contract row refuses 2^53 + 2
    from aligntheory.theory import elasticity as T

    assert int(T.paper_block_code_length(2.0**53, 1, 1)) == 2**53
    with pytest.raises(InvalidInputError, match="entropy_bits"):
        T.paper_block_code_length(2.0**53 + 2.0, 1, 1)
    real = T.paper_block_code_length
    monkeypatch.setattr(f"{THEORY}.paper_block_code_length",
                        lambda H, n, d: real(1.0, n, d) if 2.0**53 < H <= 3.0**53 else real(H, n, d))
    assert _run("elasticity.failure_contract") is Verdict.FAIL


def test_failure_contract_fails_at_l_chi2_equal_to_one(monkeypatch):
    # mutant d4bf8ffe29: l chi^2 = 1 passes the check and divides by zero
    from aligntheory.theory import elasticity as T

    real = T.opposite_model_bounds
    monkeypatch.setattr(f"{THEORY}.opposite_model_bounds",
                        lambda k, l, chi2, **kw: (k, k / (1.0 - l * chi2)) if l * chi2 == 1.0 else real(k, l, chi2, **kw))
    assert _run("elasticity.failure_contract") is Verdict.FAIL


# ----------------------------------------------------------------------------------------------
# symbolic forms: the E6 closed form in the pillar's symbols, and the asymptotic_ratio closed form


def _closed_form_without_assumptions():
    import sympy as sp

    from aligntheory.theory.elasticity import ClosedFormOppositeModel

    k, l, r, chi2 = sp.symbols("k l r chi2", positive=False)  # mutant cb1769248e
    c = k + 1 + l
    R = sp.simplify(-(1 / c) / (1 / c - 1 / (k + l * r)))
    upper = (k + l * (1 + chi2)) / (1 - l * chi2)
    return ClosedFormOppositeModel(R, sp.simplify(R.subs(l, 0)), upper, sp.simplify(R - upper.subs(chi2, r - 1)),
                                   {"k": k, "l": l, "r": r, "chi2": chi2})


def _asymptotic_ratio_expr_without_the_one(k, l, A, chi2, **kw):
    import dataclasses

    import sympy as sp

    def expr():  # mutant 30b94d2c01: (k + 0 + l) A / (A + l chi2)
        ks, ls, cs = sp.symbols("k l chi2", positive=True)
        As = sp.Symbol("A", real=True)
        return (ks + ls) * As / (As + ls * cs)

    return dataclasses.replace(_REAL_ASYMPTOTIC_RATIO(k, l, A, chi2, **kw), expr=expr)


@pytest.mark.parametrize("name,fake", [("closed_form_opposite_model", lambda: _closed_form_without_assumptions()),
                                       ("asymptotic_ratio", _asymptotic_ratio_expr_without_the_one)])
def test_symbolic_claim_pins_the_symbols_and_the_bound_closed_forms(monkeypatch, name, fake):
    # (the claim PASSes on the library in test_all_claims.py); the sympy derivatives it also checks are computed once
    monkeypatch.setattr(f"{THEORY}.closed_form_derivatives", _cached_closed_form_derivatives)
    monkeypatch.setattr(f"{THEORY}.{name}", fake)
    assert _run("elasticity.symbolic_forms_agree") is Verdict.FAIL
