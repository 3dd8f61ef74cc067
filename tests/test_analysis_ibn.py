"""Real-dataset analysis of the IBN pillar (aligntheory.analysis.ibn) and its CLI command.

Expected values are recomputed independently in the tests (json parsing, networkx resistance
distances, closed-form series/parallel rules).
"""

import json

import networkx as nx
import numpy as np
import pytest

from aligntheory.analysis.ibn import EXAMPLE_PATH, analyse_preferences, load_records
from aligntheory.cli import main
from aligntheory.errors import InvalidInputError
from aligntheory.kernels.ibn import fit_bradley_terry


@pytest.fixture(scope="module")
def example():
    return analyse_preferences(EXAMPLE_PATH, target_variance=1.0)


def test_example_counts(example):
    recs = [json.loads(line) for line in EXAMPLE_PATH.read_text().splitlines() if line.strip()]
    nodes = {(r["prompt"], r["chosen"]) for r in recs} | {(r["prompt"], r["rejected"]) for r in recs}
    prompts = {r["prompt"] for r in recs}
    assert example.n_records == len(recs) and example.n_comparisons == len(recs)
    assert example.n_nodes == len(nodes) and example.n_prompts == len(prompts) == example.n_latent
    assert len(example.components) == len(prompts)  # responses of one prompt meet at its latent node
    assert example.structure == "mixed" and example.structure_fractions["chain-like prompts"] == 0.5
    assert example.bt_prior_strength > 0  # one comparison per chain-like prompt: no MLE, MAP reported
    assert example.recommended_comparisons is not None and example.recommended_comparisons > example.n_comparisons


def test_example_resistance_independent(example):
    # rebuild the IBN with networkx from the raw file and the reported plug-in variances
    recs = [json.loads(line) for line in EXAMPLE_PATH.read_text().splitlines() if line.strip()]
    idx = {}
    for r in recs:
        for y in (r["chosen"], r["rejected"]):
            idx.setdefault((r["prompt"], y), len(idx))
    s = example.scores
    G = nx.MultiGraph()
    for r in recs:
        a, b = idx[(r["prompt"], r["chosen"])], idx[(r["prompt"], r["rejected"])]
        p = 1.0 / (1.0 + np.exp(-(s[a] - s[b])))
        G.add_edge(a, b, res=1.0 / (p * (1 - p)))  # binary Fisher variance at the plug-in p (beta = 1)
    for (prompt, _), i in idx.items():
        G.add_edge(i, ("prompt", prompt), res=4.0)  # IB edge of the default variance
    H = nx.Graph()  # merge parallel edges: conductances add
    for u, v, d in G.edges(data=True):
        c = 1.0 / d["res"] + (1.0 / H[u][v]["res"] if H.has_edge(u, v) else 0.0)
        H.add_edge(u, v, res=1.0 / c)
    vals = []
    for comp in nx.connected_components(H):
        S = H.subgraph(comp)
        for r in recs:
            a, b = idx[(r["prompt"], r["chosen"])], idx[(r["prompt"], r["rejected"])]
            if a in comp:
                vals.append(nx.resistance_distance(S, a, b, weight="res", invert_weight=True))
    # distinct compared pairs only (duplicates repeat a value; the median is over distinct pairs)
    ref = np.unique(np.round(vals, 12))
    assert abs(example.reff_edges["max"] - ref.max()) <= 1e-9 * ref.max()
    assert abs(example.reff_edges["min"] - ref.min()) <= 1e-9 * ref.min()


def test_fixed_variance_scaling_recommendation():
    # without IB edges and with a fixed HP variance, R_eff scales exactly as 1/t
    recs = [{"prompt": "p", "chosen": a, "rejected": b} for a, b in
            [("x", "y"), ("y", "z"), ("z", "x"), ("x", "w"), ("w", "y")]]
    out = analyse_preferences(recs, hp_var=4.0, ib_var=None, target_variance=0.5)
    t_exact = out.reff_pairs["q90"] / 0.5
    assert abs(out.recommended_multiplier / t_exact - 1.0) <= 2e-3
    # triangle x, y, z plus a path x-w-y; series/parallel by hand for (x, w): edge 4 parallel with
    # (w-y 4 in series with y-x [4 || 8] = 8/3) -> 4 * (20/3) / (4 + 20/3) = 2.5
    assert out.reff_edges["max"] >= 2.5 - 1e-12
    assert out.structure == "tree-like"


