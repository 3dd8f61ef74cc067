"""Round-14: ``aligntheory ibn analyse``'s ``run_cli`` is public and takes any namespace; attributes it reads with
defaults (``hp_var``, ``no_ib``, ``max_pairs``, ``prior_strength``, ``seed``, ``top``, ``quiet``, ``out``) must
default to what the command-line parser gives. A fresh mutation sample (issue 11) showed a flipped ``no_ib``
default surviving. The expected output is the parser's own run (independent of the fallbacks in ``run_cli``).
"""
from __future__ import annotations

import argparse
import contextlib
import io
import types

from aligntheory.analysis.ibn import EXAMPLE_PATH, add_cli, run_cli


def _run(args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = run_cli(args)
    return rc, out.getvalue(), err.getvalue()


def test_minimal_namespace_runs_like_the_parser_defaults():
    parsed = add_cli(argparse.ArgumentParser().add_subparsers()).parse_args([str(EXAMPLE_PATH)])
    minimal = types.SimpleNamespace(file=str(EXAMPLE_PATH), beta=parsed.beta, ib_var=parsed.ib_var,
                                    target_variance=parsed.target_variance)
    want = _run(parsed)
    assert want[0] == 0 and "Bradley-Terry scores" in want[1]
    assert _run(minimal) == want
    # and the IB edges are really used by default: without them the output differs
    no_ib = add_cli(argparse.ArgumentParser().add_subparsers()).parse_args([str(EXAMPLE_PATH), "--no-ib"])
    assert _run(no_ib)[1] != want[1]
