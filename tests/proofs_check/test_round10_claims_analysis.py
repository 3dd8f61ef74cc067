"""The round-10 claims of helper nA (issue 11, analysis/) pass, and each CAN fail: a planted mutant of the code
they pin (a survivor of the seventh fresh sample, docs/mutation-report/fresh-r9, or a part-B planting) turns
the verdict to FAIL."""

from __future__ import annotations

import pytest

from aligntheory.config import configure
from aligntheory.proofs_check import Context, load_all
from aligntheory.proofs_check._registry import Verdict
from tests.proofs_check._plant import plant

configure()
REG = load_all()

KINDS = {
    "arena.bootstrap_draws_are_multinomial": "theorem",
    "arena.record_cluster_ids_group_like_columns": "contract",
    "arena.prior_leaderboard_table_closed_form": "theorem",
    "safety.replay_table_matches_update": "theorem",
    "ibn.analysis_cli_defaults_mirror_library": "contract",
}


def _verdict(cid: str, seed: int = 0) -> Verdict:
    return REG.get(cid).run(Context(seed=seed)).verdict


def test_claims_registered_with_their_kind():
    for cid, kind in KINDS.items():
        assert REG.get(cid).kind == kind, cid


@pytest.mark.parametrize("cid", sorted(KINDS))
def test_claim_passes(cid):
    assert _verdict(cid) == Verdict.PASS


MUTANTS = [
    # 57cbb9affa: the CDF's last entry set at index 0: every unit added to a short round goes to category 0
    ("arena.bootstrap_draws_are_multinomial", "aligntheory.analysis._arena_fit", "multinomial_rounds",
     "cdf[-1] = 1.0", "cdf[-0] = 1.0"),
    # b98418f207: a missing (None) cluster id read as the cluster "None"
    ("arena.record_cluster_ids_group_like_columns", "aligntheory.analysis._arena_io", "_cluster_key",
     "v is None or (", "v is None and ("),
    # a dict cluster id keyed by its key order (two spellings of one id become two clusters)
    ("arena.record_cluster_ids_group_like_columns", "aligntheory.analysis._arena_io", "_cluster_key",
     "sort_keys=True", "sort_keys=False"),
    # 8bb4dc9618 (part B): the centring projection of the MAP covariance scaled by n instead of 1/n
    ("arena.prior_leaderboard_table_closed_form", "aligntheory.analysis.arena", "leaderboard",
     "Pj[:n, :n] -= 1.0 / n", "Pj[:n, :n] -= 1.0 * n"),
    # 1b124cbc82 (part B): models outside the largest strongly connected block flagged connected
    ("arena.prior_leaderboard_table_closed_form", "aligntheory.analysis.arena", "leaderboard",
     "connected[:] = False", "connected[:] = True"),
    # 97650bbf98 (part B): the score table's --top default off by one
    ("ibn.analysis_cli_defaults_mirror_library", "aligntheory.analysis.ibn", "add_cli",
     "default=15,", "default=16,"),
    # the replay's --window default no longer the library's
    ("ibn.analysis_cli_defaults_mirror_library", "aligntheory.analysis.safety", "add_cli",
     "default=128)", "default=129)"),
    # 73877f7cc2: a log of fewer than four updates takes lambda* over the whole trajectory
    ("safety.replay_table_matches_update", "aligntheory.analysis.safety", "replay_multiplier_log",
     "max(1, traj.lambdas.size // 4)", "max(0, traj.lambdas.size // 4)"),
    # 0702dc29d1: the curvature estimate without the minus sign (the clipped row and the estimated rows)
    ("safety.replay_table_matches_update", "aligntheory.analysis.safety", "replay_multiplier_log",
     "max(0.0, -float(slope))", "max(0.0, float(slope))"),
    # the median batch size replaced by the first rollout's length
    ("safety.replay_table_matches_update", "aligntheory.analysis.safety", "replay_multiplier_log",
     "batch_size=max(1, batch)", "batch_size=max(1, len(np.atleast_1d(rollouts[0])))"),
]


@pytest.mark.parametrize(("cid", "mod", "fn", "old", "new"), MUTANTS)
def test_claim_fails_on_a_planted_mutant(monkeypatch, cid, mod, fn, old, new):
    plant(monkeypatch, mod, fn, old, new)
    assert _verdict(cid) == Verdict.FAIL