def test_arena_ties():
    battles = [{"model_a": "A", "model_b": "B", "winner": "model_a"},
               {"model_a": "B", "model_b": "C", "winner": "model_b"},
               {"model_a": "C", "model_b": "A", "winner": "tie"},
               {"model_a": "A", "model_b": "B", "winner": "tie (bothbad)"},
               {"model_a": "C", "model_b": "B", "winner": "model_a"},
               {"model_a": "B", "model_b": "C", "winner": "model_a"},
               {"model_a": "A", "model_b": "A", "winner": "model_a"}]
    out = analyse_preferences(battles)
    assert out.kind == "arena" and out.n_nodes == 3 and out.n_dropped_self == 1 and out.n_latent == 0
    # ties are half a win each way: the same fit as explicit half-weight rows
    rows = [[0, 1], [2, 1], [2, 0], [0, 2], [0, 1], [1, 0], [2, 1], [1, 2]]
    w = [1, 1, 0.5, 0.5, 0.5, 0.5, 1, 1]
    ref = fit_bradley_terry(3, rows, counts=w)
    np.testing.assert_allclose(out.scores, ref.scores, atol=1e-10)
    assert out.bt_prior_strength == 0.0  # ties make the beats graph strongly connected


@pytest.mark.parametrize("recs,field", [
    ([{"prompt": "p", "chosen": "a", "rejected": "b"}, {"prompt": "p", "chosen": "a"}], "records[1].rejected"),
    ([{"prompt": "p", "chosen": "a", "rejected": "b"}, {"prompt": "p", "rejected": "c"}], "records[1].chosen"),
    ([{"prompt": "p", "chosen": "a", "rejected": "b"}, {"model_a": "A", "model_b": "B", "winner": "tie"}],
     "records[1]"),
    ([{"chosen": "a", "rejected": ["x"]}], "records[0].rejected"),
    ([{"prompt": "p", "chosen": 3, "rejected": "b"}], "records[0].chosen"),
    ([{"prompt": "p", "chosen": "a", "rejected": "b"}, "not a dict"], "records[1]"),
    ([{"model_a": "A", "model_b": "B", "winner": "model_c"}], "records[0].winner"),
    ([{"model_a": "A", "model_b": "B"}], "records[0].winner"),
    ([], "records"),
])
def test_malformed_records(recs, field):
    with pytest.raises(InvalidInputError) as ei:
        analyse_preferences(recs)
    assert ei.value.argument == field and field in str(ei.value)


def test_bad_jsonl_and_options(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"prompt": "p", "chosen": "a", "rejected": "b"}\n\n{not json}\n')
    with pytest.raises(InvalidInputError) as ei:
        load_records(p)
    assert ei.value.argument == "bad.jsonl, line 3"
    with pytest.raises(InvalidInputError) as ei:
        analyse_preferences(EXAMPLE_PATH, target_variance=-1.0)
    assert ei.value.argument == "target_variance"
    with pytest.raises(InvalidInputError) as ei:
        analyse_preferences(EXAMPLE_PATH, hp_var="exact")
    assert ei.value.argument == "hp_var"


def test_dataframe_input():
    pd = pytest.importorskip("pandas")
    recs = load_records(EXAMPLE_PATH)
    a = analyse_preferences(pd.DataFrame(recs), hp_var=4.0)
    b = analyse_preferences(recs, hp_var=4.0)
    np.testing.assert_allclose(a.scores, b.scores)
    assert a.reff_pairs == b.reff_pairs


