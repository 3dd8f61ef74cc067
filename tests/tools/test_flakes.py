"""Tests of ``tools/flakes.py`` (repeat the README test command without ``CI``, count the streak)."""

from __future__ import annotations

import doctest
import subprocess
import sys
import textwrap
from pathlib import Path

from tools import flakes

ROOT = Path(__file__).resolve().parents[2]


def test_whole_mode_is_the_readme_command_verbatim():
    readme = (ROOT / "README.md").read_text()
    cmd = flakes.command(whole=True, jobs=2, seed=None)
    assert "python " + " ".join(cmd[1:]) in readme
    assert (ROOT / ".ci" / "run").read_text().count("python " + " ".join(cmd[1:])) == 1


def test_hypothesis_mode_adds_only_the_plugin_and_the_seed():
    cmd = flakes.command(whole=False, jobs=2, seed=123)
    assert cmd[:6] == flakes.command(whole=True, jobs=2, seed=None)
    assert cmd[6:] == ["-p", "tools._hypothesis_only", "--hypothesis-seed=123"]


def test_environment_drops_ci_and_the_profile(monkeypatch):
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("HYPOTHESIS_PROFILE", "ci")
    env = flakes._env()
    assert "CI" not in env and "HYPOTHESIS_PROFILE" not in env
    assert env["PYTHONPATH"].split(":")[0] == str(ROOT)


def test_parse_summary_reads_the_last_summary_line_and_failures():
    out = textwrap.dedent("""\
        ..F.E
        FAILED tests/a.py::test_x[1] - AssertionError: 1 != 2
        ERROR tests/b.py::test_y - ValueError
        ========== 1 failed, 3 passed, 1 error, 2 warnings in 12.50s ==========
        """)
    got = flakes.parse_summary(out)
    assert got["counts"] == {"failed": 1, "passed": 3, "error": 1, "warnings": 2}
    assert got["failed"] == ["tests/a.py::test_x[1]", "tests/b.py::test_y"]
    assert flakes.parse_summary("3 passed in 1.0s")["counts"] == {"passed": 3}
    assert flakes.parse_summary("Killed") == {"counts": {}, "failed": []}


def test_streaks_by_enumeration():
    import itertools

    for n in range(7):
        for bits in itertools.product([False, True], repeat=n):
            runs = "".join("1" if b else "0" for b in bits)
            longest = max((len(s) for s in runs.split("0")), default=0)
            current = len(runs) - len(runs.rstrip("1"))
            assert flakes.streaks(list(bits)) == (longest, current), runs


def test_report_counts_and_streaks(tmp_path):
    recs = [{"run": i + 1, "mode": "hypothesis", "hypothesis_seed": i, "rc": rc,
             "counts": {"passed": 5}, "failed": [] if rc == 0 else ["t::x"], "seconds": 1.0}
            for i, rc in enumerate([0, 0, 1, 0])]
    head = flakes.write_report(recs, tmp_path)
    assert head.startswith("4 runs, 3 passed; longest streak of passing runs 2, current streak 1")
    table = (tmp_path / "README.md").read_text()
    assert table.count("\n| ") == 5 and "| 3 | hypothesis | 2 | 1 | 5 passed | t::x |" in table


def test_plugin_keeps_only_hypothesis_tests(tmp_path):
    (tmp_path / "test_mix.py").write_text(textwrap.dedent("""\
        from hypothesis import given, strategies as st

        @given(st.integers())
        def test_prop(x):
            assert isinstance(x, int)

        def test_plain():
            pass

        class TestK:
            @given(st.booleans())
            def test_method(self, b):
                assert b in (True, False)
        """))
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "tools._hypothesis_only", "-q",
                           "-p", "no:cacheprovider", "--collect-only", str(tmp_path / "test_mix.py")],
                          cwd=ROOT, capture_output=True, text=True, env=flakes._env())
    ids = sorted(line.split("::", 1)[1] for line in proc.stdout.splitlines() if "::" in line)
    assert ids == ["TestK::test_method", "test_prop"], proc.stdout + proc.stderr


def test_docstring_examples():
    res = doctest.testmod(flakes)
    assert res.failed == 0 and res.attempted >= 3
