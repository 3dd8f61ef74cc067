"""The documented layout of the IBN analysis figures (issue #11 round 9): pixel sizes, panels, font sizes, marks.

Expected values are read from the docstrings of ``PreferenceAnalysis.plot`` and ``ChainTreeMap.plot``; the PNG
size is read from the file's IHDR chunk (bytes 16-24), not from matplotlib.
"""

from __future__ import annotations

import struct

import numpy as np
import pytest

pytest.importorskip("matplotlib")


def _png_size(path) -> tuple[int, int]:
    with open(path, "rb") as fh:
        head = fh.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_preference_plot_is_1210_by_880_pixels_with_four_titled_panels(tmp_path, monkeypatch):
    import matplotlib.pyplot as plt

    from aligntheory.analysis.ibn import analyse_preferences

    recs = [{"prompt": "p", "chosen": f"r{i}", "rejected": f"r{j}"} for i, j in [(0, 1), (1, 2), (2, 0), (3, 1)]]
    an = analyse_preferences(recs, hp_var=1.0, target_variance=0.5)
    figs = []
    real_close = plt.close
    monkeypatch.setattr(plt, "close", lambda fig=None: figs.append(fig))
    out = an.plot(tmp_path / "a.png")
    monkeypatch.setattr(plt, "close", real_close)
    assert _png_size(out) == (1210, 880)  # documented: 11 x 8 inches at 110 dpi
    fig = figs[0]
    assert tuple(fig.get_size_inches()) == (11.0, 8.0)
    ax = np.asarray(fig.axes).reshape(2, 2)
    assert ax[0, 0].get_title() == "comparisons per node (HP degree)"
    assert ax[0, 1].get_title() == "inference distance (R_eff) of sampled pairs"
    assert ax[1, 0].get_title() == "component sizes"
    assert ax[1, 1].get_title() == "top Bradley-Terry scores (95% intervals)"
    assert ax[1, 0].get_xscale() == ax[1, 0].get_yscale() == "log"
    # the target line sits at log10(target_variance)
    xs = [ln.get_xdata()[0] for ln in ax[0, 1].get_lines()]
    assert xs == [pytest.approx(np.log10(0.5), abs=0)]
    real_close(fig)


def _map(k: int, crossover=None):
    from aligntheory.analysis.chain_tree import ChainTreeConfig, ChainTreeMap

    ns = np.array([2**8, 2**10, 2**12])
    cfgs = tuple(ChainTreeConfig(s2=10.0 ** -(i + 1)) for i in range(k))
    lr = np.array([[-0.2, 0.1, 0.5]] * k)
    ci = np.stack([lr - 0.3, lr + 0.3], -1)  # interval excludes 0 only at the last size
    z = np.zeros((k, 3, 2))
    return ChainTreeMap(cfgs, ns, z + 1, z + 1, lr, lr, ci, ci, np.ones((k, 3)), np.tile(ns, (k, 1)),
                        tuple([crossover] * k), ((),) * k, (None,) * k, 4, 16, ("splu",))


@pytest.mark.parametrize("k", [1, 3])
def test_chain_tree_plot_documented_layout(tmp_path, k):
    import matplotlib.pyplot as plt

    m = _map(k, crossover=600.0)
    fig = m.plot(tmp_path / "m.png")
    h = 0.55 * k + 3.5
    assert tuple(fig.get_size_inches()) == pytest.approx((15.0, h), abs=1e-12)  # documented size
    w_px, h_px = _png_size(tmp_path / "m.png")  # saved at 130 dpi (a fractional pixel is rounded either way)
    assert w_px == 1950 and abs(h_px - h * 130) < 1
    ax0, ax1 = fig.axes[0], fig.axes[1]
    assert [t.get_fontsize() for t in ax0.get_yticklabels()] == [8.0] * k
    cells = [t.get_text() for t in ax0.texts]
    assert cells == [f"{np.exp(x):.2f}{'*' if j == 2 else ''}" for _ in range(k) for j, x in enumerate([-0.2, 0.1, 0.5])]
    assert {t.get_fontsize() for t in ax0.texts} == {7.0}
    assert ax0.title.get_fontsize() == ax1.title.get_fontsize() == 9.0
    assert {t.get_fontsize() for t in ax1.get_legend().get_texts()} == {6.0}
    # the crossover line (n* > n[0]) once per configuration, the line at ratio 1, the scaled ln n / ln ln n curve
    vlines = [ln for ln in ax1.get_lines() if np.ptp(ln.get_xdata()) == 0]
    assert [float(ln.get_xdata()[0]) for ln in vlines] == [600.0] * k
    ref = ax1.get_lines()[-1]
    ns = np.array([2**8, 2**10, 2**12], float)
    head = np.log(ns) / np.log(np.log(ns))
    np.testing.assert_allclose(ref.get_ydata(), head / head[0], rtol=1e-15)
    assert ax1.get_xscale() == "log" and ax1.get_yscale() == "log"
    plt.close(fig)


def test_chain_tree_plot_no_crossover_line_at_first_size(tmp_path):
    import matplotlib.pyplot as plt

    fig = _map(2, crossover=256.0).plot(None)  # n* = n[0]: the tree wins throughout, no line drawn
    ax1 = fig.axes[1]
    assert not [ln for ln in ax1.get_lines() if np.ptp(ln.get_xdata()) == 0]
    plt.close(fig)


def test_scores_table_rows_by_component_size_then_score():
    pytest.importorskip("rich")
    from aligntheory.analysis.ibn import analyse_preferences

    recs = ([{"prompt": "p", "chosen": f"a{i}", "rejected": f"a{j}"} for i, j in [(0, 1), (1, 2), (2, 0), (3, 0)]]
            + [{"prompt": "q", "chosen": "b0", "rejected": "b1"}])
    an = analyse_preferences(recs, hp_var=1.0)
    t = an.scores_table(top=5)
    cells = [list(c._cells) for c in t.columns]
    # documented: components largest first, best score first inside each; prior-only marked; top rows only
    # (components are numbered by size, largest first: sorting by number then by score is the documented order)
    assert sorted(np.bincount(an.component).tolist(), reverse=True) == np.bincount(an.component).tolist()
    order = sorted(range(an.n_nodes), key=lambda i: (int(an.component[i]), -float(an.scores[i])))[:5]
    assert cells[0] == [str(int(an.component[i])) for i in order]
    assert cells[1] == [str(int(an.rank_in_component[i])) for i in order]
    assert cells[3] == [f"{an.scores[i]:+.3f}" for i in order]
    assert cells[5] == ["prior-only" if an.prior_only[i] else "" for i in order]
    assert len(cells[0]) == 5 and cells[1][0] == "1"
