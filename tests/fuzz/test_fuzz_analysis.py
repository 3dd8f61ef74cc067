"""Bad-input fuzzing of the analysis layer (issue #12, issue #13): leaderboards and preference analyses.

``aligntheory.analysis.arena.leaderboard`` / ``adjacent_uncertainty`` / ``next_comparisons`` and
``aligntheory.analysis.ibn.analyse_preferences`` are driven with hypothesis-generated battles,
records, options and files; the outcome must be a named library error (or a ``TypeError`` with a
message) or a finite result within the harness's time limit. Results that come back are checked
further: ratings are ordered best first, intervals are ordered, the bootstrap matrix is aligned.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from aligntheory.analysis.arena import adjacent_uncertainty, leaderboard, next_comparisons
from aligntheory.analysis.ibn import analyse_preferences
from tests.fuzz._harness import bad_scalars, bad_sizes, call_gently

NAMES = st.one_of(st.sampled_from(["a", "b", "c", "=cmd()", "", " ", "é", "a" * 300]), st.integers(-3, 3),
                  st.none(), st.floats(allow_nan=True), st.text(max_size=5))
WINNERS = st.one_of(st.sampled_from(["model_a", "model_b", "tie", "tie (bothbad)", "A", "draw", "x", ""]),
                    st.none(), st.integers(0, 2), st.floats(allow_nan=True))
GOOD = {"model_a": ["a", "b", "c", "a", "b", "c", "a"], "model_b": ["b", "c", "a", "c", "a", "b", "b"],
        "winner": ["model_a", "model_a", "model_a", "model_b", "tie", "model_b", "model_b"]}

# warm-up outside the harness's alarm: the first call imports the solvers (seconds on a loaded machine)
leaderboard(GOOD, n_bootstrap=2)
analyse_preferences([{"prompt": "p", "chosen": "a", "rejected": "b"}])


def _check_board(lb):
    assert np.all(np.diff(lb.rating) <= 1e-9)
    assert np.all(lb.ci_low <= lb.ci_high)
    assert lb.bootstrap.shape[1] == lb.n_models


@given(st.lists(st.fixed_dictionaries({"model_a": NAMES, "model_b": NAMES, "winner": WINNERS}), max_size=12),
       st.sampled_from(["half", "davidson", "rao_kupper", "drop"]), st.integers(0, 5))
def test_leaderboard_records(recs, ties, n_boot):
    kind, out = call_gently(leaderboard, recs, ties=ties, n_bootstrap=n_boot)
    if kind == "ok":
        _check_board(out)
        call_gently(adjacent_uncertainty, out)
        call_gently(next_comparisons, out, 1)


@given(st.sampled_from(["ties", "scale", "n_bootstrap", "seed", "ci", "prior_strength", "penalty", "tol", "maxiter",
                        "anchor", "covariates", "cluster"]), st.one_of(bad_scalars(), bad_sizes()))
def test_leaderboard_options(option, value):
    kind, out = call_gently(leaderboard, GOOD, **{option: value})
    if kind == "ok":
        _check_board(out)


@given(st.lists(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=3), st.none()),
                min_size=7, max_size=7))
def test_leaderboard_covariate_cells(col):
    kind, out = call_gently(leaderboard, {**GOOD, "x": col}, covariates=["x"], n_bootstrap=3)
    if kind == "ok":
        assert np.all(np.isfinite(out.gamma))


@given(st.binary(max_size=600), st.sampled_from([".jsonl", ".json", ".csv", ".parquet"]))
def test_files_of_garbage(tmp_path_factory, data, suffix):
    p = tmp_path_factory.mktemp("fz") / f"f{suffix}"
    p.write_bytes(data)
    call_gently(leaderboard, p, n_bootstrap=2)
    call_gently(analyse_preferences, p)


TEXTS = st.one_of(st.text(max_size=6), st.none(), st.integers(), st.lists(st.dictionaries(st.text(max_size=2),
                                                                                            st.text(max_size=2)),
                                                                            max_size=2))


@given(st.lists(st.fixed_dictionaries({"chosen": TEXTS, "rejected": TEXTS},
                                      optional={"prompt": TEXTS}), max_size=8))
def test_analyse_preferences_records(recs):
    kind, out = call_gently(analyse_preferences, recs)
    if kind == "ok":
        assert out.rank_in_component.min() >= 1 and len(out.labels) == out.n_nodes


@given(st.sampled_from(["beta", "ib_var", "target_variance", "max_pairs", "prior_strength", "seed", "hp_var",
                        "group_nodes"]), st.one_of(bad_scalars(), bad_sizes()))
def test_analyse_preferences_options(option, value):
    recs = [{"prompt": "p", "chosen": "a", "rejected": "b"}, {"prompt": "p", "chosen": "b", "rejected": "c"},
            {"prompt": "p", "chosen": "c", "rejected": "a"}]
    call_gently(analyse_preferences, recs, **{option: value})
