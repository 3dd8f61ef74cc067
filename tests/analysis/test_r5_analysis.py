"""Display and command-line details of the analysis layer that no claim should pin (issue 11, round 5).

Each expected value comes from the documentation: the ``PreferenceAnalysis`` docstring (label length),
the ``aligntheory arena`` ``run_cli`` docstring (figure sizes) and the ``--max-exp`` help of
``aligntheory ibn chain-tree`` (largest budget ``2^k``).
"""

from __future__ import annotations

import argparse

import numpy as np
import pytest

from aligntheory.analysis import chain_tree
from aligntheory.analysis.ibn import analyse_preferences


@pytest.mark.parametrize("length", [119, 120, 121, 300])
def test_labels_keep_120_characters(length):
    """Documented: labels keep at most 120 characters; a longer text keeps 119 and ends with an ellipsis."""
    long = "x" * (length - 1) + "y"
    an = analyse_preferences([{"prompt": "p", "chosen": long, "rejected": "short"}], hp_var=1.0, ib_var=None)
    text = an.labels[0].split("] ", 1)[1]
    if length <= 120:
        assert text == long
    else:
        assert text == "x" * 119 + "\u2026"
        assert len(text) == 120


@pytest.mark.parametrize("n_models", [3, 7])
def test_forest_plot_size(tmp_path, n_models):
    """Documented: forest.png is 8 in by 0.35 n + 1.5 in at 110 dpi; winrate.png (0.5 n + 3) by (0.5 n + 2.5) in."""
    pytest.importorskip("matplotlib")
    from PIL import Image

    from aligntheory.analysis._arena_cli import _plots
    from aligntheory.analysis.arena import leaderboard

    names = [f"m{i}" for i in range(n_models)]
    a = [names[i] for i in range(n_models) for _ in range(4)]
    b = [names[(i + 1) % n_models] for i in range(n_models) for _ in range(4)]
    w = ["model_a", "model_b", "model_a", "tie"] * n_models
    lb = leaderboard({"model_a": a, "model_b": b, "winner": w}, n_bootstrap=0)
    assert _plots(lb, tmp_path) == ["forest.png", "winrate.png"]
    for f, (wi, hi) in (("forest.png", (8, 0.35 * n_models + 1.5)),
                        ("winrate.png", (0.5 * n_models + 3, 0.5 * n_models + 2.5))):
        with Image.open(tmp_path / f) as im:
            size = np.array(im.size)
        np.testing.assert_allclose(size, [110 * wi, 110 * hi], atol=1.0)  # pixels: inches x dpi, rounded


@pytest.mark.parametrize(("max_exp", "quick", "expected"), [
    (12, False, [2**8, 2**10, 2**12]),  # 2^12 itself is kept ("largest budget 2^k")
    (13, False, [2**8, 2**10, 2**12]),
    (18, False, [2**8, 2**10, 2**12, 2**14, 2**16, 2**18]),
    (9, True, [2**8]),
    (None, False, [2**8, 2**10, 2**12, 2**14, 2**16, 2**18]),  # help: default 18
])
def test_chain_tree_max_exp(tmp_path, monkeypatch, max_exp, quick, expected):
    """``--max-exp k`` keeps the budgets of the grid up to and including 2^k (``--help``: "largest budget 2^k")."""
    seen = {}

    class _Stop(Exception):
        pass

    def fake_sweep(ns, cfgs, **kw):
        seen["ns"] = list(ns)
        raise _Stop

    monkeypatch.setattr(chain_tree, "chain_tree_sweep", fake_sweep)
    parser = argparse.ArgumentParser().add_subparsers()
    argv = ["--out", str(tmp_path / "o")] + (["--quick"] if quick else [])
    argv += [] if max_exp is None else ["--max-exp", str(max_exp)]
    args = chain_tree.add_cli(parser).parse_args(argv)
    with pytest.raises(_Stop):
        chain_tree.run_cli(args)
    assert seen["ns"] == expected


