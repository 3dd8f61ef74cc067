"""``aligntheory safety`` dispatch (issue 11 round 7; fresh-r6 survivor cc36b79ad7 ran no claim): each sub-command
reaches its own handler, and an unknown one is refused naming ``safety_command``."""

from __future__ import annotations

import argparse
import math

import pytest

import aligntheory.analysis.safety as A
from aligntheory.errors import InvalidInputError


def _parser():
    p = argparse.ArgumentParser(prog="aligntheory")
    A.add_cli(p.add_subparsers(dest="command"))
    return p


def test_multiplier_subcommand_replays_the_log(tmp_path, capsys):
    f = tmp_path / "log.json"
    f.write_text("[[1.0], [0.0], [0.5]]")
    args = _parser().parse_args(["safety", "multiplier", str(f), "--threshold", "0.5", "--window", "1",
                                 "--curvature", "1.0", "--lambda-lr", "0.2"])
    assert A.run_cli(args) == 0
    out = capsys.readouterr().out
    # independent route: safe-rlhf's log-space step u <- u + lr (J - d) e^u, window 1, lambda_init 1
    u = 0.0
    for cost in (1.0, 0.0, 0.5):
        u += 0.2 * (cost - 0.5) * math.exp(u)
    assert out.startswith("3 rollouts, final lambda ")
    assert float(out.split("final lambda ")[1].split(";")[0]) == pytest.approx(math.exp(u), rel=1e-5, abs=0.0)  # %.6g


def test_analyse_subcommand_reaches_its_handler(monkeypatch):
    seen = []
    monkeypatch.setattr(A, "_run_analyse", lambda a: seen.append(a.safety_command) or 7)
    args = argparse.Namespace(safety_command="analyse")
    assert A.run_cli(args) == 7 and seen == ["analyse"]


def test_unknown_subcommand_is_refused_naming_it():
    with pytest.raises(InvalidInputError) as ei:
        A.run_cli(argparse.Namespace(safety_command="frobnicate", logfile="unused.csv"))
    assert ei.value.argument == "safety_command"
