"""``aligntheory safety multiplier LOGFILE``: log formats, replay, stability verdict, CLI pair (issue 15 item 2)."""

import argparse
import json

import numpy as np
import pytest

from aligntheory.analysis.safety import add_cli, read_cost_log, replay_multiplier_log, run_cli
from aligntheory.errors import InvalidInputError
from aligntheory.theory.safety import optimal_multiplier, tilted_moments
from aligntheory.theory.safety._lagrangian import lagrangian_multiplier_trajectory, multiplier_closed_loop

ROLLOUTS = [[1.5, 0.5], [2.0], [0.0, 0.25, 0.75]]


def _write_all(tmp_path):
    csv_p = tmp_path / "log.csv"
    csv_p.write_text("rollout,cost\n" + "".join(f"{r},{c}\n" for r, row in enumerate(ROLLOUTS) for c in row))
    json_p = tmp_path / "log.json"
    json_p.write_text(json.dumps({"episode_costs": ROLLOUTS}))
    jl_p = tmp_path / "log.jsonl"
    jl_p.write_text("".join(json.dumps({"costs": row}) + "\n" for row in ROLLOUTS))
    jl2 = tmp_path / "log2.jsonl"
    jl2.write_text("".join(json.dumps({"rollout": r, "cost": c}) + "\n" for r, row in enumerate(ROLLOUTS) for c in row))
    return [csv_p, json_p, jl_p, jl2]


def test_every_format_reads_the_same_rollouts(tmp_path):
    for p in _write_all(tmp_path):
        assert [a.tolist() for a in read_cost_log(p)] == ROLLOUTS, p
    flat = tmp_path / "flat.csv"
    flat.write_text("cost\n1\n2\n3\n4\n5\n")
    assert [a.tolist() for a in read_cost_log(flat, batch_size=2)] == [[1, 2], [3, 4], [5]]


@pytest.mark.parametrize("text, name, match", [
    ("rollout,cost\n0,abc\n", "bad.csv", "row 0"),
    ("rollout,cost\n-1,1\n", "bad.csv", "row 0"),
    ("rollout,cost\n0,1\n0,nan\n", "bad.csv", "row 1"),
    ("x,y\n1,2\n", "bad.csv", "cost"),
    ("cost\n1\n", "bad.csv", "batch_size"),
    ('{"a": 1}\n{"b": 2}\n', "bad.jsonl", "rollout"),
    ("{not json", "bad.json", "JSON"),
])
def test_bad_logs_name_the_row(tmp_path, text, name, match):
    p = tmp_path / name
    p.write_text(text)
    with pytest.raises(InvalidInputError, match=match):
        read_cost_log(p)


def test_replay_equals_the_trajectory_and_curvature_is_estimated():
    ref, r, c, beta, d = [0.2, 0.3, 0.5], [1.0, 0.0, -0.5], [1.0, 0.2, -0.3], 0.7, 0.1
    lam_star = optimal_multiplier(ref, r, c, beta, d).lam
    kappa = tilted_moments(ref, r, c, lam_star, beta).var_cost / beta
    t = multiplier_closed_loop(ref, r, c, beta, d, 60, batch_size=4, window=4, lambda_lr=0.5,
                               lambda_init=1.02 * lam_star)
    # the costs the closed loop saw: its window means with window = batch = 4 are the rollout costs
    costs = [np.full(4, m) for m in t.window_means]
    rep = replay_multiplier_log(costs, threshold=d, lambda_init=1.02 * lam_star, lambda_lr=0.5, window=4)
    np.testing.assert_array_equal(rep.trajectory.lambdas, t.lambdas)
    assert rep.curvature_estimated
    assert rep.curvature == pytest.approx(kappa, rel=0.05, abs=0.0)  # secant slope over a 2% range of lambda
    assert rep.lam_star == pytest.approx(lam_star, rel=1e-6, abs=0.0)
    assert rep.stability.stable


def test_curvature_needs_data():
    with pytest.raises(InvalidInputError, match="curvature"):
        replay_multiplier_log([[1.0], [1.0]])


def test_cli_pair_writes_json_and_plot(tmp_path, capsys):
    p = _write_all(tmp_path)[0]
    parser = argparse.ArgumentParser(prog="aligntheory")
    sub = parser.add_subparsers(dest="command")
    add_cli(sub)
    out = tmp_path / "out"
    args = parser.parse_args(["safety", "multiplier", str(p), "--threshold", "0.5", "--window", "2",
                              "--curvature", "0.3", "--out", str(out)])
    assert run_cli(args) == 0
    data = json.loads((out / "multiplier.json").read_text())
    ref = lagrangian_multiplier_trajectory(ROLLOUTS, 0.5, window=2).lambdas
    np.testing.assert_allclose(data["lambdas"], ref, rtol=1e-15)
    head = (out / "multiplier.png").read_bytes()[:24]  # the PNG IHDR chunk: width, height in pixels
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    # 7 x 3.5 inches at 120 dpi (56e780cc1e, a ninth-sample survivor, made the figure 4.5 inches high)
    assert (int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")) == (7 * 120, 420)
    assert "spectral radius" in capsys.readouterr().out
