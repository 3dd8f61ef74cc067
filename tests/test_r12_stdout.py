"""Standard output carries only what aligntheory means to print (session 12).

HiGHS, cvxpy's ``HIGHS`` back end, writes a copyright banner to the C-level standard output the first
time a ``highspy.Highs`` object is made in a process, whatever ``verbose`` says. Before the fix it
reached standard output in the middle of user programs and made ``aligntheory list --coverage
--json`` print invalid JSON. Each test runs a fresh interpreter, because the banner is once per process.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytest.importorskip("cvxpy")
pytest.importorskip("highspy")

_FIT = ("from aligntheory.theory.social_choice import fit_scoring_vector\n"
        "fit = fit_scoring_vector([[[0, 1, 2]], [[1, 2, 0], [2, 1, 0]]], [0, 1])\n"
        "print('feasible', fit.feasible)\n")


def _python(code: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONSTARTUP"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=300, check=False)


def test_an_lp_fit_prints_nothing_of_its_own_on_stdout():
    proc = _python(_FIT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout == "feasible True\n"
    assert "HiGHS" in proc.stderr  # moved, not lost


def test_without_the_move_the_banner_reaches_stdout():
    # The control: marking the move as done before the first solve brings the banner back to stdout
    # on this HiGHS, so the test above can fail.
    proc = _python("import aligntheory._optional as o\no._BANNER_DONE = True\n" + _FIT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "HiGHS" in proc.stdout


def test_the_move_happens_once_and_leaves_descriptor_1_working():
    proc = _python("import os\nimport aligntheory._optional as o\n"
                   "a = o.highs_banner_to_stderr(); b = o.highs_banner_to_stderr()\n"
                   "os.write(1, f'{a} {b}\\n'.encode())\n")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout == "True False\n"


def test_coverage_json_is_valid_json_when_a_claim_solves_an_lp(tmp_path):
    proc = _python("import sys\nfrom aligntheory.cli import main\nsys.exit(main(['list', '--coverage', "
                   "'--json', '--claim', 'social_choice.scoring_vector_lp_fit', '--out', "
                   f"{str(tmp_path)!r}]))\n")
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = json.loads(proc.stdout)
    assert "aligntheory.theory.social_choice.fit_scoring_vector" in data["per_claim"][
        "social_choice.scoring_vector_lp_fit"]
