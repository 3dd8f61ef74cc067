"""The ``arena`` command (add_cli / run_cli) on the shipped example battles file."""

import argparse
import csv
import json

import numpy as np
import pytest

from aligntheory.analysis.arena import ELO_FACTOR, EXAMPLE_BATTLES_PATH, add_cli, leaderboard, run_cli


def parse(argv):
    sub = argparse.ArgumentParser().add_subparsers(dest="command")
    add_cli(sub)
    return sub.choices["arena"].parse_args(argv)


def test_example_file_is_realistic():
    rows = [json.loads(line) for line in EXAMPLE_BATTLES_PATH.read_text().splitlines()]
    assert len(rows) == 2400
    winners = {r["winner"] for r in rows}
    assert winners == {"model_a", "model_b", "tie", "tie (bothbad)"}
    assert len({r["model_a"] for r in rows} | {r["model_b"] for r in rows}) == 10


def test_cli_writes_everything(tmp_path, capsys):
    out = tmp_path / "out"
    args = parse([str(EXAMPLE_BATTLES_PATH), "--ties", "davidson", "--bootstrap", "60", "--seed", "5",
                  "--anchor", "tern-7b=1000", "--cluster", "judge", "--out", str(out), "--next", "3"])
    assert args.func is run_cli and run_cli(args) == 0
    printed = capsys.readouterr().out
    assert "Leaderboard" in printed and "tie parameter (davidson)" in printed and "next battles" in printed
    for f in ("leaderboard.csv", "leaderboard.json", "diagnostics.json", "forest.png", "winrate.png"):
        assert (out / f).stat().st_size > 100, f
    js = json.loads((out / "leaderboard.json").read_text())
    ref = leaderboard(EXAMPLE_BATTLES_PATH, ties="davidson", n_bootstrap=60, seed=5, anchor=("tern-7b", 1000.0),
                      cluster="judge")
    assert [r["model"] for r in js["models"]] == list(ref.models)
    np.testing.assert_allclose([r["rating"] for r in js["models"]], ref.rating)
    assert js["cluster"] == "judge" and js["n_bootstrap"] == 60
    with (out / "leaderboard.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    tern = next(r for r in rows if r["model"] == "tern-7b")
    assert float(tern["rating"]) == pytest.approx(1000.0, abs=1e-9)
    diag = json.loads((out / "diagnostics.json").read_text())
    assert len(diag["adjacent"]) == 9 and len(diag["next_comparisons"]["pairs"]) == 3


def test_cli_style_control_and_natural_scale(tmp_path, capsys):
    args = parse([str(EXAMPLE_BATTLES_PATH), "--covariate", "length_diff", "--bootstrap", "30", "--scale",
                  "natural", "--out", str(tmp_path)])
    assert run_cli(args) == 0
    js = json.loads((tmp_path / "leaderboard.json").read_text())
    assert js["covariates"][0]["name"] == "length_diff" and js["covariates"][0]["gamma"] > 0
    plain = leaderboard(EXAMPLE_BATTLES_PATH, n_bootstrap=0, scale="natural")
    styled = leaderboard(EXAMPLE_BATTLES_PATH, n_bootstrap=0, scale="natural", covariates=["length_diff"])
    # the long-answer model loses rating once length is controlled
    assert styled.rating[styled.index("nimbus-large")] < plain.rating[plain.index("nimbus-large")]
    assert ELO_FACTOR == pytest.approx(173.7177927613007, rel=1e-6, abs=0.0)


def test_cli_formula_injection_and_errors(tmp_path, capsys):
    f = tmp_path / "b.csv"
    f.write_text("model_a,model_b,winner\n=cmd(),@x,model_a\n@x,=cmd(),model_a\n=cmd(),@x,model_b\n")
    out = tmp_path / "o"
    assert run_cli(parse([str(f), "--bootstrap", "0", "--out", str(out)])) == 0
    names = [r[1] for r in csv.reader((out / "leaderboard.csv").open())][1:]
    assert sorted(names) == ["'=cmd()", "'@x"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"model_a": "x", "model_b": "y", "winner": "nobody"}\n')
    assert run_cli(parse([str(bad)])) == 2
    assert "line 1" in capsys.readouterr().err
    assert run_cli(parse([str(EXAMPLE_BATTLES_PATH), "--anchor", "nonsense"])) == 2
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert run_cli(parse([str(EXAMPLE_BATTLES_PATH), "--out", str(blocker / "x")])) == 2
