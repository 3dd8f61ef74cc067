"""Display and command-line details of the IBN analysis that no claim reads (issue #11, fresh samples of round 7).

Each expected value comes from the documentation: ``_hist``'s docstring (one bin for data whose range is below
float resolution), ``add_cli``'s ("the command's options mirror the Python options of analyse_preferences"), and
the chain-tree figure's title ("* : 95% CI excludes 1").
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

pytest.importorskip("matplotlib")


@pytest.fixture
def axes():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def _bars(ax):
    return [(p.get_x(), p.get_width()) for p in ax.patches]


@pytest.mark.parametrize("value", [3.0, -7.25, 0.0, 1e6])
def test_hist_of_constant_data_is_one_unit_bin_centred_on_the_value(axes, value):
    """Mutants 8a94ebe2fb (``hi + 0.5`` -> ``hi + 0.25``) and f5c55df913 (``hi - lo`` -> ``hi + lo``): constant
    data give one bar of width 1 centred on the value."""
    from aligntheory.analysis.ibn import _hist

    _hist(axes, np.full(5, value), 30, "C0")
    (x, w), = _bars(axes)
    assert w == pytest.approx(1.0, rel=1e-12, abs=0.0)
    assert x + w / 2 == pytest.approx(value, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("data", [[-1.0, 1.0], [-3.0, 0.5, 3.0], [1.0, 2.0]])
def test_hist_of_spread_data_uses_the_requested_bins(axes, data):
    """Data with a range (including ranges symmetric about 0, where ``hi + lo == 0``) get ``bins`` bars spanning
    exactly [min, max]."""
    from aligntheory.analysis.ibn import _hist

    _hist(axes, np.array(data), 12, "C0")
    bars = _bars(axes)
    assert len(bars) == 12
    assert bars[0][0] == pytest.approx(min(data), rel=1e-6, abs=0.0)
    assert bars[-1][0] + bars[-1][1] == pytest.approx(max(data), rel=1e-6, abs=0.0)


def test_cli_defaults_mirror_the_python_defaults():
    """Mutant b6ea5e4b9d (``--seed`` default 1): every option of ``aligntheory ibn analyse`` defaults to the
    default of the matching ``analyse_preferences`` parameter (its docstring: the options mirror them)."""
    import argparse

    from aligntheory.analysis.ibn import add_cli, analyse_preferences

    sub = argparse.ArgumentParser().add_subparsers(dest="ibn_command")
    args = add_cli(sub).parse_args(["data.jsonl"])
    params = inspect.signature(analyse_preferences).parameters
    for name in ("beta", "hp_var", "ib_var", "target_variance", "max_pairs", "prior_strength", "seed"):
        assert getattr(args, name) == params[name].default, name
    assert args.no_ib is False and args.quiet is False and args.out is None


def _map(ci):
    from aligntheory.analysis.chain_tree import ChainTreeConfig, ChainTreeMap

    ci = np.asarray(ci, float)[None]  # (1 config, n sizes, 2)
    k = ci.shape[1]
    lr = ci.mean(axis=2)
    z = np.zeros((1, k))
    return ChainTreeMap(configs=(ChainTreeConfig(),), n_comparisons=np.array([2**8, 2**10, 2**12, 2**14][:k]),
                        mean_exact=np.ones((1, k, 2)), mean_path=np.ones((1, k, 2)), log_ratio_exact=lr,
                        log_ratio_path=lr, ci_exact=ci, ci_path=ci, stderr_exact=z + 0.1,
                        n_tree=np.full((1, k), 256), crossover=(None,), growth_quotient=((),), growth_drift=(None,),
                        seeds=2, eval_pairs=2, methods=("splu",))


def test_chain_tree_cells_are_starred_exactly_when_the_interval_excludes_1():
    """Mutant 9e26929b33 (``lo <= 0`` -> ``lo < 0``): an interval of the log ratio that touches 0 (the ratio's
    interval touches 1) includes it, so its cell has no star; intervals strictly above or below 0 are starred."""
    import matplotlib.pyplot as plt

    fig = _map([[0.0, 0.4], [-0.3, 0.0], [0.1, 0.5], [-0.5, -0.2]]).plot()
    try:
        texts = [t.get_text() for t in fig.axes[0].texts]
    finally:
        plt.close(fig)
    assert [t.endswith("*") for t in texts] == [False, False, True, True], texts
    assert texts[0] == f"{np.exp(0.2):.2f}"
