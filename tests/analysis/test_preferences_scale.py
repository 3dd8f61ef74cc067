"""analyse_preferences on every input form, implicit prompts, components and the CLI (issue 13 item 4).

Expected values: networkx resistance distances per component (independent of the grouped,
bridged library calls), explicit-prompt twins of implicit-prompt records, hand-made files.
"""

import argparse
import csv
import json

import networkx as nx
import numpy as np
import pytest

from aligntheory.analysis.ibn import EXAMPLE_PATH, add_cli, analyse_preferences, run_cli
from aligntheory.errors import InvalidInputError


def tree_records(rng, n_prompts, k):
    recs = []
    for p in range(n_prompts):
        q = rng.normal(size=k)
        pairs = [(i, i + 1) for i in range(k - 1)] + [(0, k - 1)]
        for _ in range(2):
            for i, j in pairs:
                ci, cj = (i, j) if rng.random() < 1 / (1 + np.exp(q[j] - q[i])) else (j, i)
                recs.append({"prompt": f"prompt {p}", "chosen": f"resp {p}.{ci}", "rejected": f"resp {p}.{cj}"})
    return recs


def test_grouped_resistances_equal_networkx_per_component():
    rng = np.random.default_rng(0)
    recs = tree_records(rng, 25, 4)
    out = analyse_preferences(recs, hp_var=4.0, ib_var=2.0, max_pairs=10_000, group_nodes=7)
    # rebuild each prompt's IBN with networkx: HP edges (variance 4 per comparison, parallel
    # comparisons add conductances) and IB edges of variance 2 to a latent prompt node
    vals = []
    for p in range(25):
        G = nx.Graph()
        for r in recs:
            if r["prompt"] != f"prompt {p}":
                continue
            a, b = r["chosen"], r["rejected"]
            c = G[a][b]["c"] + 0.25 if G.has_edge(a, b) else 0.25
            G.add_edge(a, b, c=c)
        for v in list(G.nodes):
            G.add_edge(v, "latent", c=0.5)
        nodes = sorted(v for v in G.nodes if v != "latent")
        for i in range(len(nodes)):
            for j in range(i + 1, len(nodes)):
                vals.append(nx.resistance_distance(G, nodes[i], nodes[j], weight="c", invert_weight=False))
    assert out.n_pairs_sampled == len(vals) == 25 * 6
    np.testing.assert_allclose(np.sort(out.reff_values), np.sort(vals), rtol=1e-10)


def test_implicit_prompts_equal_explicit_twins():
    rng = np.random.default_rng(1)
    # responses that differ from their first character (a shared leading word would join the prompt,
    # as in TRL's convention)
    recs = [{"prompt": r["prompt"], "chosen": "xyz"[int(r["chosen"][-1])] + r["chosen"],
             "rejected": "xyz"[int(r["rejected"][-1])] + r["rejected"]} for r in tree_records(rng, 6, 3)]
    implicit = [{"chosen": f"Human: {r['prompt']}\n\nAssistant: {r['chosen']}",
                 "rejected": f"Human: {r['prompt']}\n\nAssistant: {r['rejected']}"} for r in recs]
    explicit = [{"prompt": f"Human: {r['prompt']}\n\nAssistant:", "chosen": f" {r['chosen']}",
                 "rejected": f" {r['rejected']}"} for r in recs]
    a, b = analyse_preferences(implicit), analyse_preferences(explicit)
    assert a.n_implicit_prompts == len(recs) and b.n_implicit_prompts == 0
    assert a.labels == b.labels and a.n_prompts == b.n_prompts == 6
    np.testing.assert_allclose(a.scores, b.scores)
    assert a.reff_pairs == b.reff_pairs
    # chat messages: the shared leading messages are the prompt
    chat = [{"chosen": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}],
             "rejected": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "go away"}]}]
    c = analyse_preferences(chat)
    assert c.n_prompts == 1 and c.n_nodes == 2 and "hello" in c.labels[0]
    # mixed explicit and implicit records of one prompt meet at the same nodes
    mixed = explicit[:3] + implicit[3:]
    m = analyse_preferences(mixed)
    assert m.n_nodes == a.n_nodes and m.n_implicit_prompts == len(recs) - 3


