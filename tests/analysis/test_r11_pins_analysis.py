"""Session 11 of issue 11: analysis tests for behaviour the eighth fresh mutation sample showed no test pinned."""

import numpy as np
import pytest

from aligntheory.analysis.ibn import analyse_preferences


def test_preference_plot_shows_the_top_30_scores_in_order(tmp_path, monkeypatch):
    # documented: the last panel shows "the top 30 scores with 95 % intervals" (fresh sample 8 survivor 96fb1b2cae
    # showed 31)
    pytest.importorskip("matplotlib")
    import matplotlib.axes

    rows = [{"prompt": "p", "chosen": f"r{i:02d}", "rejected": f"r{i + 1:02d}"} for i in range(40)]
    rows += [{"prompt": "p", "chosen": f"r{i:02d}", "rejected": f"r{i + 2:02d}"} for i in range(39)]
    an = analyse_preferences(rows, hp_var=1.0)
    seen = []
    real = matplotlib.axes.Axes.errorbar

    def spy(self, x, y, *a, **k):
        seen.append((np.asarray(x), np.asarray(y), k.get("yerr")))
        return real(self, x, y, *a, **k)

    monkeypatch.setattr(matplotlib.axes.Axes, "errorbar", spy)
    an.plot(tmp_path / "p.png")
    (x, y, yerr), = seen
    top = np.sort(np.asarray(an.scores))[::-1][:30]
    assert len(an.scores) == 41 and x.tolist() == list(range(30))
    np.testing.assert_array_equal(y, top)
    assert yerr is None or len(yerr) == 30
