"""Display constants of the IBN analysis figures, pinned from their documentation (issue #11 round 7, fresh-r6
survivors 05b2242922 and 7fd79619b9)."""

from __future__ import annotations

import numpy as np
import pytest

from aligntheory.analysis.chain_tree import REFERENCE_CONFIG, ChainTreeConfig, ChainTreeMap
from aligntheory.analysis.ibn import analyse_preferences


def _map() -> ChainTreeMap:
    """A two-configuration, three-size map built by hand (the figure reads only these fields)."""
    cfgs = (REFERENCE_CONFIG, ChainTreeConfig(ib_sharing="root_only"))
    ns = np.array([256, 1024, 4096])
    lr = np.array([[0.2, -0.1, 0.4], [-0.3, 0.05, 0.1]])
    ci = np.stack([lr - 0.15, lr + 0.15], -1)
    mean = np.ones((2, 3, 2))
    return ChainTreeMap(cfgs, ns, mean, mean, lr, lr, ci, ci, np.full((2, 3), 0.07), np.full((2, 3), 100, np.int64),
                        (1024.0, None), ((1.0,), ()), (None, None), 2, 6, ("dense",))


def test_chain_tree_figure_layout(tmp_path):
    """Documented (ChainTreeMap.plot): 15 x (0.55 n_configs + 3.5) inches at 130 dpi; row labels 8 pt, cells the
    ratio to two decimals at 7 pt with ``*`` when the interval excludes 1, legend 6 pt, both titles 9 pt."""
    pytest.importorskip("matplotlib")
    from PIL import Image

    m = _map()
    fig = m.plot(tmp_path / "m.png")
    ax0, ax1 = fig.axes[:2]
    assert tuple(fig.get_size_inches()) == (15.0, 0.55 * 2 + 3.5)
    assert (ax0.title.get_fontsize(), ax1.title.get_fontsize()) == (9.0, 9.0)
    assert {t.get_fontsize() for t in ax0.get_yticklabels()} == {8.0}
    cells = [t.get_text() for t in ax0.texts]
    assert {t.get_fontsize() for t in ax0.texts} == {7.0}
    lo_excludes = (m.ci_exact[..., 0] > 0) | (m.ci_exact[..., 1] < 0)
    want = [f"{np.exp(m.log_ratio_exact[i, j]):.2f}{'*' if lo_excludes[i, j] else ''}"
            for i in range(2) for j in range(3)]
    assert cells == want
    assert {t.get_fontsize() for t in ax1.get_legend().get_texts()} == {6.0}
    with Image.open(tmp_path / "m.png") as im:
        assert im.size == (round(15 * 130), round((0.55 * 2 + 3.5) * 130))


def test_preference_plot_component_panel(tmp_path, monkeypatch):
    """Documented (PreferenceAnalysis.plot): panel [1, 0] shows the component sizes by rank 1, 2, ... (largest
    first)."""
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    figs = []
    monkeypatch.setattr(plt, "close", lambda fig=None: figs.append(fig))
    # three prompts: components of 3, 2 and 2 response nodes
    recs = [{"prompt": "p", "chosen": "a", "rejected": "b"}, {"prompt": "p", "chosen": "b", "rejected": "c"},
            {"prompt": "q", "chosen": "x", "rejected": "y"}, {"prompt": "r", "chosen": "u", "rejected": "v"}]
    an = analyse_preferences(recs, hp_var=1.0, ib_var=None)
    an.plot(tmp_path / "ibn.png")
    (fig,) = figs
    line = fig.axes[2].lines[0]  # axes in row-major order: [0,0], [0,1], [1,0], [1,1]
    sizes = sorted((len(c) for c in an.components), reverse=True)
    assert sizes == [3, 2, 2]
    assert line.get_xdata().tolist() == [1, 2, 3]
    assert line.get_ydata().tolist() == sizes
    monkeypatch.undo()
    plt.close(fig)
