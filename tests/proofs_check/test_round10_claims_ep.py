"""Issue #11 round 10 (elasticity and progress, helper nE): each new claim is registered with its kind, and CAN fail.

Each test plants a mutant (a survivor of the seventh fresh sample, docs/mutation-report/fresh-r9, or a site of the
round's random planting) by editing the function's source (one token, as the mutation tool does) and asserts that
the claim FAILS. (The claims PASS unmutated: tests/proofs_check/test_all_claims.py.)
"""

import pytest

from aligntheory.config import configure
from aligntheory.proofs_check import Context, Verdict, load_all
from tests.proofs_check._plant import plant as _mutate

configure()

IDS = {"elasticity.refusal_details_table": "contract", "progress.score_rows_and_refusal_details": "contract",
       "elasticity.mc_delta_disjoint_closed_form": "theorem"}


def _run(cid):
    return load_all().get(cid).run(Context(seed=0))


def test_round10_claims_registered_with_their_kind():
    reg = load_all()
    for cid, kind in IDS.items():
        c = reg.get(cid)
        assert c is not None and c.kind == kind, cid
        assert _run(cid).verdict is Verdict.PASS, cid


SCORES, TP = "aligntheory.theory.progress._scores", ("aligntheory.theory.progress",)


@pytest.mark.parametrize("fname,old,new", [
    ("coevolve_score", "if S.shape[0] == 0", "if S.shape[1] == 0"),  # 16e36432df (seventh-sample survivor)
    ("coevolve_score", "A.shape[0] == 0:", "A.shape[0] == 1:"),  # the one-actual-row case
    ("predict_score", "{A.shape[0] - 1})", "{A.shape[0] + 1})"),  # the computed N of the message
])
def test_progress_table_fails_under_planted_sites(monkeypatch, fname, old, new):
    _mutate(monkeypatch, SCORES, fname, old, new, TP)
    assert _run("progress.score_rows_and_refusal_details").verdict is Verdict.FAIL


def test_progress_table_fails_on_a_wrong_order_in_a_kernel_message(monkeypatch):
    _mutate(monkeypatch, "aligntheory.kernels.progress", "extrapolate_batched", "order+1 = {k + 1} columns",
            "order+1 = {k} columns", ("aligntheory.kernels.progress",))
    assert _run("progress.score_rows_and_refusal_details").verdict is Verdict.FAIL


BOUNDS, METRICS, RATES = ("aligntheory.theory.elasticity._bounds", "aligntheory.kernels.elasticity._metrics",
                          "aligntheory.kernels.elasticity._rates")
TE, KE = ("aligntheory.theory.elasticity",), ("aligntheory.kernels.elasticity",)


@pytest.mark.parametrize("mod,fname,old,new,pk", [
    (BOUNDS, "opposite_model_bounds", "else 1.0 / chi2", "else 1.0 * chi2", TE),  # 2819bf9ae9 (part B)
    (BOUNDS, "opposite_model_bounds", "leaf {int(ov[0])})", "leaf {int(ov[-1])})", TE),
    (METRICS, "two_segment_fit", "{2 * b_min + 2} points\"", "{2 * b_min + 3} points\"", KE),
    (METRICS, "two_segment_fit_batched", "{2 * b_min + 2} points per row", "{2 * b_min + 1} points per row", KE),
    (RATES, "_support", "index {int(bad[0])})", "index {int(bad[1])})", ()),
])
def test_elasticity_table_fails_under_planted_sites(monkeypatch, mod, fname, old, new, pk):
    _mutate(monkeypatch, mod, fname, old, new, pk)
    assert _run("elasticity.refusal_details_table").verdict is Verdict.FAIL


def test_elasticity_table_fails_on_a_wrong_leaf_count(monkeypatch):
    # 75599ae827-like: (V^(depth - 1) - 1) // (V - 1) leaves instead of (V^(depth + 1) - 1) // (V - 1)
    _mutate(monkeypatch, "aligntheory.kernels.elasticity._trees", "_n_leaves", "V_ ** (depth + 1)", "V_ ** (depth - 1)")
    assert _run("elasticity.refusal_details_table").verdict is Verdict.FAIL


def test_mc_disjoint_claim_fails_when_unseen_leaves_enter_the_sums(monkeypatch):
    # 79ae97af5f (part B survivor): m = Ph >= 0 takes the leaves no dataset sees, where log q_0 = -inf (0 * inf = NaN)
    import jax

    from tests.proofs_check._plant import recompiled

    mod = __import__("aligntheory.kernels.elasticity._sampling", fromlist=["_mc_one"])
    bad = recompiled(mod, "_mc_one", "m = Ph > 0", "m = Ph >= 0")
    monkeypatch.setattr(mod, "_mc_jit", jax.jit(jax.vmap(bad, in_axes=(0, None, None, None, None, None, None))))
    assert _run("elasticity.mc_delta_disjoint_closed_form").verdict is Verdict.FAIL


def test_elasticity_table_fails_when_the_default_logits_have_one_entry_per_target(monkeypatch):
    # 7638440662 (part B survivor): logits0 = None drew T.shape[0] (targets) logits instead of T.shape[1] (leaves)
    _mutate(monkeypatch, "aligntheory.kernels.elasticity._training", "train_softmax", "key, (T.shape[1],)",
            "key, (T.shape[0],)", ("aligntheory.kernels.elasticity",))
    assert _run("elasticity.refusal_details_table").verdict is Verdict.FAIL
