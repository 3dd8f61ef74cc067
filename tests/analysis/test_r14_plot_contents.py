"""Round-14: what the plots draw, read back from the matplotlib artists.

A fresh mutation sample (issue 11) left plot code among the survivors: panels drawn on the wrong axes, a heatmap of
sums instead of differences of scores, win-rate labels on the diagonal. The existing plot tests check sizes, titles
and histograms; these check the data of the remaining panels against values computed in the test: the Davidson and
Bradley--Terry win probabilities from their definitions (strengths ``pi = e^s``), sorted component sizes, the top
scores with 1.96 standard errors.
"""
from __future__ import annotations

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from aligntheory.analysis._arena_cli import _plots  # noqa: E402
from aligntheory.analysis.arena import leaderboard  # noqa: E402
from aligntheory.analysis.ibn import analyse_preferences  # noqa: E402

BATTLES = {"model_a": ["x", "x", "y", "x", "z", "z", "w", "w", "y"],
           "model_b": ["y", "y", "x", "z", "x", "y", "x", "z", "w"],
           "winner": ["model_a", "model_a", "model_a", "tie", "model_b", "model_b", "model_a", "tie", "model_b"]}


def _captured(monkeypatch):
    figs = []
    real = plt.close
    monkeypatch.setattr(plt, "close", lambda fig=None: figs.append(fig))
    return figs, real


def _expected_win_rate(scores, ties, tau):
    """Row's expected score against column (ties count half): Bradley--Terry ``pi_i / (pi_i + pi_j)``; Davidson
    ``(pi_i + tau sqrt(pi_i pi_j) / 2) / (pi_i + pi_j + tau sqrt(pi_i pi_j))``."""
    pi = np.exp(scores - scores.max())
    a, b = pi[:, None], pi[None, :]
    if ties == "davidson":
        g = tau * np.sqrt(a * b)
        return (a + 0.5 * g) / (a + b + g)
    return a / (a + b)


@pytest.mark.parametrize("ties", ["half", "davidson"])
def test_arena_winrate_heatmap_and_labels(tmp_path, monkeypatch, ties):
    lb = leaderboard(BATTLES, ties=ties, n_bootstrap=0)
    figs, real = _captured(monkeypatch)
    assert _plots(lb, tmp_path) == ["forest.png", "winrate.png"]
    forest, heat = figs
    n = lb.n_models
    W = _expected_win_rate(np.asarray(lb.scores, float), ties, lb.tie_parameter)
    (im,) = heat.axes[0].get_images()
    np.testing.assert_allclose(np.asarray(im.get_array()), W, rtol=1e-12, atol=1e-15)
    texts = {(t.get_position(), t.get_text()) for t in heat.axes[0].texts}
    assert texts == {((j, i), f"{W[i, j]:.2f}") for i in range(n) for j in range(n) if i != j}
    # forest: one point per model, top to bottom in the leaderboard's order, with the interval as error bars
    line = forest.axes[0].lines[0]
    np.testing.assert_array_equal(line.get_xdata(), lb.rating)
    np.testing.assert_array_equal(line.get_ydata(), np.arange(n)[::-1])
    for fig in figs:
        real(fig)


def test_preference_plot_lower_panels_hold_sizes_and_top_scores(tmp_path, monkeypatch):
    """Panel [1, 0]: component sizes by rank (1, 2, ...), largest first; panel [1, 1]: the top scores (at most 30)
    in decreasing order at x = 0, 1, ..., with error bars of 1.96 standard errors."""
    recs = [{"prompt": p, "chosen": f"r{i}", "rejected": f"r{j}"}
            for p, i, j in [("p", 0, 1), ("p", 1, 2), ("p", 2, 0), ("p", 3, 1), ("p", 2, 3), ("q", 4, 5), ("q", 5, 4),
                            ("q", 4, 5), ("s", 6, 7)]]
    an = analyse_preferences(recs, hp_var=1.0, ib_var=None)
    figs, real = _captured(monkeypatch)
    an.plot(tmp_path / "a.png")
    (fig,) = figs
    ax = np.asarray(fig.axes).reshape(2, 2)
    sizes = sorted((len(c) for c in an.components), reverse=True)
    assert sizes == [4, 2, 2]
    (size_line,) = ax[1, 0].get_lines()
    np.testing.assert_array_equal(size_line.get_xdata(), np.arange(1, 4))
    np.testing.assert_array_equal(size_line.get_ydata(), sizes)
    top = np.sort(np.asarray(an.scores))[::-1]
    pts = ax[1, 1].get_lines()[0]
    np.testing.assert_array_equal(pts.get_xdata(), np.arange(len(top)))
    np.testing.assert_allclose(pts.get_ydata(), top, rtol=0, atol=0)
    # the error bars: one vertical segment per score, half-length 1.96 stderr
    segs = ax[1, 1].collections[0].get_segments()
    order = np.argsort(-np.asarray(an.scores))
    half = np.array([abs(s[1][1] - s[0][1]) / 2 for s in segs])
    np.testing.assert_allclose(half, 1.96 * np.asarray(an.stderr)[order], rtol=1e-12, atol=1e-15)
    real(fig)
