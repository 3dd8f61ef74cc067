"""Session 16 of issue 11: analysis tests for behaviour the tenth fresh mutation sample (fresh-r12) showed no test
pinned. Each test names the survivor it was written against."""

import argparse
import io
import json
from pathlib import Path

import numpy as np
import pytest

import aligntheory
from aligntheory.analysis.ibn import analyse_preferences

SAFETY_EXAMPLE = Path(aligntheory.__file__).parent / "data" / "example_safety_preferences.jsonl"


def _chat(text):
    return [{"role": "user", "content": "q"}, {"role": "assistant", "content": text}]


def test_chat_labels_keep_non_ascii_text():
    # survivor a130881228: chat messages were keyed by json.dumps(..., ensure_ascii=True), so the labels a user reads
    # showed "caf\\u00e9" instead of the text
    recs = [{"prompt": "q", "chosen": _chat("café"), "rejected": _chat("thé")},
            {"prompt": "q", "chosen": _chat("thé"), "rejected": _chat("水")}]
    labels = analyse_preferences(recs, hp_var=1.0).labels
    assert any("café" in lab for lab in labels) and any("水" in lab for lab in labels)
    assert not any("\\u" in lab for lab in labels)


def test_a_pandas_series_of_records_reads_like_a_list():
    # survivor 0dd6e568ef: an object with to_dict but no columns (a Series) was taken for a DataFrame
    pd = pytest.importorskip("pandas")
    recs = [{"prompt": "p", "chosen": f"r{i}", "rejected": f"r{i + 1}"} for i in range(5)]
    a = analyse_preferences(recs, hp_var=1.0)
    b = analyse_preferences(pd.Series(recs), hp_var=1.0)
    assert a.labels == b.labels
    np.testing.assert_array_equal(a.scores, b.scores)


def test_scores_table_cuts_labels_at_60_characters():
    # survivor 5e2f9b5544 (61 characters); the docstring states 60
    pytest.importorskip("rich")
    long = "x" * 50 + "ABCDEFGHIJKLMNOPQRST"
    recs = [{"prompt": "p", "chosen": long, "rejected": "short"}]
    an = analyse_preferences(recs, hp_var=1.0)
    label = next(lab for lab in an.labels if long in lab)  # the prompt's tag "[0] " comes first
    from rich.console import Console

    con = Console(width=400, record=True, file=io.StringIO())  # wide: no column is folded
    con.print(an.scores_table())
    text = con.export_text()
    assert label[:60] in text and len(label) > 61 and label[:61] not in text
    assert label[:60].endswith("ABCDEF")


def test_degenerate_histogram_range_is_relative_to_the_magnitude():
    # survivor 76cff38195: data whose spread is below 1e-9 of its magnitude is drawn as one bin (the documented
    # survival of data below float resolution); the mutant divided instead and drew 30 bins of width 2e-11
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from aligntheory.analysis.ibn import _hist

    for x, bins in ((5.0 + np.array([0.0, 6e-10, 3e-10]), 1), (5.0 + np.array([0.0, 6e-8, 3e-8]), 30),
                    (1e8 + np.array([0.0, 1e-7, 5e-8]), 1)):
        fig, ax = plt.subplots()
        _hist(ax, x, 30, "C0")
        assert len(ax.patches) == bins, (x, len(ax.patches))
        plt.close(fig)


def test_safety_cli_creates_a_nested_output_folder(tmp_path):
    # survivor 9e79795733: out.mkdir(parents=False) failed on a folder whose parent does not exist yet
    pytest.importorskip("matplotlib")
    from aligntheory.analysis.safety import add_cli, run_cli

    parser = argparse.ArgumentParser(prog="aligntheory")
    add_cli(parser.add_subparsers(dest="command"))
    out = tmp_path / "a" / "b"
    assert run_cli(parser.parse_args(["safety", "analyse", str(SAFETY_EXAMPLE), "--out", str(out)])) == 0
    assert json.loads((out / "safety_analysis.json").read_text())["n_records"] > 0
    # and again into the folder that now exists
    assert run_cli(parser.parse_args(["safety", "analyse", str(SAFETY_EXAMPLE), "--out", str(out)])) == 0
