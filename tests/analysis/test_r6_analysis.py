"""Round 6 (issue #11): display constants of the analysis layer pinned from their documentation.

The figures of ``safety analyse --out`` (size and dpi, documented in its --help). The message of ``leaderboard``'s
DisconnectedGraphError (documented in its Raises section): the five largest components, each by its first six model
names (``, ...]`` when it has more), ``; ...`` past five components.
"""

from __future__ import annotations

import pytest

from aligntheory.analysis.arena import leaderboard
from aligntheory.errors import DisconnectedGraphError


def _tie_cycle(names):
    """Battles tying each model with the next (a cycle): one strongly connected component."""
    k = len(names)
    return [(names[i], names[(i + 1) % k], "tie") for i in range(k)]


def _battles(rows):
    return {"model_a": [r[0] for r in rows], "model_b": [r[1] for r in rows], "winner": [r[2] for r in rows]}


def test_component_lists_show_six_names_then_ellipsis():
    a = [f"a{i}" for i in range(7)]  # 7 models: six shown, then ", ...]"
    b = [f"b{i}" for i in range(6)]  # exactly 6: all shown, no ellipsis
    rows = _tie_cycle(a) + _tie_cycle(b) + [("a0", "b0", "model_a")]
    with pytest.raises(DisconnectedGraphError) as ei:
        leaderboard(_battles(rows), n_bootstrap=0)
    msg = str(ei.value)
    assert "[a0, a1, a2, a3, a4, a5, ...]" in msg
    assert "[b0, b1, b2, b3, b4, b5]" in msg
    assert "a6" not in msg
    assert "(2 components: " in msg and "]; ...;" not in msg
    assert sorted(len(c) for c in ei.value.components) == [6, 7]


def test_at_most_five_components_listed():
    names = [f"m{i}" for i in range(7)]  # a chain of wins: 7 singleton components
    rows = [(names[i], names[i + 1], "model_a") for i in range(6)]
    with pytest.raises(DisconnectedGraphError) as ei:
        leaderboard(_battles(rows), n_bootstrap=0)
    msg = str(ei.value)
    assert "(7 components: " in msg
    shown = msg.split("(7 components: ", 1)[1].split("; `components`", 1)[0]
    assert shown.count("[") == 5 and shown.endswith("; ...")
    assert len(ei.value.components) == 7


def _png_size(path):
    """``(width, height)`` in pixels from the PNG IHDR chunk."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def test_safety_analyse_figures_at_documented_size_and_dpi(tmp_path):
    """``safety analyse --out``: harm_heatmap.png 6 x 7 in and frontier.png 5 x 4 in at 120 dpi (its --help)."""
    import argparse
    from pathlib import Path

    import aligntheory
    from aligntheory.analysis.safety import add_cli, run_cli

    pytest.importorskip("matplotlib")
    example = Path(aligntheory.__file__).parent / "data" / "example_safety_preferences.jsonl"
    parser = argparse.ArgumentParser(prog="aligntheory")
    add_cli(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["safety", "analyse", str(example), "--out", str(tmp_path)])
    assert run_cli(args) == 0
    assert _png_size(tmp_path / "harm_heatmap.png") == (6 * 120, 7 * 120)
    assert _png_size(tmp_path / "frontier.png") == (5 * 120, 4 * 120)


@pytest.mark.parametrize("kw", [{}, {"ties": "davidson"}, {"covariates": ["len"]}, {"cluster": "cl"}])
def test_bootstrap_does_not_depend_on_the_chunk_size(monkeypatch, kw):
    """The bootstrap rounds are split into chunks by a memory target (``_MEM_BYTES``); the intervals must not
    depend on it (round 6: the multinomial corrections drew per chunk, so they did)."""
    import numpy as np

    import aligntheory.analysis._arena_fit as F

    rng = np.random.default_rng(1)
    models = [f"m{i}" for i in range(6)]
    rows = {"model_a": [], "model_b": [], "winner": [], "len": [], "cl": []}
    for _ in range(300):
        a, b = rng.choice(6, 2, replace=False)
        rows["model_a"].append(models[a])
        rows["model_b"].append(models[b])
        rows["winner"].append(str(rng.choice(["model_a", "model_b", "tie"])))
        rows["len"].append(float(rng.normal()))
        rows["cl"].append(int(rng.integers(0, 30)))
    big = leaderboard(rows, n_bootstrap=20, **kw)
    monkeypatch.setattr(F, "_MEM_BYTES", 1)  # one round per chunk
    small = leaderboard(rows, n_bootstrap=20, **kw)
    assert np.array_equal(big.ci_low, small.ci_low) and np.array_equal(big.ci_high, small.ci_high)
