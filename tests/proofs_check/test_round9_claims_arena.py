"""The round-9 arena claim (issue 11) passes, and it CAN fail.

Each test wraps the public ``leaderboard`` so that it returns what a surviving mutant of the sixth fresh sample
(docs/mutation-report/fresh-r8/arena.md) or a planted part-B mutant returns, and asserts the verdict FAIL.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from aligntheory.analysis import arena
from aligntheory.config import configure
from aligntheory.proofs_check import Context, load_all
from aligntheory.proofs_check._registry import Verdict

configure()
REG = load_all()
TREE = "arena.tree_leaderboard_table_closed_form"


def _verdict(cid: str, seed: int = 0) -> Verdict:
    return REG.get(cid).run(Context(seed=seed)).verdict


def test_tree_claim_passes_at_two_seeds():
    assert _verdict(TREE, 0) == Verdict.PASS
    assert _verdict(TREE, 3) == Verdict.PASS


def _wrap(monkeypatch, change):
    real = arena.leaderboard

    def fake(*args, **kwargs):
        lb = real(*args, **kwargs)
        return dataclasses.replace(lb, **change(lb, kwargs))
    monkeypatch.setattr(arena, "leaderboard", fake)


@pytest.mark.parametrize("change", [
    # 71338cdb1a: without covariates gamma_stderr has one entry (np.zeros(1)) instead of none
    lambda lb, kw: {"gamma_stderr": np.zeros(1)},
    # 8f8fc2822b: the comparison counts are not re-oriented to the best-first order (wins columns unswapped)
    lambda lb, kw: {"comparison_counts": lb.comparison_counts[:, [1, 0, 2]]},
    # self-battles not counted in n_dropped
    lambda lb, kw: {"n_dropped": lb.n_dropped - 1},
    # 4db3ce7395-like: the Elo factor applied to the natural scale (ratings scaled by 400/ln 10)
    lambda lb, kw: {"rating": lb.rating * (1.0 if kw.get("scale") == "elo" else arena.ELO_FACTOR)},
    # ranks without the "1 +" (the count of models whose ci_low exceeds this model's ci_high, alone)
    lambda lb, kw: {"rank": np.array([int(np.sum(lb.ci_low > lb.ci_high[k])) for k in range(len(lb.models))])},
])
def test_tree_claim_fails_on_a_mutated_table(monkeypatch, change):
    _wrap(monkeypatch, change)
    assert _verdict(TREE) == Verdict.FAIL


MEM = "arena.json_array_reader_holds_a_few_windows"


def test_memory_claim_passes_and_fails_with_a_twice_larger_window(monkeypatch):
    from aligntheory.analysis import _arena_io

    assert _verdict(MEM) == Verdict.PASS
    monkeypatch.setattr(_arena_io, "_CHUNK", 1 << 21)  # 6c8c8a0808
    assert _verdict(MEM) == Verdict.FAIL


READER = "arena.reader_errors_name_the_record"


def test_reader_claim_passes_and_fails_when_elements_are_counted_from_zero(monkeypatch):
    import re

    from aligntheory.analysis import _arena_io

    assert _verdict(READER) == Verdict.PASS
    real = _arena_io.iter_file_records

    def zero_based(path, **kw):  # e298ae20e7-like: element k reported as k - 1
        for rec, where in real(path, **kw):
            yield rec, re.sub(r"element (\d+)", lambda mt: f"element {int(mt.group(1)) - 1}", where)
    monkeypatch.setattr(_arena_io, "iter_file_records", zero_based)
    assert _verdict(READER) == Verdict.FAIL


BOOT = "arena.two_model_bootstrap_rounds_are_count_logits"


def test_bootstrap_count_claim_passes_and_fails_when_a_round_has_one_battle_too_many(monkeypatch):
    from aligntheory.analysis import _arena_fit

    assert _verdict(BOOT) == Verdict.PASS
    real = _arena_fit.multinomial_rounds

    def one_more(rng, n_draws, counts, size, corrections=None):  # the total is n + 1, not n (as 086fb6936b breaks it)
        return real(rng, n_draws + 1, counts, size, corrections=corrections)
    monkeypatch.setattr(_arena_fit, "multinomial_rounds", one_more)
    assert _verdict(BOOT) == Verdict.FAIL