def test_every_file_form_gives_the_same_analysis(tmp_path):
    pd = pytest.importorskip("pandas")
    recs = tree_records(np.random.default_rng(2), 5, 3)
    ref = analyse_preferences(recs)
    (tmp_path / "r.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs))
    (tmp_path / "r.json").write_text(json.dumps(recs))
    pd.DataFrame(recs).to_csv(tmp_path / "r.csv", index=False)
    for f in ("r.jsonl", "r.json", "r.csv"):
        out = analyse_preferences(tmp_path / f)
        assert out.labels == ref.labels
        np.testing.assert_allclose(out.scores, ref.scores)
        assert out.reff_pairs == ref.reff_pairs


def test_errors_name_the_record_with_line_numbers(tmp_path):
    p = tmp_path / "mixed.jsonl"
    p.write_text('{"prompt": "p", "chosen": "a", "rejected": "b"}\n\n'
                 '{"chosen": "x y", "rejected": "x z"}\n'
                 '{"model_a": "A", "model_b": "B", "winner": "tie"}\n')
    with pytest.raises(InvalidInputError) as ei:
        analyse_preferences(p)
    assert ei.value.argument == "mixed.jsonl, line 4"
    p.write_text('{"prompt": "p", "chosen": "a", "rejected": "b"}\n{"prompt": "p", "chosen": "a"}\n')
    with pytest.raises(InvalidInputError) as ei:
        analyse_preferences(p)
    assert ei.value.argument == "mixed.jsonl, line 2.rejected"
    b = tmp_path / "garbage.jsonl"
    b.write_bytes(bytes(np.random.default_rng(0).integers(0, 256, 4096, dtype=np.uint8)))
    with pytest.raises(InvalidInputError, match="UTF-8|binary"):
        analyse_preferences(b)
    b.write_bytes(b'{"prompt": "p", "chosen": "a", "rejected": "b"}\n' + b'{"prompt": "\xe9"}\n')
    with pytest.raises(InvalidInputError, match="UTF-8"):
        analyse_preferences(b)
    with pytest.raises(InvalidInputError, match="prior_strength"):
        analyse_preferences([{"prompt": "p", "chosen": "a", "rejected": "b"}], prior_strength=0.0)


def test_ranks_within_components_and_prior_only():
    recs = [{"prompt": "p", "chosen": "a", "rejected": "b"}, {"prompt": "p", "chosen": "b", "rejected": "a"},
            {"prompt": "p", "chosen": "a", "rejected": "b"},
            {"prompt": "q", "chosen": "x", "rejected": "y"}]
    out = analyse_preferences(recs)
    lab = {v.split("] ", 1)[1] + v[:3]: k for k, v in enumerate(out.labels)}
    a, b, x, y = lab["a[0]"], lab["b[0]"], lab["x[1]"], lab["y[1]"]
    assert out.component[a] == out.component[b] != out.component[x] == out.component[y]
    assert out.rank_in_component[a] == 1 and out.rank_in_component[b] == 2
    assert out.rank_in_component[x] == 1 and out.rank_in_component[y] == 2
    # x beat y once and never lost: its score is bounded only by the prior
    assert out.prior_only.tolist() == [False, False, True, True] or \
        (out.prior_only[x] and out.prior_only[y] and not out.prior_only[a] and not out.prior_only[b])


def parser():
    sub = argparse.ArgumentParser().add_subparsers(dest="ibn_command")
    add_cli(sub)
    return sub.choices["analyse"]


def test_cli_options_and_formula_injection(tmp_path, capsys):
    names = ['=HYPERLINK("http://x")', "+1", "@SUM(A1)", "-2", "plain"]
    recs = [{"model_a": names[i], "model_b": names[(i + 1) % 5], "winner": w}
            for i in range(5) for w in ("model_a", "model_b", "tie")]
    f = tmp_path / "r.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in recs))
    out = tmp_path / "out"
    args = parser().parse_args([str(f), "--out", str(out), "--seed", "4", "--prior-strength", "2",
                                "--max-pairs", "50", "--quiet"])
    assert args.func is run_cli
    assert run_cli(args) == 0
    summary = json.loads((out / "analysis.json").read_text())
    assert summary["seed"] == 4 and summary["n_records"] == 15
    with (out / "scores.csv").open(newline="") as fh:
        rows = list(csv.reader(fh))
    cells = sorted(r[0] for r in rows[1:])
    assert cells == sorted(["'" + n if n[0] in "=+-@" else n for n in names])
    capsys.readouterr()


def test_cli_fails_gently(tmp_path, capsys):
    p = parser()
    assert run_cli(p.parse_args([str(tmp_path / "missing.jsonl"), "--quiet"])) == 2
    g = tmp_path / "bin.jsonl"
    g.write_bytes(b"\x00\x01\x02" * 1000)
    assert run_cli(p.parse_args([str(g), "--quiet"])) == 2
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    assert run_cli(p.parse_args([str(EXAMPLE_PATH), "--out", str(blocker / "sub"), "--quiet"])) == 2
    assert "writable" in capsys.readouterr().err


def test_moderate_scale_smoke():
    # 20k chain-like TRL records with implicit prompts: sampled distances, MAP scores
    recs = [{"chosen": f"Human: q{i}\n\nAssistant: good {i}", "rejected": f"Human: q{i}\n\nAssistant: bad {i}"}
            for i in range(20000)]
    out = analyse_preferences(recs, max_pairs=500)
    assert out.n_nodes == 40000 and out.n_prompts == 20000 and out.structure == "chain-like"
    assert out.n_pairs_sampled == 500 and out.n_edges_sampled == 500
    assert out.prior_only.all() and out.bt_prior_strength == 1.0
    # every pair: HP variance 1/(p(1-p)) in parallel with the two IB edges (8) -- one value
    d = out.scores[0] - out.scores[1]
    v = 1 / (1 / (1 + np.exp(-d)) * (1 - 1 / (1 + np.exp(-d))))
    np.testing.assert_allclose(out.reff_values, v * 8 / (v + 8), rtol=1e-9)


def test_cli_on_identical_distances(tmp_path, capsys):
    # chain-like data: every sampled distance is the same number up to rounding; the plot once crashed
    # with numpy's "Too many bins for data range"
    recs = [{"chosen": f"Human: q{i}\n\nAssistant: good {i}", "rejected": f"Human: q{i}\n\nAssistant: bad {i}"}
            for i in range(3000)]
    f = tmp_path / "chain.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in recs))
    out = tmp_path / "out"
    assert run_cli(parser().parse_args([str(f), "--out", str(out), "--quiet"])) == 0
    assert (out / "ibn_analysis.png").stat().st_size > 1000
    summary = json.loads((out / "analysis.json").read_text())
    assert summary["n_prior_only"] == 6000 and summary["n_components"] == 3000


def test_cli_defaults_are_the_library_defaults():
    """`aligntheory ibn analyse` without options runs analyse_preferences with its own documented
    defaults (mutation-run survivor c0eafcba84: the CLI's --max-pairs default drifted silently)."""
    import inspect

    args = parser().parse_args(["f.jsonl"])
    sig = inspect.signature(analyse_preferences).parameters
    for opt, name in (("max_pairs", "max_pairs"), ("beta", "beta"), ("ib_var", "ib_var"), ("hp_var", "hp_var"),
                      ("prior_strength", "prior_strength"), ("seed", "seed")):
        if name in sig:
            assert getattr(args, opt) == sig[name].default, (opt, getattr(args, opt), sig[name].default)
    assert "max_pairs" in sig and args.max_pairs == 2000  # the default stated in the docstring


def test_plot_panels_hold_the_analysis_and_the_documented_size(tmp_path, monkeypatch):
    """The saved figure: 1210 x 880 pixels (110 dpi), panel [0, 1] a histogram of log10 of every positive
    finite sampled distance, panel [0, 0] one count per node (counts read back from the bars)."""
    import matplotlib
    import matplotlib.pyplot as plt

    matplotlib.use("Agg")
    out = analyse_preferences(tree_records(np.random.default_rng(2), 6, 4), max_pairs=200)
    figs = []
    monkeypatch.setattr(plt, "close", lambda fig=None: figs.append(fig))
    path = out.plot(tmp_path / "a.png")
    (fig,) = figs
    ax = np.asarray(fig.axes).reshape(2, 2)
    vals = out.reff_values[np.isfinite(out.reff_values) & (out.reff_values > 0)]
    heights = [p.get_height() for p in ax[0, 1].patches]
    assert vals.size > 0 and sum(heights) == vals.size
    lo = min(p.get_x() for p in ax[0, 1].patches)
    hi = max(p.get_x() + p.get_width() for p in ax[0, 1].patches)
    assert lo <= np.log10(vals).min() + 1e-9 and hi >= np.log10(vals).max() - 1e-9
    assert sum(p.get_height() for p in ax[0, 0].patches) == out.degrees.size
    plt.close(fig)
    from PIL import Image

    with Image.open(path) as im:
        assert im.size == (1210, 880)