def test_cli_analyse(tmp_path, capsys):
    out = tmp_path / "out"
    rc = main(["ibn", "analyse", str(EXAMPLE_PATH), "--out", str(out), "--target-variance", "1.0"])
    assert rc == 0
    summary = json.loads((out / "analysis.json").read_text())
    assert summary["n_records"] == 46 and summary["target_variance"] == 1.0
    assert (out / "ibn_analysis.png").stat().st_size > 1000
    lines = (out / "scores.csv").read_text().splitlines()
    assert lines[0] == "node,component,rank_in_component,score,stderr,prior_only"
    assert len(lines) == summary["n_nodes"] + 1
    assert "IBN analysis" in capsys.readouterr().out
    assert main(["ibn", "analyse", str(tmp_path / "missing.jsonl")]) == 2


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, 1 << 20])
def test_json_array_streamed_equals_json_load(tmp_path, monkeypatch, chunk):
    # elements straddle chunk boundaries: numbers, escapes, brackets inside strings, non-ASCII, nesting
    from aligntheory.analysis import _arena_io, _ibn_read

    monkeypatch.setattr(_arena_io, "_CHUNK", chunk)
    data = [{"prompt": "p[1]", "chosen": "a, \"b\" ]", "rejected": "é\u2603\\n"}, 12345678901234567890, 1.5e-300,
            [1, [2, {"x": "}"}]], "plain", None, True, {"prompt": "", "chosen": "{", "rejected": "["}]
    p = tmp_path / "r.json"
    p.write_text("  \n" + json.dumps(data, indent=1, ensure_ascii=False) + "\n\n")
    got = [rec for rec, _ in _ibn_read.iter_records(p)]
    assert got == json.loads(p.read_text())  # independent route: the whole-text parser
    assert [w for _, w in _ibn_read.iter_records(p)][-1] == f"r.json, element {len(data)}"


def test_json_array_is_streamed_and_errors_are_located(tmp_path, monkeypatch):
    from aligntheory.analysis import _arena_io, _ibn_read

    monkeypatch.setattr(_arena_io, "_CHUNK", 16)
    p = tmp_path / "r.json"
    p.write_text('[{"prompt": "p", "chosen": "a", "rejected": "b"}, {"prompt": ' + " " * 100 + "oops}]")
    it = _ibn_read.iter_records(p)
    assert next(it)[1] == "r.json, element 1"  # the first element arrives before the bad one is read
    with pytest.raises(InvalidInputError) as ei:
        next(it)
    assert ei.value.argument == "r.json, element 2"
    for text, where in (("[1, 2", "r.json, element 3"), ("[1 2]", "r.json, element 2"), ("[1] x", "r.json"),
                        ('[{"a": 1', "r.json, element 1")):
        p.write_text(text)
        with pytest.raises(InvalidInputError) as ei:
            list(_ibn_read.iter_records(p))
        assert ei.value.argument == where, (text, ei.value.argument)
    p.write_text(" [ ] ")
    with pytest.raises(InvalidInputError) as ei:
        analyse_preferences(p)
    assert ei.value.argument == "records"


@pytest.mark.parametrize("data", [b"\x00\xff" * 100, b'{"a": "\xff\xfe"}\n' * 10, b"[\xff]"])
def test_undecodable_files_name_the_records_argument(tmp_path, data):
    p = tmp_path / "r.jsonl"
    p.write_bytes(data)
    with pytest.raises(InvalidInputError) as ei:
        analyse_preferences(p)
    assert ei.value.argument == "records" and ("UTF-8" in str(ei.value))


@pytest.mark.parametrize("data", [b"[" * 5000 + b"]" * 5000, b'{"a": ' * 5000, b"[" + b'{"a": ' * 5000])
def test_deeply_nested_json_is_invalid_input(tmp_path, data):
    # json's decoder raises RecursionError (a foreign exception) on deep nesting, in both file forms
    p = tmp_path / "r.jsonl"
    p.write_bytes(data)
    with pytest.raises(InvalidInputError) as ei:
        analyse_preferences(p)
    assert ei.value.argument == "records" and "nested" in str(ei.value)
