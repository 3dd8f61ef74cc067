"""The guard-condition claims of issue #11 round 10 (helper gC: kernels/social_choice, kernels/ibn) can fail: each
turns FAIL when one condition of a hand-written raising guard is replaced by a single-token mutant (``or`` made
``and``, a strict comparison made weak, an index moved), and PASSes unpatched.
"""

from __future__ import annotations

import pytest

pytest.importorskip("jax")

from aligntheory.config import configure  # noqa: E402
from aligntheory.proofs_check import Context, Verdict, load_all  # noqa: E402
from tests.proofs_check._plant import plant  # noqa: E402

configure()
REG = load_all()

IDS = ["social_choice.guard_conditions_kernels", "ibn.guard_conditions_kernels"]


def _run(cid: str) -> Verdict:
    return REG.get(cid).run(Context(seed=0)).verdict


@pytest.mark.parametrize("cid", IDS)
def test_guard_claims_are_registered_contracts(cid):
    c = REG.get(cid)
    assert c.kind == "contract"
    assert c.provenance == "M"




def test_social_choice_claim_fails_when_the_shape_disjunct_is_conjoined(monkeypatch):
    # issuewise_majority_batched: `iss.ndim != 2 or iss.shape != y.shape` -> `and` ((1, 4) vs (1, 3) accepted)
    plant(monkeypatch, "aligntheory.kernels.social_choice._learning", "issuewise_majority_batched",
          "iss.ndim != 2 or iss.shape", "iss.ndim != 2 and iss.shape", packages=("aligntheory.kernels.social_choice",))
    assert _run("social_choice.guard_conditions_kernels") is Verdict.FAIL


def test_social_choice_claim_fails_when_s_k_is_read_as_s_1(monkeypatch):
    # scoring_utilities: `svn[-1] != 0.0` -> `svn[-0] != 0.0` (every valid scoring vector refused)
    plant(monkeypatch, "aligntheory.kernels.social_choice._learning", "scoring_utilities", "svn[-1] != 0.0",
          "svn[-0] != 0.0", packages=("aligntheory.kernels.social_choice",))
    assert _run("social_choice.guard_conditions_kernels") is Verdict.FAIL


def test_ibn_claim_fails_when_node_id_n_is_accepted(monkeypatch):
    # edges_arg: `hi >= n` -> `hi > n` (id n accepted)
    plant(monkeypatch, "aligntheory.kernels.ibn._checks", "edges_arg", "hi >= n", "hi > n")
    assert _run("ibn.guard_conditions_kernels") is Verdict.FAIL


def test_ibn_claim_fails_when_the_row_sum_check_is_dropped_for_symmetric_input(monkeypatch):
    # _check_laplacian_values: `> 1e-10 * n` -> `< 1e-10 * n` (a valid Laplacian refused, a bad one accepted)
    plant(monkeypatch, "aligntheory.kernels.ibn._resistance", "_check_laplacian_values", "> 1e-10 * n",
          "< 1e-10 * n")
    assert _run("ibn.guard_conditions_kernels") is Verdict.FAIL