@pytest.mark.parametrize("max_exp", [7, 0, -3])
def test_chain_tree_max_exp_below_the_grid_is_refused(tmp_path, monkeypatch, capsys, max_exp):
    """``--max-exp`` below the smallest budget (2^8) would sweep an empty grid: exit 2 with the bound named."""
    monkeypatch.setattr(chain_tree, "chain_tree_sweep", lambda *a, **k: pytest.fail("swept an empty grid"))
    args = chain_tree.add_cli(argparse.ArgumentParser().add_subparsers()).parse_args(
        ["--out", str(tmp_path / "o"), "--max-exp", str(max_exp)])
    assert chain_tree.run_cli(args) == 2
    assert f"--max-exp must be at least 8 (the grid's smallest budget is 2^8); got {max_exp}" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_preference_plot_size(tmp_path):
    """Documented: PreferenceAnalysis.plot saves 11 x 8 inches at 110 dpi (1210 x 880 pixels)."""
    pytest.importorskip("matplotlib")
    from PIL import Image

    an = analyse_preferences([{"prompt": "p", "chosen": "a", "rejected": "b"},
                              {"prompt": "p", "chosen": "b", "rejected": "c"}], hp_var=1.0)
    with Image.open(an.plot(tmp_path / "ibn.png")) as im:
        assert im.size == (1210, 880)


@pytest.mark.parametrize("x", [[3.0, 3.0, 3.0], [1.0, 2.0, 2.0, 5.0]])
def test_hist_counts_every_value(x):
    """Documented: the histogram survives data whose range is below float resolution (one bin then); every value
    is counted in either case."""
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from aligntheory.analysis.ibn import _hist

    fig, ax = plt.subplots()
    _hist(ax, np.asarray(x), 5, "C0")
    assert sum(p.get_height() for p in ax.patches) == len(x)
    if len(set(x)) == 1:  # the one bin is centred on the common value
        (bar,) = ax.patches
        assert bar.get_x() + bar.get_width() / 2 == pytest.approx(x[0], abs=1e-12)
    plt.close(fig)


def test_ibn_cli_error_exit_status(tmp_path, capsys):
    """Documented: a library error (here a missing file) is printed on stderr with exit status 2."""
    from aligntheory.analysis.ibn import add_cli, run_cli

    args = add_cli(argparse.ArgumentParser().add_subparsers()).parse_args([str(tmp_path / "missing.jsonl")])
    assert run_cli(args) == 2
    assert "error" in capsys.readouterr().err


def test_ibn_cli_options_mirror_the_python_defaults(tmp_path):
    """Documented: the command's options mirror analyse_preferences; a namespace without the optional attributes
    (programmatic use) gives the same analysis as the parsed defaults."""
    import inspect
    import json

    from aligntheory.analysis.ibn import EXAMPLE_PATH, add_cli, run_cli

    parsed = add_cli(argparse.ArgumentParser().add_subparsers()).parse_args(
        [str(EXAMPLE_PATH), "--quiet", "--out", str(tmp_path / "a")])
    sig = inspect.signature(analyse_preferences).parameters
    for name in ("beta", "ib_var", "hp_var", "max_pairs", "prior_strength", "seed", "target_variance"):
        assert getattr(parsed, name) == sig[name].default, name
    bare = argparse.Namespace(file=str(EXAMPLE_PATH), beta=1.0, ib_var=4.0, target_variance=None, quiet=True,
                              out=str(tmp_path / "b"))
    assert run_cli(parsed) == 0 and run_cli(bare) == 0
    a, b = (json.loads((tmp_path / d / "analysis.json").read_text()) for d in "ab")
    assert a == b


def test_winrate_cells_labelled(tmp_path, monkeypatch):
    """Documented: every off-diagonal cell of winrate.png carries its predicted win rate (up to 25 models)."""
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    from aligntheory.analysis._arena_cli import _plots
    from aligntheory.analysis.arena import leaderboard

    figs, real_close = [], plt.close
    monkeypatch.setattr(plt, "close", figs.append)
    n = 4
    names = [f"m{i}" for i in range(n)]
    lb = leaderboard({"model_a": [names[i] for i in range(n) for _ in range(3)],
                      "model_b": [names[(i + 1) % n] for i in range(n) for _ in range(3)],
                      "winner": ["model_a", "model_b", "model_a"] * n}, n_bootstrap=0)
    _plots(lb, tmp_path)
    texts = [t.get_text() for t in figs[1].axes[0].texts]
    d = np.asarray(lb.scores)[:, None] - np.asarray(lb.scores)[None, :]
    expected = [f"{1 / (1 + np.exp(-d[i, j])):.2f}" for i in range(n) for j in range(n) if i != j]
    assert texts == expected
    for f in list(figs):
        real_close(f)
